#pragma once
// cgroup v2: one tree under `root` (a cgroup2 mount). A controller reaches a cgroup only when
// every ancestor lists it in cgroup.subtree_control, so create() enables the served controllers
// from `root` down to the new cgroup's parent, as runc's fs2 manager does.

#include "runtime/cgroup.h"

namespace runtime {

class CgroupV2 final : public Cgroups {
 public:
  // `pure`: `root` is the host's only cgroup mount (/sys/fs/cgroup), so runc manages it too;
  // otherwise it is a hybrid host's unified/ mount, which runc's v1 manager does not configure.
  CgroupV2(std::filesystem::path root, CgroupControllers served, bool pure);

  // The controllers `root`'s cgroup.controllers offers (none when missing).
  static CgroupControllers available(const std::filesystem::path& root);

  CgroupVersion version() const override { return pure_ ? CgroupVersion::V2 : CgroupVersion::V1; }
  CgroupControllers controllers() const override { return served_; }
  CgroupControllers runc_controllers() const override {
    return pure_ ? served_ : CgroupControllers{};
  }
  std::vector<std::filesystem::path> dirs(const std::string& path) const override;
  Result<void> create(const std::string& path) override;
  Result<void> apply(const std::string& path, const CgroupLimits& limits) override;
  CgroupStats stats(const std::string& path) const override;
  Result<void> remove(const std::string& path) override;

 private:
  std::filesystem::path dir(const std::string& path) const;
  // Writes "+cpu +memory +pids" (the served ones not yet enabled) to `cgroup`'s subtree_control.
  Result<void> enable_controllers(const std::filesystem::path& cgroup) const;
  std::optional<CgroupCpuStats> cpu_stats(const std::filesystem::path& dir) const;
  std::optional<CgroupMemoryStats> memory_stats(const std::filesystem::path& dir) const;

  std::filesystem::path root_;
  CgroupControllers served_;
  bool pure_;
};

// runc's mapping of cgroup v1 cpu.shares [2, 262144] onto v2 cpu.weight [1, 10000].
std::uint64_t cpu_weight_of_shares(std::uint64_t shares);

}  // namespace runtime
