// The policy path with the real CloudWatch service and alarm evaluator behind the in-process
// client: a target tracking policy's alarms are stored by PutMetricAlarm, AWS/ECS datapoints
// (published in process, as ECS does) take AlarmHigh to ALARM, and the evaluator's action
// reaches the PolicyExecutor, which scales the (fake) ECS service.

#include "services/autoscaling/registry_ports.h"

#include "services/autoscaling/autoscaling_test_support.h"
#include "services/cloudwatch/alarm_evaluator.h"
#include "services/cloudwatch/cloudwatch_service.h"
#include "services/cloudwatch/store_metric_sink.h"

namespace services::autoscaling {
namespace {

namespace json = boost::json;
using std::chrono::minutes;
using std::chrono::seconds;

class RegistryPortsTest : public ::testing::Test, protected fakes::RegistryCalls {
 protected:
  RegistryPortsTest() : RegistryCalls(registry_, "application-autoscaling") {
    clock_.set(core::TimePoint(seconds(1796637600)));  // 2026-12-07 10:00 UTC, on a minute
    ecs_.services["c/web"] = {1, 1, false};
    cw_.set_alarm_listener([this](int64_t id) { evaluator_.enqueue(id); });
    cw_.register_operations(registry_);
    evaluator_.add_action_sink(executor_);
    service_.register_operations(registry_);
  }

  // One datapoint per minute for the service's CPU, the last one a minute ago.
  void put_cpu(const std::vector<double>& values) {
    core::TimePoint t = clock_.now() - minutes(static_cast<int64_t>(values.size()));
    for (double v : values) {
      sink_.put("123456789012", "us-east-1", "AWS/ECS", "CPUUtilization",
                {{"ClusterName", "c"}, {"ServiceName", "web"}}, v, "Percent", t);
      t += minutes(1);
    }
  }

  json::object alarm(const std::string& name) {
    auto r = registry_.call(ctx(), "cloudwatch", "DescribeAlarms",
                            json::object{{"AlarmNames", json::array{json::value(name)}}});
    EXPECT_TRUE(r);
    if (!r || r->at("MetricAlarms").as_array().empty()) return {};
    return r->at("MetricAlarms").as_array()[0].as_object();
  }

  fakes::ManualClock clock_;
  store::Db db_ = store::Db::open_in_memory();
  protocol::ServiceRegistry registry_;
  cloudwatch::CloudWatchService cw_{db_, clock_};
  cloudwatch::AlarmEvaluator evaluator_{db_, clock_};
  cloudwatch::StoreMetricSink sink_{db_, clock_};
  FakeServiceCapacity ecs_;
  CloudWatchPolicyAlarms alarms_{registry_};
  AutoscalingService service_{db_, clock_, ecs_, alarms_};
  Scaler scaler_{db_, clock_, ecs_};
  PolicyExecutor executor_{db_, clock_, ecs_, alarms_, scaler_};
};

TEST_F(RegistryPortsTest, AwsEcsCpuAboveTheTargetScalesTheServiceOutThroughCloudWatch) {
  ok("RegisterScalableTarget", J(R"({"ServiceNamespace":"ecs","ResourceId":"service/c/web",
           "ScalableDimension":"ecs:service:DesiredCount","MinCapacity":1,"MaxCapacity":4})"));
  json::object out = ok("PutScalingPolicy", J(R"({"PolicyName":"cpu70","ServiceNamespace":"ecs",
      "ResourceId":"service/c/web","ScalableDimension":"ecs:service:DesiredCount",
      "PolicyType":"TargetTrackingScaling","TargetTrackingScalingPolicyConfiguration":{
        "TargetValue":70,"PredefinedMetricSpecification":
          {"PredefinedMetricType":"ECSServiceAverageCPUUtilization"}}})"));
  std::string high(out.at("Alarms").as_array()[0].at("AlarmName").as_string());
  json::object a = alarm(high);
  EXPECT_EQ(a.at("Namespace"), "AWS/ECS");
  EXPECT_EQ(a.at("Threshold"), 70.0);
  EXPECT_EQ(a.at("AlarmActions").as_array()[0], out.at("PolicyARN"));

  put_cpu({95, 95, 95});
  evaluator_.run_ready();
  EXPECT_EQ(alarm(high).at("StateValue"), "ALARM");
  EXPECT_EQ(ecs_.services["c/web"].desired, 2);  // ceil(1 * 95 / 70)
  // CloudWatch invokes the policy again at each evaluation (a minute apart) while the alarm
  // stays in ALARM; the 300 s cooldown holds the next scale-out until the fifth minute.
  for (int minute = 1; minute <= 5; ++minute) {
    clock_.advance(minutes(1));
    put_cpu({95});
    evaluator_.run_ready();
    EXPECT_EQ(alarm(high).at("StateValue"), "ALARM");
    EXPECT_EQ(ecs_.services["c/web"].desired, minute < 5 ? 2 : 3) << "minute " << minute;
  }
}

TEST_F(RegistryPortsTest, RemovingAlarmsSkipsOnesAlreadyGoneAndReadingParsesTheReasonData) {
  ASSERT_TRUE(alarms_.put("123456789012", "us-east-1",
                          J(R"({"AlarmName":"a","Namespace":"N","MetricName":"M",
                                "Statistic":"Average","Period":60,"EvaluationPeriods":1,
                                "Threshold":5,"ComparisonOperator":"GreaterThanThreshold"})")));
  auto r = registry_.call(ctx(), "cloudwatch", "SetAlarmState",
                          J(R"({"AlarmName":"a","StateValue":"ALARM","StateReason":"t",
                                "StateReasonData":"{\"recentDatapoints\":[9.0,7.0],\"threshold\":5.0}"})"));
  ASSERT_TRUE(r) << r.error().message;
  AlarmReading reading = alarms_.reading("123456789012", "us-east-1", "a");
  EXPECT_EQ(reading.datapoints, (std::vector<double>{9.0, 7.0}));
  EXPECT_EQ(reading.threshold, 5.0);
  alarms_.remove("123456789012", "us-east-1", {"gone", "a"});
  EXPECT_TRUE(alarm("a").empty());
  EXPECT_TRUE(alarms_.reading("123456789012", "us-east-1", "a").datapoints.empty());
}

}  // namespace
}  // namespace services::autoscaling
