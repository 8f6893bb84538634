#include "runtime/cgroup_v1.h"

#include <gtest/gtest.h>

#include "testing/fake_cgroupfs.h"

namespace runtime {
namespace {

constexpr CgroupControllers kAll{.cpu = true, .memory = true, .pids = true};

// A hybrid host as Debian 11 and this machine mount it: one directory per v1 controller, plus
// hierarchies Gantry does not manage and an empty cgroup2 at unified/.
class CgroupV1Test : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* h : {"cpu", "cpuacct", "memory", "pids", "blkio", "freezer", "systemd"}) {
      fs_.mkdir(h);
    }
    fs_.put("unified/cgroup.controllers", "hugetlb\n");
  }
  // A container cgroup as the kernel fills it.
  void put_container(const std::string& cpu_dir = "cpu",
                     const std::string& cpuacct_dir = "cpuacct") {
    fs_.put(cpuacct_dir + "/gantry/c1/cpuacct.usage", "2500000000\n");
    fs_.put(cpuacct_dir + "/gantry/c1/cpuacct.stat", "user 150\nsystem 50\n");
    fs_.put(cpu_dir + "/gantry/c1/cpu.stat",
            "nr_periods 40\nnr_throttled 7\nthrottled_time 123456789\n");
    fs_.put("memory/gantry/c1/memory.usage_in_bytes", "10485760\n");
    fs_.put("memory/gantry/c1/memory.max_usage_in_bytes", "20971520\n");
    fs_.put("memory/gantry/c1/memory.limit_in_bytes", "268435456\n");
    fs_.put("memory/gantry/c1/memory.stat",
            "cache 100\nrss 200\nmapped_file 5\ninactive_file 60\nactive_file 40\n"
            "total_cache 4194304\ntotal_rss 6291456\ntotal_mapped_file 1048576\n"
            "total_inactive_file 3145728\ntotal_active_file 1048576\ntotal_pgfault 900\n"
            "total_pgmajfault 3\n");
    fs_.put("memory/gantry/c1/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
    fs_.put("pids/gantry/c1/pids.current", "3\n");
    fs_.put("pids/gantry/c1/pids.max", "100\n");
  }

  fakes::FakeCgroupfs fs_;
  CgroupV1 cgroups_{fs_.root(), kAll};
};

TEST_F(CgroupV1Test, FindsEachControllerInItsOwnHierarchyOrCoMounted) {
  EXPECT_EQ(CgroupV1::available(fs_.root()), kAll);
  fakes::FakeCgroupfs comounted;
  comounted.mkdir("cpu,cpuacct");
  comounted.mkdir("memory");
  EXPECT_EQ(CgroupV1::available(comounted.root()),
            (CgroupControllers{.cpu = true, .memory = true, .pids = false}));
}

TEST_F(CgroupV1Test, CreateMakesThePathOnlyInTheServedHierarchies) {
  ASSERT_TRUE(cgroups_.create("/gantry/c1"));
  for (const char* h : {"cpu", "cpuacct", "memory", "pids"}) {
    EXPECT_TRUE(fs_.exists(std::string(h) + "/gantry/c1")) << h;
  }
  EXPECT_FALSE(fs_.exists("blkio/gantry/c1"));  // runc creates the others
  EXPECT_FALSE(fs_.exists("unified/gantry"));
}

TEST_F(CgroupV1Test, ApplyWritesQuotaPeriodMemoryLimitReservationAndPids) {
  ASSERT_TRUE(cgroups_.create("/gantry/c1"));
  for (const char* f : {"cpu/gantry/c1/cpu.shares", "cpu/gantry/c1/cpu.cfs_period_us",
                        "cpu/gantry/c1/cpu.cfs_quota_us", "memory/gantry/c1/memory.limit_in_bytes",
                        "memory/gantry/c1/memory.soft_limit_in_bytes", "pids/gantry/c1/pids.max"}) {
    fs_.put(f, "");
  }
  ASSERT_TRUE(cgroups_.apply("/gantry/c1", {.cpu_quota_us = 50000,
                                            .cpu_period_us = 100000,
                                            .cpu_shares = 512,
                                            .memory_limit_bytes = 256 << 20,
                                            .memory_reservation_bytes = 128 << 20,
                                            .pids_limit = 100}));
  EXPECT_EQ(fs_.read("cpu/gantry/c1/cpu.shares"), "512");
  EXPECT_EQ(fs_.read("cpu/gantry/c1/cpu.cfs_period_us"), "100000");
  EXPECT_EQ(fs_.read("cpu/gantry/c1/cpu.cfs_quota_us"), "50000");
  EXPECT_EQ(fs_.read("memory/gantry/c1/memory.limit_in_bytes"), "268435456");
  EXPECT_EQ(fs_.read("memory/gantry/c1/memory.soft_limit_in_bytes"), "134217728");
  EXPECT_EQ(fs_.read("pids/gantry/c1/pids.max"), "100");

  ASSERT_TRUE(cgroups_.apply("/gantry/c1", {}));
  EXPECT_EQ(fs_.read("cpu/gantry/c1/cpu.cfs_quota_us"), "-1");
  EXPECT_EQ(fs_.read("memory/gantry/c1/memory.limit_in_bytes"), "-1");
  EXPECT_EQ(fs_.read("memory/gantry/c1/memory.soft_limit_in_bytes"), "-1");
  EXPECT_EQ(fs_.read("pids/gantry/c1/pids.max"), "max");
}

// A kernel without CFS bandwidth control has no cpu.cfs_quota_us: no quota asked, nothing to write.
TEST_F(CgroupV1Test, ApplySkipsDefaultsTheKernelHasNoFileFor) {
  ASSERT_TRUE(cgroups_.create("/gantry/c1"));
  ASSERT_TRUE(cgroups_.apply("/gantry/c1", {.memory_limit_bytes = 1 << 20}));
  EXPECT_FALSE(fs_.exists("cpu/gantry/c1/cpu.cfs_quota_us"));
  EXPECT_FALSE(fs_.exists("pids/gantry/c1/pids.max"));
  EXPECT_EQ(fs_.read("memory/gantry/c1/memory.limit_in_bytes"), "1048576");
}

TEST_F(CgroupV1Test, ApplyToACgroupThatWasNeverCreatedFails) {
  EXPECT_FALSE(cgroups_.apply("/gantry/absent", {.memory_limit_bytes = 1 << 20}));
}

TEST_F(CgroupV1Test, StatsReadCpuThrottlingMemoryTotalsOomKillsAndPids) {
  put_container();
  CgroupStats s = cgroups_.stats("/gantry/c1");
  EXPECT_EQ(s.version, CgroupVersion::V1);
  ASSERT_TRUE(s.cpu);
  EXPECT_EQ(s.cpu->usage_ns, 2500000000u);
  EXPECT_EQ(s.cpu->user_ns + s.cpu->system_ns, 2000000000u);  // 200 ticks at USER_HZ 100
  EXPECT_EQ(s.cpu->periods, 40u);
  EXPECT_EQ(s.cpu->throttled_periods, 7u);
  EXPECT_EQ(s.cpu->throttled_ns, 123456789u);
  ASSERT_TRUE(s.memory);
  EXPECT_EQ(s.memory->usage, 10485760u);
  EXPECT_EQ(s.memory->max_usage, 20971520u);
  EXPECT_EQ(s.memory->limit, 268435456u);
  EXPECT_EQ(s.memory->anon, 6291456u);  // the hierarchical total_ keys, as Docker reads them
  EXPECT_EQ(s.memory->file, 4194304u);
  EXPECT_EQ(s.memory->inactive_file, 3145728u);
  EXPECT_EQ(s.memory->mapped_file, 1048576u);
  EXPECT_EQ(s.memory->pgmajfault, 3u);
  EXPECT_EQ(s.memory->oom_kills, 2u);
  EXPECT_EQ(s.memory->raw.at("rss"), 200u);
  ASSERT_TRUE(s.pids);
  EXPECT_EQ(s.pids->current, 3u);
  EXPECT_EQ(s.pids->limit, 100u);
}

TEST_F(CgroupV1Test, StatsReadCoMountedCpuAndCpuacct) {
  fakes::FakeCgroupfs comounted;
  comounted.put("cpu,cpuacct/gantry/c1/cpuacct.usage", "42\n");
  comounted.put("cpu,cpuacct/gantry/c1/cpu.stat",
                "nr_periods 1\nnr_throttled 1\nthrottled_time 9\n");
  CgroupV1 cgroups(comounted.root(), CgroupV1::available(comounted.root()));
  CgroupStats s = cgroups.stats("/gantry/c1");
  ASSERT_TRUE(s.cpu);
  EXPECT_EQ(s.cpu->usage_ns, 42u);
  EXPECT_EQ(s.cpu->throttled_ns, 9u);
  EXPECT_FALSE(s.memory);
  EXPECT_FALSE(s.pids);
}

TEST_F(CgroupV1Test, UnlimitedReadsAsNoLimit) {
  put_container();
  fs_.put("memory/gantry/c1/memory.limit_in_bytes", "9223372036854771712\n");
  fs_.put("pids/gantry/c1/pids.max", "max\n");
  CgroupStats s = cgroups_.stats("/gantry/c1");
  ASSERT_TRUE(s.memory);
  EXPECT_EQ(s.memory->limit, std::nullopt);
  ASSERT_TRUE(s.pids);
  EXPECT_EQ(s.pids->limit, std::nullopt);
}

TEST_F(CgroupV1Test, MissingOrMalformedFilesLeaveTheirControllerUnread) {
  fs_.mkdir("memory/gantry/c1");
  fs_.put("cpuacct/gantry/c1/cpuacct.usage", "12x\n");
  fs_.put("pids/gantry/c1/pids.current", "-1\n");
  CgroupStats s = cgroups_.stats("/gantry/c1");
  EXPECT_FALSE(s.cpu);
  EXPECT_FALSE(s.memory);
  EXPECT_FALSE(s.pids);

  // Usage alone is enough; the rest reads as zero.
  fs_.put("memory/gantry/c1/memory.usage_in_bytes", "4096\n");
  fs_.put("memory/gantry/c1/memory.stat", "total_rss abc\ntotal_cache\ntotal_pgfault 7\n");
  s = cgroups_.stats("/gantry/c1");
  ASSERT_TRUE(s.memory);
  EXPECT_EQ(s.memory->usage, 4096u);
  EXPECT_EQ(s.memory->anon, 0u);
  EXPECT_EQ(s.memory->pgfault, 7u);
  EXPECT_EQ(s.memory->limit, std::nullopt);
  EXPECT_EQ(s.memory->oom_kills, 0u);
}

TEST_F(CgroupV1Test, RemoveDeletesThePathFromEveryHierarchyEvenUnmanagedOnes) {
  put_container();
  for (const char* h : {"blkio", "freezer", "systemd", "unified"}) {
    fs_.mkdir(std::string(h) + "/gantry/c1");
  }
  EXPECT_EQ(cgroups_.dirs("/gantry/c1").size(), 8u);
  ASSERT_TRUE(cgroups_.remove("/gantry/c1"));
  EXPECT_TRUE(cgroups_.dirs("/gantry/c1").empty());
  EXPECT_EQ(cgroups_.dirs("/gantry").size(), 8u);  // the parent stays until removed itself
  ASSERT_TRUE(cgroups_.remove("/gantry"));
  EXPECT_TRUE(cgroups_.dirs("/gantry").empty());
  EXPECT_TRUE(cgroups_.remove("/gantry"));  // already gone
}

TEST_F(CgroupV1Test, AParentWithAChildIsNotRemoved) {
  put_container();
  Result<void> r = cgroups_.remove("/gantry");
  EXPECT_FALSE(r);
  EXPECT_TRUE(fs_.exists("memory/gantry/c1/memory.usage_in_bytes"));
}

}  // namespace
}  // namespace runtime
