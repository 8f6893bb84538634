// gantry-shim <container-dir>: keeps one container alive and observed independently of the
// server. It detaches (setsid + fork, so the server reaps its direct child at once and a kill -9
// of the server does not touch it), becomes a child subreaper, mounts the overlay rootfs, runs
// `runc run -d` with the container's stdout/stderr on pipes, appends every line to <dir>/log as a
// timestamped record, waits for the container's init, records its exit code and whether the
// cgroup OOM-killed it in <dir>/status.json, and exits. The manager deletes the container later.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/cgroup.h"
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

// One output stream cut into records "<epoch-ms> <o|e> <text>\n".
class LineSink {
 public:
  LineSink(int log_fd, char tag) : log_fd_(log_fd), tag_(tag) {}

  void feed(const char* data, std::size_t n, std::int64_t ts) {
    for (std::size_t i = 0; i < n; ++i) {
      if (data[i] == '\n') {
        emit(ts);
      } else {
        line_ += data[i];
        if (line_.size() >= kMaxLine) {
          emit(ts);
        }
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
    std::string record = std::to_string(ts) + " " + tag_ + " " + line_ + "\n";
    const char* p = record.data();
    std::size_t left = record.size();
    while (left > 0) {
      ssize_t w = ::write(log_fd_, p, left);
      if (w < 0) {
        if (errno == EINTR) {
          continue;
        }
        break;
      }
      p += w;
      left -= static_cast<std::size_t>(w);
    }
    line_.clear();
  }

  int log_fd_;
  char tag_;
  std::string line_;
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
    log_fd_ = ::open((dir_ / "log").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    int out[2];
    int err[2];
    if (log_fd_ < 0 || ::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
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
    LineSink sinks[2] = {LineSink(log_fd_, 'o'), LineSink(log_fd_, 'e')};
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
    for (const Chunk& c : held_) {
      sinks[c.tag == 'o' ? 0 : 1].feed(c.data.data(), c.data.size(), c.ts);
    }
    held_.clear();
    status_.state = ShimStatus::State::Running;
    status_.pid = pid;
    status_.started_at_ms = now_ms();
    publish();
  }

  fs::path dir_;
  ShimConfig config_;
  ShimStatus status_;
  int log_fd_ = -1;
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
