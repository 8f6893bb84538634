// The engine end to end on real templates (testdata/): seed 004's network and app stacks, which
// export and import VPC and subnet ids, and a CDK-synthesized
// ApplicationLoadBalancedFargateService. Each is deployed the way the stack worker will deploy it
// (parameters, conditions, rules, graph, then each creation wave resolved and "created"), with fake
// physical ids and attributes.

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <fstream>
#include <sstream>

#include "services/cloudformation/engine/conditions.h"
#include "services/cloudformation/engine/diff.h"
#include "services/cloudformation/engine/dynamic_refs.h"
#include "services/cloudformation/engine/engine_test_support.h"
#include "services/cloudformation/engine/errors.h"
#include "services/cloudformation/engine/graph.h"
#include "services/cloudformation/engine/rules.h"
#include "services/cloudformation/engine/stack_plan.h"
#include "services/cloudformation/engine/values.h"

namespace services::cloudformation::engine {
namespace {

namespace json = boost::json;
using Given = std::map<std::string, std::string, std::less<>>;
using Waves = std::vector<std::vector<std::string>>;

std::string read(const std::string& name) {
  std::ifstream in(std::string(GANTRY_CFN_TESTDATA) + "/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The resource types issue 17 lists for the first providers.
bool first_types(std::string_view type) {
  static const std::set<std::string, std::less<>> kTypes = {
      "AWS::EC2::VPC",
      "AWS::EC2::Subnet",
      "AWS::EC2::InternetGateway",
      "AWS::EC2::VPCGatewayAttachment",
      "AWS::EC2::RouteTable",
      "AWS::EC2::Route",
      "AWS::EC2::SubnetRouteTableAssociation",
      "AWS::EC2::SecurityGroup",
      "AWS::EC2::SecurityGroupIngress",
      "AWS::EC2::SecurityGroupEgress",
      "AWS::ECS::Cluster",
      "AWS::ECS::TaskDefinition",
      "AWS::ECS::Service",
      "AWS::ElasticLoadBalancingV2::LoadBalancer",
      "AWS::ElasticLoadBalancingV2::TargetGroup",
      "AWS::ElasticLoadBalancingV2::Listener",
      "AWS::ElasticLoadBalancingV2::ListenerRule",
      "AWS::Logs::LogGroup",
      "AWS::CDK::Metadata"};
  return kTypes.contains(type);
}

// What a provider would return: a physical id and the type's documented attributes.
ResourceValues fake_create(const std::string& id, const std::string& type) {
  ResourceValues v{id + "-id", {}};
  if (type == "AWS::EC2::VPC") {
    v.physical_id = "vpc-" + id;
  } else if (type == "AWS::EC2::Subnet") {
    v.physical_id = "subnet-" + id;
  } else if (type == "AWS::EC2::SecurityGroup") {
    v.physical_id = "sg-" + id;
    v.attributes = {{"GroupId", "sg-" + id}, {"VpcId", "vpc-x"}};
  } else if (type == "AWS::ElasticLoadBalancingV2::LoadBalancer") {
    v.physical_id = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/" + id;
    v.attributes = {{"DNSName", id + ".elb.localhost"}, {"LoadBalancerFullName", "app/" + id}};
  } else if (type == "AWS::ECS::Service") {
    v.physical_id = "arn:aws:ecs:us-east-1:123456789012:service/c/" + id;
    v.attributes = {{"Name", id}, {"ServiceArn", v.physical_id}};
  } else if (type == "AWS::IAM::Role" || type == "AWS::Logs::LogGroup") {
    v.attributes = {{"Arn", "arn:aws:x:::" + id}};
  }
  return v;
}

struct Deployed {
  Waves waves;
  ResolvedResources resources;
  std::map<std::string, std::string> outputs;
  std::map<std::string, std::string> exports;
};

class StackTemplatesTest : public ::testing::Test {
 protected:
  Deployed deploy(const std::string& file, const Given& given,
                  const std::string& region = "us-east-1") {
    Template t = ok(parse_template(read(file)));
    StackInputs in{
        {"123456789012", region, stack_name_,
         "arn:aws:cloudformation:" + region + ":123456789012:stack/" + stack_name_ + "/1"},
        given,
        ssm_,
        supported_};
    StackPlan plan = ok(plan_stack(t, in));
    std::map<std::string, ResourceValues> created;
    EvalHooks hooks;
    hooks.resource = [&](std::string_view id) -> const ResourceValues* {
      auto it = created.find(std::string(id));
      return it == created.end() ? nullptr : &it->second;
    };
    hooks.import_value = [this](std::string_view name) -> protocol::Result<std::string> {
      auto it = exports_.find(std::string(name));
      if (it == exports_.end()) {
        return validation_error("No export named " + std::string(name) + " found.");
      }
      return it->second;
    };
    Evaluator eval(plan.tpl, in.stack, plan.parameters, plan.conditions, hooks);
    const DependencyGraph& graph = plan.graph;
    Deployed d;
    d.waves = graph.creation_waves();
    for (const auto& wave : d.waves) {
      for (const std::string& id : wave) {
        const ResourceDecl& r = *plan.tpl.find_resource(id);
        json::value props = ok(eval.try_resolve(r.properties));
        props = ok(resolve_dynamic_references(props, {})).value;
        d.resources[id] = {r.type, props};
        created[id] = fake_create(id, r.type);
      }
    }
    for (const OutputDecl& o : plan.tpl.outputs) {
      if (o.condition && !plan.conditions.at(*o.condition)) {
        continue;
      }
      std::string value = *scalar_text(ok(eval.try_resolve(o.value)));
      d.outputs[o.name] = value;
      if (o.export_name) {
        d.exports[*scalar_text(ok(eval.try_resolve(*o.export_name)))] = value;
      }
    }
    return d;
  }

  std::string stack_name_ = "network";
  std::function<bool(std::string_view)> supported_ = first_types;
  std::map<std::string, std::string> exports_;
  SsmParameterLookup ssm_ = [](std::string_view) -> protocol::Result<std::string> {
    return std::string("21");
  };
};

TEST_F(StackTemplatesTest, NetworkStackCreatesInWavesAndExportsItsIds) {
  Deployed d = deploy("network.json", {});
  EXPECT_EQ(d.waves, (Waves{{"VPC", "InternetGateway"},
                            {"GatewayAttachment", "PublicSubnetOne", "PublicSubnetTwo",
                             "PrivateSubnetOne", "PrivateSubnetTwo", "PublicRouteTable"},
                            {"PublicRoute", "PublicSubnetOneRouteTableAssociation",
                             "PublicSubnetTwoRouteTableAssociation"}}));
  EXPECT_EQ(json::serialize(d.resources.at("PublicSubnetTwo").properties),
            R"({"VpcId":"vpc-VPC","AvailabilityZone":"us-east-1b","CidrBlock":"10.0.1.0/24",)"
            R"("MapPublicIpOnLaunch":true})");
  EXPECT_EQ(d.resources.at("PrivateSubnetTwo").properties.at("CidrBlock"), "10.0.3.0/24");
  EXPECT_EQ(d.resources.at("VPC").properties.at("Tags").at(0).at("Value"), "demo-vpc");
  EXPECT_EQ(d.exports, (std::map<std::string, std::string>{
                           {"demo-VpcId", "vpc-VPC"},
                           {"demo-PublicSubnets", "subnet-PublicSubnetOne,subnet-PublicSubnetTwo"},
                           {"demo-PrivateSubnetOne", "subnet-PrivateSubnetOne"},
                           {"demo-PrivateSubnetTwo", "subnet-PrivateSubnetTwo"}}));
  EXPECT_EQ(error_of(resolve_parameters(ok(parse_template(read("network.json"))),
                                        {{"vpcCidr", "10.0.0.0"}})),
            "ValidationError: Parameter vpcCidr failed to satisfy constraint: must be a CIDR "
            "block such as 10.0.0.0/16");
}

TEST_F(StackTemplatesTest, AppStackImportsTheNetworkAndResolvesEveryResource) {
  exports_ = deploy("network.json", {}).exports;
  stack_name_ = "app";
  Deployed d = deploy("app.json", {});
  EXPECT_EQ(
      d.waves,
      (Waves{{"ECSCluster", "cloudwatchLogsGroup", "fargateDemoALBSecurityGroup",
              "fargateDemoSecuityGroup", "fargateDemoTargetGroup", "apiTargetGroup"},
             {"fargateDemoSecurityGroupIngress", "fargateDemoTaskDefinition", "fargateDemoALB"},
             {"fargateDemoALBListener"},
             {"apiListenerRule"},
             {"fargateDemoService"}}));

  const json::value& task = d.resources.at("fargateDemoTaskDefinition").properties;
  EXPECT_FALSE(task.get_object().contains("ExecutionRoleArn"));  // AWS::NoValue
  EXPECT_EQ(task.at("Family"), "app-fargate-demo-app");
  EXPECT_EQ(task.at("Cpu"), "256");
  EXPECT_EQ(json::serialize(task.at("ContainerDefinitions").at(0).at("LogConfiguration")),
            R"({"LogDriver":"awslogs","Options":{"awslogs-group":"cloudwatchLogsGroup-id",)"
            R"("awslogs-region":"us-east-1","awslogs-stream-prefix":"fargate-demo-app"}})");
  EXPECT_EQ(json::serialize(d.resources.at("fargateDemoALB").properties.at("Subnets")),
            R"(["subnet-PublicSubnetOne","subnet-PublicSubnetTwo"])");
  EXPECT_EQ(
      d.resources.at("fargateDemoSecurityGroupIngress").properties.at("SourceSecurityGroupId"),
      "sg-fargateDemoALBSecurityGroup");
  const json::value& service = d.resources.at("fargateDemoService").properties;
  EXPECT_EQ(service.at("DesiredCount"), "2");
  EXPECT_EQ(
      json::serialize(service.at("NetworkConfiguration").at("AwsvpcConfiguration").at("Subnets")),
      R"(["subnet-PrivateSubnetOne","subnet-PrivateSubnetTwo"])");
  EXPECT_EQ(d.outputs.at("ServiceUrl"), "http://fargateDemoALB.elb.localhost");
  EXPECT_EQ(d.outputs.at("ServiceName"), "fargateDemoService");
  EXPECT_EQ(d.exports.at("app-ClusterName"), "ECSCluster-id");

  Deployed with_role = deploy("app.json", {{"executionRoleArn", "arn:aws:iam::1:role/exec"}});
  EXPECT_EQ(with_role.resources.at("fargateDemoTaskDefinition").properties.at("ExecutionRoleArn"),
            "arn:aws:iam::1:role/exec");
  std::vector<ResourceChange> changes = diff_resources(d.resources, with_role.resources);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].logical_id, "fargateDemoTaskDefinition");
  EXPECT_EQ(changes[0].changed_properties, std::vector<std::string>{"ExecutionRoleArn"});
}

TEST_F(StackTemplatesTest, PlanRefusesBeforeAnythingIsCreated) {
  Template cdk = ok(parse_template(read("cdk/WebStack.template.json")));
  StackInputs in{{"1", "us-east-1", "WebStack", "arn:s"}, {}, ssm_, first_types};
  EXPECT_EQ(error_of(plan_stack(cdk, in)),
            "ValidationError: Template format error: Unrecognized resource types: "
            "[AWS::ApplicationAutoScaling::ScalableTarget, "
            "AWS::ApplicationAutoScaling::ScalingPolicy, AWS::IAM::Policy, AWS::IAM::Role]");
  in.ssm = {};  // parameters come first: without Parameter Store there is no version to check
  EXPECT_EQ(error_of(plan_stack(cdk, in)),
            "ValidationError: Unable to fetch parameters [/cdk-bootstrap/hnb659fds/version] from "
            "parameter store for this account.");
  Template app = ok(parse_template(read("app.json")));
  EXPECT_EQ(error_of(plan_stack(app, {{}, {{"cpuAllocation", "300"}}, {}, {}})),
            "ValidationError: Parameter 'cpuAllocation' must be one of AllowedValues");
}

TEST_F(StackTemplatesTest, AppStackWithoutTheNetworkFailsOnTheMissingExport) {
  Template t = ok(parse_template(read("app.json")));
  ParameterValues params = ok(resolve_parameters(t, {}));
  ConditionValues conditions = ok(evaluate_conditions(t, {}, params));
  EvalHooks hooks;
  hooks.import_value = [](std::string_view name) -> protocol::Result<std::string> {
    return validation_error("No export named " + std::string(name) + " found.");
  };
  Evaluator eval(t, {"1", "us-east-1", "app", "arn:s"}, params, conditions, hooks);
  EXPECT_EQ(error_of(eval.try_resolve(t.find_resource("fargateDemoALBSecurityGroup")->properties)),
            "ValidationError: No export named demo-VpcId found.");
}

TEST_F(StackTemplatesTest, CdkFargateServiceResolvesWithEveryTypeItUses) {
  std::set<std::string> asked;
  ssm_ = [&](std::string_view name) -> protocol::Result<std::string> {
    asked.emplace(name);
    return std::string("21");
  };
  Template t = ok(parse_template(read("cdk/WebStack.template.json")));
  EXPECT_EQ(error_of(check_resource_types(t, first_types)),
            "ValidationError: Template format error: Unrecognized resource types: "
            "[AWS::ApplicationAutoScaling::ScalableTarget, "
            "AWS::ApplicationAutoScaling::ScalingPolicy, AWS::IAM::Policy, AWS::IAM::Role]");

  supported_ = [](std::string_view) { return true; };
  stack_name_ = "WebStack";
  Deployed d = deploy("cdk/WebStack.template.json", {});
  EXPECT_EQ(asked, std::set<std::string>{"/cdk-bootstrap/hnb659fds/version"});
  EXPECT_EQ(d.resources.size(), t.resources.size());  // CDKMetadata included in us-east-1
  EXPECT_TRUE(d.outputs.at("WebServiceURL68D0DABC").starts_with("http://WebLB"));
  size_t service_wave = 0, target_wave = 0;
  for (size_t i = 0; i < d.waves.size(); ++i) {
    for (const std::string& id : d.waves[i]) {
      const std::string& type = d.resources.at(id).type;
      service_wave = type == "AWS::ECS::Service" ? i : service_wave;
      target_wave = type == "AWS::ApplicationAutoScaling::ScalableTarget" ? i : target_wave;
    }
  }
  EXPECT_LT(service_wave, target_wave);

  // Outside the regions CDK lists, its metadata resource's condition is false: it is absent.
  Deployed elsewhere = deploy("cdk/WebStack.template.json", {}, "xx-gantry-1");
  EXPECT_FALSE(elsewhere.resources.contains("CDKMetadata"));
  EXPECT_EQ(elsewhere.resources.size(), t.resources.size() - 1);

  ssm_ = [](std::string_view) -> protocol::Result<std::string> { return std::string("5"); };
  Template cdk = ok(parse_template(read("cdk/WebStack.template.json")));
  ParameterValues old_bootstrap = ok(resolve_parameters(cdk, {}, ssm_));
  ConditionValues none;
  Evaluator eval(cdk, {"1", "us-east-1", "WebStack", "arn:s"}, old_bootstrap, none);
  EXPECT_EQ(error_of(evaluate_rules(eval)),
            "ValidationError: CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' "
            "with a recent version of the CDK CLI.");
}

}  // namespace
}  // namespace services::cloudformation::engine
