#include "services/cloudformation/engine/for_each.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "services/cloudformation/engine/engine_test_support.h"
#include "services/cloudformation/engine/stack_plan.h"

namespace services::cloudformation::engine {
namespace {

constexpr const char* kTopics = R"(
Transform: AWS::LanguageExtensions
Parameters:
  Names: {Type: CommaDelimitedList, Default: "orders,audit-log"}
Resources:
  Queue: {Type: AWS::SQS::Queue}
  Fn::ForEach::Topics:
    - Name
    - !Ref Names
    - Topic&{Name}:
        Type: AWS::SNS::Topic
        Properties:
          TopicName: !Sub "${AWS::StackName}-${Name}"
          DisplayName: !Ref Name
          Tags: [{Key: queue, Value: !GetAtt Queue.Arn}]
Outputs:
  Fn::ForEach::Arns:
    - Name
    - !Ref Names
    - '&{Name}Arn': {Value: !Ref 'Topic&{Name}'}
)";

TEST(ForEachTest, StampsOutOneMemberPerItemOnceParametersAreKnown) {
  Template t = ok(parse_template(kTopics));
  EXPECT_TRUE(t.has_for_each);
  EXPECT_EQ(t.resources.size(), 1u);  // the loop waits for the parameters
  StackPlan plan = ok(plan_stack(t, {{"1", "us-east-1", "app", "arn:s"}, {}, {}, {}}));
  ASSERT_EQ(plan.tpl.resources.size(), 3u);
  const ResourceDecl* audit = plan.tpl.find_resource("Topicauditlog");
  ASSERT_NE(audit, nullptr);
  EXPECT_EQ(boost::json::serialize(audit->properties),
            R"({"TopicName":{"Fn::Sub":"${AWS::StackName}-audit-log"},"DisplayName":"audit-log",)"
            R"("Tags":[{"Key":"queue","Value":{"Fn::GetAtt":["Queue","Arn"]}}]})");
  EXPECT_EQ(plan.graph.creation_waves(),
            (std::vector<std::vector<std::string>>{{"Queue"}, {"Topicorders", "Topicauditlog"}}));
  ASSERT_EQ(plan.tpl.outputs.size(), 2u);
  EXPECT_EQ(plan.tpl.outputs[1].name, "auditlogArn");
  EXPECT_EQ(plan.tpl.outputs[1].value, boost::json::object({{"Ref", "Topicauditlog"}}));

  StackPlan one = ok(plan_stack(t, {{"1", "us-east-1", "app", "arn:s"}, {{"Names", "x"}}, {}, {}}));
  EXPECT_EQ(one.tpl.resources.size(), 2u);
  EXPECT_EQ(one.tpl.outputs[0].name, "xArn");
}

TEST(ForEachTest, LoopsOnlyUnderTheTransformAndNamesBadLoops) {
  EXPECT_FALSE(parse_template("Resources: {'Fn::ForEach::X': [a, [b], {}]}").has_value());
  Template t = ok(parse_template(
      "Transform: AWS::LanguageExtensions\nResources: {'Fn::ForEach::X': [a, [b, b], "
      "{'R${a}': {Type: T}}]}"));
  EXPECT_EQ(error_of(expand_for_each(t, {}, {})),
            "ValidationError: Template error: Fn::ForEach::X makes a duplicate member Rb");
}

}  // namespace
}  // namespace services::cloudformation::engine
