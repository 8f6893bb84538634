#include "runtime/process.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/ids.h"

extern char** environ;

namespace runtime {
namespace {

namespace fs = std::filesystem;

class FileActions {
 public:
  FileActions() { posix_spawn_file_actions_init(&actions_); }
  ~FileActions() { posix_spawn_file_actions_destroy(&actions_); }
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

int exit_code_of(int status) {
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 255;
}

}  // namespace

pid_t spawn_process(const std::vector<std::string>& args, const fs::path& output) {
  FileActions actions;
  posix_spawn_file_actions_addopen(actions.get(), 0, "/dev/null", O_RDONLY, 0);
  if (output.empty()) {
    posix_spawn_file_actions_addopen(actions.get(), 1, "/dev/null", O_WRONLY, 0);
  } else {
    posix_spawn_file_actions_addopen(actions.get(), 1, output.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0640);
  }
  posix_spawn_file_actions_adddup2(actions.get(), 1, 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGCHLD);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<char*> argv;
  for (const std::string& a : args) {
    argv.push_back(const_cast<char*>(a.c_str()));
  }
  argv.push_back(nullptr);
  pid_t pid = -1;
  int err = posix_spawnp(&pid, argv[0], actions.get(), &attr, argv.data(), environ);
  posix_spawnattr_destroy(&attr);
  if (err != 0) {
    errno = err;
    return -1;
  }
  return pid;
}

std::optional<int> run_process(const std::vector<std::string>& args, std::string* output) {
  fs::path capture;
  if (output) {
    capture = fs::temp_directory_path() / ("gantry-run-" + core::ids::random_hex(12));
  }
  pid_t pid = spawn_process(args, capture);
  if (pid < 0) {
    return std::nullopt;
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      return std::nullopt;
    }
  }
  if (output) {
    std::ifstream in(capture);
    std::stringstream buffer;
    buffer << in.rdbuf();
    *output = buffer.str();
    std::error_code ec;
    fs::remove(capture, ec);
  }
  return exit_code_of(status);
}

fs::path executable_dir() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : self.parent_path();
}

std::optional<fs::path> find_in_path(const fs::path& program) {
  if (program.string().find('/') != std::string::npos) {
    return program;
  }
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path
                               : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    fs::path candidate = fs::path(dir) / program;
    if (!dir.empty() && ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return std::nullopt;
}

}  // namespace runtime
