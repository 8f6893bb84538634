#pragma once
// The files a gantry-shim shares with the ContainerManager, in the container's directory:
//   shim.json    written by the manager before the shim starts: what to run (ShimConfig)
//   status.json  written by the shim, atomically (tmp + rename), at each state change
//   log, log.N   appended by the shim: one record per line of output (log_segments.h)
// Both sides compile this file; it depends on nothing but Boost.JSON and the standard library.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace runtime {

struct ShimConfig {
  std::string id;                  // the runc container id
  std::string runc;                // path of runc
  std::string runc_root;           // runc --root
  std::string cgroup;              // "/gantry/<id>", for the OOM counters
  std::string lower_base;          // lower layers are relative to it ("" when absolute)
  std::vector<std::string> lower;  // overlay lowerdirs, TOP FIRST as overlayfs wants them
  std::uint64_t log_segment_bytes = 8 << 20;  // captured output: see log_segments.h
  std::uint64_t log_max_segments = 4;
  bool log_blocking = false;  // at the cap, wait for the reader instead of dropping
};

struct ShimStatus {
  enum class State { Starting, Running, Exited, Failed };
  State state = State::Starting;
  int shim_pid = 0;
  int pid = 0;  // the container's init, in the host's pid namespace
  std::int64_t started_at_ms = 0;
  std::int64_t finished_at_ms = 0;
  std::optional<int> exit_code;  // 128+signal when killed by a signal, as Docker reports it
  bool oom_killed = false;
  std::string error;  // Failed: why runc could not start the container
};

bool write_shim_config(const std::filesystem::path& file, const ShimConfig& config);
std::optional<ShimConfig> read_shim_config(const std::filesystem::path& file);

// Atomic: writes <file>.tmp and renames it over `file`.
bool write_shim_status(const std::filesystem::path& file, const ShimStatus& status);
std::optional<ShimStatus> read_shim_status(const std::filesystem::path& file);

}  // namespace runtime
