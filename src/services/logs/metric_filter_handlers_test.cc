// PutMetricFilter, DescribeMetricFilters, DeleteMetricFilter, TestMetricFilter, and the datums
// PutLogEvents and the awslogs sink publish through the filters.

#include <gtest/gtest.h>

#include <mutex>

#include "services/logs/logs_test_support.h"
#include "services/logs/metric_filter_index.h"
#include "services/logs/store_log_sink.h"

namespace services::logs {
namespace {

struct Put {
  std::string ns, name;
  cloudwatch::Dimensions dims;
  double value;  // the sum of a statistic set
  std::string unit;
  int64_t ts_ms;
  cloudwatch::StatisticSet stats;
};

class RecordingSink final : public cloudwatch::MetricSink {
 public:
  bool put(const std::string& account, const std::string& region, const std::string& ns,
           const std::string& name, cloudwatch::Dimensions dims, double value,
           const std::string& unit, core::TimePoint ts) override {
    return put_statistics(account, region, ns, name, std::move(dims),
                          {1, value, value, value, {{value, 1}}}, unit, ts);
  }
  bool put_statistics(const std::string&, const std::string&, const std::string& ns,
                      const std::string& name, cloudwatch::Dimensions dims,
                      const cloudwatch::StatisticSet& stats, const std::string& unit,
                      core::TimePoint ts) override {
    std::lock_guard<std::mutex> lock(mutex);
    puts.push_back(
        {ns, name, std::move(dims), stats.sum, unit, core::to_epoch_millis(ts), stats});
    return true;
  }
  std::mutex mutex;
  std::vector<Put> puts;
};

class MetricFilterTest : public LogsHandlersTest {
 protected:
  MetricFilterTest() { logs_.set_metric_filters(&index_); }

  void filter(const std::string& g, const std::string& name, const std::string& pattern,
              boost::json::object t) {
    ok("PutMetricFilter", boost::json::object{{"logGroupName", g},
                                              {"filterName", name},
                                              {"filterPattern", pattern},
                                              {"metricTransformations", {std::move(t)}}});
  }
  protocol::AwsError bad_filter(const std::string& pattern, boost::json::object t) {
    return err("PutMetricFilter", boost::json::object{{"logGroupName", "g"},
                                                      {"filterName", "f"},
                                                      {"filterPattern", pattern},
                                                      {"metricTransformations", {std::move(t)}}});
  }
  static boost::json::object t(const std::string& value, const std::string& name = "M") {
    return {{"metricName", name}, {"metricNamespace", "App"}, {"metricValue", value}};
  }
  std::vector<std::string> names(const boost::json::object& in) {
    std::vector<std::string> out;
    boost::json::object reply = ok("DescribeMetricFilters", in);
    for (const auto& f : reply.at("metricFilters").as_array()) {
      out.emplace_back(f.at("filterName").as_string());
    }
    return out;
  }

  RecordingSink sink_;
  MetricFilterIndex index_{&sink_};
};

TEST_F(MetricFilterTest, PutDescribeDeleteRoundTrip) {
  group("g");
  boost::json::object tr = t("$.latency", "Latency");
  tr["unit"] = "Milliseconds";
  tr["defaultValue"] = 0.0;
  filter("g", "lat", "{ $.latency > 100 }", tr);
  boost::json::object out = ok("DescribeMetricFilters", J(R"({"logGroupName":"g"})"));
  ASSERT_EQ(out.at("metricFilters").as_array().size(), 1u);
  const boost::json::object& f = out.at("metricFilters").as_array()[0].as_object();
  EXPECT_EQ(f.at("filterName"), "lat");
  EXPECT_EQ(f.at("filterPattern"), "{ $.latency > 100 }");
  EXPECT_EQ(f.at("logGroupName"), "g");
  EXPECT_EQ(f.at("creationTime").as_int64(), now_ms());
  const boost::json::object& mt = f.at("metricTransformations").as_array()[0].as_object();
  EXPECT_EQ(mt.at("metricValue"), "$.latency");
  EXPECT_EQ(mt.at("unit"), "Milliseconds");
  EXPECT_EQ(mt.at("defaultValue").to_number<double>(), 0.0);

  filter("g", "lat", "{ $.latency > 200 }", t("1"));  // replaces
  out = ok("DescribeMetricFilters", J(R"({"logGroupName":"g"})"));
  EXPECT_EQ(out.at("metricFilters").as_array()[0].at("filterPattern"), "{ $.latency > 200 }");

  ok("DeleteMetricFilter", J(R"({"logGroupName":"g","filterName":"lat"})"));
  EXPECT_TRUE(names(J(R"({"logGroupName":"g"})")).empty());
  EXPECT_EQ(err("DeleteMetricFilter", R"({"logGroupName":"g","filterName":"lat"})").code,
            "ResourceNotFoundException");
}

TEST_F(MetricFilterTest, DescribeFiltersByPrefixMetricAndPages) {
  group("a");
  group("b");
  filter("a", "err-1", "ERROR", t("1", "Errors"));
  filter("a", "err-2", "ERROR", t("1", "Other"));
  filter("a", "warn", "WARN", t("1", "Errors"));
  filter("b", "err-1", "ERROR", t("1", "Errors"));
  EXPECT_EQ(names(J(R"({"logGroupName":"a","filterNamePrefix":"err"})")),
            (std::vector<std::string>{"err-1", "err-2"}));
  EXPECT_EQ(names(J(R"({"metricName":"Errors","metricNamespace":"App"})")),
            (std::vector<std::string>{"err-1", "warn", "err-1"}));
  EXPECT_EQ(err("DescribeMetricFilters", R"({"metricName":"Errors"})").code,
            "InvalidParameterException");
  EXPECT_EQ(err("DescribeMetricFilters", R"({"logGroupName":"nope"})").code,
            "ResourceNotFoundException");

  boost::json::object page = ok("DescribeMetricFilters", J(R"({"limit":3})"));
  ASSERT_EQ(page.at("metricFilters").as_array().size(), 3u);
  boost::json::object rest = ok(
      "DescribeMetricFilters", boost::json::object{{"nextToken", page.at("nextToken")}});
  ASSERT_EQ(rest.at("metricFilters").as_array().size(), 1u);
  EXPECT_EQ(rest.at("metricFilters").as_array()[0].at("logGroupName"), "b");
  EXPECT_FALSE(rest.contains("nextToken"));
}

TEST_F(MetricFilterTest, ValidationErrors) {
  EXPECT_EQ(bad_filter("ERROR", t("1")).code, "ResourceNotFoundException");
  group("g");
  EXPECT_EQ(bad_filter("{ $.x = ", t("1")).message, "Invalid metric filter pattern");
  EXPECT_EQ(bad_filter("ERROR", t("$.latency")).code, "InvalidParameterException");
  EXPECT_EQ(bad_filter("[ip, user]", t("$bytes")).code, "InvalidParameterException");
  EXPECT_EQ(bad_filter("ERROR", t("abc")).code, "InvalidParameterException");
  EXPECT_EQ(bad_filter("ERROR", t("1", "a:b")).code, "InvalidParameterException");
  boost::json::object dims = t("1");
  dims["dimensions"] = J(R"({"Host":"$.host"})");
  EXPECT_EQ(bad_filter("ERROR", dims).message,
            "The specified filter pattern does not support dimensions");
  dims["defaultValue"] = 0.0;
  EXPECT_EQ(bad_filter("{ $.a = 1 }", dims).code, "InvalidParameterException");
  boost::json::object four = t("1");
  four["dimensions"] = J(R"({"A":"$.a","B":"$.b","C":"$.c","D":"$.d"})");
  EXPECT_EQ(bad_filter("{ $.a = 1 }", four).code, "InvalidParameterException");
  boost::json::object constant = t("1");
  constant["dimensions"] = J(R"({"Host":"web"})");
  EXPECT_EQ(bad_filter("{ $.a = 1 }", constant).code, "InvalidParameterException");
  EXPECT_EQ(err("PutMetricFilter", boost::json::object{{"logGroupName", "g"},
                                                       {"filterName", "a*b"},
                                                       {"filterPattern", ""},
                                                       {"metricTransformations", {t("1")}}})
                .code,
            "InvalidParameterException");
  EXPECT_EQ(err("PutMetricFilter", boost::json::object{{"logGroupName", "g"},
                                                       {"filterName", "f"},
                                                       {"filterPattern", ""},
                                                       {"metricTransformations", {t("1"), t("1")}}})
                .code,
            "ValidationException");
}

TEST_F(MetricFilterTest, AHundredFiltersPerGroup) {
  group("g");
  for (int i = 0; i < 100; ++i) {
    filter("g", "f" + std::to_string(i), "ERROR", t("1"));
  }
  EXPECT_EQ(err("PutMetricFilter", boost::json::object{{"logGroupName", "g"},
                                                       {"filterName", "one-more"},
                                                       {"filterPattern", "ERROR"},
                                                       {"metricTransformations", {t("1")}}})
                .code,
            "LimitExceededException");
  filter("g", "f7", "WARN", t("1"));  // updating an existing one is fine
}

TEST_F(MetricFilterTest, FiltersGoWithTheirGroup) {
  group("g");
  filter("g", "f", "ERROR", t("1"));
  stream("g", "s");
  put("g", "s", {"ERROR boom"});  // the group's filters are now cached
  EXPECT_EQ(sink_.puts.size(), 1u);
  ok("DeleteLogGroup", J(R"({"logGroupName":"g"})"));
  group("g");  // SQLite hands the new group the same id
  EXPECT_TRUE(names(J(R"({"logGroupName":"g"})")).empty());
  stream("g", "s");
  put("g", "s", {"ERROR boom"});
  EXPECT_EQ(sink_.puts.size(), 1u);
}

TEST_F(MetricFilterTest, AWipedGroupsIdReusedLaterDoesNotInheritItsFilters) {
  group("g");
  filter("g", "f", "ERROR", t("1"));
  stream("g", "s");
  put("g", "s", {"ERROR boom"});
  ASSERT_EQ(sink_.puts.size(), 1u);
  {
    // What POST /_gantry/reset does after the Logs module's hook: rows gone, no invalidation.
    store::Transaction tx = db_.begin();
    tx.exec("DELETE FROM logs_metric_filters; DELETE FROM logs_events; DELETE FROM logs_streams;"
            "DELETE FROM logs_groups");
    tx.commit();
  }
  clock_.advance(std::chrono::seconds(1));
  group("other");  // gets g's id
  stream("other", "s");
  put("other", "s", {"ERROR boom"});
  EXPECT_EQ(sink_.puts.size(), 1u);
}

TEST_F(MetricFilterTest, TestMetricFilterReportsMatchesAndExtractedValues) {
  boost::json::object out = ok("TestMetricFilter", J(R"({
    "filterPattern": "[ip, user, status=5*, ...]",
    "logEventMessages": ["10.0.0.1 alice 200 12", "10.0.0.2 bob 503 7 x", "short"]})"));
  const boost::json::array& m = out.at("matches").as_array();
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].at("eventNumber").as_int64(), 1);
  EXPECT_EQ(m[0].at("eventMessage"), "10.0.0.2 bob 503 7 x");
  EXPECT_EQ(m[0].at("extractedValues"),
            J(R"({"$ip":"10.0.0.2","$user":"bob","$status":"503","$4":"7","$5":"x"})"));

  out = ok("TestMetricFilter", J(R"({"filterPattern": "{ $.latency > 100 }",
    "logEventMessages": ["{\"latency\": 150}", "{\"latency\": 50}", "not json"]})"));
  ASSERT_EQ(out.at("matches").as_array().size(), 1u);
  EXPECT_EQ(out.at("matches").as_array()[0].at("extractedValues"), J(R"({"$.latency":"150"})"));

  out = ok("TestMetricFilter", J(R"({"filterPattern": "ERROR",
    "logEventMessages": ["ERROR x", "fine"]})"));
  ASSERT_EQ(out.at("matches").as_array().size(), 1u);
  EXPECT_EQ(out.at("matches").as_array()[0].at("extractedValues"), boost::json::object{});
  EXPECT_EQ(err("TestMetricFilter", R"({"filterPattern":"{ $.a = ","logEventMessages":["x"]})")
                .code,
            "InvalidParameterException");
}

TEST_F(MetricFilterTest, PutLogEventsPublishesADatumPerMatchAtTheEventTime) {
  group("g");
  boost::json::object tr = t("$.latency", "Latency");
  tr["unit"] = "Milliseconds";
  tr["dimensions"] = J(R"({"Path":"$.path"})");
  filter("g", "lat", "{ $.latency > 100 }", tr);
  stream("g", "s");
  put("g", "s",
      {R"({"latency":150,"path":"/a"})", R"({"latency":50,"path":"/a"})",
       R"({"latency":300.5,"path":"/b"})", R"({"latency":400})"},
      now_ms() - 10);
  ASSERT_EQ(sink_.puts.size(), 2u);
  EXPECT_EQ(sink_.puts[0].ns, "App");
  EXPECT_EQ(sink_.puts[0].name, "Latency");
  EXPECT_EQ(sink_.puts[0].value, 150);
  EXPECT_EQ(sink_.puts[0].unit, "Milliseconds");
  EXPECT_EQ(sink_.puts[0].ts_ms, now_ms() - 10);
  EXPECT_EQ(sink_.puts[0].dims, (cloudwatch::Dimensions{{"Path", "/a"}}));
  EXPECT_EQ(sink_.puts[1].value, 300.5);
  EXPECT_EQ(sink_.puts[1].ts_ms, now_ms() - 8);
}

TEST_F(MetricFilterTest, DatumsOfOneMillisecondAreOneStatisticSet) {
  group("g");
  boost::json::object tr = t("$.ms", "Latency");
  tr["dimensions"] = J(R"({"Path":"$.path"})");
  filter("g", "lat", "{ $.ms > 0 }", tr);
  StoreLogSink sink(db_, clock_);
  sink.set_metric_filters(&index_);
  int64_t t0 = now_ms();
  sink.append({"123456789012", "us-east-1", "g", "task/1"},
              {{t0, R"({"ms":5,"path":"/a"})"},
               {t0, R"({"ms":7,"path":"/a"})"},
               {t0, R"({"ms":5,"path":"/a"})"},
               {t0, R"({"ms":9,"path":"/b"})"},
               {t0 + 1, R"({"ms":1,"path":"/a"})"}});
  sink.flush();
  ASSERT_EQ(sink_.puts.size(), 3u);  // (/a, t0), (/b, t0), (/a, t0 + 1)
  const Put* a0 = nullptr;
  for (const Put& p : sink_.puts) {
    if (p.ts_ms == t0 && p.dims == cloudwatch::Dimensions{{"Path", "/a"}}) {
      a0 = &p;
    }
  }
  ASSERT_NE(a0, nullptr);
  EXPECT_EQ(a0->stats.sample_count, 3);
  EXPECT_EQ(a0->stats.sum, 17);
  EXPECT_EQ(a0->stats.minimum, 5);
  EXPECT_EQ(a0->stats.maximum, 7);
  EXPECT_EQ(a0->stats.values, (std::vector<std::pair<double, double>>{{5, 2}, {7, 1}}));
}

TEST_F(MetricFilterTest, DefaultValueForAMinuteWithEventsButNoMatch) {
  group("g");
  boost::json::object tr = t("1", "Errors");
  tr["defaultValue"] = 0.0;
  filter("g", "errors", "[ip, user, status=5*, ...]", tr);
  stream("g", "s");
  put("g", "s", {"1.2.3.4 bob 200 1", "1.2.3.4 bob 201 1"});
  ASSERT_EQ(sink_.puts.size(), 1u);
  EXPECT_EQ(sink_.puts[0].value, 0);
  EXPECT_EQ(sink_.puts[0].unit, "None");
  sink_.puts.clear();
  put("g", "s", {"1.2.3.4 bob 503 1", "1.2.3.4 bob 200 1", "1.2.3.4 bob 500 1"});
  ASSERT_EQ(sink_.puts.size(), 2u);  // two matches, no default in a minute that matched
  EXPECT_EQ(sink_.puts[0].value, 1);
  EXPECT_EQ(sink_.puts[1].value, 1);
}

TEST_F(MetricFilterTest, FieldValuesFromSpaceDelimitedEvents) {
  group("g");
  boost::json::object tr = t("$bytes", "Bytes");
  tr["dimensions"] = J(R"({"Status":"$status"})");
  filter("g", "bytes", "[ip, user, status, bytes > 10]", tr);
  stream("g", "s");
  put("g", "s", {"1.2.3.4 bob 200 1500", "1.2.3.4 bob 404 5", "1.2.3.4 bob 200 x1"});
  ASSERT_EQ(sink_.puts.size(), 1u);
  EXPECT_EQ(sink_.puts[0].value, 1500);
  EXPECT_EQ(sink_.puts[0].dims, (cloudwatch::Dimensions{{"Status", "200"}}));
}

TEST_F(MetricFilterTest, TheAwslogsSinkPublishesAfterWriting) {
  group("g");
  filter("g", "errors", "ERROR", t("1", "Errors"));
  StoreLogSink sink(db_, clock_);
  sink.set_metric_filters(&index_);
  int64_t t0 = now_ms();
  sink.append({"123456789012", "us-east-1", "g", "task/1"}, {{t0, "ERROR a"}, {t0 + 1, "ok"}});
  sink.flush();
  ASSERT_EQ(sink_.puts.size(), 1u);
  EXPECT_EQ(sink_.puts[0].name, "Errors");
  EXPECT_EQ(sink_.puts[0].ts_ms, t0);
}

}  // namespace
}  // namespace services::logs
