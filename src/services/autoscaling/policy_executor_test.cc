#include "services/autoscaling/autoscaling_test_support.h"

namespace services::autoscaling {
namespace {

namespace json = boost::json;
using std::chrono::seconds;

class PolicyExecutorTest : public AutoscalingTest {
 protected:
  void SetUp() override {
    register_web(1, 6);
    json::object out = put_cpu_policy();
    arn_ = std::string(out.at("PolicyARN").as_string());
    high_ = std::string(out.at("Alarms").as_array()[0].at("AlarmName").as_string());
    low_ = std::string(out.at("Alarms").as_array()[1].at("AlarmName").as_string());
  }
  std::string arn_;
  std::string high_;
  std::string low_;
};

TEST_F(PolicyExecutorTest, TargetTrackingPolicyOwnsTwoAlarmsNamedAfterTheResource) {
  EXPECT_TRUE(arn_.starts_with("arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:"));
  EXPECT_TRUE(arn_.ends_with(":resource/ecs/service/c/web:policyName/cpu70"));
  EXPECT_TRUE(high_.starts_with("TargetTracking-service/c/web-AlarmHigh-"));
  EXPECT_TRUE(low_.starts_with("TargetTracking-service/c/web-AlarmLow-"));
  EXPECT_EQ(alarms_.alarms.at(high_).at("AlarmActions").as_array()[0], json::value(arn_));
  json::object p = ok("DescribeScalingPolicies", J(R"({"ServiceNamespace":"ecs"})"))
                       .at("ScalingPolicies")
                       .as_array()[0]
                       .as_object();
  EXPECT_EQ(p.at("PolicyARN"), json::value(arn_));
  EXPECT_EQ(p.at("Alarms").as_array().size(), 2u);
}

TEST_F(PolicyExecutorTest, UpdatingThePolicyKeepsTheAlarmNamesAndDisableScaleInDropsTheLowOne) {
  json::object out = put_cpu_policy(R"(,"DisableScaleIn":true)");
  EXPECT_EQ(out.at("PolicyARN"), json::value(arn_));
  ASSERT_EQ(out.at("Alarms").as_array().size(), 1u);
  EXPECT_EQ(out.at("Alarms").as_array()[0].at("AlarmName"), json::value(high_));
  EXPECT_EQ(alarms_.alarms.count(low_), 0u);
  EXPECT_EQ(alarms_.alarms.size(), 1u);
}

TEST_F(PolicyExecutorTest, HighAlarmScalesOutProportionallyWithAnActivityInAwsWords) {
  ASSERT_TRUE(fire(high_, arn_, {95, 95, 95}).ok);
  EXPECT_EQ(ecs_.services["c/web"].desired, 2);  // ceil(1 * 95 / 70)
  json::array acts = activities();
  ASSERT_EQ(acts.size(), 1u);
  EXPECT_EQ(acts[0].at("Description"), "Setting desired count to 2.");
  EXPECT_EQ(acts[0].at("Cause"),
            json::value("monitor alarm " + high_ + " in state ALARM triggered policy cpu70"));
  EXPECT_EQ(acts[0].at("StatusCode"), "Successful");
  EXPECT_EQ(acts[0].at("StatusMessage"),
            "Successfully set desired count to 2. Change successfully fulfilled by ecs.");
}

TEST_F(PolicyExecutorTest, ScaleOutWaitsForItsCooldown) {
  fire(high_, arn_, {95});
  EXPECT_EQ(ecs_.services["c/web"].desired, 2);
  clock_.advance(seconds(299));
  fire(high_, arn_, {95});
  EXPECT_EQ(ecs_.services["c/web"].desired, 2);
  clock_.advance(seconds(1));
  fire(high_, arn_, {95});
  EXPECT_EQ(ecs_.services["c/web"].desired, 3);  // ceil(2 * 95 / 70)
}

TEST_F(PolicyExecutorTest, CapacityStaysWithinMinAndMax) {
  ecs_.services["c/web"].desired = 5;
  fire(high_, arn_, {200});
  EXPECT_EQ(ecs_.services["c/web"].desired, 6);
  ecs_.services["c/web"].desired = 1;
  fire(low_, arn_, {1});
  EXPECT_EQ(ecs_.services["c/web"].desired, 1);
  EXPECT_EQ(ecs_.sets.size(), 1u);
}

TEST_F(PolicyExecutorTest, NoScaleInWhileADeploymentIsInProgressOrScaleInIsSuspended) {
  ecs_.services["c/web"] = {3, 3, true};
  fire(low_, arn_, {10});
  EXPECT_EQ(ecs_.services["c/web"].desired, 3);
  ecs_.services["c/web"].deploying = false;
  ok("RegisterScalableTarget", J(R"({"ServiceNamespace":"ecs","ResourceId":"service/c/web",
           "ScalableDimension":"ecs:service:DesiredCount",
           "SuspendedState":{"DynamicScalingInSuspended":true}})"));
  fire(low_, arn_, {10});
  EXPECT_EQ(ecs_.services["c/web"].desired, 3);
  ok("RegisterScalableTarget", J(R"({"ServiceNamespace":"ecs","ResourceId":"service/c/web",
           "ScalableDimension":"ecs:service:DesiredCount",
           "SuspendedState":{"DynamicScalingInSuspended":false}})"));
  fire(low_, arn_, {10});
  EXPECT_EQ(ecs_.services["c/web"].desired, 2);
}

TEST_F(PolicyExecutorTest, OnlyAlarmStateActsAndUnknownPoliciesFail) {
  cloudwatch::AlarmActionEvent ok_ev{"123456789012", "us-east-1", high_, "a", arn_,
                                     "ALARM",        "OK",        "r",   0};
  EXPECT_TRUE(executor_.invoke(ok_ev).ok);
  EXPECT_TRUE(ecs_.sets.empty());
  EXPECT_FALSE(fire(high_, arn_ + "x", {95}).ok);
  EXPECT_TRUE(executor_.handles(arn_));
  EXPECT_FALSE(executor_.handles(
      "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:u:autoScalingGroupName/g:"
      "policyName/p"));
  EXPECT_FALSE(executor_.handles("arn:aws:sns:us-east-1:123456789012:topic"));
}

TEST_F(PolicyExecutorTest, StepScalingPicksTheStepRelativeToTheAlarmThreshold) {
  json::object out = ok("PutScalingPolicy", J(R"({"PolicyName":"steps","ServiceNamespace":"ecs",
      "ResourceId":"service/c/web","ScalableDimension":"ecs:service:DesiredCount",
      "PolicyType":"StepScaling","StepScalingPolicyConfiguration":{
        "AdjustmentType":"ChangeInCapacity","Cooldown":60,"MetricAggregationType":"Maximum",
        "StepAdjustments":[{"MetricIntervalLowerBound":0,"MetricIntervalUpperBound":20,
                            "ScalingAdjustment":1},
                           {"MetricIntervalLowerBound":20,"ScalingAdjustment":3}]}})"));
  std::string arn(out.at("PolicyARN").as_string());
  EXPECT_FALSE(out.contains("Alarms"));
  // Threshold 60, Maximum of the datapoints 85: 25 above, the second step.
  ASSERT_TRUE(fire("my-alarm", arn, {70, 85, 61}, 60).ok);
  EXPECT_EQ(ecs_.services["c/web"].desired, 4);
  clock_.advance(seconds(59));
  fire("my-alarm", arn, {70}, 60);
  EXPECT_EQ(ecs_.services["c/web"].desired, 4);
  clock_.advance(seconds(1));
  fire("my-alarm", arn, {70}, 60);
  EXPECT_EQ(ecs_.services["c/web"].desired, 5);
}

TEST_F(PolicyExecutorTest, StepScalingConfigurationIsChecked) {
  auto overlap = err("PutScalingPolicy", J(R"({"PolicyName":"s","ServiceNamespace":"ecs",
      "ResourceId":"service/c/web","ScalableDimension":"ecs:service:DesiredCount",
      "PolicyType":"StepScaling","StepScalingPolicyConfiguration":{
        "AdjustmentType":"ChangeInCapacity",
        "StepAdjustments":[{"MetricIntervalLowerBound":0,"MetricIntervalUpperBound":20,
                            "ScalingAdjustment":1},
                           {"MetricIntervalLowerBound":10,"ScalingAdjustment":3}]}})"));
  EXPECT_EQ(overlap.code, "ValidationException");
  auto magnitude = err("PutScalingPolicy", J(R"({"PolicyName":"s","ServiceNamespace":"ecs",
      "ResourceId":"service/c/web","ScalableDimension":"ecs:service:DesiredCount",
      "PolicyType":"StepScaling","StepScalingPolicyConfiguration":{
        "AdjustmentType":"ChangeInCapacity","MinAdjustmentMagnitude":2,
        "StepAdjustments":[{"MetricIntervalLowerBound":0,"ScalingAdjustment":1}]}})"));
  EXPECT_EQ(magnitude.code, "ValidationException");
  ecs_.services["c/other"] = {1, 1, false};
  auto no_target = err("PutScalingPolicy", J(R"({"PolicyName":"s","ServiceNamespace":"ecs",
      "ResourceId":"service/c/other","ScalableDimension":"ecs:service:DesiredCount",
      "PolicyType":"StepScaling","StepScalingPolicyConfiguration":{
        "AdjustmentType":"ChangeInCapacity",
        "StepAdjustments":[{"MetricIntervalLowerBound":0,"ScalingAdjustment":1}]}})"));
  EXPECT_EQ(no_target.code, "ObjectNotFoundException");
}

TEST_F(PolicyExecutorTest, TargetValueMustBePositive) {
  auto zero = err("PutScalingPolicy", J(R"({"PolicyName":"z","ServiceNamespace":"ecs",
      "ResourceId":"service/c/web","ScalableDimension":"ecs:service:DesiredCount",
      "PolicyType":"TargetTrackingScaling","TargetTrackingScalingPolicyConfiguration":{
        "TargetValue":0,"PredefinedMetricSpecification":
          {"PredefinedMetricType":"ECSServiceAverageCPUUtilization"}}})"));
  EXPECT_EQ(zero.code, "ValidationException");
  EXPECT_EQ(alarms_.alarms.size(), 2u);  // only cpu70's
}

TEST_F(PolicyExecutorTest, DeletingATargetTrackingPolicyDeletesItsAlarms) {
  const char* in = R"({"PolicyName":"cpu70","ServiceNamespace":"ecs",
      "ResourceId":"service/c/web","ScalableDimension":"ecs:service:DesiredCount"})";
  ok("DeleteScalingPolicy", J(in));
  EXPECT_TRUE(alarms_.alarms.empty());
  EXPECT_EQ(err("DeleteScalingPolicy", J(in)).code, "ObjectNotFoundException");
}

}  // namespace
}  // namespace services::autoscaling
