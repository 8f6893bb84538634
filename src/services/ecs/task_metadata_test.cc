#include "services/ecs/task_metadata.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace services::ecs {
namespace {

namespace json = boost::json;

ContainerStats sample(runtime::CgroupVersion version) {
  ContainerStats s;
  s.cgroup.version = version;
  s.cgroup.cpu = runtime::CgroupCpuStats{.usage_ns = 3000000000,
                                         .user_ns = 2000000000,
                                         .system_ns = 1000000000,
                                         .periods = 10,
                                         .throttled_periods = 4,
                                         .throttled_ns = 5000000};
  runtime::CgroupMemoryStats m{.usage = 8388608, .limit = 536870912};
  if (version == runtime::CgroupVersion::V1) {
    m.max_usage = 9437184;
    m.raw = {{"total_rss", 5242880}, {"total_cache", 2097152}};
  } else {
    m.raw = {{"anon", 5242880}, {"file", 2097152}};
  }
  s.cgroup.memory = m;
  s.cgroup.pids = runtime::CgroupPidsStats{.current = 4, .limit = 100};
  s.system_cpu_ns = 99;
  s.online_cpus = 2;
  s.host_memory = 4294967296;
  s.read_at = 1700000000.5;
  return s;
}

// https://docs.docker.com/engine/api/v1.43/#tag/Container/operation/ContainerStats
TEST(DockerStatsTest, CarriesCpuUsageModesAndThrottling) {
  json::object doc = docker_stats("app", "abc", sample(runtime::CgroupVersion::V1));
  const json::object& cpu = doc.at("cpu_stats").as_object();
  EXPECT_EQ(cpu.at("cpu_usage").at("total_usage"), 3000000000u);
  EXPECT_EQ(cpu.at("cpu_usage").at("usage_in_usermode"), 2000000000u);
  EXPECT_EQ(cpu.at("cpu_usage").at("usage_in_kernelmode"), 1000000000u);
  EXPECT_EQ(cpu.at("system_cpu_usage"), 99u);
  EXPECT_EQ(cpu.at("online_cpus"), 2u);
  EXPECT_EQ(cpu.at("throttling_data").at("periods"), 10u);
  EXPECT_EQ(cpu.at("throttling_data").at("throttled_periods"), 4u);
  EXPECT_EQ(cpu.at("throttling_data").at("throttled_time"), 5000000u);
  EXPECT_EQ(doc.at("pids_stats").at("current"), 4u);
  EXPECT_EQ(doc.at("pids_stats").at("limit"), 100u);
}

TEST(DockerStatsTest, MemoryStatsPassMemoryStatThroughAsEachVersionSpellsIt) {
  json::object v1 = docker_stats("app", "abc", sample(runtime::CgroupVersion::V1));
  const json::object& m1 = v1.at("memory_stats").as_object();
  EXPECT_EQ(m1.at("usage"), 8388608u);
  EXPECT_EQ(m1.at("max_usage"), 9437184u);
  EXPECT_EQ(m1.at("limit"), 536870912u);
  EXPECT_EQ(m1.at("stats").at("total_rss"), 5242880u);

  json::object v2 = docker_stats("app", "abc", sample(runtime::CgroupVersion::V2));
  const json::object& m2 = v2.at("memory_stats").as_object();
  EXPECT_EQ(m2.at("usage"), 8388608u);
  EXPECT_FALSE(m2.contains("max_usage"));  // Docker omits it on v2 (no memory.peak)
  EXPECT_EQ(m2.at("limit"), 536870912u);
  EXPECT_EQ(m2.at("stats").at("anon"), 5242880u);
}

TEST(DockerStatsTest, AContainerWithoutLimitsReportsTheHostsMemoryAndNoPidsLimit) {
  ContainerStats s = sample(runtime::CgroupVersion::V2);
  s.cgroup.memory->limit.reset();
  s.cgroup.pids->limit.reset();
  json::object doc = docker_stats("app", "abc", s);
  EXPECT_EQ(doc.at("memory_stats").at("limit"), 4294967296u);
  EXPECT_FALSE(doc.at("pids_stats").as_object().contains("limit"));
}

TEST(DockerStatsTest, NetworksPerInterfaceAsDockerNamesThem) {
  ContainerStats s = sample(runtime::CgroupVersion::V2);
  s.networks = {{"eth1", 1200, 10, 1, 2, 800, 8, 3, 4}};
  json::object doc = docker_stats("app", "abc", s);
  EXPECT_EQ(doc.at("networks"), json::parse(R"({"eth1":{"rx_bytes":1200,"rx_packets":10,
      "rx_errors":1,"rx_dropped":2,"tx_bytes":800,"tx_packets":8,"tx_errors":3,
      "tx_dropped":4}})"));
}

TEST(DockerStatsTest, UnreadControllersReportZerosAndAnEmptyMemoryObject) {
  json::object doc = docker_stats("app", "abc", ContainerStats{});
  EXPECT_FALSE(doc.contains("networks"));  // unknown
  EXPECT_EQ(doc.at("cpu_stats").at("cpu_usage").at("total_usage"), 0u);
  EXPECT_TRUE(doc.at("memory_stats").as_object().empty());
  EXPECT_EQ(doc.at("pids_stats").at("current"), 0u);
}

}  // namespace
}  // namespace services::ecs
