#include "services/cloudformation/engine/rules.h"

#include <gtest/gtest.h>

#include "services/cloudformation/engine/engine_test_support.h"

namespace services::cloudformation::engine {
namespace {

protocol::Result<void> rules(const std::string& body,
                             std::map<std::string, std::string, std::less<>> given = {}) {
  Template t = ok(parse_template(body + "Resources: {A: {Type: T}}\n"));
  ParameterValues p = ok(resolve_parameters(t, given));
  ConditionValues none;
  Evaluator eval(t, {"1", "us-east-1", "s", "arn:s"}, p, none);
  return evaluate_rules(eval);
}

// As `cdk synth` writes it (aws-cdk-lib 2.x, DefaultStackSynthesizer).
constexpr const char* kCdkBootstrapCheck = R"(
Parameters:
  BootstrapVersion: {Type: String, Default: '6'}
Rules:
  CheckBootstrapVersion:
    Assertions:
      - Assert:
          Fn::Not:
            - Fn::Contains:
                - ['1', '2', '3', '4', '5']
                - Ref: BootstrapVersion
        AssertDescription: CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a recent version of the CDK CLI.
)";

TEST(RulesTest, CdkBootstrapCheckPassesOnARecentBootstrapAndFailsWithItsDescription) {
  EXPECT_TRUE(rules(kCdkBootstrapCheck).has_value());
  EXPECT_TRUE(rules(kCdkBootstrapCheck, {{"BootstrapVersion", "21"}}).has_value());
  EXPECT_EQ(error_of(rules(kCdkBootstrapCheck, {{"BootstrapVersion", "5"}})),
            "ValidationError: CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' "
            "with a recent version of the CDK CLI.");
}

TEST(RulesTest, RuleConditionGatesItsAssertions) {
  std::string body = R"(
Parameters:
  Env: {Type: String, Default: dev}
  Size: {Type: CommaDelimitedList, Default: "small,small"}
Rules:
  ProdIsLarge:
    RuleCondition: !Equals [!Ref Env, prod]
    Assertions:
      - Assert: !EachMemberEquals [!Ref Size, large]
      - Assert: !EachMemberIn [!Ref Size, [small, large]]
)";
  EXPECT_TRUE(rules(body).has_value());
  EXPECT_EQ(error_of(rules(body, {{"Env", "prod"}})),
            "ValidationError: Template error: Assertion failed for rule ProdIsLarge");
  EXPECT_TRUE(rules(body, {{"Env", "prod"}, {"Size", "large,large"}}).has_value());
}

TEST(RulesTest, RefusesFunctionsAndNamesRulesCannotUse) {
  EXPECT_EQ(error_of(rules("Rules: {R: {Assertions: [{Assert: !If [C, a, b]}]}}\n")),
            "ValidationError: Template format error: Following functions are not supported in "
            "the Rules block of the template: [Fn::If]");
  EXPECT_EQ(error_of(rules("Rules: {R: {Assertions: [{Assert: !Equals [!Ref A, x]}]}}\n")),
            "ValidationError: Template format error: Unresolved resource dependencies [A] in the "
            "Rules block of the template");
}

}  // namespace
}  // namespace services::cloudformation::engine
