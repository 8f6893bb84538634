#include "runtime/cgroup_v2.h"

#include <algorithm>

#include "runtime/cgroup_files.h"

namespace runtime {

namespace fs = std::filesystem;

namespace {

constexpr std::chrono::milliseconds kBusyWait{1000};

std::vector<std::string> names_of(const CgroupControllers& c) {
  std::vector<std::string> out;
  if (c.cpu) {
    out.push_back("cpu");
  }
  if (c.memory) {
    out.push_back("memory");
  }
  if (c.pids) {
    out.push_back("pids");
  }
  return out;
}

std::string limit_or_max(std::int64_t value) { return value > 0 ? std::to_string(value) : "max"; }

}  // namespace

std::uint64_t cpu_weight_of_shares(std::uint64_t shares) {
  shares = std::clamp<std::uint64_t>(shares, 2, 262144);
  return 1 + ((shares - 2) * 9999) / 262142;
}

CgroupV2::CgroupV2(fs::path root, CgroupControllers served, bool pure)
    : root_(std::move(root)), served_(served), pure_(pure) {}

CgroupControllers CgroupV2::available(const fs::path& root) {
  CgroupControllers out;
  for (const std::string& c : read_cgroup_list(root / "cgroup.controllers")) {
    out.cpu = out.cpu || c == "cpu";
    out.memory = out.memory || c == "memory";
    out.pids = out.pids || c == "pids";
  }
  return out;
}

fs::path CgroupV2::dir(const std::string& path) const {
  return root_ / fs::path(path).relative_path();
}

std::vector<fs::path> CgroupV2::dirs(const std::string& path) const {
  std::error_code ec;
  if (fs::is_directory(dir(path), ec)) {
    return {dir(path)};
  }
  return {};
}

Result<void> CgroupV2::enable_controllers(const fs::path& cgroup) const {
  std::vector<std::string> enabled = read_cgroup_list(cgroup / "cgroup.subtree_control");
  std::string missing;
  for (const std::string& name : names_of(served_)) {
    bool on = std::any_of(enabled.begin(), enabled.end(),
                          [&](const std::string& e) { return e == name || e == "+" + name; });
    if (!on) {
      missing += (missing.empty() ? "+" : " +") + name;
    }
  }
  if (missing.empty()) {
    return {};
  }
  return write_cgroup_file(cgroup / "cgroup.subtree_control", missing);
}

Result<void> CgroupV2::create(const std::string& path) {
  fs::path cgroup = root_;
  for (const fs::path& part : fs::path(path).relative_path()) {
    // "No internal processes": only ancestors get controllers for their children.
    if (Result<void> r = enable_controllers(cgroup); !r) {
      return r;
    }
    cgroup /= part;
    if (Result<void> r = make_cgroup_dirs(cgroup); !r) {
      return r;
    }
  }
  return {};
}

Result<void> CgroupV2::apply(const std::string& path, const CgroupLimits& limits) {
  fs::path d = dir(path);
  std::vector<CgroupWrite> writes;
  if (served_.cpu) {
    writes.push_back(
        {d / "cpu.max",
         limit_or_max(limits.cpu_quota_us) + " " + std::to_string(limits.cpu_period_us),
         limits.cpu_quota_us > 0});
    if (limits.cpu_shares > 0) {
      writes.push_back({d / "cpu.weight", std::to_string(cpu_weight_of_shares(limits.cpu_shares))});
    }
  }
  if (served_.memory) {
    bool limited = limits.memory_limit_bytes > 0;
    writes.push_back({d / "memory.max", limit_or_max(limits.memory_limit_bytes), limited});
    // No swap, as on Fargate: over the limit means OOM.
    if (limited) {
      writes.push_back({d / "memory.swap.max", "0", false});
    }
    writes.push_back({d / "memory.low",
                      std::to_string(std::max<std::int64_t>(0, limits.memory_reservation_bytes)),
                      limits.memory_reservation_bytes > 0});
  }
  if (served_.pids) {
    writes.push_back({d / "pids.max", limit_or_max(limits.pids_limit), limits.pids_limit > 0});
  }
  return write_cgroup_files(writes);
}

std::optional<CgroupCpuStats> CgroupV2::cpu_stats(const fs::path& d) const {
  // cpu.stat's usage lines exist without the cpu controller; throttling needs it.
  std::map<std::string, std::uint64_t> stat = read_cgroup_keyed(d / "cpu.stat");
  if (!served_.cpu || !stat.contains("usage_usec")) {
    return std::nullopt;
  }
  CgroupCpuStats out;
  out.usage_ns = stat["usage_usec"] * 1000;
  out.user_ns = stat["user_usec"] * 1000;
  out.system_ns = stat["system_usec"] * 1000;
  out.periods = stat["nr_periods"];
  out.throttled_periods = stat["nr_throttled"];
  out.throttled_ns = stat["throttled_usec"] * 1000;
  return out;
}

std::optional<CgroupMemoryStats> CgroupV2::memory_stats(const fs::path& d) const {
  if (!served_.memory) {
    return std::nullopt;
  }
  return read_memory_stats(d, {.usage = "memory.current",
                               .max_usage = "memory.peak",  // since Linux 5.19
                               .limit = "memory.max",
                               .events = "memory.events",
                               .anon = "anon",
                               .file = "file",
                               .inactive_file = "inactive_file",
                               .active_file = "active_file",
                               .mapped_file = "file_mapped"});
}

CgroupStats CgroupV2::stats(const std::string& path) const {
  fs::path d = dir(path);
  CgroupStats out;
  out.version = CgroupVersion::V2;
  out.cpu = cpu_stats(d);
  out.memory = memory_stats(d);
  if (std::optional<std::uint64_t> current = read_cgroup_number(d / "pids.current");
      served_.pids && current) {
    out.pids = CgroupPidsStats{*current, read_cgroup_limit(d / "pids.max").value_or(std::nullopt)};
  }
  return out;
}

Result<void> CgroupV2::remove(const std::string& path) {
  return remove_cgroup_dir(dir(path), kBusyWait);
}

}  // namespace runtime
