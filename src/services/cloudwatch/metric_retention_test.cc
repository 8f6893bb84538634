// Roll-ups and expiry of metric data, on the injected clock.

#include "services/cloudwatch/metric_retention.h"

#include <boost/json.hpp>
#include <tuple>

#include "services/cloudwatch/cloudwatch_test_support.h"
#include "services/cloudwatch/store_metric_sink.h"

namespace services::cloudwatch {
namespace {

namespace json = boost::json;

class MetricRetentionTest : public CloudWatchHandlersTest {
 protected:
  std::vector<Sample> stored(const std::string& name) {
    store::Transaction tx = db_.read();
    CloudWatchStore st(tx);
    std::optional<int64_t> id = st.metric_id("123456789012", "us-east-1", "App", name, {});
    std::vector<Sample> out = id ? st.samples(*id, 0, INT64_MAX) : std::vector<Sample>{};
    tx.commit();
    return out;
  }
  void put_high_res(double value, double at_s) {
    ok("PutMetricData",
       json::object{{"Namespace", "App"},
                    {"MetricData", json::array{json::object{{"MetricName", "Hi"},
                                                            {"Value", value},
                                                            {"Timestamp", at_s},
                                                            {"StorageResolution", 1}}}}});
  }

  MetricRetention retention_{db_, clock_};
};

TEST_F(MetricRetentionTest, HighResolutionDataRollsUpToMinutesAfterThreeHours) {
  int64_t minute = now_ms();  // the fixture's clock starts on a minute
  put_high_res(1, now_s() + 1);
  put_high_res(3, now_s() + 2);
  put_high_res(8, now_s() + 61);
  clock_.advance(std::chrono::hours(3) - std::chrono::seconds(1));
  EXPECT_EQ(retention_.sweep().rolled_up, 0);
  clock_.advance(std::chrono::minutes(2));
  EXPECT_EQ(retention_.sweep().rolled_up, 3);
  std::vector<Sample> s = stored("Hi");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].resolution_s, 60);
  EXPECT_EQ(s[0].ts_ms, minute);
  EXPECT_EQ(s[1].ts_ms, minute + 60'000);
  EXPECT_EQ(s[0].count, 2);
  EXPECT_EQ(s[0].sum, 4);
  EXPECT_EQ(s[0].min, 1);
  EXPECT_EQ(s[0].max, 3);
  EXPECT_EQ(s[0].values.size(), 2u);  // percentiles still work
  EXPECT_EQ(s[1].sum, 8);
}

TEST_F(MetricRetentionTest, MinuteDataRollsUpAndOldDataExpires) {
  put_minutes("App", "M", {1, 2, 3, 4, 5, 6});
  clock_.advance(std::chrono::hours(15 * 24 + 1));
  retention_.sweep();
  std::vector<Sample> s = stored("M");
  ASSERT_LE(s.size(), 2u);  // six minutes fall into one or two 5-minute buckets
  double sum = 0;
  for (const Sample& x : s) {
    EXPECT_EQ(x.resolution_s, 300);
    EXPECT_EQ(x.ts_ms % 300'000, 0);
    sum += x.sum;
  }
  EXPECT_EQ(sum, 21);
  clock_.advance(std::chrono::hours(48 * 24));
  retention_.sweep();
  ASSERT_EQ(stored("M").size(), 1u);
  EXPECT_EQ(stored("M")[0].resolution_s, 3600);
  clock_.advance(std::chrono::hours(455 * 24));
  EXPECT_EQ(retention_.sweep().deleted, 1);
  EXPECT_TRUE(stored("M").empty());
}

TEST_F(MetricRetentionTest, SinkAcceptsAwsNamespacesAndRejectsBadData) {
  StoreMetricSink sink(db_, clock_);
  EXPECT_TRUE(sink.put("123456789012", "us-east-1", "AWS/ECS", "CPUUtilization",
                       {{"ServiceName", "web"}, {"ClusterName", "c"}}, 42, "Percent",
                       clock_.now()));
  EXPECT_FALSE(
      sink.put("123456789012", "us-east-1", "AWS/ECS", "x", {}, 1, "Furlongs", clock_.now()));
  json::object r = ok("ListMetrics", R"({"Namespace":"AWS/ECS"})");
  ASSERT_EQ(r["Metrics"].as_array().size(), 1u);
  EXPECT_EQ(r["Metrics"].as_array()[0].at("Dimensions").as_array()[0].at("Name"), "ClusterName");
}

TEST_F(MetricRetentionTest, SinkStoresAStatisticSetAsOneSample) {
  StoreMetricSink sink(db_, clock_);
  StatisticSet set{4, 1.0, 0.1, 0.55, {{0.1, 1}, {0.15, 2}, {0.55, 1}}};
  EXPECT_TRUE(sink.put_statistics("123456789012", "us-east-1", "App", "Latency", {}, set, "Seconds",
                                  clock_.now()));
  std::vector<Sample> s = stored("Latency");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].unit, "Seconds");
  EXPECT_EQ(std::make_tuple(s[0].count, s[0].sum, s[0].min, s[0].max),
            std::make_tuple(4.0, 1.0, 0.1, 0.55));
  EXPECT_EQ(s[0].values, set.values);
  StatisticSet empty{0, 0, 0, 0, {}};
  EXPECT_FALSE(sink.put_statistics("123456789012", "us-east-1", "App", "Latency", {}, empty,
                                   "Seconds", clock_.now()));
  StatisticSet inverted{2, 1, 0.9, 0.1, {}};
  EXPECT_FALSE(sink.put_statistics("123456789012", "us-east-1", "App", "Latency", {}, inverted,
                                   "Seconds", clock_.now()));
  EXPECT_EQ(stored("Latency").size(), 1u);
}

TEST_F(MetricRetentionTest, SinkPutAllStoresTheValidValuesTogether) {
  StoreMetricSink sink(db_, clock_);
  std::vector<Datum> data = {
      {"AWS/ECS", "CPUUtilization", {{"ClusterName", "c"}}, 10, "Percent"},
      {"AWS/ECS", "CPUUtilization", {{"ClusterName", "c"}}, 30, "Percent"},
      {"AWS/ECS", "Bad", {}, 1, "Furlongs"},
      {"AWS/ECS", "MemoryUtilization", {{"ClusterName", "c"}}, 5, "Percent"}};
  EXPECT_EQ(sink.put_all("123456789012", "us-east-1", data, clock_.now()), 3u);
  json::object r = ok("ListMetrics", R"({"Namespace":"AWS/ECS"})");
  EXPECT_EQ(r["Metrics"].as_array().size(), 2u);
  store::Transaction tx = db_.read();
  CloudWatchStore st(tx);
  std::optional<int64_t> id = st.metric_id("123456789012", "us-east-1", "AWS/ECS", "CPUUtilization",
                                           {{"ClusterName", "c"}});
  ASSERT_TRUE(id);
  EXPECT_EQ(st.samples(*id, 0, INT64_MAX).size(), 2u);
}

}  // namespace
}  // namespace services::cloudwatch
