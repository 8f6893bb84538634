// PutMetricData, GetMetricStatistics, GetMetricData and ListMetrics.

#include <boost/json.hpp>

#include "services/cloudwatch/cloudwatch_test_support.h"

namespace services::cloudwatch {
namespace {

namespace json = boost::json;

class MetricHandlersTest : public CloudWatchHandlersTest {
 protected:
  json::object stats(const std::string& name, double start_s, double end_s, int period,
                     json::object extra = {}) {
    json::object in{{"Namespace", "App"},
                    {"MetricName", name},
                    {"StartTime", start_s},
                    {"EndTime", end_s},
                    {"Period", period}};
    for (auto& [k, v] : extra) in[k] = v;
    if (!in.contains("Statistics") && !in.contains("ExtendedStatistics")) {
      in["Statistics"] = json::array{"Sum", "Average", "Minimum", "Maximum", "SampleCount"};
    }
    return ok("GetMetricStatistics", in);
  }
};

TEST_F(MetricHandlersTest, StatisticsPerPeriod) {
  put_minutes("App", "Lat", {1, 3, 5, 7});
  json::object r = stats("Lat", now_s() - 600, now_s(), 120);
  const json::array& p = r["Datapoints"].as_array();
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].at("Sum"), 4.0);
  EXPECT_EQ(p[0].at("Average"), 2.0);
  EXPECT_EQ(p[1].at("Minimum"), 5.0);
  EXPECT_EQ(p[1].at("Maximum"), 7.0);
  EXPECT_EQ(p[1].at("SampleCount"), 2.0);
  EXPECT_EQ(p[1].at("Unit"), "None");
}

TEST_F(MetricHandlersTest, HighResolutionPeriodsOnlyForRecentData) {
  for (int i = 0; i < 4; ++i) {
    ok("PutMetricData",
       json::object{{"Namespace", "App"},
                    {"MetricData", json::array{json::object{{"MetricName", "H"},
                                                            {"Value", i},
                                                            {"Timestamp", now_s() + i * 10},
                                                            {"StorageResolution", 1}}}}});
  }
  EXPECT_EQ(stats("H", now_s(), now_s() + 60, 10)["Datapoints"].as_array().size(), 4u);
  clock_.advance(std::chrono::hours(4));
  EXPECT_TRUE(stats("H", now_s() - 4 * 3600, now_s(), 10)["Datapoints"].as_array().empty());
  EXPECT_EQ(stats("H", now_s() - 4 * 3600, now_s(), 60)["Datapoints"].as_array().size(), 1u);
}

TEST_F(MetricHandlersTest, ValuesCountsAndStatisticSets) {
  ok("PutMetricData", J(R"({"Namespace":"App","MetricData":[
      {"MetricName":"D","Values":[1,2,100],"Counts":[10,5,1],"Unit":"Milliseconds"},
      {"MetricName":"D","StatisticValues":{"SampleCount":4,"Sum":20,"Minimum":2,"Maximum":8},
       "Unit":"Milliseconds"}]})"));
  json::object r = stats("D", now_s() - 60, now_s() + 60, 120);
  const json::object& p = r["Datapoints"].as_array()[0].as_object();
  EXPECT_EQ(p.at("SampleCount"), 20.0);
  EXPECT_EQ(p.at("Sum"), 10 + 10 + 100 + 20.0);
  EXPECT_EQ(p.at("Maximum"), 100.0);
  EXPECT_EQ(p.at("Unit"), "Milliseconds");
  r = stats("D", now_s() - 60, now_s() + 60, 120,
            {{"ExtendedStatistics", json::array{"p50", "p99"}}});
  const json::object& e = r["Datapoints"].as_array()[0].at("ExtendedStatistics").as_object();
  EXPECT_EQ(e.at("p50"), 1.0);  // 10 of the 16 published values are 1
  EXPECT_EQ(e.at("p99"), 100.0);
}

TEST_F(MetricHandlersTest, UnitFilterAndUnitsApart) {
  ok("PutMetricData", J(R"({"Namespace":"App","MetricData":[
      {"MetricName":"U","Value":1,"Unit":"Count"},{"MetricName":"U","Value":5,"Unit":"Bytes"}]})"));
  EXPECT_EQ(stats("U", now_s() - 60, now_s() + 60, 120)["Datapoints"].as_array().size(), 2u);
  json::object r = stats("U", now_s() - 60, now_s() + 60, 120, {{"Unit", "Bytes"}});
  ASSERT_EQ(r["Datapoints"].as_array().size(), 1u);
  EXPECT_EQ(r["Datapoints"].as_array()[0].at("Sum"), 5.0);
}

TEST_F(MetricHandlersTest, PutMetricDataRejectsWhatCloudWatchRejects) {
  EXPECT_EQ(err("PutMetricData", R"({"Namespace":"AWS/ECS","MetricData":[
      {"MetricName":"m","Value":1}]})")
                .code,
            "InvalidParameterValue");
  EXPECT_EQ(err("PutMetricData", R"({"Namespace":"App","MetricData":[{"MetricName":"m"}]})").code,
            "MissingParameter");
  protocol::AwsError e = err("PutMetricData", R"({"Namespace":"App","MetricData":[
      {"MetricName":"m","Value":1},{"MetricName":"m","Value":1,"Values":[1]}]})");
  EXPECT_EQ(e.code, "InvalidParameterCombination");
  EXPECT_EQ(e.message,
            "The parameters MetricData.member.2.Value and MetricData.member.2.Values are "
            "mutually exclusive and you have specified both.");
  EXPECT_EQ(err("PutMetricData", R"({"Namespace":"App","MetricData":[
      {"MetricName":"m","Values":[1,2],"Counts":[1]}]})")
                .code,
            "InvalidParameterValue");
  EXPECT_EQ(err("PutMetricData", R"({"Namespace":"App","MetricData":[
      {"MetricName":"m","Value":1,"StorageResolution":10}]})")
                .code,
            "InvalidParameterValue");
  EXPECT_EQ(err("PutMetricData", R"({"Namespace":"App","MetricData":[
      {"MetricName":"m","Value":1e200}]})")
                .code,
            "InvalidParameterValue");
  json::object late{
      {"Namespace", "App"},
      {"MetricData", json::array{json::object{
                         {"MetricName", "m"}, {"Value", 1}, {"Timestamp", now_s() - 15 * 86400}}}}};
  EXPECT_EQ(err("PutMetricData", late).code, "InvalidParameterValue");
  late["MetricData"].as_array()[0].as_object()["Timestamp"] = now_s() + 3 * 3600;
  EXPECT_EQ(err("PutMetricData", late).code, "InvalidParameterValue");
}

TEST_F(MetricHandlersTest, GetMetricStatisticsLimits) {
  EXPECT_EQ(err("GetMetricStatistics", json::object{{"Namespace", "App"},
                                                    {"MetricName", "m"},
                                                    {"StartTime", now_s() - 60},
                                                    {"EndTime", now_s()},
                                                    {"Period", 60}})
                .code,
            "MissingParameter");
  protocol::AwsError e =
      err("GetMetricStatistics", json::object{{"Namespace", "App"},
                                              {"MetricName", "m"},
                                              {"StartTime", now_s() - 86460},
                                              {"EndTime", now_s()},
                                              {"Period", 60},
                                              {"Statistics", json::array{"Sum"}}});
  EXPECT_EQ(e.code, "InvalidParameterCombination");
  EXPECT_EQ(e.message,
            "You have requested up to 1,441 datapoints, which exceeds the limit of 1,440. You may "
            "reduce the datapoints requested by increasing Period, or decreasing the time "
            "range.");
  EXPECT_EQ(err("GetMetricStatistics", json::object{{"Namespace", "App"},
                                                    {"MetricName", "m"},
                                                    {"StartTime", now_s() - 600},
                                                    {"EndTime", now_s()},
                                                    {"Period", 61},
                                                    {"Statistics", json::array{"Sum"}}})
                .code,
            "InvalidParameterValue");
}

TEST_F(MetricHandlersTest, ListMetricsFiltersByDimensionsAndActivity) {
  put_minutes("App", "A", {1}, 1, json::array{json::object{{"Name", "H"}, {"Value", "x"}}});
  clock_.advance(std::chrono::hours(4));
  put_minutes("App", "B", {1}, 1,
              json::array{json::object{{"Name", "H"}, {"Value", "y"}},
                          json::object{{"Name", "AZ"}, {"Value", "a"}}});
  EXPECT_EQ(ok("ListMetrics", "{}")["Metrics"].as_array().size(), 2u);
  json::object r = ok("ListMetrics", R"({"RecentlyActive":"PT3H"})");
  ASSERT_EQ(r["Metrics"].as_array().size(), 1u);
  // Dimensions come back sorted by name.
  EXPECT_EQ(r["Metrics"].as_array()[0].at("Dimensions"),
            J(R"({"d":[{"Name":"AZ","Value":"a"},{"Name":"H","Value":"y"}]})")["d"]);
  EXPECT_EQ(ok("ListMetrics", R"({"Dimensions":[{"Name":"H","Value":"x"}]})")["Metrics"]
                .as_array()
                .size(),
            1u);
  EXPECT_EQ(ok("ListMetrics", R"({"Dimensions":[{"Name":"H"}]})")["Metrics"].as_array().size(), 2u);
}

TEST_F(MetricHandlersTest, ListMetricsPagesByFiveHundred) {
  json::array data;
  for (int i = 0; i < 501; ++i) {
    data.push_back(json::object{{"MetricName", "m" + std::to_string(i)}, {"Value", 1}});
  }
  ok("PutMetricData", json::object{{"Namespace", "App"}, {"MetricData", data}});
  json::object page = ok("ListMetrics", "{}");
  EXPECT_EQ(page["Metrics"].as_array().size(), 500u);
  json::object rest = ok("ListMetrics", json::object{{"NextToken", page["NextToken"]}});
  ASSERT_EQ(rest["Metrics"].as_array().size(), 1u);
  EXPECT_EQ(rest["Metrics"].as_array()[0].at("MetricName"), "m500");
  EXPECT_FALSE(rest.contains("NextToken"));
  EXPECT_EQ(err("ListMetrics", R"({"NextToken":"bm9wZQ=="})").code, "InvalidNextToken");
}

TEST_F(MetricHandlersTest, GetMetricDataMathAndScanOrder) {
  put_minutes("App", "A", {1, 2, 3});
  put_minutes("App", "B", {10, 20, 30});
  json::object in = J(R"({"MetricDataQueries":[
      {"Id":"a","MetricStat":{"Metric":{"Namespace":"App","MetricName":"A"},"Period":60,
       "Stat":"Sum"}},
      {"Id":"b","MetricStat":{"Metric":{"Namespace":"App","MetricName":"B"},"Period":60,
       "Stat":"Sum"},"ReturnData":false},
      {"Id":"e","Expression":"b / a","Label":"ratio"}]})");
  in["StartTime"] = now_s() - 600;
  in["EndTime"] = now_s();
  json::object r = ok("GetMetricData", in);
  const json::array& res = r["MetricDataResults"].as_array();
  ASSERT_EQ(res.size(), 2u);
  EXPECT_EQ(res[0].at("Label"), "A");
  EXPECT_EQ(res[0].at("Values"), (json::array{3.0, 2.0, 1.0}));  // newest first by default
  EXPECT_EQ(res[1].at("Label"), "ratio");
  EXPECT_EQ(res[1].at("Values"), (json::array{10.0, 10.0, 10.0}));
  in["MetricDataQueries"].as_array()[2].as_object()["Expression"] = "e * 2";
  EXPECT_EQ(err("GetMetricData", in).code, "ValidationError");
}

}  // namespace
}  // namespace services::cloudwatch
