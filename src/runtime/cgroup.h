#pragma once
// Containers' cgroups through one interface, whatever the host mounts at /sys/fs/cgroup:
//   v1 (legacy/hybrid)  one hierarchy per controller: <root>/memory/<path>, <root>/cpu/<path>, ...
//   v2 (unified)        one tree: <root>/<path> with cgroup.controllers / cgroup.subtree_control
// detect_cgroups() picks from what the host offers. A hybrid host (v1 controllers plus a cgroup2
// mount at <root>/unified) is served by CgroupV1, except for controllers the unified mount lists
// in its cgroup.controllers: those (a controller is there only when no v1 hierarchy holds it) are
// served by CgroupV2 on the unified mount, and runc, whose manager on such a host is v1, must not
// be asked to set them (runc_controllers()).
//
// A cgroup `path` is absolute within each hierarchy ("/gantry/<id>"), as the OCI cgroupsPath of
// runc's cgroupfs driver. Every number read back comes in one typed CgroupStats, whichever version
// held it, so that callers (the task metadata endpoint, metrics) never look at version-specific
// files. Implementations are thread-safe.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/result.h"

namespace runtime {

enum class CgroupVersion { V1, V2 };

// The controllers Gantry limits and reads (v1's cpu and cpuacct count as one).
struct CgroupControllers {
  bool cpu = false;
  bool memory = false;
  bool pids = false;
  bool any() const { return cpu || memory || pids; }
  bool operator==(const CgroupControllers&) const = default;
};

// Limits of one container; 0 means "no limit" (the kernel's default) for each.
struct CgroupLimits {
  std::int64_t cpu_quota_us = 0;  // per cpu_period_us: v1 cpu.cfs_quota_us, v2 cpu.max
  std::int64_t cpu_period_us = 100000;
  std::uint64_t cpu_shares = 0;               // v1 cpu.shares, v2 cpu.weight (runc's mapping)
  std::int64_t memory_limit_bytes = 0;        // v1 memory.limit_in_bytes, v2 memory.max (no swap)
  std::int64_t memory_reservation_bytes = 0;  // v1 memory.soft_limit_in_bytes, v2 memory.low
  std::int64_t pids_limit = 0;                // pids.max
};

struct CgroupCpuStats {
  std::uint64_t usage_ns = 0;           // v1 cpuacct.usage, v2 cpu.stat usage_usec * 1000
  std::uint64_t user_ns = 0;            // v1 cpuacct.stat user (USER_HZ ticks), v2 user_usec
  std::uint64_t system_ns = 0;          // v1 cpuacct.stat system, v2 system_usec
  std::uint64_t periods = 0;            // cpu.stat nr_periods (both)
  std::uint64_t throttled_periods = 0;  // nr_throttled
  std::uint64_t throttled_ns = 0;       // v1 throttled_time, v2 throttled_usec * 1000
};

struct CgroupMemoryStats {
  std::uint64_t usage = 0;      // v1 memory.usage_in_bytes, v2 memory.current
  std::uint64_t max_usage = 0;  // v1 memory.max_usage_in_bytes, v2 memory.peak (0 before 5.19)
  std::optional<std::uint64_t> limit;  // nullopt: unlimited ("max", or v1's page-rounded max)
  // memory.stat, normalised: v1 total_rss/total_cache/..., v2 anon/file/...
  std::uint64_t anon = 0;
  std::uint64_t file = 0;
  std::uint64_t inactive_file = 0;  // what Docker subtracts from usage ("used memory")
  std::uint64_t active_file = 0;
  std::uint64_t mapped_file = 0;  // v2 file_mapped
  std::uint64_t pgfault = 0;
  std::uint64_t pgmajfault = 0;
  std::uint64_t oom_kills = 0;  // v1 memory.oom_control oom_kill, v2 memory.events oom_kill
  // memory.stat as the kernel wrote it (Docker's memory_stats.stats passes it through).
  std::map<std::string, std::uint64_t> raw;
};

struct CgroupPidsStats {
  std::uint64_t current = 0;
  std::optional<std::uint64_t> limit;  // nullopt: "max"
};

// What one read found; a controller the host does not offer (or whose files are missing) is
// nullopt. `version` is the version of the hierarchy that held the memory controller.
struct CgroupStats {
  CgroupVersion version = CgroupVersion::V1;
  std::optional<CgroupCpuStats> cpu;
  std::optional<CgroupMemoryStats> memory;
  std::optional<CgroupPidsStats> pids;
};

class Cgroups {
 public:
  virtual ~Cgroups() = default;

  // The version runc sees (v2 only on a pure cgroup2 host) and the controllers served here.
  virtual CgroupVersion version() const = 0;
  virtual CgroupControllers controllers() const = 0;
  // The controllers runc's own cgroup manager sets from config.json on this host.
  virtual CgroupControllers runc_controllers() const = 0;

  // Every directory `path` has on this host (the existing ones), for cleanup checks.
  virtual std::vector<std::filesystem::path> dirs(const std::string& path) const = 0;
  // Creates `path` (and its parents) in each hierarchy serving a controller; on v2 enables the
  // controllers in every ancestor's cgroup.subtree_control. Idempotent.
  virtual Result<void> create(const std::string& path) = 0;
  // Writes `limits` to `path` (which exists); a limit of 0 writes the unlimited value.
  virtual Result<void> apply(const std::string& path, const CgroupLimits& limits) = 0;
  virtual CgroupStats stats(const std::string& path) const = 0;
  // Removes `path` from every hierarchy, v1's unmanaged ones (blkio, freezer, name=systemd,
  // unified...) too. Missing is fine; a cgroup still holding processes is EBUSY.
  virtual Result<void> remove(const std::string& path) = 0;
};

// The implementation for the host whose cgroup filesystems are mounted under `root`.
std::unique_ptr<Cgroups> detect_cgroups(const std::filesystem::path& root = "/sys/fs/cgroup");

}  // namespace runtime
