#include "services/cloudformation/engine/conditions.h"

#include <gtest/gtest.h>

#include "services/cloudformation/engine/engine_test_support.h"

namespace services::cloudformation::engine {
namespace {

StackIdentity stack() { return {"123456789012", "eu-west-1", "s", "arn:s"}; }

protocol::Result<ConditionValues> conditions(
    const std::string& body, std::map<std::string, std::string, std::less<>> given = {}) {
  Template t = ok(parse_template(body + "Resources: {A: {Type: T}}\n"));
  ParameterValues p = ok(resolve_parameters(t, given));
  return evaluate_conditions(t, stack(), p);
}

TEST(ConditionsTest, EvaluatesOnceOverParametersPseudoParametersAndOtherConditions) {
  std::string body = R"(
Parameters: {Env: {Type: String, Default: dev}}
Conditions:
  Both: !And [!Condition IsProd, !Condition InEurope]
  IsProd: !Equals [!Ref Env, prod]
  InEurope: !Equals [!Select [0, !Split ['-', !Ref AWS::Region]], eu]
  Either: !Or [!Condition IsProd, !Condition InEurope]
)";
  ConditionValues dev = ok(conditions(body));
  EXPECT_FALSE(dev.at("IsProd"));
  EXPECT_TRUE(dev.at("InEurope"));
  EXPECT_FALSE(dev.at("Both"));
  EXPECT_TRUE(dev.at("Either"));
  ConditionValues prod = ok(conditions(body, {{"Env", "prod"}}));
  EXPECT_TRUE(prod.at("Both"));
}

TEST(ConditionsTest, RefusesResourcesUnknownConditionsAndCycles) {
  EXPECT_EQ(error_of(conditions("Conditions: {C: !Equals [!Ref A, x]}\n")),
            "ValidationError: Template format error: Unresolved dependencies [A]. Cannot "
            "reference resources in the Conditions block of the template");
  EXPECT_EQ(error_of(conditions("Conditions: {C: !Not [!Condition Nope]}\n")),
            "ValidationError: Template format error: Unresolved condition dependencies [Nope] in "
            "the Conditions block of the template");
  EXPECT_EQ(error_of(conditions("Conditions: {A: !Not [!Condition B], B: !Not [!Condition A]}\n")),
            "ValidationError: Template error: Found circular condition dependency: [A, B]");
}

}  // namespace
}  // namespace services::cloudformation::engine
