// Real containers' cgroups read through runtime::Cgroups on this host's cgroupfs (root only;
// skipped otherwise). Each test uses its own data directory and cgroup parent, and checks that
// both are gone afterwards.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <thread>

#include "core/clock.h"
#include "core/ids.h"
#include "runtime/cgroup_v2.h"
#include "runtime/container_manager.h"
#include "runtime/privileged_test_support.h"
#include "runtime/process.h"

namespace runtime {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class CgroupPrivilegedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string missing = test_support::missing_for_containers(); !missing.empty()) {
      GTEST_SKIP() << missing;
    }
    data_ = fs::temp_directory_path() / ("gantry-cg-" + core::ids::random_hex(8));
    fs::path layer = data_ / "runtime" / "layers" / std::string(64, 'c');
    test_support::make_busybox_layer(layer, {"sh", "sleep", "dd"});
    layer_ = layer;
    ContainerManagerOptions options;
    options.data_dir = data_;
    options.shim = GANTRY_SHIM_PATH;
    options.init = GANTRY_INIT_PATH;
    options.cgroup_parent = "gantry-test-" + core::ids::random_hex(6);
    parent_ = "/" + options.cgroup_parent;
    manager_ = std::make_unique<ContainerManager>(options, clock_);
    manager_->start();
  }

  void TearDown() override {
    if (!manager_) {
      return;
    }
    for (const ContainerStatus& s : manager_->list_all()) {
      (void)manager_->remove(s.id);
    }
    manager_.reset();  // stop() removes the emptied parent
    EXPECT_TRUE(detect_cgroups()->dirs(parent_).empty()) << "orphan cgroup parent " << parent_;
    fs::remove_all(data_);
  }

  ContainerSpec spec(std::vector<std::string> args) {
    ContainerSpec s;
    s.group = "task-1";
    s.name = "app";
    s.layers = {layer_};
    s.args = std::move(args);
    s.env = {"PATH=/bin"};
    s.hostname = "test";
    return s;
  }

  // Reads stats until `done` holds or 10 s pass; returns the last read.
  CgroupStats stats_until(const std::string& id,
                          const std::function<bool(const CgroupStats&)>& done) {
    auto deadline = std::chrono::steady_clock::now() + 10s;
    CgroupStats s = manager_->stats(id).value_or(CgroupStats{});
    while (!done(s) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
      s = manager_->stats(id).value_or(CgroupStats{});
    }
    return s;
  }

  core::SystemClock clock_;
  fs::path data_;
  fs::path layer_;
  std::string parent_;
  std::unique_ptr<ContainerManager> manager_;
};

TEST_F(CgroupPrivilegedTest, StatsOfARunningContainerShowItsUsageAndTheLimitsAsked) {
  ContainerSpec s = spec({"sh", "-c", "dd if=/dev/zero of=/dev/null bs=1M count=200; sleep 60"});
  s.memory_limit_bytes = 48 << 20;
  s.pids_limit = 64;
  s.cpu_quota_us = 50000;
  Result<std::string> id = manager_->run(s);
  ASSERT_TRUE(id) << id.error().message;
  CgroupStats st = stats_until(*id, [](const CgroupStats& c) {
    return c.memory && c.memory->usage > 0 && c.cpu && c.cpu->usage_ns > 0;
  });
  EXPECT_EQ(st.version, manager_->cgroups().version());
  ASSERT_TRUE(st.memory);
  EXPECT_GT(st.memory->usage, 0u);
  EXPECT_GE(st.memory->max_usage, st.version == CgroupVersion::V1 ? st.memory->usage : 0u);
  EXPECT_EQ(st.memory->limit, std::uint64_t{48} << 20);
  EXPECT_FALSE(st.memory->raw.empty());
  ASSERT_TRUE(st.cpu);
  EXPECT_GT(st.cpu->usage_ns, 0u);
  ASSERT_TRUE(st.pids);
  EXPECT_GE(st.pids->current, 1u);
  EXPECT_EQ(st.pids->limit, 64u);

  std::string cg = manager_->cgroup_of(*id);
  EXPECT_FALSE(manager_->cgroups().dirs(cg).empty());
  ASSERT_TRUE(manager_->remove(*id));
  EXPECT_TRUE(manager_->cgroups().dirs(cg).empty());
  EXPECT_FALSE(manager_->stats(*id));
}

TEST_F(CgroupPrivilegedTest, AContainerWithoutLimitsReadsAsUnlimited) {
  Result<std::string> id = manager_->run(spec({"sleep", "60"}));
  ASSERT_TRUE(id) << id.error().message;
  CgroupStats st =
      stats_until(*id, [](const CgroupStats& c) { return c.pids && c.pids->current > 0; });
  ASSERT_TRUE(st.memory);
  EXPECT_EQ(st.memory->limit, std::nullopt);
  ASSERT_TRUE(st.pids);
  EXPECT_EQ(st.pids->limit, std::nullopt);
}

TEST_F(CgroupPrivilegedTest, TheOomKillIsCountedInTheStats) {
  ContainerSpec s = spec({"sh", "-c", "dd if=/dev/zero of=/dev/null bs=64M count=1; sleep 60"});
  s.memory_limit_bytes = 16 << 20;
  Result<std::string> id = manager_->run(s);
  ASSERT_TRUE(id) << id.error().message;
  CgroupStats st =
      stats_until(*id, [](const CgroupStats& c) { return c.memory && c.memory->oom_kills > 0; });
  ASSERT_TRUE(st.memory);
  EXPECT_GE(st.memory->oom_kills, 1u);
}

// HybridCgroups applies the limits of controllers that live in cgroup v2 to unified/<path>: that
// only works because runc's v1 manager also places the container there.
TEST_F(CgroupPrivilegedTest, OnAHybridHostRuncAlsoPlacesTheContainerInTheUnifiedTree) {
  fs::path unified = "/sys/fs/cgroup/unified";
  if (!fs::exists(unified / "cgroup.controllers")) {
    GTEST_SKIP() << "not a hybrid host";
  }
  Result<std::string> id = manager_->run(spec({"sleep", "60"}));
  ASSERT_TRUE(id) << id.error().message;
  int pid = manager_->status(*id)->pid;
  ASSERT_GT(pid, 0);
  std::ifstream procs(unified / fs::path(manager_->cgroup_of(*id)).relative_path() /
                      "cgroup.procs");
  std::vector<int> pids;
  for (int p = 0; procs >> p;) {
    pids.push_back(p);
  }
  EXPECT_NE(std::find(pids.begin(), pids.end(), pid), pids.end());
}

// The real cgroup2 kernel behind CgroupV2 (this host's unified mount, or the pure one): mkdir and
// rmdir of a nested cgroup, and cpu.stat in the kernel's own format (it exists without the cpu
// controller).
TEST(CgroupV2PrivilegedTest, CreatesReadsAndRemovesANestedCgroupOnTheRealCgroup2) {
  fs::path root =
      fs::exists("/sys/fs/cgroup/cgroup.controllers") ? "/sys/fs/cgroup" : "/sys/fs/cgroup/unified";
  if (::geteuid() != 0 || !fs::exists(root / "cgroup.controllers")) {
    GTEST_SKIP() << "needs root and a cgroup2 mount";
  }
  std::string parent = "/gantry-test-" + core::ids::random_hex(6);
  CgroupV2 cgroups(root, CgroupV2::available(root), false);
  ASSERT_TRUE(cgroups.create(parent + "/c1"));
  EXPECT_EQ(cgroups.dirs(parent + "/c1").size(), 1u);
  CgroupV2 cpu_reader(root, {.cpu = true}, false);
  std::optional<CgroupCpuStats> cpu = cpu_reader.stats(parent + "/c1").cpu;
  ASSERT_TRUE(cpu);
  EXPECT_EQ(cpu->usage_ns, 0u);          // nothing ever ran in it
  EXPECT_FALSE(cgroups.remove(parent));  // EBUSY: it has a child
  ASSERT_TRUE(cgroups.remove(parent + "/c1"));
  ASSERT_TRUE(cgroups.remove(parent));
  EXPECT_FALSE(fs::exists(root / parent.substr(1)));
}

}  // namespace
}  // namespace runtime
