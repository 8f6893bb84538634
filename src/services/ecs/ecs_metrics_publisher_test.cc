#include "services/ecs/ecs_metrics_publisher.h"

#include <map>
#include <mutex>

#include "services/ecs/ecs_store.h"
#include "services/ecs/ecs_test_support.h"
#include "store/transaction.h"

namespace services::ecs {
namespace {

namespace json = boost::json;
using std::chrono::seconds;

constexpr std::uint64_t kMiB = 1024 * 1024;

struct Put {
  std::string ns, name;
  cloudwatch::Dimensions dimensions;
  double value = 0;
  std::string unit;
  core::TimePoint at;
};

class RecordingSink final : public cloudwatch::MetricSink {
 public:
  bool put(const std::string& account, const std::string& region, const std::string& ns,
           const std::string& name, cloudwatch::Dimensions dimensions, double value,
           const std::string& unit, core::TimePoint timestamp) override {
    EXPECT_EQ(account, "123456789012");
    EXPECT_EQ(region, "us-east-1");
    std::lock_guard lock(mu);
    puts.push_back({ns, name, std::move(dimensions), value, unit, timestamp});
    return true;
  }
  // The values of ns/name under exactly `dims`, in put order.
  std::vector<double> values(std::string_view ns, std::string_view name,
                             const cloudwatch::Dimensions& dims) {
    std::lock_guard lock(mu);
    std::vector<double> out;
    for (const Put& p : puts) {
      if (p.ns == ns && p.name == name && p.dimensions == dims) out.push_back(p.value);
    }
    return out;
  }
  std::mutex mu;
  std::vector<Put> puts;
};

class EcsMetricsPublisherTest : public EcsHandlersTest {
 protected:
  void SetUp() override {
    ok("CreateCluster", R"({"clusterName":"c",
        "settings":[{"name":"containerInsights","value":"enabled"}]})");
    ok("CreateCluster", R"({"clusterName":"plain"})");
    register_web();
  }

  // Runs `count` tasks of "web" in `cluster` (as the service's when `service` is set) and marks
  // them RUNNING since the clock's now; returns their ARNs.
  std::vector<std::string> running(const std::string& cluster, int count,
                                   const std::string& service = "") {
    json::object in{{"cluster", cluster}, {"taskDefinition", "web"}, {"count", count},
                    {"launchType", "FARGATE"}, {"networkConfiguration", json::parse(kNetwork)}};
    if (!service.empty()) in["group"] = "service:" + service;
    std::vector<std::string> arns;
    json::object out = ok("RunTask", in);
    for (const json::value& t : out["tasks"].as_array()) {
      arns.push_back(S(t.at("taskArn")));
    }
    store::Transaction tx = db_.begin();
    EcsStore st(tx, "123456789012", "us-east-1");
    for (const std::string& arn : arns) {
      std::optional<json::object> t = st.get(Table::Tasks, arn);
      (*t)["lastStatus"] = "RUNNING";
      (*t)["startedAt"] = core::to_epoch_seconds(clock_.now());
      st.put_task(*t);
    }
    tx.commit();
    return arns;
  }

  // The cumulative CPU time and memory the fake cgroups report for a task's "app" container.
  void set_usage(const std::string& arn, std::uint64_t cpu_ns, std::uint64_t memory) {
    std::lock_guard lock(mu_);
    usage_[arn] = {cpu_ns, memory};
  }

  TaskReadings readings() {
    return {.stats = [this](const std::string& arn,
                            const std::string& name) -> std::optional<ContainerStats> {
              std::lock_guard lock(mu_);
              auto it = usage_.find(arn);
              if (name != "app" || it == usage_.end()) return std::nullopt;
              ContainerStats s;
              s.cgroup.cpu = runtime::CgroupCpuStats{.usage_ns = it->second.first};
              s.cgroup.memory = runtime::CgroupMemoryStats{.usage = it->second.second};
              // The namespace's bytes grow with the CPU time here: 1 byte per ms.
              s.networks = {{.name = "eth1", .rx_bytes = it->second.first / 1'000'000,
                             .tx_bytes = it->second.first / 2'000'000}};
              return s;
            }};
  }

  static cloudwatch::Dimensions service_dims(const std::string& cluster, const std::string& svc) {
    return {{"ClusterName", cluster}, {"ServiceName", svc}};
  }

  std::mutex mu_;
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> usage_;
  RecordingSink sink_;
};

TEST_F(EcsMetricsPublisherTest, OneValuePerRunningTaskPerPeriod) {
  std::vector<std::string> api = running("plain", 2, "api");
  std::vector<std::string> solo = running("plain", 1);
  EcsMetricsPublisher publisher(db_, clock_, sink_, readings());
  for (const std::string& arn : api) set_usage(arn, 1'000'000'000ULL, 0);
  set_usage(solo[0], 0, 0);
  publisher.publish();  // the first reading: a baseline, no CPU yet
  EXPECT_TRUE(sink_.values("AWS/ECS", "CPUUtilization", {{"ClusterName", "plain"}}).empty());
  sink_.puts.clear();
  clock_.advance(seconds(60));
  // 256 units are a quarter core; over 60 s: a busy task burnt 15 s (100 %), an idle one 1.5 s.
  set_usage(api[0], 16'000'000'000ULL, 256 * kMiB);
  set_usage(api[1], 2'500'000'000ULL, 128 * kMiB);
  set_usage(solo[0], 0, 64 * kMiB);
  publisher.publish();
  EXPECT_EQ(sink_.values("AWS/ECS", "CPUUtilization", service_dims("plain", "api")),
            (std::vector<double>{100, 10}));
  EXPECT_EQ(sink_.values("AWS/ECS", "MemoryUtilization", service_dims("plain", "api")),
            (std::vector<double>{50, 25}));
  EXPECT_EQ(sink_.values("AWS/ECS", "CPUUtilization", {{"ClusterName", "plain"}}),
            (std::vector<double>{100, 10, 0}));
  EXPECT_EQ(sink_.values("AWS/ECS", "MemoryUtilization", {{"ClusterName", "plain"}}).size(), 3u);
  for (const Put& p : sink_.puts) {
    EXPECT_EQ(p.at, clock_.now());
    // "plain" has Container Insights off ("c" publishes its counts: no tasks, no services).
    if (p.ns == "ECS/ContainerInsights") {
      EXPECT_EQ(p.dimensions.front().value, "c");
    }
  }

  // The next period's CPU is the delta since this reading.
  sink_.puts.clear();
  clock_.advance(seconds(30));
  set_usage(api[0], 16'000'000'000ULL + 3'750'000'000ULL, 256 * kMiB);  // 50 % of 30 s
  publisher.publish();
  EXPECT_EQ(sink_.values("AWS/ECS", "CPUUtilization", service_dims("plain", "api")).front(), 50);
}

TEST_F(EcsMetricsPublisherTest, OnlyRunningTasksWithReadings) {
  std::vector<std::string> api = running("plain", 1, "api");
  json::object pending = ok("RunTask", J(R"({"cluster":"plain","taskDefinition":"web",
      "launchType":"FARGATE","networkConfiguration":)" + std::string(kNetwork) + "}"));
  set_usage(S(pending["tasks"].as_array()[0].at("taskArn")), 1, 1);  // not RUNNING: ignored
  EcsMetricsPublisher publisher(db_, clock_, sink_, readings());
  publisher.publish();  // the RUNNING one has no container reading yet
  EXPECT_TRUE(sink_.values("AWS/ECS", "MemoryUtilization", {{"ClusterName", "plain"}}).empty());
  set_usage(api[0], 0, kMiB);
  publisher.publish();  // its memory, per service and cluster (no time passed: no CPU)
  EXPECT_EQ(sink_.values("AWS/ECS", "MemoryUtilization", {{"ClusterName", "plain"}}),
            (std::vector<double>{0.1953125}));
  EXPECT_EQ(sink_.values("AWS/ECS", "MemoryUtilization", service_dims("plain", "api")).size(), 1u);
  EXPECT_TRUE(sink_.values("AWS/ECS", "CPUUtilization", {{"ClusterName", "plain"}}).empty());
}

TEST_F(EcsMetricsPublisherTest, ContainerInsightsOnlyForAnEnabledCluster) {
  ok("CreateService", J(R"({"cluster":"c","serviceName":"api","taskDefinition":"web",
      "desiredCount":2,"launchType":"FARGATE","networkConfiguration":)" +
                        std::string(kNetwork) + "}"));
  std::vector<std::string> in_c = running("c", 2, "api");
  std::vector<std::string> in_plain = running("plain", 1, "api");
  for (const std::string& arn : in_c) set_usage(arn, 6'000'000'000ULL, 100 * kMiB);
  set_usage(in_plain[0], 0, kMiB);
  EcsMetricsPublisher publisher(db_, clock_, sink_, readings());
  publisher.publish();
  sink_.puts.clear();
  for (const std::string& arn : in_c) set_usage(arn, 12'000'000'000ULL, 100 * kMiB);
  clock_.advance(seconds(60));
  publisher.publish();
  // 6 s over 60 s is a tenth of a core: 102.4 units.
  EXPECT_EQ(sink_.values("ECS/ContainerInsights", "CpuUtilized", service_dims("c", "api")),
            (std::vector<double>{102.4, 102.4}));
  EXPECT_EQ(sink_.values("ECS/ContainerInsights", "MemoryUtilized",
                         {{"ClusterName", "c"}, {"TaskDefinitionFamily", "web"}}),
            (std::vector<double>{100, 100}));
  // 6000 bytes received and 3000 sent in 60 s.
  EXPECT_EQ(sink_.values("ECS/ContainerInsights", "NetworkRxBytes", service_dims("c", "api")),
            (std::vector<double>{100, 100}));
  EXPECT_EQ(sink_.values("ECS/ContainerInsights", "NetworkTxBytes", service_dims("c", "api")),
            (std::vector<double>{50, 50}));
  EXPECT_EQ(sink_.values("ECS/ContainerInsights", "DesiredTaskCount", service_dims("c", "api")),
            (std::vector<double>{2}));
  EXPECT_EQ(sink_.values("ECS/ContainerInsights", "TaskCount", {{"ClusterName", "c"}}),
            (std::vector<double>{2}));
  EXPECT_EQ(sink_.values("ECS/ContainerInsights", "ServiceCount", {{"ClusterName", "c"}}),
            (std::vector<double>{1}));
  EXPECT_TRUE(sink_.values("ECS/ContainerInsights", "CpuUtilized", {{"ClusterName", "plain"}})
                  .empty());
  EXPECT_EQ(sink_.values("AWS/ECS", "CPUUtilization", service_dims("plain", "api")).size(), 1u);
}

TEST_F(EcsMetricsPublisherTest, PublishesEveryScaledPeriod) {
  std::vector<std::string> api = running("plain", 1, "api");
  set_usage(api[0], 0, kMiB);
  // The clock starts on a 20 s boundary: a publication at start, then 2 s after each boundary.
  EcsMetricsPublisher publisher(db_, clock_, sink_, readings(), seconds(20));
  EXPECT_EQ(publisher.run_ready(), 1u);  // at start
  EXPECT_EQ(publisher.run_ready(), 0u);
  clock_.advance(seconds(1));
  EXPECT_EQ(publisher.run_ready(), 0u);
  clock_.advance(seconds(1));
  EXPECT_EQ(publisher.run_ready(), 1u);  // boundary + 2 s
  clock_.advance(seconds(19));
  EXPECT_EQ(publisher.run_ready(), 0u);
  clock_.advance(seconds(1));
  EXPECT_EQ(publisher.run_ready(), 1u);  // the next boundary + 2 s
  EXPECT_EQ(sink_.values("AWS/ECS", "MemoryUtilization", service_dims("plain", "api")).size(), 3u);
}

TEST(UntilNextPublicationTest, ATenthOfAPeriodAfterTheNextBoundary) {
  using std::chrono::milliseconds;
  auto at = [](int64_t ms) { return core::from_epoch_millis(ms); };
  // 1 s periods (a minute at --time-scale 60): at 5.000 s the next is 5.100 s, at 5.100 s 6.100 s.
  EXPECT_EQ(until_next_publication(at(5000), seconds(1)), milliseconds(100));
  EXPECT_EQ(until_next_publication(at(5100), seconds(1)), milliseconds(1000));
  EXPECT_EQ(until_next_publication(at(5099), seconds(1)), milliseconds(1));
  EXPECT_EQ(until_next_publication(at(5700), seconds(1)), milliseconds(400));
  EXPECT_EQ(until_next_publication(at(120'000), seconds(60)), milliseconds(6000));
}

}  // namespace
}  // namespace services::ecs
