#include "services/ecs/service_metrics.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace services::ecs {
namespace {

namespace json = boost::json;

constexpr std::uint64_t kMiB = 1024 * 1024;

TaskUsage fargate_task(std::string service = "api") {
  TaskUsage u;
  u.cluster = "prod";
  u.service = std::move(service);
  u.family = "web";
  u.reserved = {.cpu_units = 256, .memory_mib = 512};
  u.at = 1060;
  return u;
}

// The values of `name` in `ns`, one per dimension set, as "dims=value".
std::vector<std::string> values(const std::vector<MetricDatum>& data, std::string_view ns,
                                std::string_view name) {
  std::vector<std::string> out;
  for (const MetricDatum& d : data) {
    if (d.ns != ns || d.name != name) continue;
    std::string dims;
    for (const cloudwatch::Dimension& x : d.dimensions) dims += x.name + ":" + x.value + ",";
    out.push_back(dims + "=" + std::to_string(d.value) + " " + d.unit);
  }
  return out;
}

TEST(TaskReservationTest, TaskLevelCpuAndMemoryWin) {
  json::object task = json::parse(R"({"cpu":"512","memory":"1024","containers":[
      {"name":"a","cpu":"0","memory":"128"}]})").as_object();
  TaskReservation r = task_reservation(task);
  EXPECT_EQ(r.cpu_units, 512);
  EXPECT_EQ(r.memory_mib, 1024);
}

TEST(TaskReservationTest, WithoutTaskLevelSumsContainersSoftLimitFirst) {
  // ECS counts memoryReservation (the soft limit) when set, else memory.
  json::object task = json::parse(R"({"containers":[
      {"name":"a","cpu":"128","memory":"512","memoryReservation":"256"},
      {"name":"b","cpu":"64","memory":"100"}]})").as_object();
  TaskReservation r = task_reservation(task);
  EXPECT_EQ(r.cpu_units, 192);
  EXPECT_EQ(r.memory_mib, 356);
}

TEST(TaskMetricsTest, CpuIsTheDeltaOverThePeriodAsPercentOfReservedUnits) {
  // 256 units = a quarter core. 15 s of CPU time over 60 s is a quarter core: 100 %.
  TaskUsage now = fargate_task();
  now.cpu_ns = 20'000'000'000ULL;
  now.memory_bytes = 128 * kMiB;  // a quarter of 512 MiB
  TaskBaseline before{5'000'000'000ULL, std::nullopt, 1000};
  std::vector<MetricDatum> data = task_metrics(now, before);
  EXPECT_EQ(values(data, "AWS/ECS", "CPUUtilization"),
            (std::vector<std::string>{"ClusterName:prod,=100.000000 Percent",
                                      "ClusterName:prod,ServiceName:api,=100.000000 Percent"}));
  EXPECT_EQ(values(data, "AWS/ECS", "MemoryUtilization"),
            (std::vector<std::string>{"ClusterName:prod,=25.000000 Percent",
                                      "ClusterName:prod,ServiceName:api,=25.000000 Percent"}));
  EXPECT_TRUE(values(data, "ECS/ContainerInsights", "CpuUtilized").empty());  // insights off
}

TEST(TaskMetricsTest, ATaskOutsideAServiceCountsForItsClusterOnly) {
  TaskUsage now = fargate_task("");
  now.memory_bytes = 256 * kMiB;
  std::vector<MetricDatum> data = task_metrics(now, std::nullopt);
  EXPECT_EQ(values(data, "AWS/ECS", "MemoryUtilization"),
            (std::vector<std::string>{"ClusterName:prod,=50.000000 Percent"}));
  // No baseline: no CPU rate yet.
  EXPECT_TRUE(values(data, "AWS/ECS", "CPUUtilization").empty());
}

TEST(TaskMetricsTest, CountersThatWentBackwardsGiveNoCpu) {
  TaskUsage now = fargate_task();
  now.cpu_ns = 1000;
  std::vector<MetricDatum> data = task_metrics(now, TaskBaseline{5000, std::nullopt, 1000});
  EXPECT_TRUE(values(data, "AWS/ECS", "CPUUtilization").empty());
  EXPECT_EQ(values(data, "AWS/ECS", "MemoryUtilization").size(), 2u);
}

TEST(TaskMetricsTest, NoReservationNoPercent) {
  TaskUsage now = fargate_task();
  now.reserved = {};
  now.cpu_ns = 1'000'000'000;
  EXPECT_TRUE(task_metrics(now, TaskBaseline{0, std::nullopt, 1000}).empty());
}

TEST(TaskMetricsTest, ContainerInsightsPerClusterServiceAndFamily) {
  TaskUsage now = fargate_task();
  now.insights = true;
  now.cpu_ns = 30'000'000'000ULL;  // half a core over 60 s: 512 units
  now.memory_bytes = 64 * kMiB;
  now.network = NetworkCounters{7000, 1000};
  TaskBaseline before{0, NetworkCounters{1000, 400}, 1000};
  std::vector<MetricDatum> data = task_metrics(now, before);
  std::string prefix = "ClusterName:prod,";
  EXPECT_EQ(values(data, "ECS/ContainerInsights", "CpuUtilized"),
            (std::vector<std::string>{prefix + "=512.000000 None",
                                      prefix + "ServiceName:api,=512.000000 None",
                                      prefix + "TaskDefinitionFamily:web,=512.000000 None"}));
  EXPECT_EQ(values(data, "ECS/ContainerInsights", "CpuReserved").front(),
            prefix + "=256.000000 None");
  EXPECT_EQ(values(data, "ECS/ContainerInsights", "MemoryUtilized").front(),
            prefix + "=64.000000 Megabytes");
  EXPECT_EQ(values(data, "ECS/ContainerInsights", "MemoryReserved").front(),
            prefix + "=512.000000 Megabytes");
  EXPECT_EQ(values(data, "ECS/ContainerInsights", "NetworkRxBytes").front(),
            prefix + "=100.000000 Bytes/Second");
  EXPECT_EQ(values(data, "ECS/ContainerInsights", "NetworkTxBytes").front(),
            prefix + "=10.000000 Bytes/Second");
  // AWS/ECS keeps its two dimension sets: no TaskDefinitionFamily there.
  EXPECT_EQ(values(data, "AWS/ECS", "CPUUtilization").size(), 2u);
}

TEST(ServiceCountMetricsTest, DesiredRunningPendingPerService) {
  std::vector<MetricDatum> data = service_count_metrics({"prod", "api", 3, 2, 1});
  ASSERT_EQ(data.size(), 3u);
  EXPECT_EQ(data[0], (MetricDatum{"ECS/ContainerInsights", "DesiredTaskCount",
                                  {{"ClusterName", "prod"}, {"ServiceName", "api"}}, 3, "Count"}));
  EXPECT_EQ(data[1].name, "RunningTaskCount");
  EXPECT_EQ(data[1].value, 2);
  EXPECT_EQ(data[2].name, "PendingTaskCount");
  EXPECT_EQ(data[2].value, 1);
  std::vector<MetricDatum> cluster = cluster_count_metrics("prod", 4, 2);
  EXPECT_EQ(cluster[0], (MetricDatum{"ECS/ContainerInsights", "TaskCount",
                                     {{"ClusterName", "prod"}}, 4, "Count"}));
  EXPECT_EQ(cluster[1].name, "ServiceCount");
}

TEST(NetworkTotalTest, SumsTheInterfaces) {
  NetworkCounters n = network_total({{.name = "eth0", .rx_bytes = 1200, .tx_bytes = 800},
                                     {.name = "eth1", .rx_bytes = 34, .tx_bytes = 6}});
  EXPECT_EQ(n.rx_bytes, 1234u);
  EXPECT_EQ(n.tx_bytes, 806u);
}

TEST(MemoryUsedTest, UsageLessInactiveFile) {
  runtime::CgroupMemoryStats m;
  m.usage = 100 * kMiB;
  m.inactive_file = 30 * kMiB;
  EXPECT_EQ(memory_used(m), 70 * kMiB);
  m.inactive_file = 200 * kMiB;
  EXPECT_EQ(memory_used(m), 0u);
}

TEST(InsightsEnabledTest, EnabledOrEnhanced) {
  auto cluster = [](std::string value) {
    return json::object{{"settings", json::array{json::object{{"name", "containerInsights"},
                                                              {"value", value}}}}};
  };
  EXPECT_TRUE(insights_enabled(cluster("enabled")));
  EXPECT_TRUE(insights_enabled(cluster("enhanced")));
  EXPECT_FALSE(insights_enabled(cluster("disabled")));
  EXPECT_FALSE(insights_enabled(json::object{}));
}

TEST(ArnNamesTest, FamilyAndName) {
  EXPECT_EQ(family_of("arn:aws:ecs:us-east-1:123456789012:task-definition/web-app:12"), "web-app");
  EXPECT_EQ(name_of("arn:aws:ecs:us-east-1:123456789012:cluster/prod"), "prod");
}

}  // namespace
}  // namespace services::ecs
