#include "runtime/cgroup.h"

#include <gtest/gtest.h>

#include "runtime/cgroup_files.h"
#include "testing/fake_cgroupfs.h"

namespace runtime {
namespace {

constexpr CgroupControllers kAll{.cpu = true, .memory = true, .pids = true};

void put_v1_hierarchies(const fakes::FakeCgroupfs& fs) {
  for (const char* h : {"cpu", "cpuacct", "memory", "pids", "blkio", "systemd"}) {
    fs.mkdir(h);
  }
}

TEST(CgroupDetectTest, APureCgroup2MountIsV2ForGantryAndForRunc) {
  fakes::FakeCgroupfs fs;
  fs.put("cgroup.controllers", "cpuset cpu io memory pids\n");
  std::unique_ptr<Cgroups> cgroups = detect_cgroups(fs.root());
  EXPECT_EQ(cgroups->version(), CgroupVersion::V2);
  EXPECT_EQ(cgroups->controllers(), kAll);
  EXPECT_EQ(cgroups->runc_controllers(), kAll);
}

TEST(CgroupDetectTest, AHybridHostWhoseUnifiedMountOffersNoneOfOursIsV1) {
  // This machine: v1 controllers and a cgroup2 at unified/ offering only hugetlb.
  fakes::FakeCgroupfs fs;
  put_v1_hierarchies(fs);
  fs.put("unified/cgroup.controllers", "hugetlb\n");
  std::unique_ptr<Cgroups> cgroups = detect_cgroups(fs.root());
  EXPECT_EQ(cgroups->version(), CgroupVersion::V1);
  EXPECT_EQ(cgroups->controllers(), kAll);
  EXPECT_EQ(cgroups->runc_controllers(), kAll);
  ASSERT_TRUE(cgroups->create("/gantry/c1"));
  EXPECT_TRUE(fs.exists("memory/gantry/c1"));
  EXPECT_FALSE(fs.exists("unified/gantry"));
}

TEST(CgroupDetectTest, AHybridHostServesFromUnifiedTheControllersNoV1HierarchyHolds) {
  fakes::FakeCgroupfs fs;
  for (const char* h : {"cpu", "cpuacct", "blkio", "systemd"}) {
    fs.mkdir(h);
  }
  fs.put("unified/cgroup.controllers", "memory pids\n");
  fs.put("unified/cgroup.subtree_control", "");
  std::unique_ptr<Cgroups> cgroups = detect_cgroups(fs.root());
  EXPECT_EQ(cgroups->version(), CgroupVersion::V1);  // runc's manager is v1 on this host
  EXPECT_EQ(cgroups->controllers(), kAll);
  EXPECT_EQ(cgroups->runc_controllers(), (CgroupControllers{.cpu = true}));

  ASSERT_TRUE(cgroups->create("/gantry/c1"));
  EXPECT_TRUE(fs.exists("cpu/gantry/c1"));
  EXPECT_EQ(fs.read("unified/cgroup.subtree_control"), "+memory +pids");
  fs.put("cpu/gantry/c1/cpu.cfs_quota_us", "");
  ASSERT_TRUE(cgroups->apply(
      "/gantry/c1", {.cpu_quota_us = 25000, .memory_limit_bytes = 64 << 20, .pids_limit = 10}));
  EXPECT_EQ(fs.read("cpu/gantry/c1/cpu.cfs_quota_us"), "25000");
  EXPECT_EQ(fs.read("unified/gantry/c1/memory.max"), "67108864");
  EXPECT_EQ(fs.read("unified/gantry/c1/pids.max"), "10");

  fs.put("cpuacct/gantry/c1/cpuacct.usage", "77\n");
  fs.put("unified/gantry/c1/memory.current", "4096\n");
  fs.put("unified/gantry/c1/pids.current", "1\n");
  CgroupStats s = cgroups->stats("/gantry/c1");
  EXPECT_EQ(s.version, CgroupVersion::V2);  // where memory was read
  ASSERT_TRUE(s.cpu && s.memory && s.pids);
  EXPECT_EQ(s.cpu->usage_ns, 77u);
  EXPECT_EQ(s.memory->usage, 4096u);
  EXPECT_EQ(s.memory->limit, 67108864u);
  EXPECT_EQ(s.pids->limit, 10u);

  ASSERT_TRUE(cgroups->remove("/gantry/c1"));
  EXPECT_TRUE(cgroups->dirs("/gantry/c1").empty());
}

// The metadata endpoint and the metrics read CgroupStats: the same usage must read the same on
// both versions, whatever the files are called.
TEST(CgroupDetectTest, TheSameUsageReadsTheSameOnV1AndV2) {
  fakes::FakeCgroupfs v1fs;
  put_v1_hierarchies(v1fs);
  v1fs.put("cpuacct/g/c/cpuacct.usage", "3000000000\n");
  v1fs.put("cpu/g/c/cpu.stat", "nr_periods 10\nnr_throttled 4\nthrottled_time 5000000\n");
  v1fs.put("memory/g/c/memory.usage_in_bytes", "8388608\n");
  v1fs.put("memory/g/c/memory.max_usage_in_bytes", "9437184\n");
  v1fs.put("memory/g/c/memory.limit_in_bytes", "536870912\n");
  v1fs.put("memory/g/c/memory.stat",
           "total_rss 5242880\ntotal_cache 2097152\ntotal_inactive_file 1048576\n"
           "total_active_file 1048576\ntotal_mapped_file 4096\n");
  v1fs.put("memory/g/c/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
  v1fs.put("pids/g/c/pids.current", "4\n");
  v1fs.put("pids/g/c/pids.max", "max\n");

  fakes::FakeCgroupfs v2fs;
  v2fs.put("cgroup.controllers", "cpu memory pids\n");
  v2fs.put("g/c/cpu.stat",
           "usage_usec 3000000\nnr_periods 10\nnr_throttled 4\nthrottled_usec 5000\n");
  v2fs.put("g/c/memory.current", "8388608\n");
  v2fs.put("g/c/memory.peak", "9437184\n");
  v2fs.put("g/c/memory.max", "536870912\n");
  v2fs.put("g/c/memory.stat",
           "anon 5242880\nfile 2097152\ninactive_file 1048576\nactive_file 1048576\n"
           "file_mapped 4096\n");
  v2fs.put("g/c/memory.events", "oom 1\noom_kill 1\n");
  v2fs.put("g/c/pids.current", "4\n");
  v2fs.put("g/c/pids.max", "max\n");

  CgroupStats a = detect_cgroups(v1fs.root())->stats("/g/c");
  CgroupStats b = detect_cgroups(v2fs.root())->stats("/g/c");
  ASSERT_TRUE(a.cpu && b.cpu && a.memory && b.memory && a.pids && b.pids);
  EXPECT_EQ(a.cpu->usage_ns, b.cpu->usage_ns);
  EXPECT_EQ(a.cpu->throttled_periods, b.cpu->throttled_periods);
  EXPECT_EQ(a.cpu->throttled_ns, b.cpu->throttled_ns);
  EXPECT_EQ(a.memory->usage, b.memory->usage);
  EXPECT_EQ(a.memory->max_usage, b.memory->max_usage);
  EXPECT_EQ(a.memory->limit, b.memory->limit);
  EXPECT_EQ(a.memory->anon, b.memory->anon);
  EXPECT_EQ(a.memory->file, b.memory->file);
  EXPECT_EQ(a.memory->inactive_file, b.memory->inactive_file);
  EXPECT_EQ(a.memory->mapped_file, b.memory->mapped_file);
  EXPECT_EQ(a.memory->oom_kills, b.memory->oom_kills);
  EXPECT_EQ(a.pids->current, b.pids->current);
  EXPECT_EQ(a.pids->limit, b.pids->limit);
}

TEST(CgroupFilesTest, NumbersAndLimitsParseStrictly) {
  fakes::FakeCgroupfs fs;
  fs.put("n", "  42 \n");
  fs.put("neg", "-1\n");
  fs.put("junk", "42abc\n");
  fs.put("max", "max\n");
  fs.put("v1max", "9223372036854771712\n");
  EXPECT_EQ(read_cgroup_number(fs.root() / "n"), 42u);
  EXPECT_EQ(read_cgroup_number(fs.root() / "neg"), std::nullopt);
  EXPECT_EQ(read_cgroup_number(fs.root() / "junk"), std::nullopt);
  EXPECT_EQ(read_cgroup_number(fs.root() / "absent"), std::nullopt);
  using Limit = std::optional<std::uint64_t>;
  const std::optional<Limit> unlimited(std::in_place, std::nullopt);
  EXPECT_EQ(read_cgroup_limit(fs.root() / "n"), std::optional<Limit>(42));
  EXPECT_EQ(read_cgroup_limit(fs.root() / "max"), unlimited);
  EXPECT_EQ(read_cgroup_limit(fs.root() / "v1max"), unlimited);
  EXPECT_EQ(read_cgroup_limit(fs.root() / "junk"), std::nullopt);
  EXPECT_EQ(read_cgroup_limit(fs.root() / "absent"), std::nullopt);
}

TEST(CgroupFilesTest, KeyedFilesSkipLinesThatDoNotParse) {
  fakes::FakeCgroupfs fs;
  fs.put("stat", "anon 10\nfile x\nlonely\n\nslab  7\nneg -3\n");
  std::map<std::string, std::uint64_t> m = read_cgroup_keyed(fs.root() / "stat");
  EXPECT_EQ(m, (std::map<std::string, std::uint64_t>{{"anon", 10}, {"slab", 7}}));
  EXPECT_EQ(keyed_value(m, "file"), 0u);
  EXPECT_TRUE(read_cgroup_keyed(fs.root() / "absent").empty());
}

}  // namespace
}  // namespace runtime
