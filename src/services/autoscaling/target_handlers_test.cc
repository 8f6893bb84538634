#include "services/autoscaling/autoscaling_test_support.h"

namespace services::autoscaling {
namespace {

namespace json = boost::json;

TEST_F(AutoscalingTest, RegisterDefaultsRoleAndSuspendedStateAndDescribesTheTarget) {
  register_web(1, 6);
  json::object out = ok("DescribeScalableTargets", J(R"({"ServiceNamespace":"ecs"})"));
  ASSERT_EQ(out.at("ScalableTargets").as_array().size(), 1u);
  json::object t = out.at("ScalableTargets").as_array()[0].as_object();
  EXPECT_EQ(t.at("ResourceId"), "service/c/web");
  EXPECT_EQ(t.at("MinCapacity"), 1);
  EXPECT_EQ(t.at("MaxCapacity"), 6);
  EXPECT_EQ(t.at("RoleARN"),
            "arn:aws:iam::123456789012:role/aws-service-role/"
            "ecs.application-autoscaling.amazonaws.com/"
            "AWSServiceRoleForApplicationAutoScaling_ECSService");
  EXPECT_EQ(t.at("SuspendedState"),
            J(R"({"DynamicScalingInSuspended":false,"DynamicScalingOutSuspended":false,
                  "ScheduledScalingSuspended":false})"));
  EXPECT_TRUE(std::string(t.at("ScalableTargetARN").as_string())
                  .starts_with("arn:aws:application-autoscaling:us-east-1:123456789012:"
                               "scalable-target/"));
}

TEST_F(AutoscalingTest, RegisteringAgainUpdatesOnlyWhatItNames) {
  register_web(1, 6);
  ok("RegisterScalableTarget", J(R"({"ServiceNamespace":"ecs","ResourceId":"service/c/web",
           "ScalableDimension":"ecs:service:DesiredCount","MaxCapacity":10,
           "SuspendedState":{"DynamicScalingInSuspended":true}})"));
  json::object t = ok("DescribeScalableTargets", J(R"({"ServiceNamespace":"ecs"})"))
                       .at("ScalableTargets")
                       .as_array()[0]
                       .as_object();
  EXPECT_EQ(t.at("MinCapacity"), 1);
  EXPECT_EQ(t.at("MaxCapacity"), 10);
  EXPECT_EQ(t.at("SuspendedState").at("DynamicScalingInSuspended"), true);
  EXPECT_EQ(t.at("SuspendedState").at("DynamicScalingOutSuspended"), false);
}

TEST_F(AutoscalingTest, RegisterRejectsMissingServiceBadBoundsAndOtherNamespaces) {
  auto missing =
      err("RegisterScalableTarget", J(R"({"ServiceNamespace":"ecs","ResourceId":"service/c/nope",
                           "ScalableDimension":"ecs:service:DesiredCount","MinCapacity":1,
                           "MaxCapacity":2})"));
  EXPECT_EQ(missing.code, "ValidationException");
  EXPECT_EQ(missing.message, "ECS service doesn't exist: service/c/nope");
  auto bounds =
      err("RegisterScalableTarget", J(R"({"ServiceNamespace":"ecs","ResourceId":"service/c/web",
                          "ScalableDimension":"ecs:service:DesiredCount","MinCapacity":5,
                          "MaxCapacity":2})"));
  EXPECT_EQ(bounds.code, "ValidationException");
  auto no_bounds =
      err("RegisterScalableTarget", J(R"({"ServiceNamespace":"ecs","ResourceId":"service/c/web",
                             "ScalableDimension":"ecs:service:DesiredCount"})"));
  EXPECT_EQ(no_bounds.code, "ValidationException");
  auto ddb =
      err("RegisterScalableTarget", J(R"({"ServiceNamespace":"dynamodb","ResourceId":"table/t",
                       "ScalableDimension":"dynamodb:table:ReadCapacityUnits","MinCapacity":1,
                       "MaxCapacity":2})"));
  EXPECT_EQ(ddb.code, "ValidationException");
  auto bad_id = err("RegisterScalableTarget", J(R"({"ServiceNamespace":"ecs","ResourceId":"web",
                          "ScalableDimension":"ecs:service:DesiredCount","MinCapacity":1,
                          "MaxCapacity":2})"));
  EXPECT_EQ(bad_id.code, "ValidationException");
}

TEST_F(AutoscalingTest, DeregisterDeletesPoliciesAlarmsAndScheduledActions) {
  register_web();
  put_cpu_policy();
  ok("PutScheduledAction", J(R"J({"ServiceNamespace":"ecs","ResourceId":"service/c/web",
           "ScalableDimension":"ecs:service:DesiredCount","ScheduledActionName":"night",
           "Schedule":"cron(0 22 * * ? *)","ScalableTargetAction":{"MaxCapacity":2}})J"));
  EXPECT_EQ(alarms_.alarms.size(), 2u);
  const char* key = R"({"ServiceNamespace":"ecs","ResourceId":"service/c/web",
                        "ScalableDimension":"ecs:service:DesiredCount"})";
  ok("DeregisterScalableTarget", J(key));
  EXPECT_TRUE(alarms_.alarms.empty());
  EXPECT_TRUE(ok("DescribeScalingPolicies", J(R"({"ServiceNamespace":"ecs"})"))
                  .at("ScalingPolicies")
                  .as_array()
                  .empty());
  EXPECT_TRUE(ok("DescribeScheduledActions", J(R"({"ServiceNamespace":"ecs"})"))
                  .at("ScheduledActions")
                  .as_array()
                  .empty());
  auto again = err("DeregisterScalableTarget", J(key));
  EXPECT_EQ(again.code, "ObjectNotFoundException");
  EXPECT_EQ(again.message,
            "No scalable target registered for service namespace: ecs, resource ID: "
            "service/c/web, scalable dimension: ecs:service:DesiredCount");
}

TEST_F(AutoscalingTest, DescribeScalableTargetsPages) {
  for (int i = 0; i < 3; ++i) {
    std::string name = "s" + std::to_string(i);
    ecs_.services["c/" + name] = {1, 1, false};
    ok("RegisterScalableTarget",
       J(R"({"ServiceNamespace":"ecs","ResourceId":"service/c/)" + name +
         R"(","ScalableDimension":"ecs:service:DesiredCount","MinCapacity":1,"MaxCapacity":2})"));
  }
  json::object p1 =
      ok("DescribeScalableTargets", J(R"({"ServiceNamespace":"ecs","MaxResults":2})"));
  ASSERT_EQ(p1.at("ScalableTargets").as_array().size(), 2u);
  json::object in{{"ServiceNamespace", "ecs"}, {"NextToken", p1.at("NextToken")}};
  json::object p2 = ok("DescribeScalableTargets", in);
  ASSERT_EQ(p2.at("ScalableTargets").as_array().size(), 1u);
  EXPECT_EQ(p2.at("ScalableTargets").as_array()[0].at("ResourceId"), "service/c/s2");
  EXPECT_FALSE(p2.contains("NextToken"));
}

TEST_F(AutoscalingTest, TagsLiveOnTheScalableTargetArn) {
  ok("RegisterScalableTarget", J(R"({"ServiceNamespace":"ecs","ResourceId":"service/c/web",
           "ScalableDimension":"ecs:service:DesiredCount","MinCapacity":1,"MaxCapacity":2,
           "Tags":{"team":"a"}})"));
  std::string arn(ok("DescribeScalableTargets", J(R"({"ServiceNamespace":"ecs"})"))
                      .at("ScalableTargets")
                      .as_array()[0]
                      .at("ScalableTargetARN")
                      .as_string());
  json::object in{{"ResourceARN", arn}, {"Tags", J(R"({"env":"prod"})")}};
  ok("TagResource", in);
  json::object untag{{"ResourceARN", arn}, {"TagKeys", json::array{"team"}}};
  ok("UntagResource", untag);
  json::object list{{"ResourceARN", arn}};
  EXPECT_EQ(ok("ListTagsForResource", list).at("Tags"), J(R"({"env":"prod"})"));
  json::object bad{{"ResourceARN", arn + "x"}};
  EXPECT_EQ(err("ListTagsForResource", bad).code, "ResourceNotFoundException");
}

}  // namespace
}  // namespace services::autoscaling
