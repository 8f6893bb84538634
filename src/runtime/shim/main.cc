// gantry-shim <container-dir>: keeps one container alive and observed independently of the
// server. It detaches (setsid + fork, so the server reaps its direct child at once and a kill -9
// of the server does not touch it), becomes a child subreaper, mounts the overlay rootfs, runs
// `runc run -d` with the container's stdout/stderr on pipes, appends every line as a timestamped
// record to the log segments <dir>/log, log.1, ... (log_segments.h), waits for the container's
// init, records its exit code and whether the cgroup OOM-killed it in <dir>/status.json, and
// exits. The manager deletes the container later.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/cgroup.h"
#include "runtime/log_segments.h"
#include "runtime/shim_status.h"

namespace {

namespace fs = std::filesystem;
using runtime::ShimConfig;
using runtime::ShimStatus;

constexpr std::size_t kMaxLine = 16 * 1024;  // longer lines are split, as Docker splits them
constexpr int kDrainMillis = 2000;           // output still flowing after the init exited

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The container's log segments (log_segments.h): appends whole records to the newest, starts
// the next one once it is full, and beyond the configured count either deletes the oldest or,
// blocking, waits for the reader to delete one (the reader never deletes the newest: at least
// two are needed then).
class SegmentedLog {
 public:
  SegmentedLog(fs::path dir, std::uint64_t segment_bytes, std::uint64_t max_segments,
               bool blocking)
      : dir_(std::move(dir)),
        segment_bytes_(std::max<std::uint64_t>(segment_bytes, 1)),
        max_segments_(std::max<std::uint64_t>(max_segments, blocking ? 2 : 1)),
        blocking_(blocking) {}
  ~SegmentedLog() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }

  bool open() {
    fd_ = open_segment(0);
    return fd_ >= 0;
  }

  void write(const std::string& record) {
    if (written_ > 0 && written_ + record.size() > segment_bytes_) {
      rotate();
    }
    const char* p = record.data();
    std::size_t left = record.size();
    while (left > 0) {
      ssize_t w = ::write(fd_, p, left);
      if (w < 0) {
        if (errno == EINTR) {
          continue;
        }
        break;
      }
      p += w;
      left -= static_cast<std::size_t>(w);
    }
    written_ += record.size() - left;
  }

 private:
  int open_segment(std::uint64_t n) const {
    return ::open(runtime::log_segment_path(dir_, n).c_str(),
                  O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  }

  // The next segment exists only after the last write to this one: a reader that sees it knows
  // this one is complete.
  void rotate() {
    if (blocking_) {
      wait_for_room();
    }
    int next = open_segment(segment_ + 1);
    if (next < 0) {
      return;  // keep appending where we are
    }
    ::close(fd_);
    fd_ = next;
    ++segment_;
    written_ = 0;
    // Segments the forwarder has not deleted yet, beyond the cap: the oldest go (ENOENT: the
    // forwarder was quicker).
    while (!blocking_ && segment_ - oldest_ + 1 > max_segments_) {
      ::unlink(runtime::log_segment_path(dir_, oldest_).c_str());
      ++oldest_;
    }
  }

  // Blocking: until fewer than max_segments_ segments are on disk, re-counted at each deletion
  // in the directory and at least every second; at once when the directory is gone (the
  // container was removed). Output is not read meanwhile, so the container blocks on write.
  void wait_for_room() {
    int watch = ::inotify_init1(IN_CLOEXEC);
    if (watch >= 0) {
      ::inotify_add_watch(watch, dir_.c_str(), IN_DELETE | IN_DELETE_SELF | IN_MOVED_FROM);
    }
    for (;;) {
      std::error_code ec;
      std::uint64_t count = 0;
      for (const fs::directory_entry& e : fs::directory_iterator(dir_, ec)) {
        count += runtime::log_segment_number(e.path().filename().string()) ? 1 : 0;
      }
      if (ec || count < max_segments_) {
        break;
      }
      pollfd p{watch, POLLIN, 0};
      if (::poll(&p, watch >= 0 ? 1 : 0, 1000) > 0) {
        alignas(inotify_event) char buf[4096];
        (void)::read(watch, buf, sizeof buf);
      }
    }
    if (watch >= 0) {
      ::close(watch);
    }
  }

  fs::path dir_;
  std::uint64_t segment_bytes_;
  std::uint64_t max_segments_;
  bool blocking_;
  int fd_ = -1;
  std::uint64_t segment_ = 0;
  std::uint64_t oldest_ = 0;
  std::uint64_t written_ = 0;
};

// One output stream cut into records "<epoch-ms> <o|e> <text>\n".
class LineSink {
 public:
  LineSink(SegmentedLog& log, char tag) : log_(log), tag_(tag) {}

  void feed(const char* data, std::size_t n, std::int64_t ts) {
    const char* end = data + n;
    while (data < end) {
      const char* nl = static_cast<const char*>(std::memchr(data, '\n', end - data));
      const char* stop = nl ? nl : end;
      std::size_t take = std::min<std::size_t>(stop - data, kMaxLine - line_.size());
      line_.append(data, take);
      data += take;
      if (line_.size() >= kMaxLine) {
        emit(ts);
      } else if (data == nl) {
        emit(ts);
        ++data;
      }
    }
  }
  void flush(std::int64_t ts) {
    if (!line_.empty()) {
      emit(ts);
    }
  }

 private:
  void emit(std::int64_t ts) {
    record_.clear();
    record_ += std::to_string(ts);
    record_ += ' ';
    record_ += tag_;
    record_ += ' ';
    record_ += line_;
    record_ += '\n';
    log_.write(record_);
    line_.clear();
  }

  SegmentedLog& log_;
  char tag_;
  std::string line_;
  std::string record_;
};

// Output read while runc still runs: the container's if runc succeeds, runc's error if it fails.
struct Chunk {
  char tag;
  std::int64_t ts;
  std::string data;
};

int exit_code_of(int status) {
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  if (WIFSIGNALED(status)) {
    return 128 + WTERMSIG(status);
  }
  return 255;
}

pid_t spawn(const std::vector<std::string>& args, int out_fd, int err_fd) {
  pid_t pid = ::fork();
  if (pid != 0) {
    return pid;
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  int devnull = ::open("/dev/null", O_RDWR);
  ::dup2(devnull, 0);
  ::dup2(out_fd >= 0 ? out_fd : devnull, 1);
  ::dup2(err_fd >= 0 ? err_fd : devnull, 2);
  std::vector<char*> argv;
  for (const std::string& a : args) {
    argv.push_back(const_cast<char*>(a.c_str()));
  }
  argv.push_back(nullptr);
  ::execv(argv[0], argv.data());
  ::_exit(127);
}

void run_quietly(const std::vector<std::string>& args) {
  pid_t pid = spawn(args, -1, -1);
  int status = 0;
  while (pid > 0 && ::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Whether the cgroup's OOM killer fired (v1 memory.oom_control or v2 memory.events oom_kill).
bool oom_killed(const std::string& cgroup) {
  runtime::CgroupStats stats = runtime::detect_cgroups()->stats(cgroup);
  return stats.memory && stats.memory->oom_kills > 0;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) {
    s.pop_back();
  }
  return s;
}

class Shim {
 public:
  explicit Shim(fs::path dir) : dir_(std::move(dir)) {}

  int run() {
    std::optional<ShimConfig> config = runtime::read_shim_config(dir_ / "shim.json");
    status_.shim_pid = ::getpid();
    if (!config) {
      return fail("cannot read shim.json");
    }
    config_ = *config;
    publish();
    if (!mount_rootfs()) {
      return 1;
    }
    log_.emplace(dir_, config_.log_segment_bytes, config_.log_max_segments,
                 config_.log_blocking);
    int out[2];
    int err[2];
    if (!log_->open() || ::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
      return fail(std::string("cannot set up output: ") + std::strerror(errno));
    }
    // SIGCHLD arrives on a signalfd, polled with the output pipes.
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, nullptr);
    int sigfd = ::signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
    runc_pid_ =
        spawn({config_.runc, "--root", config_.runc_root, "--log", (dir_ / "runc.log").string(),
               "--log-format", "json", "run", "-d", "--pid-file", (dir_ / "pid").string(),
               "--bundle", dir_.string(), config_.id},
              out[1], err[1]);
    ::close(out[1]);
    ::close(err[1]);
    LineSink sinks[2] = {LineSink(*log_, 'o'), LineSink(*log_, 'e')};
    pollfd fds[3] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}, {sigfd, POLLIN, 0}};
    if (!pump(fds, sinks)) {
      return 0;  // runc failed; runc_finished() recorded why
    }
    sinks[0].flush(now_ms());
    sinks[1].flush(now_ms());
    status_.state = ShimStatus::State::Exited;
    status_.finished_at_ms = now_ms();
    status_.oom_killed = oom_killed(config_.cgroup);
    publish();
    return 0;
  }

 private:
  // Copies output to the log and reaps children until the container's init has exited and its
  // output has drained (pipes closed, or kDrainMillis after the exit). False when runc failed.
  bool pump(pollfd fds[3], LineSink* sinks) {
    std::int64_t drain_until = 0;
    for (;;) {
      bool pipes_open = fds[0].fd >= 0 || fds[1].fd >= 0;
      if (finished() && (!pipes_open || now_ms() >= drain_until)) {
        return true;
      }
      int timeout =
          finished() ? static_cast<int>(std::max<std::int64_t>(drain_until - now_ms(), 0)) : -1;
      if (::poll(fds, 3, timeout) < 0 && errno != EINTR) {
        return true;
      }
      for (int i = 0; i < 2; ++i) {
        if (fds[i].fd >= 0 && fds[i].revents != 0) {
          read_output(fds[i], i, sinks);
        }
      }
      if (fds[2].revents != 0) {
        signalfd_siginfo info;
        while (::read(fds[2].fd, &info, sizeof info) == sizeof info) {
        }
        reap(sinks);
        if (failed_) {
          return false;
        }
        if (finished() && drain_until == 0) {
          drain_until = now_ms() + kDrainMillis;
        }
      }
    }
  }

  // One read from stdout (i = 0) or stderr (1): logged once runc succeeded, held until then.
  // Closes the pipe at its end or on an error.
  void read_output(pollfd& fd, int i, LineSink* sinks) {
    char buf[1 << 16];
    ssize_t n = ::read(fd.fd, buf, sizeof buf);
    if (n > 0) {
      if (runc_done_) {
        sinks[i].feed(buf, static_cast<std::size_t>(n), now_ms());
      } else {
        held_.push_back(
            {i == 0 ? 'o' : 'e', now_ms(), std::string(buf, static_cast<std::size_t>(n))});
      }
    } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
      ::close(fd.fd);
      fd.fd = -1;
    }
  }

  bool finished() const { return status_.exit_code.has_value(); }

  void publish() { runtime::write_shim_status(dir_ / "status.json", status_); }

  int fail(std::string error) {
    status_.state = ShimStatus::State::Failed;
    status_.error = std::move(error);
    status_.finished_at_ms = now_ms();
    publish();
    return 1;
  }

  bool mount_rootfs() {
    if (config_.lower.empty()) {
      fail("no lower layer for the rootfs");
      return false;
    }
    std::string lower;
    for (const std::string& l : config_.lower) {
      lower += (lower.empty() ? "" : ":") + l;
    }
    std::string options = "lowerdir=" + lower + ",upperdir=" + (dir_ / "upper").string() +
                          ",workdir=" + (dir_ / "work").string();
    // Relative lowerdirs keep the option string under a page for images with many layers.
    if (!config_.lower_base.empty() && ::chdir(config_.lower_base.c_str()) != 0) {
      fail("cannot enter the layer cache: " + std::string(std::strerror(errno)));
      return false;
    }
    int r = ::mount("overlay", (dir_ / "rootfs").c_str(), "overlay", 0, options.c_str());
    int err = errno;
    (void)::chdir("/");
    if (r != 0) {
      fail("cannot mount the rootfs: " + std::string(std::strerror(err)));
      return false;
    }
    return true;
  }

  void reap(LineSink* sinks) {
    int status = 0;
    pid_t pid = 0;
    while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
      if (pid == runc_pid_) {
        runc_finished(status, sinks);
      } else {
        reaped_[pid] = status;
      }
    }
    if (status_.pid > 0 && !finished()) {
      auto it = reaped_.find(status_.pid);
      if (it != reaped_.end()) {
        status_.exit_code = exit_code_of(it->second);
      }
    }
  }

  void runc_finished(int status, LineSink* sinks) {
    runc_done_ = true;
    int pid = 0;
    std::istringstream(read_file(dir_ / "pid")) >> pid;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || pid <= 0) {
      std::string message;
      for (const Chunk& c : held_) {
        message += c.data;
      }
      run_quietly({config_.runc, "--root", config_.runc_root, "delete", "--force", config_.id});
      ::umount2((dir_ / "rootfs").c_str(), MNT_DETACH);
      failed_ = true;
      fail(trim(message.empty() ? "runc exited with " + std::to_string(exit_code_of(status))
                                : message));
      return;
    }
    // Running is published before the held output is logged: in blocking mode logging may wait
    // for a reader, which the manager starts only once the container runs.
    status_.state = ShimStatus::State::Running;
    status_.pid = pid;
    status_.started_at_ms = now_ms();
    publish();
    for (const Chunk& c : held_) {
      sinks[c.tag == 'o' ? 0 : 1].feed(c.data.data(), c.data.size(), c.ts);
    }
    held_.clear();
  }

  fs::path dir_;
  ShimConfig config_;
  ShimStatus status_;
  std::optional<SegmentedLog> log_;
  pid_t runc_pid_ = -1;
  bool runc_done_ = false;
  bool failed_ = false;
  std::vector<Chunk> held_;
  std::map<pid_t, int> reaped_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    return 2;
  }
  fs::path dir = fs::absolute(argv[1]);
  ::close_range(3, ~0U, 0);
  ::setsid();
  pid_t child = ::fork();
  if (child < 0) {
    return 1;
  }
  if (child > 0) {
    ::_exit(0);  // the server reaps this at once; the shim lives on, re-parented
  }
  ::signal(SIGPIPE, SIG_IGN);
  ::signal(SIGHUP, SIG_IGN);
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  return Shim(dir).run();
}
