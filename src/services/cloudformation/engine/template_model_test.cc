#include <gtest/gtest.h>

#include "services/cloudformation/engine/engine_test_support.h"
#include "services/cloudformation/engine/template.h"

namespace services::cloudformation::engine {
namespace {

std::string error(std::string_view body) { return error_of(parse_template(body)); }

TEST(TemplateModelTest, ReadsEverySection) {
  Template t = ok(parse_template(R"(
AWSTemplateFormatVersion: "2010-09-09"
Description: demo
Metadata: {Owner: me}
Transform: AWS::LanguageExtensions
Parameters:
  Env: {Type: String, Default: dev, AllowedValues: [dev, prod], NoEcho: true}
  Port: {Type: Number, MinValue: 1, MaxValue: 65535, Default: 80}
Mappings:
  M: {us-east-1: {Ami: ami-1}}
Conditions:
  Prod: !Equals [!Ref Env, prod]
Rules:
  R: {Assertions: [{Assert: !Equals [a, a]}]}
Resources:
  Log:
    Type: AWS::Logs::LogGroup
    Condition: Prod
    DependsOn: Cluster
    DeletionPolicy: Retain
    UpdateReplacePolicy: Snapshot
    Metadata: {k: v}
    Properties: {RetentionInDays: 7}
  Cluster:
    Type: AWS::ECS::Cluster
    DependsOn: [Log]
Outputs:
  Name:
    Value: !Ref Cluster
    Description: the cluster
    Export: {Name: !Sub "${AWS::StackName}-cluster"}
    Condition: Prod
)"));
  EXPECT_EQ(t.description, "demo");
  EXPECT_TRUE(t.language_extensions);
  ASSERT_EQ(t.parameters.size(), 2u);
  EXPECT_EQ(t.parameters[0].name, "Env");
  EXPECT_TRUE(t.parameters[0].no_echo);
  EXPECT_EQ(t.parameters[0].allowed_values, (std::vector<std::string>{"dev", "prod"}));
  EXPECT_EQ(t.parameters[1].default_value, "80");
  EXPECT_EQ(t.parameters[1].max_value, 65535);
  ASSERT_EQ(t.resources.size(), 2u);
  const ResourceDecl& log = t.resources[0];
  EXPECT_EQ(log.logical_id, "Log");
  EXPECT_EQ(log.condition, "Prod");
  EXPECT_EQ(log.depends_on, std::vector<std::string>{"Cluster"});
  EXPECT_EQ(log.deletion_policy, "Retain");
  EXPECT_EQ(log.update_replace_policy, "Snapshot");
  EXPECT_EQ(log.properties.at("RetentionInDays"), 7);
  EXPECT_EQ(t.resources[1].depends_on, std::vector<std::string>{"Log"});
  EXPECT_EQ(t.resources[1].deletion_policy, "Delete");
  ASSERT_EQ(t.outputs.size(), 1u);
  EXPECT_EQ(t.outputs[0].condition, "Prod");
  EXPECT_TRUE(t.outputs[0].export_name.has_value());
}

TEST(TemplateModelTest, RejectsWhatCloudFormationRejects) {
  EXPECT_EQ(error("Description: x\n"),
            "ValidationError: Template format error: At least one Resources member must be "
            "defined.");
  EXPECT_EQ(error("Resources: {}\n"),
            "ValidationError: Template format error: At least one Resources member must be "
            "defined.");
  EXPECT_EQ(error("Resources: {A: {Properties: {}}}\n"),
            "ValidationError: Template format error: [/Resources/A] Every Resources object must "
            "contain a Type member.");
  EXPECT_EQ(error("Resources: {A_b: {Type: AWS::ECS::Cluster}}\n"),
            "ValidationError: Template format error: Resource name A_b is non alphanumeric.");
  EXPECT_EQ(error("Resources: {A: {Type: T, Propertes: {}}}\n"),
            "ValidationError: Template format error: Invalid template resource property "
            "'Propertes'");
  EXPECT_EQ(error("Foo: 1\nBar: 2\nResources: {A: {Type: T}}\n"),
            "ValidationError: Template format error: Invalid template property or properties "
            "[Foo, Bar]");
  EXPECT_EQ(error("Parameters: {P: {Type: Strin}}\nResources: {A: {Type: T}}\n"),
            "ValidationError: Template format error: Unrecognized parameter type: Strin");
  EXPECT_EQ(error("Parameters: {P: {Type: String, Defualt: x}}\nResources: {A: {Type: T}}\n"),
            "ValidationError: Template format error: Invalid template parameter property "
            "'Defualt'");
  EXPECT_EQ(error("Resources: {A: {Type: T}}\nOutputs: {O: {Description: x}}\n"),
            "ValidationError: Template format error: Every Outputs member must contain a Value "
            "object");
  EXPECT_EQ(error("AWSTemplateFormatVersion: 2011-01-01\nResources: {A: {Type: T}}\n"),
            "ValidationError: Template format error: unsupported value for "
            "AWSTemplateFormatVersion.");
}

TEST(TemplateModelTest, RunsOnlyTheLanguageExtensionsTransform) {
  EXPECT_EQ(error("Transform: AWS::Serverless-2016-10-31\nResources: {A: {Type: T}}\n"),
            "ValidationError: Template format error: Transform AWS::Serverless-2016-10-31 is not "
            "supported: Gantry runs only the AWS::LanguageExtensions transform (no SAM, no "
            "macros).");
}

TEST(TemplateModelTest, AcceptsEveryParameterTypeCloudFormationDoes) {
  for (const char* type :
       {"String", "Number", "List<Number>", "CommaDelimitedList", "AWS::EC2::VPC::Id",
        "List<AWS::EC2::Subnet::Id>", "AWS::EC2::SecurityGroup::Id", "AWS::SSM::Parameter::Name",
        "AWS::SSM::Parameter::Value<String>", "AWS::SSM::Parameter::Value<List<String>>",
        "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>"}) {
    std::string body =
        std::string("Parameters: {P: {Type: '") + type + "'}}\nResources: {A: {Type: T}}\n";
    EXPECT_TRUE(parse_template(body).has_value()) << type;
  }
  EXPECT_FALSE(parse_template("Parameters: {P: {Type: 'List<String>'}}\nResources: {A: {Type: T}}")
                   .has_value());
}

TEST(TemplateModelTest, UnrecognizedTypesAreListedOnceSortedAndConditionFalseSkipped) {
  Template t = ok(parse_template(R"(
Resources:
  A: {Type: AWS::Lambda::Function}
  B: {Type: AWS::ECS::Cluster}
  C: {Type: AWS::Lambda::Function}
  D: {Type: AWS::DynamoDB::Table}
  E: {Type: AWS::SQS::Queue, Condition: Skip}
)"));
  auto supported = [](std::string_view type) { return type == "AWS::ECS::Cluster"; };
  auto holds = [](std::string_view c) { return c != "Skip"; };
  EXPECT_EQ(error_of(check_resource_types(t, supported, holds)),
            "ValidationError: Template format error: Unrecognized resource types: "
            "[AWS::DynamoDB::Table, AWS::Lambda::Function]");
  EXPECT_TRUE(check_resource_types(t, [](std::string_view) { return true; }).has_value());
}

// Issue 17: nested stacks and custom resources fail clearly until S3 and Lambda exist, never
// skipped and never "Unrecognized" (they are AWS types).
TEST(TemplateModelTest, NestedStacksAndCustomResourcesAreRefusedWithTheReason) {
  auto only_clusters = [](std::string_view type) { return type == "AWS::ECS::Cluster"; };
  Template nested = ok(parse_template(R"(
Resources:
  B: {Type: AWS::ECS::Cluster}
  Net: {Type: AWS::CloudFormation::Stack, Properties: {TemplateURL: https://s3/x.yaml}}
)"));
  EXPECT_EQ(error_of(check_resource_types(nested, only_clusters)),
            "ValidationError: Resource Net of type AWS::CloudFormation::Stack cannot be created: "
            "nested stacks read their TemplateURL from S3, which Gantry does not have yet");
  for (const char* type : {"AWS::CloudFormation::CustomResource", "Custom::Seed"}) {
    Template custom = ok(parse_template(std::string("Resources: {Seed: {Type: '") + type +
                                        "', Properties: {ServiceToken: arn:x}}}"));
    EXPECT_EQ(error_of(check_resource_types(custom, only_clusters)),
              std::string("ValidationError: Resource Seed of type ") + type +
                  " cannot be created: custom resources are backed by a Lambda function or an "
                  "SNS topic (ServiceToken), which Gantry does not have yet");
  }
  // Under a false condition, as any other resource, they are not checked.
  Template skipped =
      ok(parse_template("Resources: {Net: {Type: AWS::CloudFormation::Stack, Condition: Never}}"));
  EXPECT_TRUE(check_resource_types(skipped, only_clusters, [](std::string_view) {
                return false;
              }).has_value());
}

}  // namespace
}  // namespace services::cloudformation::engine
