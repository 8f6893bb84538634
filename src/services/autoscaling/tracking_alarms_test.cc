#include "services/autoscaling/tracking_alarms.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "testing/registry_calls.h"

namespace services::autoscaling {
namespace {

using fakes::J;
namespace json = boost::json;

const char* kArn =
    "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:u:resource/ecs/service/c/web:"
    "policyName/cpu70";

TEST(TrackingAlarmsTest, CpuPolicyAlarmsFollowTheServiceMetricAsAwsDefinesThem) {
  auto metric = tracked_metric(J(R"({"TargetValue":70,"PredefinedMetricSpecification":
            {"PredefinedMetricType":"ECSServiceAverageCPUUtilization"}})"),
                               "service/c/web");
  ASSERT_TRUE(metric);
  json::object high = tracking_alarm(*metric, "H", kArn, 70, true);
  EXPECT_EQ(high, J(R"({"Namespace":"AWS/ECS","MetricName":"CPUUtilization","Statistic":"Average",
      "Dimensions":[{"Name":"ClusterName","Value":"c"},{"Name":"ServiceName","Value":"web"}],
      "AlarmName":"H",
      "AlarmDescription":"DO NOT EDIT OR DELETE. For TargetTrackingScaling policy arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:u:resource/ecs/service/c/web:policyName/cpu70",
      "ActionsEnabled":true,"AlarmActions":["arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:u:resource/ecs/service/c/web:policyName/cpu70"],
      "Period":60,"EvaluationPeriods":3,"DatapointsToAlarm":3,"Threshold":70.0,
      "ComparisonOperator":"GreaterThanThreshold"})"));
  json::object low = tracking_alarm(*metric, "L", kArn, 70, false);
  EXPECT_EQ(low.at("EvaluationPeriods"), 15);
  EXPECT_EQ(low.at("DatapointsToAlarm"), 15);
  EXPECT_DOUBLE_EQ(low.at("Threshold").as_double(), 63.0);
  EXPECT_EQ(low.at("ComparisonOperator"), "LessThanThreshold");
}

TEST(TrackingAlarmsTest, MemoryAndAlbRequestCountMetrics) {
  auto mem = tracked_metric(J(R"({"PredefinedMetricSpecification":
      {"PredefinedMetricType":"ECSServiceAverageMemoryUtilization"}})"),
                            "service/c/web");
  ASSERT_TRUE(mem);
  EXPECT_EQ(mem->at("MetricName"), "MemoryUtilization");
  auto alb = tracked_metric(J(R"({"PredefinedMetricSpecification":
      {"PredefinedMetricType":"ALBRequestCountPerTarget",
       "ResourceLabel":"app/lb/0123/targetgroup/tg/4567"}})"),
                            "service/c/web");
  ASSERT_TRUE(alb);
  EXPECT_EQ(*alb, J(R"({"Namespace":"AWS/ApplicationELB","MetricName":"RequestCountPerTarget",
      "Statistic":"Sum","Dimensions":[{"Name":"TargetGroup","Value":"targetgroup/tg/4567"}]})"));
  auto no_label = tracked_metric(J(R"({"PredefinedMetricSpecification":
      {"PredefinedMetricType":"ALBRequestCountPerTarget"}})"),
                                 "service/c/web");
  ASSERT_FALSE(no_label);
  EXPECT_EQ(no_label.error().code, "ValidationException");
}

TEST(TrackingAlarmsTest, CustomizedMetricKeepsItsNamespaceDimensionsAndUnit) {
  auto m = tracked_metric(J(R"({"CustomizedMetricSpecification":{"MetricName":"Queue",
      "Namespace":"App","Statistic":"Maximum","Unit":"Count",
      "Dimensions":[{"Name":"Q","Value":"jobs"}]}})"),
                          "service/c/web");
  ASSERT_TRUE(m);
  EXPECT_EQ(*m, J(R"({"Namespace":"App","MetricName":"Queue","Statistic":"Maximum",
      "Dimensions":[{"Name":"Q","Value":"jobs"}],"Unit":"Count"})"));
  EXPECT_FALSE(tracked_metric(J("{}"), "service/c/web"));
}

TEST(TrackingAlarmsTest, AlarmNamesCarryTheResourceIdAndAFreshUuid) {
  std::string a = tracking_alarm_name("service/c/web", true);
  std::string b = tracking_alarm_name("service/c/web", true);
  EXPECT_TRUE(a.starts_with("TargetTracking-service/c/web-AlarmHigh-")) << a;
  EXPECT_EQ(a.size(), std::string("TargetTracking-service/c/web-AlarmHigh-").size() + 36);
  EXPECT_NE(a, b);
  EXPECT_TRUE(tracking_alarm_name("service/c/web", false)
                  .starts_with("TargetTracking-service/c/web-AlarmLow-"));
}

}  // namespace
}  // namespace services::autoscaling
