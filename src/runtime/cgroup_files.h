#pragma once
// Reading and writing cgroupfs files, shared by CgroupV1 and CgroupV2. A missing file or a value
// that does not parse is nullopt: callers report what they could read.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runtime/cgroup.h"
#include "runtime/result.h"

namespace runtime {

// A single unsigned number ("123\n"). Negative or malformed: nullopt.
std::optional<std::uint64_t> read_cgroup_number(const std::filesystem::path& file);
// A limit: a number, or "max" (v2; outer value set, inner nullopt). v1 spells "unlimited" as a
// number near 2^63 rounded to a page, and v1 pids.max is "max" too: both read as unlimited.
std::optional<std::optional<std::uint64_t>> read_cgroup_limit(const std::filesystem::path& file);
// "key value" lines (memory.stat, cpu.stat, memory.events); lines that do not parse are skipped.
std::map<std::string, std::uint64_t> read_cgroup_keyed(const std::filesystem::path& file);
// `key` of a read_cgroup_keyed() map; 0 when absent.
std::uint64_t keyed_value(const std::map<std::string, std::uint64_t>& keyed,
                          const std::string& key);
// Where each version keeps the memory figures, and memory.stat's names for the typed fields.
struct MemoryFiles {
  std::string usage, max_usage, limit, events;  // events: the file with "oom_kill N"
  std::string anon, file, inactive_file, active_file, mapped_file;  // memory.stat keys
  std::string prefix;  // looked up first: v1's hierarchical "total_" keys, as Docker reads them
};
// The memory stats of the cgroup directory `dir`; nullopt without a readable usage file.
std::optional<CgroupMemoryStats> read_memory_stats(const std::filesystem::path& dir,
                                                   const MemoryFiles& files);
// Space-separated words (cgroup.controllers); empty when missing.
std::vector<std::string> read_cgroup_list(const std::filesystem::path& file);

// Writes `value` to an existing cgroupfs file in one write(2), as the kernel wants it.
Result<void> write_cgroup_file(const std::filesystem::path& file, const std::string& value);
// One value for a cgroupfs file. A write that only restores the default (no limit) is skipped
// when the kernel lacks the file (cpu.cfs_quota_us without CFS bandwidth control, memory.swap.max
// without swap accounting); a limit asked for is an error there.
struct CgroupWrite {
  std::filesystem::path file;
  std::string value;
  bool required = true;
};
// Writes each in order; stops at the first error.
Result<void> write_cgroup_files(const std::vector<CgroupWrite>& writes);
// mkdir -p that tolerates a parent removed concurrently (it retries).
Result<void> make_cgroup_dirs(const std::filesystem::path& dir);
// rmdir `dir` if it exists. A cgroup whose killed processes are still exiting is busy for a
// moment: EBUSY is retried for up to `busy_wait`. A plain directory standing in for a cgroup (a
// test's fake tree) is emptied of its files first.
Result<void> remove_cgroup_dir(const std::filesystem::path& dir,
                               std::chrono::milliseconds busy_wait = std::chrono::milliseconds(0));

}  // namespace runtime
