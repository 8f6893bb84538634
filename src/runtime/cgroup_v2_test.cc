#include "runtime/cgroup_v2.h"

#include <gtest/gtest.h>

#include "testing/fake_cgroupfs.h"

namespace runtime {
namespace {

constexpr CgroupControllers kAll{.cpu = true, .memory = true, .pids = true};

// A pure cgroup2 host (Debian 12's default): /sys/fs/cgroup is the unified tree.
class CgroupV2Test : public ::testing::Test {
 protected:
  void SetUp() override {
    fs_.put("cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
    fs_.put("cgroup.subtree_control", "");
  }
  void put_container() {
    fs_.put("gantry/c1/cpu.stat",
            "usage_usec 2500000\nuser_usec 1500000\nsystem_usec 500000\n"
            "nr_periods 40\nnr_throttled 7\nthrottled_usec 123456\n");
    fs_.put("gantry/c1/memory.current", "10485760\n");
    fs_.put("gantry/c1/memory.peak", "20971520\n");
    fs_.put("gantry/c1/memory.max", "268435456\n");
    fs_.put("gantry/c1/memory.stat",
            "anon 6291456\nfile 4194304\nkernel_stack 16384\nfile_mapped 1048576\n"
            "inactive_anon 0\nactive_anon 6291456\ninactive_file 3145728\n"
            "active_file 1048576\npgfault 900\npgmajfault 3\n");
    fs_.put("gantry/c1/memory.events", "low 0\nhigh 0\nmax 5\noom 2\noom_kill 2\n");
    fs_.put("gantry/c1/pids.current", "3\n");
    fs_.put("gantry/c1/pids.max", "100\n");
  }

  fakes::FakeCgroupfs fs_;
  CgroupV2 cgroups_{fs_.root(), kAll, true};
};

TEST_F(CgroupV2Test, OffersTheControllersListedInCgroupControllers) {
  EXPECT_EQ(CgroupV2::available(fs_.root()), kAll);
  fs_.put("cgroup.controllers", "hugetlb\n");  // a hybrid host's unified/ mount
  EXPECT_FALSE(CgroupV2::available(fs_.root()).any());
  EXPECT_FALSE(CgroupV2::available(fs_.root() / "absent").any());
}

TEST_F(CgroupV2Test, CreateEnablesTheControllersInEveryAncestorButTheLeaf) {
  ASSERT_TRUE(cgroups_.create("/gantry/c1"));
  EXPECT_TRUE(fs_.exists("gantry/c1"));
  EXPECT_EQ(fs_.read("cgroup.subtree_control"), "+cpu +memory +pids");
  EXPECT_EQ(fs_.read("gantry/cgroup.subtree_control"), "+cpu +memory +pids");
  EXPECT_FALSE(fs_.exists("gantry/c1/cgroup.subtree_control"));
}

TEST_F(CgroupV2Test, CreateWritesOnlyTheControllersNotYetEnabled) {
  fs_.put("cgroup.subtree_control", "cpuset cpu memory\n");
  ASSERT_TRUE(cgroups_.create("/gantry/c1"));
  EXPECT_EQ(fs_.read("cgroup.subtree_control"), "+pids");
  fs_.put("gantry/cgroup.subtree_control", "cpu memory pids\n");
  ASSERT_TRUE(cgroups_.create("/gantry/c2"));
  EXPECT_EQ(fs_.read("gantry/cgroup.subtree_control"), "cpu memory pids\n");  // untouched
}

TEST_F(CgroupV2Test, CreateFailsWhenAnAncestorCannotEnableControllers) {
  // A real cgroupfs refuses +memory when the parent lacks it; here the file is a directory.
  fs_.mkdir("gantry/cgroup.subtree_control");
  EXPECT_FALSE(cgroups_.create("/gantry/c1"));
}

TEST_F(CgroupV2Test, ApplyWritesCpuMaxMemoryMaxLowNoSwapAndPids) {
  ASSERT_TRUE(cgroups_.create("/gantry/c1"));
  fs_.put("gantry/c1/memory.swap.max", "max\n");
  ASSERT_TRUE(cgroups_.apply("/gantry/c1", {.cpu_quota_us = 50000,
                                            .cpu_period_us = 100000,
                                            .cpu_shares = 1024,
                                            .memory_limit_bytes = 256 << 20,
                                            .memory_reservation_bytes = 128 << 20,
                                            .pids_limit = 100}));
  EXPECT_EQ(fs_.read("gantry/c1/cpu.max"), "50000 100000");
  EXPECT_EQ(fs_.read("gantry/c1/cpu.weight"), "39");
  EXPECT_EQ(fs_.read("gantry/c1/memory.max"), "268435456");
  EXPECT_EQ(fs_.read("gantry/c1/memory.low"), "134217728");
  EXPECT_EQ(fs_.read("gantry/c1/memory.swap.max"), "0");
  EXPECT_EQ(fs_.read("gantry/c1/pids.max"), "100");

  ASSERT_TRUE(cgroups_.apply("/gantry/c1", {}));
  EXPECT_EQ(fs_.read("gantry/c1/cpu.max"), "max 100000");
  EXPECT_EQ(fs_.read("gantry/c1/memory.max"), "max");
  EXPECT_EQ(fs_.read("gantry/c1/memory.low"), "0");
  EXPECT_EQ(fs_.read("gantry/c1/pids.max"), "max");
}

TEST_F(CgroupV2Test, ApplyWithoutSwapAccountingSkipsSwapMax) {
  ASSERT_TRUE(cgroups_.create("/gantry/c1"));
  ASSERT_TRUE(cgroups_.apply("/gantry/c1", {.memory_limit_bytes = 1 << 20}));
  EXPECT_FALSE(fs_.exists("gantry/c1/memory.swap.max"));
}

TEST_F(CgroupV2Test, CpuSharesMapOntoWeightAsRuncDoes) {
  EXPECT_EQ(cpu_weight_of_shares(2), 1u);
  EXPECT_EQ(cpu_weight_of_shares(1024), 39u);
  EXPECT_EQ(cpu_weight_of_shares(262144), 10000u);
  EXPECT_EQ(cpu_weight_of_shares(1), 1u);
}

TEST_F(CgroupV2Test, StatsReadCpuStatMemoryCurrentPeakEventsAndPids) {
  put_container();
  CgroupStats s = cgroups_.stats("/gantry/c1");
  EXPECT_EQ(s.version, CgroupVersion::V2);
  ASSERT_TRUE(s.cpu);
  EXPECT_EQ(s.cpu->usage_ns, 2500000000u);
  EXPECT_EQ(s.cpu->user_ns, 1500000000u);
  EXPECT_EQ(s.cpu->system_ns, 500000000u);
  EXPECT_EQ(s.cpu->periods, 40u);
  EXPECT_EQ(s.cpu->throttled_periods, 7u);
  EXPECT_EQ(s.cpu->throttled_ns, 123456000u);
  ASSERT_TRUE(s.memory);
  EXPECT_EQ(s.memory->usage, 10485760u);
  EXPECT_EQ(s.memory->max_usage, 20971520u);
  EXPECT_EQ(s.memory->limit, 268435456u);
  EXPECT_EQ(s.memory->anon, 6291456u);
  EXPECT_EQ(s.memory->file, 4194304u);
  EXPECT_EQ(s.memory->inactive_file, 3145728u);
  EXPECT_EQ(s.memory->active_file, 1048576u);
  EXPECT_EQ(s.memory->mapped_file, 1048576u);
  EXPECT_EQ(s.memory->pgfault, 900u);
  EXPECT_EQ(s.memory->oom_kills, 2u);
  EXPECT_EQ(s.memory->raw.at("kernel_stack"), 16384u);
  EXPECT_FALSE(s.memory->raw.contains("rss"));
  ASSERT_TRUE(s.pids);
  EXPECT_EQ(s.pids->current, 3u);
  EXPECT_EQ(s.pids->limit, 100u);
}

TEST_F(CgroupV2Test, MaxReadsAsNoLimitAndAMissingPeakAsZero) {
  put_container();
  fs_.put("gantry/c1/memory.max", "max\n");
  fs_.put("gantry/c1/pids.max", "max\n");
  std::filesystem::remove(fs_.root() / "gantry/c1/memory.peak");  // kernels before 5.19
  CgroupStats s = cgroups_.stats("/gantry/c1");
  ASSERT_TRUE(s.memory);
  EXPECT_EQ(s.memory->limit, std::nullopt);
  EXPECT_EQ(s.memory->max_usage, 0u);
  ASSERT_TRUE(s.pids);
  EXPECT_EQ(s.pids->limit, std::nullopt);
}

TEST_F(CgroupV2Test, MissingOrMalformedFilesLeaveTheirControllerUnread) {
  fs_.mkdir("gantry/c1");
  fs_.put("gantry/c1/cpu.stat", "usage_usec many\n");
  fs_.put("gantry/c1/memory.current", "\n");
  fs_.put("gantry/c1/pids.current", "18446744073709551616\n");  // 2^64 overflows
  CgroupStats s = cgroups_.stats("/gantry/c1");
  EXPECT_FALSE(s.cpu);
  EXPECT_FALSE(s.memory);
  EXPECT_FALSE(s.pids);
}

TEST_F(CgroupV2Test, AControllerNotServedIsNotReadOrWritten) {
  put_container();
  CgroupV2 memory_only(fs_.root(), {.memory = true}, false);
  CgroupStats s = memory_only.stats("/gantry/c1");
  EXPECT_FALSE(s.cpu);
  EXPECT_TRUE(s.memory);
  EXPECT_FALSE(s.pids);
  ASSERT_TRUE(memory_only.apply("/gantry/c1", {.cpu_quota_us = 1000, .pids_limit = 5}));
  EXPECT_EQ(fs_.read("gantry/c1/pids.max"), "100\n");
  EXPECT_FALSE(fs_.exists("gantry/c1/cpu.max"));
  EXPECT_FALSE(memory_only.runc_controllers().any());  // hybrid: runc's v1 manager skips it
}

TEST_F(CgroupV2Test, RemoveDeletesTheLeafThenTheEmptyParent) {
  put_container();
  EXPECT_EQ(cgroups_.dirs("/gantry/c1").size(), 1u);
  EXPECT_FALSE(cgroups_.remove("/gantry"));  // still has a child
  ASSERT_TRUE(cgroups_.remove("/gantry/c1"));
  EXPECT_TRUE(cgroups_.dirs("/gantry/c1").empty());
  ASSERT_TRUE(cgroups_.remove("/gantry"));
  EXPECT_FALSE(fs_.exists("gantry"));
  EXPECT_TRUE(fs_.exists("cgroup.controllers"));
}

}  // namespace
}  // namespace runtime
