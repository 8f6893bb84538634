#include "runtime/cgroup_v1.h"

#include <unistd.h>

#include <algorithm>

#include "runtime/cgroup_files.h"

namespace runtime {

namespace fs = std::filesystem;

namespace {

constexpr std::chrono::milliseconds kBusyWait{1000};

fs::path under(const fs::path& hierarchy, const std::string& path) {
  return hierarchy / fs::path(path).relative_path();
}

std::string limit_or_unlimited(std::int64_t value) {
  return value > 0 ? std::to_string(value) : "-1";
}

}  // namespace

CgroupV1::CgroupV1(fs::path root, CgroupControllers served)
    : root_(std::move(root)), served_(served) {}

CgroupControllers CgroupV1::available(const fs::path& root) {
  CgroupV1 probe(root, {});
  return {.cpu = probe.hierarchy("cpu") || probe.hierarchy("cpuacct"),
          .memory = probe.hierarchy("memory").has_value(),
          .pids = probe.hierarchy("pids").has_value()};
}

std::optional<fs::path> CgroupV1::hierarchy(const std::string& controller) const {
  std::vector<std::string> names{controller};
  if (controller == "cpu" || controller == "cpuacct") {
    names.insert(names.end(), {"cpu,cpuacct", "cpuacct,cpu"});
  }
  for (const std::string& name : names) {
    std::error_code ec;
    if (fs::is_directory(root_ / name, ec)) {
      return root_ / name;
    }
  }
  return std::nullopt;
}

std::vector<fs::path> CgroupV1::served_hierarchies() const {
  std::vector<std::string> names;
  if (served_.cpu) {
    names.insert(names.end(), {"cpu", "cpuacct"});
  }
  if (served_.memory) {
    names.push_back("memory");
  }
  if (served_.pids) {
    names.push_back("pids");
  }
  std::vector<fs::path> out;
  for (const std::string& name : names) {
    std::optional<fs::path> h = hierarchy(name);
    if (h && std::find(out.begin(), out.end(), *h) == out.end()) {
      out.push_back(*h);
    }
  }
  return out;
}

std::vector<fs::path> CgroupV1::dirs(const std::string& path) const {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const fs::directory_entry& h : fs::directory_iterator(root_, ec)) {
    // Co-mounted hierarchies appear twice (cpu -> cpu,cpuacct): list each directory once.
    if (h.is_symlink(ec)) {
      continue;
    }
    fs::path dir = under(h.path(), path);
    if (fs::is_directory(dir, ec)) {
      out.push_back(dir);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<void> CgroupV1::create(const std::string& path) {
  for (const fs::path& h : served_hierarchies()) {
    if (Result<void> r = make_cgroup_dirs(under(h, path)); !r) {
      return r;
    }
  }
  return {};
}

Result<void> CgroupV1::apply(const std::string& path, const CgroupLimits& limits) {
  std::vector<CgroupWrite> writes;
  if (std::optional<fs::path> cpu = hierarchy("cpu"); served_.cpu && cpu) {
    fs::path dir = under(*cpu, path);
    if (limits.cpu_shares > 0) {
      writes.push_back({dir / "cpu.shares", std::to_string(limits.cpu_shares)});
    }
    bool quota = limits.cpu_quota_us > 0;
    if (quota) {
      writes.push_back({dir / "cpu.cfs_period_us", std::to_string(limits.cpu_period_us)});
    }
    writes.push_back({dir / "cpu.cfs_quota_us", limit_or_unlimited(limits.cpu_quota_us), quota});
  }
  if (std::optional<fs::path> memory = hierarchy("memory"); served_.memory && memory) {
    fs::path dir = under(*memory, path);
    writes.push_back({dir / "memory.limit_in_bytes", limit_or_unlimited(limits.memory_limit_bytes),
                      limits.memory_limit_bytes > 0});
    writes.push_back({dir / "memory.soft_limit_in_bytes",
                      limit_or_unlimited(limits.memory_reservation_bytes),
                      limits.memory_reservation_bytes > 0});
  }
  if (std::optional<fs::path> pids = hierarchy("pids"); served_.pids && pids) {
    writes.push_back({under(*pids, path) / "pids.max",
                      limits.pids_limit > 0 ? std::to_string(limits.pids_limit) : "max",
                      limits.pids_limit > 0});
  }
  return write_cgroup_files(writes);
}

std::optional<CgroupCpuStats> CgroupV1::cpu_stats(const std::string& path) const {
  std::optional<fs::path> cpuacct = hierarchy("cpuacct");
  if (!served_.cpu || !cpuacct) {
    return std::nullopt;
  }
  fs::path dir = under(*cpuacct, path);
  std::optional<std::uint64_t> usage = read_cgroup_number(dir / "cpuacct.usage");
  if (!usage) {
    return std::nullopt;
  }
  CgroupCpuStats out;
  out.usage_ns = *usage;
  // cpuacct.stat counts USER_HZ ticks.
  std::map<std::string, std::uint64_t> ticks = read_cgroup_keyed(dir / "cpuacct.stat");
  std::uint64_t tick_ns =
      1000000000 / static_cast<std::uint64_t>(std::max(1L, sysconf(_SC_CLK_TCK)));
  out.user_ns = ticks["user"] * tick_ns;
  out.system_ns = ticks["system"] * tick_ns;
  if (std::optional<fs::path> cpu = hierarchy("cpu")) {
    std::map<std::string, std::uint64_t> stat = read_cgroup_keyed(under(*cpu, path) / "cpu.stat");
    out.periods = stat["nr_periods"];
    out.throttled_periods = stat["nr_throttled"];
    out.throttled_ns = stat["throttled_time"];
  }
  return out;
}

std::optional<CgroupMemoryStats> CgroupV1::memory_stats(const std::string& path) const {
  std::optional<fs::path> memory = hierarchy("memory");
  if (!served_.memory || !memory) {
    return std::nullopt;
  }
  return read_memory_stats(under(*memory, path), {.usage = "memory.usage_in_bytes",
                                                  .max_usage = "memory.max_usage_in_bytes",
                                                  .limit = "memory.limit_in_bytes",
                                                  .events = "memory.oom_control",
                                                  .anon = "rss",
                                                  .file = "cache",
                                                  .inactive_file = "inactive_file",
                                                  .active_file = "active_file",
                                                  .mapped_file = "mapped_file",
                                                  .prefix = "total_"});
}

CgroupStats CgroupV1::stats(const std::string& path) const {
  CgroupStats out;
  out.version = CgroupVersion::V1;
  out.cpu = cpu_stats(path);
  out.memory = memory_stats(path);
  if (std::optional<fs::path> pids = hierarchy("pids"); served_.pids && pids) {
    fs::path dir = under(*pids, path);
    if (std::optional<std::uint64_t> current = read_cgroup_number(dir / "pids.current")) {
      out.pids =
          CgroupPidsStats{*current, read_cgroup_limit(dir / "pids.max").value_or(std::nullopt)};
    }
  }
  return out;
}

Result<void> CgroupV1::remove(const std::string& path) {
  Result<void> out;
  for (const fs::path& dir : dirs(path)) {
    if (Result<void> r = remove_cgroup_dir(dir, kBusyWait); !r && out) {
      out = r;
    }
  }
  return out;
}

}  // namespace runtime
