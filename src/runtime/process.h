#pragma once
// Spawning helper processes (runc, the shim) from a multi-threaded server: posix_spawn with stdin
// on /dev/null and stdout/stderr on a file or /dev/null. No fds leak: everything else Gantry opens
// is O_CLOEXEC.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace runtime {

// Starts `args` (args[0] resolved through PATH when it has no '/'); output goes to `output`
// (appended) or /dev/null when empty. Returns the pid, or -1 with errno set.
pid_t spawn_process(const std::vector<std::string>& args, const std::filesystem::path& output = {});

// Runs `args` to completion and returns its exit code (128+signal when killed), or nullopt when it
// could not be started. `output`, when non-null, receives its stdout and stderr.
std::optional<int> run_process(const std::vector<std::string>& args, std::string* output = nullptr);

// The directory of the running executable (/proc/self/exe's parent).
std::filesystem::path executable_dir();

// `program` as an absolute path found through PATH (or as given when it has a '/'); nullopt when
// no executable of that name is on PATH.
std::optional<std::filesystem::path> find_in_path(const std::filesystem::path& program);

}  // namespace runtime
