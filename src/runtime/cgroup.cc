#include "runtime/cgroup.h"

#include <algorithm>

#include "runtime/cgroup_files.h"
#include "runtime/cgroup_v1.h"
#include "runtime/cgroup_v2.h"

namespace runtime {

namespace fs = std::filesystem;

namespace {

// A hybrid host whose unified mount offers some of the controllers (those no v1 hierarchy
// holds): each controller is served by the version that has it. runc (whose manager is v1 here)
// still places the container in unified/<path>, where CgroupV2 applies the limits runc cannot.
class HybridCgroups final : public Cgroups {
 public:
  HybridCgroups(CgroupV1 v1, CgroupV2 v2) : v1_(std::move(v1)), v2_(std::move(v2)) {}

  CgroupVersion version() const override { return CgroupVersion::V1; }
  CgroupControllers controllers() const override {
    CgroupControllers a = v1_.controllers();
    CgroupControllers b = v2_.controllers();
    return {a.cpu || b.cpu, a.memory || b.memory, a.pids || b.pids};
  }
  CgroupControllers runc_controllers() const override { return v1_.runc_controllers(); }

  std::vector<fs::path> dirs(const std::string& path) const override {
    std::vector<fs::path> out = v1_.dirs(path);  // unified/ is one of root's directories
    for (const fs::path& d : v2_.dirs(path)) {
      if (std::find(out.begin(), out.end(), d) == out.end()) {
        out.push_back(d);
      }
    }
    return out;
  }
  Result<void> create(const std::string& path) override {
    Result<void> r = v1_.create(path);
    return r ? v2_.create(path) : r;
  }
  Result<void> apply(const std::string& path, const CgroupLimits& limits) override {
    Result<void> r = v1_.apply(path, limits);
    return r ? v2_.apply(path, limits) : r;
  }
  CgroupStats stats(const std::string& path) const override {
    CgroupStats out = v1_.stats(path);
    CgroupStats v2 = v2_.stats(path);
    if (!out.cpu) {
      out.cpu = v2.cpu;
    }
    if (!out.memory && v2.memory) {
      out.memory = v2.memory;
      out.version = CgroupVersion::V2;
    }
    if (!out.pids) {
      out.pids = v2.pids;
    }
    return out;
  }
  Result<void> remove(const std::string& path) override {
    Result<void> r = v1_.remove(path);
    Result<void> r2 = v2_.remove(path);
    return r ? r2 : r;
  }

 private:
  CgroupV1 v1_;
  CgroupV2 v2_;
};

}  // namespace

std::unique_ptr<Cgroups> detect_cgroups(const fs::path& root) {
  std::error_code ec;
  if (fs::exists(root / "cgroup.controllers", ec)) {
    return std::make_unique<CgroupV2>(root, CgroupV2::available(root), true);
  }
  CgroupControllers v1 = CgroupV1::available(root);
  fs::path unified = root / "unified";
  CgroupControllers v2 = CgroupV2::available(unified);
  // The kernel lists a controller in cgroup2's cgroup.controllers only when no v1 hierarchy
  // holds it; should both claim one anyway, v1 (where runc puts limits) wins.
  v2 = {v2.cpu && !v1.cpu, v2.memory && !v1.memory, v2.pids && !v1.pids};
  if (!v2.any()) {
    return std::make_unique<CgroupV1>(root, v1);
  }
  return std::make_unique<HybridCgroups>(CgroupV1(root, v1), CgroupV2(unified, v2, false));
}

}  // namespace runtime
