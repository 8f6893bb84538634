#include "services/cloudformation/engine/parameters.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "services/cloudformation/engine/engine_test_support.h"

namespace services::cloudformation::engine {
namespace {

using Given = std::map<std::string, std::string, std::less<>>;

Template tpl(const std::string& params) {
  return ok(parse_template("Parameters:\n" + params + "Resources: {A: {Type: T}}\n"));
}

std::string error(const std::string& params, Given given, const SsmParameterLookup& ssm = {}) {
  return error_of(resolve_parameters(tpl(params), given, ssm));
}

TEST(ParametersTest, GivenValuesWinOverDefaultsAndListsBecomeLists) {
  Template t = tpl(R"(
  Env: {Type: String, Default: dev}
  Count: {Type: Number, Default: 2}
  Subnets: {Type: 'List<AWS::EC2::Subnet::Id>'}
  Names: {Type: CommaDelimitedList, Default: "a, b ,c"}
  Secret: {Type: String, NoEcho: true, Default: s}
)");
  ParameterValues v =
      ok(resolve_parameters(t, {{"Env", "prod"}, {"Subnets", "subnet-1,subnet-2"}}));
  EXPECT_EQ(v.at("Env").ref_value, "prod");
  EXPECT_EQ(v.at("Count").ref_value, "2");
  EXPECT_EQ(boost::json::serialize(v.at("Subnets").ref_value), R"(["subnet-1","subnet-2"])");
  EXPECT_EQ(boost::json::serialize(v.at("Names").ref_value), R"(["a","b","c"])");
  EXPECT_TRUE(v.at("Secret").no_echo);
  EXPECT_FALSE(v.at("Env").no_echo);
}

TEST(ParametersTest, MissingValuesAreListedInTemplateOrder) {
  EXPECT_EQ(
      error("  B: {Type: String}\n  A: {Type: String}\n  C: {Type: String, Default: x}\n", {}),
      "ValidationError: Parameters: [B, A] must have values");
  EXPECT_EQ(error("  A: {Type: String, Default: x}\n", {{"Nope", "1"}}),
            "ValidationError: Parameters: [Nope] do not exist in the template");
}

TEST(ParametersTest, ConstraintsAnswerAsCloudFormationDoes) {
  EXPECT_EQ(error("  E: {Type: String, AllowedValues: [dev, prod]}\n", {{"E", "qa"}}),
            "ValidationError: Parameter 'E' must be one of AllowedValues");
  EXPECT_EQ(error("  E: {Type: String, AllowedPattern: '[a-z]+'}\n", {{"E", "ab1"}}),
            "ValidationError: Parameter 'E' must match pattern [a-z]+");
  EXPECT_EQ(error("  E: {Type: String, MinLength: 3}\n", {{"E", "ab"}}),
            "ValidationError: Parameter 'E' must contain at least 3 characters");
  EXPECT_EQ(error("  E: {Type: String, MaxLength: 2}\n", {{"E", "abc"}}),
            "ValidationError: Parameter 'E' must contain at most 2 characters");
  EXPECT_EQ(error("  N: {Type: Number}\n", {{"N", "ten"}}),
            "ValidationError: Parameter 'N' must be a number");
  EXPECT_EQ(error("  N: {Type: Number, MinValue: 1}\n", {{"N", "0"}}),
            "ValidationError: Parameter 'N' must be a number not less than 1");
  EXPECT_EQ(error("  N: {Type: Number, MaxValue: 10.5}\n", {{"N", "11"}}),
            "ValidationError: Parameter 'N' must be a number not greater than 10.5");
  EXPECT_EQ(error("  N: {Type: 'List<Number>'}\n", {{"N", "1,x"}}),
            "ValidationError: Parameter 'N' must be a number");
  EXPECT_EQ(error("  L: {Type: CommaDelimitedList, AllowedPattern: '\\w+', "
                  "ConstraintDescription: word characters only}\n",
                  {{"L", "dev,te st"}}),
            "ValidationError: Parameter L failed to satisfy constraint: word characters only");
}

TEST(ParametersTest, ConstraintsAcceptValuesWithinThem) {
  Template t = tpl(R"(
  E: {Type: String, AllowedValues: [dev, prod], AllowedPattern: '[a-z]+', MinLength: 3}
  N: {Type: Number, MinValue: 1, MaxValue: 10}
  L: {Type: CommaDelimitedList, AllowedPattern: '\w+'}
)");
  EXPECT_TRUE(resolve_parameters(t, {{"E", "dev"}, {"N", "10"}, {"L", "dev,test"}}).has_value());
}

TEST(ParametersTest, SsmParameterTypesResolveThroughTheLookup) {
  Template t = tpl(R"(
  Version: {Type: 'AWS::SSM::Parameter::Value<String>', Default: /cdk-bootstrap/hnb659fds/version}
  Zones: {Type: 'AWS::SSM::Parameter::Value<List<String>>', Default: /zones}
)");
  std::vector<std::string> asked;
  SsmParameterLookup ssm = [&](std::string_view name) -> protocol::Result<std::string> {
    asked.emplace_back(name);
    if (name == "/zones") {
      return std::string("a,b");
    }
    return std::string("21");
  };
  ParameterValues v = ok(resolve_parameters(t, {}, ssm));
  EXPECT_EQ(v.at("Version").ref_value, "21");
  EXPECT_EQ(v.at("Version").ssm_name, "/cdk-bootstrap/hnb659fds/version");
  EXPECT_EQ(boost::json::serialize(v.at("Zones").ref_value), R"(["a","b"])");
  EXPECT_EQ(asked.size(), 2u);

  SsmParameterLookup missing = [](std::string_view) -> protocol::Result<std::string> {
    return protocol::AwsError("ParameterNotFound", "");
  };
  EXPECT_EQ(error_of(resolve_parameters(t, {}, missing)),
            "ValidationError: Unable to fetch parameters [/cdk-bootstrap/hnb659fds/version] from "
            "parameter store for this account.");
}

}  // namespace
}  // namespace services::cloudformation::engine
