#pragma once
// cgroup v1: one hierarchy per controller under `root` (memory/, pids/, cpu/ and cpuacct/ or the
// co-mounted cpu,cpuacct/). Serves the controllers it is given; removal covers every hierarchy
// under `root`, including the ones Gantry does not manage and a hybrid host's unified/.

#include <mutex>

#include "runtime/cgroup.h"

namespace runtime {

class CgroupV1 final : public Cgroups {
 public:
  CgroupV1(std::filesystem::path root, CgroupControllers served);

  // The controllers that have a hierarchy under `root`.
  static CgroupControllers available(const std::filesystem::path& root);

  CgroupVersion version() const override { return CgroupVersion::V1; }
  CgroupControllers controllers() const override { return served_; }
  CgroupControllers runc_controllers() const override { return served_; }
  std::vector<std::filesystem::path> dirs(const std::string& path) const override;
  Result<void> create(const std::string& path) override;
  Result<void> apply(const std::string& path, const CgroupLimits& limits) override;
  CgroupStats stats(const std::string& path) const override;
  Result<void> remove(const std::string& path) override;

 private:
  // The hierarchy of a v1 controller ("cpu", "cpuacct", "memory", "pids"), if mounted.
  std::optional<std::filesystem::path> hierarchy(const std::string& controller) const;
  // The hierarchies create() makes `path` in: those of the served controllers.
  std::vector<std::filesystem::path> served_hierarchies() const;
  std::optional<CgroupCpuStats> cpu_stats(const std::string& path) const;
  std::optional<CgroupMemoryStats> memory_stats(const std::string& path) const;

  std::filesystem::path root_;
  CgroupControllers served_;
};

}  // namespace runtime
