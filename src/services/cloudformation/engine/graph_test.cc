#include "services/cloudformation/engine/graph.h"

#include <gtest/gtest.h>

#include "services/cloudformation/engine/conditions.h"
#include "services/cloudformation/engine/engine_test_support.h"

namespace services::cloudformation::engine {
namespace {

using Waves = std::vector<std::vector<std::string>>;

protocol::Result<DependencyGraph> graph(
    const std::string& body, std::map<std::string, std::string, std::less<>> given = {}) {
  Template t = ok(parse_template(body));
  ParameterValues p = ok(resolve_parameters(t, given));
  ConditionValues c = ok(evaluate_conditions(t, {"1", "us-east-1", "s", "arn:s"}, p));
  return build_graph(t, c);
}

TEST(GraphTest, EdgesFromRefGetAttSubAndDependsOnMakeWaves) {
  DependencyGraph g = ok(graph(R"(
Resources:
  Service:
    Type: AWS::ECS::Service
    DependsOn: Listener
    Properties:
      Cluster: !Ref Cluster
      TaskDefinition: !Ref Task
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref Lb, DefaultActions: [{TargetGroupArn: !Ref Tg}]}
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties: {Family: !Sub '${AWS::StackName}-${Logs}'}
  Lb: {Type: AWS::ElasticLoadBalancingV2::LoadBalancer}
  Tg: {Type: AWS::ElasticLoadBalancingV2::TargetGroup}
  Cluster: {Type: AWS::ECS::Cluster}
  Logs: {Type: AWS::Logs::LogGroup}
  Url:
    Type: AWS::SSM::Parameter
    Properties: {Value: !GetAtt Lb.DNSName}
)"));
  EXPECT_EQ(g.creation_waves(),
            (Waves{{"Lb", "Tg", "Cluster", "Logs"}, {"Listener", "Task", "Url"}, {"Service"}}));
  EXPECT_EQ(g.deletion_waves(),
            (Waves{{"Service", "Url"}, {"Listener", "Task", "Cluster"}, {"Lb", "Tg", "Logs"}}));
  EXPECT_EQ(g.dependents_of("Lb"), (std::set<std::string>{"Listener", "Service", "Url"}));
}

TEST(GraphTest, AResourceWhoseConditionIsFalseIsAbsentAndCannotBeNamed) {
  std::string body = R"(
Parameters: {Env: {Type: String, Default: dev}}
Conditions: {IsProd: !Equals [!Ref Env, prod]}
Resources:
  Alarm: {Type: AWS::CloudWatch::Alarm, Condition: IsProd}
  Topic:
    Type: AWS::SNS::Topic
    Properties: {Name: !If [IsProd, !GetAtt Alarm.Arn, none]}
)";
  DependencyGraph dev = ok(graph(body));
  EXPECT_EQ(dev.resources, std::vector<std::string>{"Topic"});
  DependencyGraph prod = ok(graph(body, {{"Env", "prod"}}));
  EXPECT_EQ(prod.creation_waves(), (Waves{{"Alarm"}, {"Topic"}}));

  EXPECT_EQ(error_of(graph(R"(
Conditions: {Never: !Equals [a, b]}
Resources:
  Alarm: {Type: AWS::CloudWatch::Alarm, Condition: Never}
  Topic: {Type: AWS::SNS::Topic, Properties: {Name: !Ref Alarm}}
)")),
            "ValidationError: Template format error: Unresolved resource dependencies [Alarm] in "
            "the Resources block of the template");
}

TEST(GraphTest, UnresolvedNamesAnswerAsCloudFormationDoes) {
  EXPECT_EQ(error_of(graph("Resources: {A: {Type: T, Properties: {X: !Ref Nope, Y: !Ref B}}}\n")),
            "ValidationError: Template format error: Unresolved resource dependencies [B, Nope] "
            "in the Resources block of the template");
  EXPECT_EQ(error_of(graph("Resources: {A: {Type: T, DependsOn: [Ghost]}}\n")),
            "ValidationError: Template format error: Unresolved resource dependencies [Ghost] in "
            "the Resources block of the template");
  EXPECT_EQ(error_of(graph("Resources: {A: {Type: T, Properties: {X: !GetAtt B.Arn}}}\n")),
            "ValidationError: Template error: instance of Fn::GetAtt references undefined "
            "resource B");
  EXPECT_EQ(error_of(graph("Resources: {A: {Type: T}}\nOutputs: {O: {Value: !Ref B}}\n")),
            "ValidationError: Template format error: Unresolved resource dependencies [B] in the "
            "Outputs block of the template");
  EXPECT_EQ(error_of(graph("Resources: {A: {Type: T, Condition: Nope}}\n")),
            "ValidationError: Template format error: Unresolved condition dependencies [Nope] in "
            "the Resources block of the template");
}

TEST(GraphTest, CyclesAreRefusedNamingEveryResourceLeft) {
  EXPECT_EQ(error_of(graph(R"(
Resources:
  Free: {Type: T}
  A: {Type: T, Properties: {X: !Ref B}}
  B: {Type: T, Properties: {X: !GetAtt C.Arn}}
  C: {Type: T, DependsOn: A}
  D: {Type: T, Properties: {X: !Sub '${A}'}}
)")),
            "ValidationError: Circular dependency between resources: [A, B, C, D]");
  EXPECT_EQ(error_of(graph("Resources: {A: {Type: T, Properties: {Self: !Ref A}}}\n")),
            "ValidationError: Circular dependency between resources: [A]");
}

}  // namespace
}  // namespace services::cloudformation::engine
