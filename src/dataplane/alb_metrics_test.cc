#include "dataplane/alb_metrics.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

namespace dataplane {
namespace {

using namespace std::chrono_literals;

constexpr const char* kLb =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188";
constexpr const char* kTg =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/73e2d6bc24d8a067";

core::TimePoint at(int seconds) { return core::TimePoint(std::chrono::seconds(seconds)); }

SnapshotTarget target(std::string ip, TargetState state, std::string zone = "") {
  SnapshotTarget t;
  t.id = std::move(ip);
  t.port = 80;
  t.state = state;
  t.availability_zone = std::move(zone);
  return t;
}

AlbSnapshot snapshot(std::vector<SnapshotTarget> targets, bool health_checks = true) {
  AlbSnapshot s;
  SnapshotLoadBalancer lb;
  lb.arn = kLb;
  lb.account = "123456789012";
  lb.region = "us-east-1";
  s.load_balancers = {lb};
  SnapshotTargetGroup g;
  g.arn = kTg;
  g.health_check.enabled = health_checks;
  g.load_balancer_arns = {kLb};
  g.targets = std::move(targets);
  s.target_groups[g.arn] = g;
  return s;
}

using Dims = std::vector<std::pair<std::string, std::string>>;
const Dims kLbDims{{"LoadBalancer", "app/web/50dc6c495c0c9188"}};
const Dims kTgLbDims{{"TargetGroup", "targetgroup/api/73e2d6bc24d8a067"},
                     {"LoadBalancer", "app/web/50dc6c495c0c9188"}};
const Dims kTgDims{{"TargetGroup", "targetgroup/api/73e2d6bc24d8a067"}};

const AlbMetricDatum* find(const std::vector<AlbMetricDatum>& data, const std::string& name,
                           const Dims& dims) {
  for (const auto& d : data) {
    if (d.name == name && d.dimensions == dims) return &d;
  }
  return nullptr;
}

double value_of(const std::vector<AlbMetricDatum>& data, const std::string& name,
                const Dims& dims) {
  const AlbMetricDatum* d = find(data, name, dims);
  EXPECT_NE(d, nullptr) << name;
  return d == nullptr ? -1 : d->sum;
}

TEST(AlbMetricsDimensions, AreTheArnsResourcePartsAsAwsWritesThem) {
  EXPECT_EQ(load_balancer_dimension(kLb), "app/web/50dc6c495c0c9188");
  EXPECT_EQ(target_group_dimension(kTg), "targetgroup/api/73e2d6bc24d8a067");
}

TEST(ResponseTimes, EveryValueFallsInABucketWithinNinePercentOfIt) {
  int last = -1;
  for (uint64_t us = 1; us < (uint64_t{1} << 36); us = us * 5 / 4 + 1) {
    int b = ResponseTimes::bucket_of(us);
    EXPECT_GE(b, last);
    last = b;
    double mid = ResponseTimes::bucket_seconds(b) * 1e6;
    EXPECT_NEAR(mid, static_cast<double>(us), 0.09 * static_cast<double>(us) + 0.5) << us;
  }
  EXPECT_EQ(ResponseTimes::bucket_of(~uint64_t{0}), ResponseTimes::kBuckets - 1);
}

TEST(AlbCounters, CountWhoAnsweredAndHowLongTheTargetTook) {
  AlbCounters c;
  c.record({.target_chosen = true, .target_status = 200, .target_time = 2ms});
  c.record({.target_chosen = true, .target_status = 204, .target_time = 4ms});
  c.record({.target_chosen = true, .target_status = 500, .target_time = 12ms});
  c.record({.target_chosen = true, .elb_status = 504});
  c.record({.elb_status = 503});
  c.record({.elb_status = 301});
  AlbCounts n = c.take();
  EXPECT_EQ(n.requests, 4u);
  EXPECT_EQ(n.target_codes, (std::array<uint64_t, 4>{2, 0, 0, 1}));
  EXPECT_EQ(n.elb_codes, (std::array<uint64_t, 4>{0, 1, 0, 2}));
  EXPECT_EQ(n.elb_5xx, (std::array<uint64_t, 4>{0, 0, 1, 1}));
  EXPECT_EQ(n.response_times.count, 3u);
  EXPECT_EQ(n.response_times.sum_us, 18000u);
  EXPECT_EQ(n.response_times.min_us, 2000u);
  EXPECT_EQ(n.response_times.max_us, 12000u);
  EXPECT_EQ(n.response_times.buckets.size(), 3u);
  AlbCounts again = c.take();
  EXPECT_EQ(again.requests, 0u);
  EXPECT_EQ(again.response_times.count, 0u);
  EXPECT_TRUE(again.response_times.buckets.empty());
}

TEST(AlbMetrics, TakeLeavesOutPairsWithNothingCounted) {
  AlbMetrics m;
  m.counters(kLb, kTg).record({.target_chosen = true, .target_status = 200});
  m.counters(kLb, "");
  auto taken = m.take();
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken.begin()->first, (AlbMetrics::Key{kLb, kTg}));
  EXPECT_TRUE(m.take().empty());
}

TEST(AlbMetrics, CountsFromManyThreadsAddUpAcrossConcurrentTakes) {
  AlbMetrics m;
  constexpr int kThreads = 4;
  constexpr int kEach = 20000;
  std::atomic<bool> done{false};
  uint64_t requests = 0;
  uint64_t timed = 0;
  std::thread taker([&] {
    while (!done.load()) {
      for (const auto& [key, c] : m.take()) {
        requests += c.requests;
        timed += c.response_times.count;
      }
    }
  });
  std::vector<std::thread> workers;
  auto snap = std::make_shared<const AlbSnapshot>(snapshot({}));
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&] {
      AlbCountersCache cache;
      for (int i = 0; i < kEach; ++i) {
        cache.get(m, snap, snap->load_balancers[0], snap->target_group(kTg))
            .record({.target_chosen = true, .target_status = 200, .target_time = 1ms});
      }
    });
  }
  for (auto& w : workers) w.join();
  done = true;
  taker.join();
  for (const auto& [key, c] : m.take()) {
    requests += c.requests;
    timed += c.response_times.count;
  }
  EXPECT_EQ(requests, uint64_t{kThreads * kEach});
  EXPECT_EQ(timed, uint64_t{kThreads * kEach});
}

TEST(AlbCountersCache, FindsThePairsCountersAcrossSnapshots) {
  AlbMetrics m;
  AlbCountersCache cache;
  auto one = std::make_shared<const AlbSnapshot>(snapshot({}));
  auto two = std::make_shared<const AlbSnapshot>(snapshot({}));
  AlbCounters& a = cache.get(m, one, one->load_balancers[0], one->target_group(kTg));
  EXPECT_EQ(&cache.get(m, one, one->load_balancers[0], one->target_group(kTg)), &a);
  EXPECT_EQ(&cache.get(m, two, two->load_balancers[0], two->target_group(kTg)), &a);
  EXPECT_NE(&cache.get(m, two, two->load_balancers[0], nullptr), &a);
  EXPECT_EQ(&m.counters(kLb, kTg), &a);
}

TEST(AlbMetricData, PublishesRequestMetricsPerLoadBalancerAndPerTargetGroup) {
  AlbCounters tg;
  for (int i = 0; i < 9; ++i) {
    tg.record({.target_chosen = true, .target_status = 200, .target_time = 10ms});
  }
  tg.record({.target_chosen = true, .target_status = 503, .target_time = 30ms});
  AlbCounters lb;
  lb.record({.elb_status = 503});
  lb.record({.elb_status = 503});
  std::map<AlbMetrics::Key, AlbCounts> counts;
  counts[{kLb, kTg}] = tg.take();
  counts[{kLb, ""}] = lb.take();
  auto data = alb_metric_data(
      snapshot({target("10.0.1.5", TargetState::Healthy, "us-east-1a"),
                target("10.0.2.5", TargetState::Healthy, "us-east-1b"),
                target("10.0.2.6", TargetState::Unhealthy, "us-east-1b")}),
      counts, at(120));
  for (const Dims& dims : {kLbDims, kTgLbDims}) {
    EXPECT_EQ(value_of(data, "RequestCount", dims), 10);
    EXPECT_EQ(value_of(data, "HTTPCode_Target_2XX_Count", dims), 9);
    EXPECT_EQ(value_of(data, "HTTPCode_Target_5XX_Count", dims), 1);
    EXPECT_EQ(find(data, "HTTPCode_Target_4XX_Count", dims), nullptr);  // only when nonzero
    const AlbMetricDatum* rt = find(data, "TargetResponseTime", dims);
    ASSERT_NE(rt, nullptr);
    EXPECT_EQ(rt->unit, "Seconds");
    EXPECT_EQ(rt->count, 10);
    EXPECT_NEAR(rt->sum, 0.12, 1e-9);
    EXPECT_NEAR(rt->min, 0.01, 1e-9);
    EXPECT_NEAR(rt->max, 0.03, 1e-9);
    ASSERT_EQ(rt->values.size(), 2u);
    EXPECT_EQ(rt->values[0].second, 9);
  }
  EXPECT_EQ(value_of(data, "HTTPCode_ELB_5XX_Count", kLbDims), 2);
  EXPECT_EQ(value_of(data, "HTTPCode_ELB_503_Count", kLbDims), 2);
  EXPECT_EQ(find(data, "HTTPCode_ELB_5XX_Count", kTgLbDims), nullptr);
  EXPECT_EQ(value_of(data, "RequestCountPerTarget", kTgLbDims), 5);  // 10 over 2 healthy
  EXPECT_EQ(value_of(data, "RequestCountPerTarget", kTgDims), 5);
  EXPECT_EQ(value_of(data, "HealthyHostCount", kTgLbDims), 2);
  EXPECT_EQ(value_of(data, "UnHealthyHostCount", kTgLbDims), 1);
  Dims zone_b{kTgLbDims[0], {"AvailabilityZone", "us-east-1b"}, kTgLbDims[1]};
  EXPECT_EQ(value_of(data, "HealthyHostCount", zone_b), 1);
  EXPECT_EQ(value_of(data, "UnHealthyHostCount", zone_b), 1);
  for (const auto& d : data) {
    EXPECT_EQ(d.account, "123456789012");
    EXPECT_EQ(d.region, "us-east-1");
    EXPECT_EQ(d.timestamp, at(120));
  }
}

TEST(AlbMetricData, WithoutRequestsPublishesOnlyTheEveryMinuteMetrics) {
  auto data = alb_metric_data(snapshot({target("10.0.1.5", TargetState::Initial)}), {}, at(60));
  std::set<std::string> names;
  for (const auto& d : data) names.insert(d.name);
  EXPECT_EQ(names, (std::set<std::string>{"RequestCountPerTarget", "HealthyHostCount",
                                          "UnHealthyHostCount"}));
  EXPECT_EQ(value_of(data, "RequestCountPerTarget", kTgDims), 0);
  EXPECT_EQ(value_of(data, "HealthyHostCount", kTgLbDims), 0);  // initial is neither
  EXPECT_EQ(value_of(data, "UnHealthyHostCount", kTgLbDims), 0);
}

TEST(AlbMetricData, WithNoHealthyTargetRequestsPerTargetDividesByTheRegisteredOnes) {
  AlbCounters tg;
  for (int i = 0; i < 6; ++i) tg.record({.target_chosen = true, .elb_status = 502});
  std::map<AlbMetrics::Key, AlbCounts> counts{{{kLb, kTg}, tg.take()}};
  auto data = alb_metric_data(snapshot({target("10.0.1.5", TargetState::Unhealthy),
                                        target("10.0.1.6", TargetState::Unhealthy),
                                        target("10.0.1.7", TargetState::Unhealthy)},
                                       /*health_checks=*/false),
                              counts, at(60));
  EXPECT_EQ(value_of(data, "RequestCountPerTarget", kTgLbDims), 2);
  EXPECT_EQ(value_of(data, "HTTPCode_ELB_502_Count", kLbDims), 6);
  EXPECT_EQ(find(data, "HealthyHostCount", kTgLbDims), nullptr);  // health checks off
}

TEST(AlbMetricData, DropsCountsOfALoadBalancerNoLongerInTheSnapshot) {
  AlbCounters gone;
  gone.record({.target_chosen = true, .target_status = 200});
  std::map<AlbMetrics::Key, AlbCounts> counts{{{"arn:lb/deleted", ""}, gone.take()}};
  AlbSnapshot empty;
  EXPECT_TRUE(alb_metric_data(empty, counts, at(60)).empty());
}

}  // namespace
}  // namespace dataplane
