// Alarm operations and the evaluator: state changes, history and actions.

#include "services/cloudwatch/alarm_evaluator.h"

#include <boost/json.hpp>

#include "services/cloudwatch/cloudwatch_test_support.h"

namespace services::cloudwatch {
namespace {

namespace json = boost::json;

class RecordingSink final : public AlarmActionSink {
 public:
  bool handles(std::string_view arn) const override {
    return arn.starts_with("arn:aws:autoscaling:");
  }
  ActionOutcome invoke(const AlarmActionEvent& e) override {
    events.push_back(e);
    return outcome;
  }
  std::vector<AlarmActionEvent> events;
  ActionOutcome outcome;
};

constexpr const char* kPolicy =
    "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:1234:resource/ecs/service/c/s:"
    "policyName/up";

class AlarmEvaluatorTest : public CloudWatchHandlersTest {
 protected:
  AlarmEvaluatorTest() { evaluator_.add_action_sink(sink_); }

  void put_alarm(const std::string& name, int n, int m, const std::string& missing = "missing") {
    json::object in = J(R"({"Namespace":"App","MetricName":"Cpu","Statistic":"Average",
        "Period":60,"Threshold":70,"ComparisonOperator":"GreaterThanThreshold"})");
    in["AlarmName"] = name;
    in["EvaluationPeriods"] = n;
    in["DatapointsToAlarm"] = m;
    in["TreatMissingData"] = missing;
    in["AlarmActions"] = json::array{kPolicy, "arn:aws:sns:us-east-1:123456789012:ops"};
    in["OKActions"] = json::array{"arn:aws:sns:us-east-1:123456789012:ok"};
    ok("PutMetricAlarm", in);
  }

  std::vector<json::object> history(const std::string& name, const std::string& type) {
    json::object r =
        ok("DescribeAlarmHistory", json::object{{"AlarmName", name}, {"HistoryItemType", type}});
    std::vector<json::object> out;
    for (const json::value& v : r["AlarmHistoryItems"].as_array()) out.push_back(v.as_object());
    return out;
  }

  RecordingSink sink_;
};

TEST_F(AlarmEvaluatorTest, NewAlarmIsInsufficientDataUntilEvaluated) {
  put_alarm("cpu", 3, 3);
  json::object a = alarm("cpu");
  EXPECT_EQ(a["StateValue"], "INSUFFICIENT_DATA");
  EXPECT_EQ(a["StateReason"], "Unchecked: Initial alarm creation");
  EXPECT_EQ(a["AlarmArn"], "arn:aws:cloudwatch:us-east-1:123456789012:alarm:cpu");
  EXPECT_EQ(history("cpu", "ConfigurationUpdate")[0]["HistorySummary"], "Alarm \"cpu\" created");
}

TEST_F(AlarmEvaluatorTest, BreachingDatapointsRaiseTheAlarmAndRunItsActions) {
  put_alarm("cpu", 3, 3);
  put_minutes("App", "Cpu", {85, 90, 95});
  evaluator_.run_ready();
  json::object a = alarm("cpu");
  EXPECT_EQ(a["StateValue"], "ALARM");
  EXPECT_EQ(a["StateReason"],
            "Threshold Crossed: 3 out of the last 3 datapoints [95.0 (14/11/23 22:12:00), 90.0 "
            "(14/11/23 22:11:00), 85.0 (14/11/23 22:10:00)] were greater than the threshold "
            "(70.0) (minimum 3 datapoints for INSUFFICIENT_DATA -> ALARM transition).");
  ASSERT_EQ(sink_.events.size(), 1u);
  EXPECT_EQ(sink_.events[0].action_arn, kPolicy);
  EXPECT_EQ(sink_.events[0].old_state, "INSUFFICIENT_DATA");
  EXPECT_EQ(sink_.events[0].new_state, "ALARM");
  std::vector<json::object> actions = history("cpu", "Action");
  ASSERT_EQ(actions.size(), 2u);  // the policy and the SNS topic, which is only recorded
  json::object update = history("cpu", "StateUpdate")[0];
  EXPECT_EQ(update["HistorySummary"], "Alarm updated from INSUFFICIENT_DATA to ALARM");
  json::value data = json::parse(update["HistoryData"].as_string());
  EXPECT_EQ(data.at("oldState").at("stateValue"), "INSUFFICIENT_DATA");
  EXPECT_EQ(data.at("newState").at("stateReasonData").at("recentDatapoints"),
            (json::array{95.0, 90.0, 85.0}));
}

TEST(ScaledAxisTest, MapsRealPeriodsOntoAwsPeriodsAndBack) {
  ScaledAxis same{60000, 1};
  EXPECT_EQ(same.real_ms, 60000);
  EXPECT_EQ(same.to_axis(1700000012345), 1700000012345);
  ScaledAxis fast{60000, 60};  // a minute lasts a second
  EXPECT_EQ(fast.real_ms, 1000);
  EXPECT_EQ(fast.to_axis(3000), 180000);
  EXPECT_EQ(fast.to_axis(3999), 239940);  // still in the 4th period
  EXPECT_EQ(fast.to_real(fast.to_axis(1700000012000)), 1700000012000);
  EXPECT_EQ(ScaledAxis(60000, 1e9).real_ms, 1);  // never a zero-length period
}

TEST(UntilNextEvaluationTest, JustAfterTheNextMinuteBoundary) {
  using std::chrono::milliseconds;
  constexpr int64_t kMinute = 1699999980000;  // 22:13:00 UTC
  // Real time: a second after each minute.
  EXPECT_EQ(until_next_evaluation(kMinute + 40000, 1), milliseconds(21000));  // at :40
  EXPECT_EQ(until_next_evaluation(kMinute + 500, 1), milliseconds(500));      // in the grace
  EXPECT_EQ(until_next_evaluation(kMinute + 1000, 1), milliseconds(60000));
  // --time-scale 60: a minute is a second, the grace 50 ms.
  EXPECT_EQ(until_next_evaluation(kMinute + 300, 60), milliseconds(750));
}

// Under --time-scale 60 a 60 s alarm period is one real second: three seconds of breaching
// datapoints raise a 3-of-3 alarm, and the reason names the real seconds they were put in.
TEST_F(AlarmEvaluatorTest, PeriodsFollowTheTimeScale) {
  clock_.set_time_scale(60);
  put_alarm("cpu", 3, 3);
  boost::json::array data;
  for (int i = 3; i >= 1; --i) {
    data.push_back(
        json::object{{"MetricName", "Cpu"}, {"Value", 100.0 - i}, {"Timestamp", now_s() - i}});
  }
  ok("PutMetricData", json::object{{"Namespace", "App"}, {"MetricData", data}});
  evaluator_.run_ready();
  json::object a = alarm("cpu");
  EXPECT_EQ(a["StateValue"], "ALARM");
  EXPECT_EQ(a["StateReason"],
            "Threshold Crossed: 3 out of the last 3 datapoints [99.0 (14/11/23 22:12:59), 98.0 "
            "(14/11/23 22:12:58), 97.0 (14/11/23 22:12:57)] were greater than the threshold "
            "(70.0) (minimum 3 datapoints for INSUFFICIENT_DATA -> ALARM transition).");
  // In real time the same samples are all within one minute: one datapoint out of 3 needed.
  clock_.set_time_scale(1);
  ok("SetAlarmState",
     json::object{{"AlarmName", "cpu"}, {"StateValue", "OK"}, {"StateReason", "test"}});
  evaluator_.run_ready();
  EXPECT_EQ(alarm("cpu")["StateValue"], "OK");
}

TEST_F(AlarmEvaluatorTest, RecoveryRunsOkActionsAndFailuresAreRecorded) {
  put_alarm("cpu", 1, 1);
  put_minutes("App", "Cpu", {85});
  sink_.outcome = {false, "no such policy"};
  evaluator_.run_ready();
  EXPECT_EQ(alarm("cpu")["StateValue"], "ALARM");
  bool failed = false;
  for (const json::object& h : history("cpu", "Action")) {
    failed = failed || h.at("HistorySummary").as_string() ==
                           std::string("Failed to execute action ") + kPolicy;
  }
  EXPECT_TRUE(failed);
  clock_.advance(std::chrono::minutes(1));
  put_minutes("App", "Cpu", {10});
  evaluator_.enqueue(1);
  evaluator_.run_ready();
  EXPECT_EQ(alarm("cpu")["StateValue"], "OK");
  EXPECT_EQ(history("cpu", "Action")[0]["HistorySummary"],
            "Successfully executed action arn:aws:sns:us-east-1:123456789012:ok");
}

// "For Auto Scaling actions, the alarm continues to invoke the action once per minute that the
// alarm remains in the new state."
TEST_F(AlarmEvaluatorTest, AutoScalingActionsRepeatWhileInAlarm) {
  put_alarm("cpu", 1, 1);
  put_minutes("App", "Cpu", {85});
  evaluator_.run_ready();
  ASSERT_EQ(sink_.events.size(), 1u);
  size_t actions = history("cpu", "Action").size();
  clock_.advance(std::chrono::minutes(1));
  put_minutes("App", "Cpu", {90});
  evaluator_.enqueue(1);
  evaluator_.run_ready();
  ASSERT_EQ(sink_.events.size(), 2u);
  EXPECT_EQ(sink_.events[1].old_state, "ALARM");
  EXPECT_EQ(sink_.events[1].new_state, "ALARM");
  EXPECT_EQ(history("cpu", "Action").size(), actions + 1);  // the SNS topic is not run again
  // The repeat carries this evaluation's value: the StateReasonData still shows the change's 85.
  EXPECT_TRUE(sink_.events[0].recent_datapoints.empty());
  ASSERT_FALSE(sink_.events[1].recent_datapoints.empty());
  EXPECT_EQ(sink_.events[1].recent_datapoints.front(), 90.0);
}

TEST_F(AlarmEvaluatorTest, DisabledActionsAreNotRun) {
  put_alarm("cpu", 1, 1);
  ok("DisableAlarmActions", R"({"AlarmNames":["cpu"]})");
  EXPECT_EQ(alarm("cpu")["ActionsEnabled"], false);
  put_minutes("App", "Cpu", {85});
  evaluator_.run_ready();
  EXPECT_EQ(alarm("cpu")["StateValue"], "ALARM");
  EXPECT_TRUE(sink_.events.empty());
  EXPECT_TRUE(history("cpu", "Action").empty());
}

TEST_F(AlarmEvaluatorTest, NoDataGoesToInsufficientDataOrAsTreated) {
  put_alarm("missing", 2, 2, "missing");
  put_alarm("breaching", 2, 2, "breaching");
  ok("SetAlarmState", R"({"AlarmName":"missing","StateValue":"OK","StateReason":"x"})");
  evaluator_.run_ready();
  EXPECT_EQ(alarm("missing")["StateValue"], "INSUFFICIENT_DATA");
  EXPECT_EQ(alarm("missing")["StateReason"], "Insufficient Data: 2 datapoints were unknown.");
  EXPECT_EQ(alarm("breaching")["StateValue"], "ALARM");
}

TEST_F(AlarmEvaluatorTest, MathAlarmEvaluatesItsExpression) {
  put_minutes("App", "Cpu", {30, 40});
  ok("PutMetricAlarm", J(R"({"AlarmName":"math","EvaluationPeriods":2,"Threshold":50,
      "ComparisonOperator":"GreaterThanThreshold","Metrics":[
      {"Id":"c","MetricStat":{"Metric":{"Namespace":"App","MetricName":"Cpu"},"Period":60,
       "Stat":"Average"},"ReturnData":false},
      {"Id":"e","Expression":"c * 2"}]})"));
  evaluator_.run_ready();
  EXPECT_EQ(alarm("math")["StateValue"], "ALARM");
  EXPECT_EQ(alarm("math")["Metrics"].as_array().size(), 2u);
}

TEST_F(AlarmEvaluatorTest, PutMetricAlarmChecks) {
  EXPECT_EQ(err("PutMetricAlarm", R"({"AlarmName":"a","Namespace":"App","MetricName":"m",
      "Period":60,"EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"LessThanThreshold"})")
                .code,
            "InvalidParameterCombination");
  EXPECT_EQ(err("PutMetricAlarm", R"({"AlarmName":"a","Namespace":"App","MetricName":"m",
      "Statistic":"Sum","Period":45,"EvaluationPeriods":1,"Threshold":1,
      "ComparisonOperator":"LessThanThreshold"})")
                .code,
            "InvalidParameterValue");
  EXPECT_EQ(err("PutMetricAlarm", R"({"AlarmName":"a","Namespace":"App","MetricName":"m",
      "Statistic":"Sum","Period":60,"EvaluationPeriods":1441,"Threshold":1,
      "ComparisonOperator":"LessThanThreshold"})")
                .code,
            "InvalidParameterValue");
  EXPECT_EQ(err("PutMetricAlarm", R"({"AlarmName":"a","Namespace":"App","MetricName":"m",
      "Statistic":"Sum","Period":60,"EvaluationPeriods":1,"Threshold":1,
      "AlarmActions":["not-an-arn"],"ComparisonOperator":"LessThanThreshold"})")
                .code,
            "InvalidParameterValue");
  EXPECT_EQ(err("PutMetricAlarm", R"({"AlarmName":"a","EvaluationPeriods":1,"Threshold":1,
      "ComparisonOperator":"LessThanThreshold","Metrics":[{"Id":"e","Expression":"1",
      "ReturnData":false}]})")
                .code,
            "ValidationError");
}

TEST_F(AlarmEvaluatorTest, UpdateKeepsStateAndDeleteIsRecorded) {
  put_alarm("cpu", 1, 1);
  ok("SetAlarmState", R"({"AlarmName":"cpu","StateValue":"ALARM","StateReason":"manual"})");
  put_alarm("cpu", 2, 1);
  EXPECT_EQ(alarm("cpu")["StateValue"], "ALARM");
  EXPECT_EQ(alarm("cpu")["EvaluationPeriods"], 2);
  EXPECT_EQ(history("cpu", "ConfigurationUpdate")[0]["HistorySummary"], "Alarm \"cpu\" updated");
  EXPECT_EQ(err("DeleteAlarms", R"({"AlarmNames":["cpu","nope"]})").code, "ResourceNotFound");
  ok("DeleteAlarms", R"({"AlarmNames":["cpu"]})");
  EXPECT_EQ(history("cpu", "ConfigurationUpdate")[0]["HistorySummary"], "Alarm \"cpu\" deleted");
  EXPECT_EQ(err("SetAlarmState", R"({"AlarmName":"cpu","StateValue":"OK","StateReason":"x"})").code,
            "ResourceNotFound");
}

TEST_F(AlarmEvaluatorTest, DescribeAlarmsFiltersAndPages) {
  for (const char* n : {"a1", "a2", "b1"}) put_alarm(n, 1, 1);
  ok("SetAlarmState", R"({"AlarmName":"a2","StateValue":"ALARM","StateReason":"x"})");
  EXPECT_EQ(ok("DescribeAlarms", R"({"AlarmNamePrefix":"a"})")["MetricAlarms"].as_array().size(),
            2u);
  EXPECT_EQ(ok("DescribeAlarms", R"({"StateValue":"ALARM"})")["MetricAlarms"].as_array().size(),
            1u);
  EXPECT_EQ(ok("DescribeAlarms", R"({"ActionPrefix":"arn:aws:autoscaling"})")["MetricAlarms"]
                .as_array()
                .size(),
            3u);
  EXPECT_TRUE(ok("DescribeAlarms", R"({"AlarmTypes":["CompositeAlarm"]})")["MetricAlarms"]
                  .as_array()
                  .empty());
  json::object page = ok("DescribeAlarms", R"({"MaxRecords":2})");
  ASSERT_EQ(page["MetricAlarms"].as_array().size(), 2u);
  json::object rest =
      ok("DescribeAlarms", json::object{{"MaxRecords", 2}, {"NextToken", page["NextToken"]}});
  ASSERT_EQ(rest["MetricAlarms"].as_array().size(), 1u);
  EXPECT_EQ(rest["MetricAlarms"].as_array()[0].at("AlarmName"), "b1");
  EXPECT_FALSE(rest.contains("NextToken"));
  EXPECT_EQ(ok("DescribeAlarmsForMetric", R"({"Namespace":"App","MetricName":"Cpu",
      "Statistic":"Average"})")["MetricAlarms"]
                .as_array()
                .size(),
            3u);
  EXPECT_TRUE(ok("DescribeAlarmsForMetric", R"({"Namespace":"App","MetricName":"Cpu",
      "Statistic":"Sum"})")["MetricAlarms"]
                  .as_array()
                  .empty());
}

TEST_F(AlarmEvaluatorTest, HistoryPagesNewestFirstOrOldestFirst) {
  put_alarm("cpu", 1, 1);
  ok("DisableAlarmActions", R"({"AlarmNames":["cpu"]})");  // no Action items
  for (const char* s : {"OK", "ALARM", "OK"}) {
    ok("SetAlarmState",
       json::object{{"AlarmName", "cpu"}, {"StateValue", s}, {"StateReason", "x"}});
  }
  json::object page = ok("DescribeAlarmHistory", R"({"AlarmName":"cpu","MaxRecords":2})");
  ASSERT_EQ(page["AlarmHistoryItems"].as_array().size(), 2u);
  EXPECT_EQ(page["AlarmHistoryItems"].as_array()[0].at("HistorySummary"),
            "Alarm updated from ALARM to OK");
  json::object rest =
      ok("DescribeAlarmHistory",
         json::object{{"AlarmName", "cpu"}, {"MaxRecords", 2}, {"NextToken", page["NextToken"]}});
  ASSERT_EQ(rest["AlarmHistoryItems"].as_array().size(), 2u);
  EXPECT_EQ(rest["AlarmHistoryItems"].as_array()[1].at("HistorySummary"), "Alarm \"cpu\" created");
  EXPECT_FALSE(rest.contains("NextToken"));
  json::object asc = ok("DescribeAlarmHistory",
                        R"({"AlarmName":"cpu","ScanBy":"TimestampAscending","MaxRecords":1})");
  EXPECT_EQ(asc["AlarmHistoryItems"].as_array()[0].at("HistoryItemType"), "ConfigurationUpdate");
}

TEST_F(AlarmEvaluatorTest, TagsOnAlarms) {
  put_alarm("cpu", 1, 1);
  std::string arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:cpu";
  ok("TagResource", json::object{{"ResourceARN", arn}, {"Tags", J(R"({"t":[{"Key":"a","Value":"1"},
                                               {"Key":"b","Value":"2"}]})")["t"]}});
  ok("UntagResource", json::object{{"ResourceARN", arn}, {"TagKeys", json::array{"a"}}});
  EXPECT_EQ(ok("ListTagsForResource", json::object{{"ResourceARN", arn}})["Tags"],
            J(R"({"t":[{"Key":"b","Value":"2"}]})")["t"]);
  EXPECT_EQ(
      err("ListTagsForResource",
          json::object{{"ResourceARN", "arn:aws:cloudwatch:us-east-1:123456789012:alarm:nope"}})
          .code,
      "ResourceNotFoundException");
}

}  // namespace
}  // namespace services::cloudwatch
