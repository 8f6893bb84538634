// The scaling group's providers against the real Application Auto Scaling, CloudWatch and ECS
// handlers over an in-memory store.

#include "services/cloudformation/resources/scaling_providers.h"

#include <boost/json.hpp>

#include "core/json.h"
#include "services/cloudformation/resources/container_test_support.h"

namespace services::cloudformation::resources {
namespace {

constexpr const char* kTargetId = "service/c/web|ecs:service:DesiredCount|ecs";

class ScalingProvidersTest : public ProvidersTest {
 protected:
  void SetUp() override {
    ok("CreateCluster", R"({"clusterName":"c"})");
    ok("RegisterTaskDefinition", R"({"family":"web",
        "containerDefinitions":[{"name":"app","image":"nginx","memory":128}]})");
    ok("CreateService", R"({"cluster":"c","serviceName":"web","taskDefinition":"web",
        "desiredCount":1})");
  }
  json::object target() {
    return call("application-autoscaling", "DescribeScalableTargets",
                J(R"({"ServiceNamespace":"ecs","ResourceIds":["service/c/web"]})"));
  }
  ResourceRequest scalable_target(std::string_view props) {
    return request("Target", "AWS::ApplicationAutoScaling::ScalableTarget", props);
  }
  engine::ProvisionResult register_target() {
    return ok_(provider("AWS::ApplicationAutoScaling::ScalableTarget")
                   .create(scalable_target(R"({"ServiceNamespace": "ecs",
                       "ResourceId": "service/c/web", "ScalableDimension": "ecs:service:DesiredCount",
                       "MinCapacity": 1, "MaxCapacity": 4})")));
  }
  json::array policies() {
    return call("application-autoscaling", "DescribeScalingPolicies",
                J(R"({"ServiceNamespace":"ecs"})"))
        .at("ScalingPolicies")
        .as_array();
  }
};

// --- AWS::ApplicationAutoScaling::ScalableTarget ---------------------------------------------

TEST_F(ScalingProvidersTest, ScalableTargetIsRegisteredWithItsScheduledActions) {
  auto& p = provider("AWS::ApplicationAutoScaling::ScalableTarget");
  ResourceRequest req = scalable_target(R"J({"ServiceNamespace": "ecs",
      "ResourceId": "service/c/web", "ScalableDimension": "ecs:service:DesiredCount",
      "MinCapacity": "1", "MaxCapacity": "4",
      "ScheduledActions": [{"ScheduledActionName": "night", "Schedule": "cron(0 20 * * ? *)",
                            "ScalableTargetAction": {"MinCapacity": "0", "MaxCapacity": 1}}]})J");
  engine::ProvisionResult r = ok_(p.create(req));
  EXPECT_EQ(r.physical_id, kTargetId);
  EXPECT_EQ(r.attributes.at("Id"), kTargetId);
  json::object t = target().at("ScalableTargets").as_array()[0].as_object();
  EXPECT_EQ(t.at("MinCapacity"), 1);
  EXPECT_EQ(t.at("MaxCapacity"), 4);
  json::array actions = call("application-autoscaling", "DescribeScheduledActions",
                             J(R"({"ServiceNamespace":"ecs"})"))
                            .at("ScheduledActions")
                            .as_array();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].at("ScheduledActionName"), "night");
  EXPECT_EQ(actions[0].at("ScalableTargetAction").at("MinCapacity"), 0);

  req.physical_id = r.physical_id;
  ResourceRequest update = changed_to(req, R"({"ServiceNamespace": "ecs",
      "ResourceId": "service/c/web", "ScalableDimension": "ecs:service:DesiredCount",
      "MinCapacity": 2, "MaxCapacity": 6})");
  EXPECT_EQ(ok_(p.update(update)).physical_id, kTargetId);
  EXPECT_EQ(target().at("ScalableTargets").as_array()[0].at("MaxCapacity"), 6);
  EXPECT_TRUE(call("application-autoscaling", "DescribeScheduledActions",
                   J(R"({"ServiceNamespace":"ecs"})"))
                  .at("ScheduledActions")
                  .as_array()
                  .empty());

  for (std::string_view replaced : {"ResourceId", "ScalableDimension", "ServiceNamespace"}) {
    EXPECT_EQ(p.update_behavior(replaced), UpdateBehavior::Replacement) << replaced;
  }
  for (std::string_view in_place :
       {"MinCapacity", "MaxCapacity", "ScheduledActions", "SuspendedState", "RoleARN"}) {
    EXPECT_EQ(p.update_behavior(in_place), UpdateBehavior::NoInterruption) << in_place;
  }
  EXPECT_EQ(ok_(p.read(update)).attributes.at("Id"), kTargetId);
  ASSERT_TRUE(p.remove(update));
  ASSERT_TRUE(p.remove(update));
  EXPECT_EQ(err_(p.read(update)).code, "ObjectNotFoundException");
}

TEST_F(ScalingProvidersTest, ScalableTargetNeedsItsKeyAndCapacities) {
  auto& p = provider("AWS::ApplicationAutoScaling::ScalableTarget");
  protocol::AwsError e = err_(p.create(scalable_target(R"({"ServiceNamespace": "ecs",
      "ResourceId": "service/c/web", "ScalableDimension": "ecs:service:DesiredCount",
      "MinCapacity": 1})")));
  EXPECT_EQ(e.code, "ValidationError");
  EXPECT_EQ(e.message,
            "Properties validation failed for resource Target with message: #: required key "
            "[MaxCapacity] not found");
}

// --- AWS::ApplicationAutoScaling::ScalingPolicy ----------------------------------------------

TEST_F(ScalingProvidersTest, TargetTrackingPolicyOnTheTargetIdIsPutInPlaceAndDeleted) {
  register_target();
  auto& p = provider("AWS::ApplicationAutoScaling::ScalingPolicy");
  ResourceRequest req = request("Cpu", "AWS::ApplicationAutoScaling::ScalingPolicy", R"({
      "PolicyName": "cpu70", "PolicyType": "TargetTrackingScaling",
      "ScalingTargetId": "service/c/web|ecs:service:DesiredCount|ecs",
      "TargetTrackingScalingPolicyConfiguration": {"TargetValue": "70",
          "ScaleInCooldown": 60, "ScaleOutCooldown": "60",
          "PredefinedMetricSpecification": {
              "PredefinedMetricType": "ECSServiceAverageCPUUtilization"}}})");
  engine::ProvisionResult r = ok_(p.create(req));
  EXPECT_TRUE(
      r.physical_id.starts_with("arn:aws:autoscaling:us-east-1:123456789012:"
                                "scalingPolicy:"))
      << r.physical_id;
  EXPECT_TRUE(r.physical_id.ends_with(":resource/ecs/service/c/web:policyName/cpu70"));
  EXPECT_EQ(S(r.attributes.at("Arn")), r.physical_id);
  json::array ps = policies();
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].at("TargetTrackingScalingPolicyConfiguration").at("TargetValue"), 70.0);
  EXPECT_EQ(ps[0].at("Alarms").as_array().size(), 2u) << "the tracking alarms in CloudWatch";

  req.physical_id = r.physical_id;
  ResourceRequest update = changed_to(req, R"({
      "PolicyName": "cpu70", "PolicyType": "TargetTrackingScaling",
      "ScalingTargetId": "service/c/web|ecs:service:DesiredCount|ecs",
      "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 50,
          "PredefinedMetricSpecification": {
              "PredefinedMetricType": "ECSServiceAverageMemoryUtilization"}}})");
  EXPECT_EQ(ok_(p.update(update)).physical_id, r.physical_id);
  ps = policies();
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].at("TargetTrackingScalingPolicyConfiguration").at("TargetValue"), 50.0);

  for (std::string_view replaced :
       {"PolicyName", "ScalingTargetId", "ResourceId", "ScalableDimension", "ServiceNamespace"}) {
    EXPECT_EQ(p.update_behavior(replaced), UpdateBehavior::Replacement) << replaced;
  }
  EXPECT_EQ(p.update_behavior("TargetTrackingScalingPolicyConfiguration"),
            UpdateBehavior::NoInterruption);
  EXPECT_EQ(p.update_behavior("PolicyType"), UpdateBehavior::NoInterruption);
  EXPECT_EQ(S(ok_(p.read(update)).attributes.at("Arn")), r.physical_id);
  ASSERT_TRUE(p.remove(update));
  EXPECT_TRUE(policies().empty());
  EXPECT_TRUE(call("cloudwatch", "DescribeAlarms", {}).at("MetricAlarms").as_array().empty());
  ASSERT_TRUE(p.remove(update));
  EXPECT_EQ(err_(p.read(update)).code, "ObjectNotFoundException");
}

TEST_F(ScalingProvidersTest, StepPolicyNamesItsTargetByResourceIdAndDimension) {
  register_target();
  auto& p = provider("AWS::ApplicationAutoScaling::ScalingPolicy");
  ResourceRequest req = request("Step", "AWS::ApplicationAutoScaling::ScalingPolicy", R"({
      "PolicyName": "step", "PolicyType": "StepScaling", "ServiceNamespace": "ecs",
      "ResourceId": "service/c/web", "ScalableDimension": "ecs:service:DesiredCount",
      "StepScalingPolicyConfiguration": {"AdjustmentType": "ChangeInCapacity", "Cooldown": "60",
          "MetricAggregationType": "Average",
          "StepAdjustments": [{"MetricIntervalLowerBound": "0", "ScalingAdjustment": "1"}]}})");
  engine::ProvisionResult r = ok_(p.create(req));
  json::array ps = policies();
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(S(ps[0].at("PolicyARN")), r.physical_id);
  const json::object& step = ps[0].at("StepScalingPolicyConfiguration").as_object();
  EXPECT_EQ(step.at("StepAdjustments").as_array()[0].at("ScalingAdjustment"), 1);
  EXPECT_EQ(step.at("Cooldown"), 60);
}

TEST_F(ScalingProvidersTest, PolicyOfAnUnregisteredTargetFailsWithTheServiceError) {
  auto& p = provider("AWS::ApplicationAutoScaling::ScalingPolicy");
  protocol::AwsError e =
      err_(p.create(request("Cpu", "AWS::ApplicationAutoScaling::ScalingPolicy",
                            R"({"PolicyName": "cpu", "PolicyType": "TargetTrackingScaling",
      "ScalingTargetId": "service/c/web|ecs:service:DesiredCount|ecs",
      "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 70,
          "PredefinedMetricSpecification": {
              "PredefinedMetricType": "ECSServiceAverageCPUUtilization"}}})")));
  EXPECT_EQ(e.code, "ObjectNotFoundException");
}

// --- AWS::CloudWatch::Alarm ------------------------------------------------------------------

TEST_F(ScalingProvidersTest, AlarmIsPutWithAGeneratedNameUpdatedInPlaceAndDeleted) {
  auto& p = provider("AWS::CloudWatch::Alarm");
  ResourceRequest req = request("HighCpu", "AWS::CloudWatch::Alarm", R"({
      "Namespace": "AWS/ECS", "MetricName": "CPUUtilization", "Statistic": "Average",
      "Period": "60", "EvaluationPeriods": "3", "DatapointsToAlarm": 2, "Threshold": "70",
      "ComparisonOperator": "GreaterThanThreshold", "TreatMissingData": "notBreaching",
      "ActionsEnabled": "false",
      "Dimensions": [{"Name": "ClusterName", "Value": "c"}, {"Name": "ServiceName", "Value": "web"}],
      "Tags": [{"Key": "team", "Value": "web"}]})");
  engine::ProvisionResult r = ok_(p.create(req));
  EXPECT_TRUE(r.physical_id.starts_with("app-HighCpu-")) << r.physical_id;
  EXPECT_EQ(S(r.attributes.at("Arn")),
            "arn:aws:cloudwatch:us-east-1:123456789012:alarm:" + r.physical_id);
  auto alarm = [&] {
    return call("cloudwatch", "DescribeAlarms",
                {{"AlarmNames", json::array{json::value(r.physical_id)}}})
        .at("MetricAlarms")
        .as_array()[0]
        .as_object();
  };
  json::object a = alarm();
  EXPECT_EQ(a.at("Threshold"), 70.0);
  EXPECT_EQ(a.at("EvaluationPeriods"), 3);
  EXPECT_EQ(a.at("ActionsEnabled"), false);
  EXPECT_EQ(a.at("Dimensions").as_array().size(), 2u);
  json::array tags =
      call("cloudwatch", "ListTagsForResource", {{"ResourceARN", r.attributes.at("Arn")}})
          .at("Tags")
          .as_array();
  EXPECT_EQ(tags.size(), 4u) << json::serialize(tags);

  req.physical_id = r.physical_id;
  ResourceRequest update = changed_to(req, R"({
      "Namespace": "AWS/ECS", "MetricName": "CPUUtilization", "Statistic": "Average",
      "Period": 60, "EvaluationPeriods": 3, "Threshold": 80,
      "ComparisonOperator": "GreaterThanOrEqualToThreshold",
      "Dimensions": [{"Name": "ClusterName", "Value": "c"}, {"Name": "ServiceName", "Value": "web"}],
      "Tags": [{"Key": "team", "Value": "api"}]})");
  EXPECT_EQ(ok_(p.update(update)).attributes.at("Arn"), r.attributes.at("Arn"));
  a = alarm();
  EXPECT_EQ(a.at("Threshold"), 80.0);
  EXPECT_EQ(a.at("ComparisonOperator"), "GreaterThanOrEqualToThreshold");
  tags = call("cloudwatch", "ListTagsForResource", {{"ResourceARN", r.attributes.at("Arn")}})
             .at("Tags")
             .as_array();
  EXPECT_EQ(tags.back().at("Value"), "api");

  EXPECT_EQ(p.update_behavior("AlarmName"), UpdateBehavior::Replacement);
  EXPECT_EQ(p.update_behavior("Threshold"), UpdateBehavior::NoInterruption);
  EXPECT_EQ(p.update_behavior("Dimensions"), UpdateBehavior::NoInterruption);
  EXPECT_EQ(ok_(p.read(update)).attributes.at("Arn"), r.attributes.at("Arn"));
  ASSERT_TRUE(p.remove(update));
  ASSERT_TRUE(p.remove(update));
  EXPECT_EQ(err_(p.read(update)).code, "ResourceNotFound");
}

}  // namespace
}  // namespace services::cloudformation::resources
