#include "services/cloudformation/engine/intrinsics.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "services/cloudformation/engine/conditions.h"
#include "services/cloudformation/engine/engine_test_support.h"
#include "services/cloudformation/engine/template_reader.h"

namespace services::cloudformation::engine {
namespace {

namespace json = boost::json;

class IntrinsicsTest : public ::testing::Test {
 protected:
  void load(const std::string& extra, std::map<std::string, std::string, std::less<>> given = {}) {
    tpl_ = ok(parse_template(R"(
Parameters:
  Env: {Type: String, Default: prod}
  Subnets: {Type: CommaDelimitedList, Default: "subnet-1,subnet-2"}
  Port: {Type: Number, Default: 8080}
Mappings:
  Images:
    us-east-1: {Ami: ami-east, Zones: [a, b]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
Resources:
  Lb: {Type: AWS::ElasticLoadBalancingV2::LoadBalancer}
  Tg: {Type: AWS::ElasticLoadBalancingV2::TargetGroup}
)" + extra));
    params_ = ok(resolve_parameters(tpl_, given));
    conditions_ = ok(evaluate_conditions(tpl_, stack_, params_));
    values_["Lb"] = {"arn:lb/app/web/1", json::object{{"DNSName", "web-1.elb.local"},
                                                      {"LoadBalancerFullName", "app/web/1"}}};
    EvalHooks hooks;
    hooks.resource = [this](std::string_view id) -> const ResourceValues* {
      auto it = values_.find(std::string(id));
      return it == values_.end() ? nullptr : &it->second;
    };
    hooks.import_value = [](std::string_view name) -> protocol::Result<std::string> {
      if (name == "vpc-id") {
        return std::string("vpc-123");
      }
      return protocol::AwsError("ValidationError",
                                "No export named " + std::string(name) + " found.");
    };
    eval_.emplace(tpl_, stack_, params_, conditions_, hooks);
  }

  std::string eval(std::string_view yaml_value) {
    json::object doc = read_yaml_template(std::string("V: ") + std::string(yaml_value));
    std::optional<json::value> v = eval_->resolve(doc.at("V"));
    return v ? json::serialize(*v) : "<novalue>";
  }

  std::string error(std::string_view yaml_value) {
    json::object doc = read_yaml_template(std::string("V: ") + std::string(yaml_value));
    return error_of(eval_->try_resolve(doc.at("V")));
  }

  void SetUp() override { load(""); }

  StackIdentity stack_{"123456789012", "us-east-1", "app",
                       "arn:aws:cloudformation:us-east-1:123456789012:stack/app/1"};
  Template tpl_;
  ParameterValues params_;
  ConditionValues conditions_;
  std::map<std::string, ResourceValues> values_;
  std::optional<Evaluator> eval_;
};

TEST_F(IntrinsicsTest, RefGivesPseudoParametersParametersAndPhysicalIds) {
  EXPECT_EQ(eval("!Ref AWS::Region"), R"("us-east-1")");
  EXPECT_EQ(eval("!Ref AWS::AccountId"), R"("123456789012")");
  EXPECT_EQ(eval("!Ref AWS::StackName"), R"("app")");
  EXPECT_EQ(eval("!Ref AWS::StackId"),
            R"("arn:aws:cloudformation:us-east-1:123456789012:stack/app/1")");
  EXPECT_EQ(eval("!Ref AWS::Partition"), R"("aws")");
  EXPECT_EQ(eval("!Ref AWS::URLSuffix"), R"("amazonaws.com")");
  EXPECT_EQ(eval("!Ref AWS::NotificationARNs"), "[]");
  EXPECT_EQ(eval("!Ref Env"), R"("prod")");
  EXPECT_EQ(eval("!Ref Port"), R"("8080")");
  EXPECT_EQ(eval("!Ref Subnets"), R"(["subnet-1","subnet-2"])");
  EXPECT_EQ(eval("!Ref Lb"), R"("arn:lb/app/web/1")");
}

TEST_F(IntrinsicsTest, NoValueRemovesThePropertyOrListElement) {
  EXPECT_EQ(eval("!Ref AWS::NoValue"), "<novalue>");
  EXPECT_EQ(eval("{A: 1, B: !Ref AWS::NoValue}"), R"({"A":1})");
  EXPECT_EQ(eval("[a, !If [IsDev, b, !Ref AWS::NoValue], c]"), R"(["a","c"])");
  EXPECT_EQ(eval("{A: !If [IsProd, !Ref AWS::NoValue, x]}"), "{}");
}

TEST_F(IntrinsicsTest, GetAttGivesAttributesAndNamesWhatIsMissing) {
  EXPECT_EQ(eval("!GetAtt Lb.DNSName"), R"("web-1.elb.local")");
  EXPECT_EQ(eval("{'Fn::GetAtt': [Lb, LoadBalancerFullName]}"), R"("app/web/1")");
  EXPECT_EQ(error("!GetAtt Nope.Arn"),
            "ValidationError: Template error: instance of Fn::GetAtt references undefined "
            "resource Nope");
  EXPECT_EQ(error("!GetAtt Lb.Nope"),
            "ValidationError: Template error: resource Lb does not support attribute type Nope "
            "in Fn::GetAtt");
  EXPECT_EQ(error("!GetAtt [Lb]"),
            "ValidationError: Template error: every Fn::GetAtt object requires two non-empty "
            "parameters, the resource name and the resource attribute");
  EXPECT_EQ(error("!Ref Tg"), "ValidationError: Template error: reference Tg not ready");
  EXPECT_EQ(error("!Ref Nope"),
            "ValidationError: Template format error: Unresolved resource dependencies [Nope] in "
            "the Resources block of the template");
}

TEST_F(IntrinsicsTest, JoinSelectSplit) {
  EXPECT_EQ(eval("!Join ['', [!Ref AWS::StackName, -web]]"), R"("app-web")");
  EXPECT_EQ(eval("!Join [',', !Ref Subnets]"), R"("subnet-1,subnet-2")");
  EXPECT_EQ(eval("!Join [':', [a, 80, true]]"), R"("a:80:true")");
  EXPECT_EQ(eval("!Join [',', []]"), R"("")");
  EXPECT_EQ(error("!Join [',']"),
            "ValidationError: Template error: every Fn::Join object requires two parameters, (1) "
            "a string delimiter and (2) a list of strings to be joined or a function that returns "
            "a list of strings (such as Fn::GetAZs) to be joined.");
  EXPECT_EQ(error("!Join [',', [{a: b}]]").substr(0, 60),
            "ValidationError: Template error: every Fn::Join object requi");
  EXPECT_EQ(eval("!Select [1, !Ref Subnets]"), R"("subnet-2")");
  EXPECT_EQ(eval("!Select ['0', [x, y]]"), R"("x")");
  EXPECT_EQ(error("!Select [2, !Ref Subnets]"),
            "ValidationError: Template error: Fn::Select cannot select nonexistent value at index "
            "2");
  EXPECT_EQ(error("!Select [x, [a]]"),
            "ValidationError: Template error: Fn::Select requires a list argument with a valid "
            "index value as its first element");
  EXPECT_EQ(eval("!Split [',', 'a,b,,c']"), R"(["a","b","","c"])");
  EXPECT_EQ(eval("!Select [2, !Split ['/', !GetAtt Lb.LoadBalancerFullName]]"), R"("1")");
  EXPECT_EQ(error("!Split [',']"),
            "ValidationError: Template error: every Fn::Split object requires two parameters, (1) "
            "a string delimiter and (2) a string to be split or a function that returns a string "
            "to be split.");
}

TEST_F(IntrinsicsTest, SubBothForms) {
  EXPECT_EQ(eval("!Sub '${AWS::StackName}-${Env}-${AWS::Region}'"), R"("app-prod-us-east-1")");
  EXPECT_EQ(eval("!Sub 'http://${Lb.DNSName}/'"), R"("http://web-1.elb.local/")");
  EXPECT_EQ(eval("!Sub 'arn:${Lb}'"), R"("arn:arn:lb/app/web/1")");
  EXPECT_EQ(eval("!Sub '${!Literal} and ${!AWS::Region}'"), R"("${Literal} and ${AWS::Region}")");
  EXPECT_EQ(eval("!Sub ['${Host}:${Port}', {Host: !GetAtt Lb.DNSName}]"),
            R"("web-1.elb.local:8080")");
  EXPECT_EQ(eval("!Sub ['${Env}', {Env: overridden}]"), R"("overridden")");
  EXPECT_EQ(eval("!Sub 'no vars ${ unclosed'"), R"("no vars ${ unclosed")");
  EXPECT_EQ(error("!Sub '${bad-name}'"),
            "ValidationError: Template error: variable names in Fn::Sub syntax must contain only "
            "alphanumeric characters, underscores, periods, and colons");
  EXPECT_EQ(error("!Sub '${Missing}'"),
            "ValidationError: Template format error: Unresolved resource dependencies [Missing] "
            "in the Resources block of the template");
}

TEST_F(IntrinsicsTest, ConditionFunctions) {
  EXPECT_TRUE(conditions_.at("IsProd"));
  EXPECT_FALSE(conditions_.at("IsDev"));
  EXPECT_EQ(eval("!If [IsProd, big, small]"), R"("big")");
  EXPECT_EQ(eval("!If [IsDev, big, small]"), R"("small")");
  // The branch not taken is not evaluated: it may name a resource the condition removed.
  EXPECT_EQ(eval("!If [IsProd, ok, !GetAtt Gone.Arn]"), R"("ok")");
  EXPECT_EQ(eval("!Equals [!Ref Port, 8080]"), "true");
  EXPECT_EQ(eval("!And [!Condition IsProd, !Equals [a, a]]"), "true");
  EXPECT_EQ(eval("!Or [!Condition IsDev, !Equals [a, b]]"), "false");
  EXPECT_EQ(eval("!Not [!Equals [a, b]]"), "true");
  EXPECT_EQ(eval("!Contains [[a, b], b]"), "true");
  EXPECT_EQ(eval("{Condition: {StringEquals: {'aws:SourceAccount': !Ref AWS::AccountId}}}"),
            R"({"Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"}}})");
  EXPECT_EQ(error("!If [Nope, a, b]"),
            "ValidationError: Template error: unresolved condition dependency Nope in Fn::If");
  EXPECT_EQ(error("!If [IsProd, a]"),
            "ValidationError: Template error: Fn::If requires a list argument with three "
            "elements");
  EXPECT_EQ(error("!And [!Condition IsProd]"),
            "ValidationError: Template error: every Fn::And object requires a list of at least 2 "
            "and at most 10 boolean parameters.");
  EXPECT_EQ(error("!Equals [a]"),
            "ValidationError: Template error: Fn::Equals requires a list argument with two "
            "elements");
}

TEST_F(IntrinsicsTest, FindInMapBase64ImportValueGetAZs) {
  EXPECT_EQ(eval("!FindInMap [Images, !Ref AWS::Region, Ami]"), R"("ami-east")");
  EXPECT_EQ(eval("!FindInMap [Images, us-east-1, Zones]"), R"(["a","b"])");
  EXPECT_EQ(error("!FindInMap [Images, eu-west-1, Ami]"),
            "ValidationError: Template error: Unable to get mapping for "
            "Images::eu-west-1::Ami");
  EXPECT_EQ(error("!FindInMap [Nope, a, b]"),
            "ValidationError: Template error: Mapping named 'Nope' is not present in the "
            "'Mappings' section of template");
  EXPECT_EQ(error("!FindInMap [Images, a, b, {DefaultValue: d}]"),
            "ValidationError: Template error: every Fn::FindInMap object requires three "
            "parameters, the map name, map key and the attribute for return value");
  EXPECT_EQ(eval("!Base64 '#!/bin/sh'"), R"("IyEvYmluL3No")");
  EXPECT_EQ(eval("!ImportValue vpc-id"), R"("vpc-123")");
  EXPECT_EQ(error("!ImportValue {'Fn::Sub': 'vpc-${Env}'}"),
            "ValidationError: No export named vpc-prod found.");
  EXPECT_EQ(eval("!GetAZs ''"), R"(["us-east-1a","us-east-1b","us-east-1c"])");
  EXPECT_EQ(eval("!Select [0, !GetAZs {Ref: AWS::Region}]"), R"("us-east-1a")");
}

// AWS's examples (intrinsic-function-reference-cidr.html): cidrBits are host bits.
TEST_F(IntrinsicsTest, CidrAsAwsComputesIt) {
  EXPECT_EQ(eval("!Cidr [192.168.0.0/24, 6, 5]"),
            R"(["192.168.0.0/27","192.168.0.32/27","192.168.0.64/27","192.168.0.96/27",)"
            R"("192.168.0.128/27","192.168.0.160/27"])");
  EXPECT_EQ(eval("!Cidr [10.0.0.0/16, 2, 8]"), R"(["10.0.0.0/24","10.0.1.0/24"])");
  EXPECT_EQ(eval("!Select [1, !Cidr [10.0.7.9/16, '3', '12']]"), R"("10.0.16.0/20")");
  EXPECT_EQ(eval("!Cidr ['2001:db8::/56', 2, 64]"), R"(["2001:db8::/64","2001:db8:0:1::/64"])");
  EXPECT_EQ(error("!Cidr [10.0.0.0/24, 9, 5]"),
            "ValidationError: Template error: Fn::Cidr cannot make 9 blocks of /27 in "
            "10.0.0.0/24");
  EXPECT_EQ(error("!Cidr [10.0.0.0/24, 1, 9]"),
            "ValidationError: Template error: Fn::Cidr cidrBits 9 does not fit in the ipBlock "
            "10.0.0.0/24");
  EXPECT_EQ(error("!Cidr [nope, 1, 8]"),
            "ValidationError: Template error: Fn::Cidr requires an ipBlock in CIDR notation, got "
            "nope");
}

TEST_F(IntrinsicsTest, LanguageExtensionsOnlyUnderTheirTransform) {
  EXPECT_EQ(error("!Length [a, b]"),
            "ValidationError: Template format error: Encountered unsupported function: "
            "Fn::Length");
  load("Transform: AWS::LanguageExtensions\n");
  EXPECT_EQ(eval("{'Fn::Length': !Ref Subnets}"), "2");
  EXPECT_EQ(eval("{'Fn::ToJsonString': {a: !Ref Env, b: [1]}}"), R"("{\"a\":\"prod\",\"b\":[1]}")");
  EXPECT_EQ(eval("!FindInMap [Images, eu-west-1, Ami, {DefaultValue: !Ref Env}]"), R"("prod")");
  EXPECT_EQ(eval("!FindInMap [Nope, a, b, {DefaultValue: d}]"), R"("d")");
}

}  // namespace
}  // namespace services::cloudformation::engine
