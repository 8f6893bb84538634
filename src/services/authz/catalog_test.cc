#include "services/authz/catalog.h"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace services::authz {
namespace {

const Scope kScope{"123456789012", "us-east-1", "arn:aws:iam::123456789012:user/ci"};

ActionTarget of(std::string_view model, std::string_view op, std::string_view input) {
  return describe_action(model, op, boost::json::parse(input).as_object(), kScope);
}

using Arns = std::vector<std::string>;

TEST(CatalogTest, EcsServicesTasksAndClusters) {
  ActionTarget t = of("ecs", "CreateService",
                      R"({"cluster":"web","serviceName":"api","taskDefinition":"api:3"})");
  EXPECT_EQ(t.action, "ecs:CreateService");
  EXPECT_EQ(t.resources, Arns{"arn:aws:ecs:us-east-1:123456789012:service/web/api"});
  EXPECT_EQ(t.keys["ecs:cluster"], Arns{"arn:aws:ecs:us-east-1:123456789012:cluster/web"});
  EXPECT_EQ(t.keys["ecs:task-definition"],
            Arns{"arn:aws:ecs:us-east-1:123456789012:task-definition/api:3"});
  EXPECT_EQ(of("ecs", "CreateService", R"({"serviceName":"api"})").resources,
            Arns{"arn:aws:ecs:us-east-1:123456789012:service/default/api"});
  EXPECT_EQ(of("ecs", "DescribeServices",
               R"({"cluster":"arn:aws:ecs:us-east-1:123456789012:cluster/web","services":["a","b"]})")
                .resources,
            (Arns{"arn:aws:ecs:us-east-1:123456789012:service/web/a",
                  "arn:aws:ecs:us-east-1:123456789012:service/web/b"}));
  EXPECT_EQ(of("ecs", "RunTask", R"({"cluster":"web","taskDefinition":"api:3"})").resources,
            Arns{"arn:aws:ecs:us-east-1:123456789012:task-definition/api:3"});
  EXPECT_EQ(of("ecs", "StopTask", R"({"cluster":"web","task":"0123abcd"})").resources,
            Arns{"arn:aws:ecs:us-east-1:123456789012:task/web/0123abcd"});
  EXPECT_EQ(of("ecs", "DescribeClusters", "{}").resources,
            Arns{"arn:aws:ecs:us-east-1:123456789012:cluster/default"});
  EXPECT_EQ(of("ecs", "DeleteCluster", R"({"cluster":"web"})").resources,
            Arns{"arn:aws:ecs:us-east-1:123456789012:cluster/web"});
  // The reference lists no resource type for these.
  EXPECT_EQ(of("ecs", "CreateCluster", R"({"clusterName":"web"})").resources, Arns{"*"});
  EXPECT_EQ(of("ecs", "ListClusters", "{}").resources, Arns{"*"});
  EXPECT_EQ(of("ecs", "RegisterTaskDefinition", R"({"family":"api"})").resources, Arns{"*"});
  EXPECT_EQ(of("ecs", "TagResource", R"({"resourceArn":"arn:aws:ecs:us-east-1:1:cluster/x"})").resources,
            Arns{"arn:aws:ecs:us-east-1:1:cluster/x"});
}

TEST(CatalogTest, EcrRepositories) {
  EXPECT_EQ(of("ecr", "BatchGetImage", R"({"repositoryName":"web/api","imageIds":[]})").resources,
            Arns{"arn:aws:ecr:us-east-1:123456789012:repository/web/api"});
  EXPECT_EQ(of("ecr", "GetDownloadUrlForLayer", R"({"repositoryName":"r","layerDigest":"x"})").action,
            "ecr:GetDownloadUrlForLayer");
  EXPECT_EQ(of("ecr", "GetAuthorizationToken", "{}").resources, Arns{"*"});
}

TEST(CatalogTest, LoadBalancing) {
  ActionTarget lb = of("elbv2", "CreateLoadBalancer", R"({"Name":"web","Subnets":[]})");
  EXPECT_EQ(lb.action, "elasticloadbalancing:CreateLoadBalancer");
  EXPECT_EQ(lb.resources,
            Arns{"arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/*"});
  const std::string lb_arn =
      "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188";
  EXPECT_EQ(of("elbv2", "CreateListener", R"({"LoadBalancerArn":")" + lb_arn + R"("})").resources,
            Arns{"arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/*"});
  EXPECT_EQ(of("elbv2", "DeleteLoadBalancer", R"({"LoadBalancerArn":")" + lb_arn + R"("})").resources,
            Arns{lb_arn});
  EXPECT_EQ(of("elbv2", "CreateTargetGroup", R"({"Name":"tg"})").resources,
            Arns{"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/*"});
  EXPECT_EQ(of("elbv2", "DescribeLoadBalancers", "{}").resources, Arns{"*"});
}

TEST(CatalogTest, Ec2) {
  EXPECT_EQ(of("ec2", "CreateVpc", R"({"CidrBlock":"10.0.0.0/16"})").resources,
            Arns{"arn:aws:ec2:us-east-1:123456789012:vpc/*"});
  EXPECT_EQ(of("ec2", "CreateSubnet", R"({"VpcId":"vpc-1","CidrBlock":"10.0.1.0/24"})").resources,
            (Arns{"arn:aws:ec2:us-east-1:123456789012:subnet/*",
                  "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1"}));
  EXPECT_EQ(of("ec2", "DeleteSecurityGroup", R"({"GroupId":"sg-1"})").resources,
            Arns{"arn:aws:ec2:us-east-1:123456789012:security-group/sg-1"});
  EXPECT_EQ(of("ec2", "CreateTags", R"({"Resources":["vpc-1","subnet-2"],"Tags":[]})").resources,
            (Arns{"arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1",
                  "arn:aws:ec2:us-east-1:123456789012:subnet/subnet-2"}));
  EXPECT_EQ(of("ec2", "DescribeVpcs", "{}").resources, Arns{"*"});
}

TEST(CatalogTest, LogsCloudWatchAndAutoScaling) {
  EXPECT_EQ(of("logs", "CreateLogGroup", R"({"logGroupName":"/ecs/web"})").resources,
            Arns{"arn:aws:logs:us-east-1:123456789012:log-group:/ecs/web"});
  EXPECT_EQ(of("logs", "PutLogEvents", R"({"logGroupName":"/ecs/web","logStreamName":"s","logEvents":[]})")
                .resources,
            Arns{"arn:aws:logs:us-east-1:123456789012:log-group:/ecs/web:log-stream:s"});
  ActionTarget alarm = of("cloudwatch", "PutMetricAlarm", R"({"AlarmName":"cpu"})");
  EXPECT_EQ(alarm.action, "cloudwatch:PutMetricAlarm");
  EXPECT_EQ(alarm.resources, Arns{"arn:aws:cloudwatch:us-east-1:123456789012:alarm:cpu"});
  EXPECT_EQ(of("cloudwatch", "PutDashboard", R"({"DashboardName":"d"})").resources,
            Arns{"arn:aws:cloudwatch::123456789012:dashboard/d"});
  EXPECT_EQ(of("cloudwatch", "PutMetricData", R"({"Namespace":"x"})").resources, Arns{"*"});
  ActionTarget scale = of("application-autoscaling", "RegisterScalableTarget",
                          R"({"ServiceNamespace":"ecs","ResourceId":"service/web/api"})");
  EXPECT_EQ(scale.action, "application-autoscaling:RegisterScalableTarget");
  EXPECT_EQ(scale.resources, Arns{"*"});
}

TEST(CatalogTest, IdentityAndSecrets) {
  EXPECT_EQ(of("iam", "CreateRole", R"({"RoleName":"app"})").resources,
            Arns{"arn:aws:iam::123456789012:role/app"});
  EXPECT_EQ(of("iam", "CreateAccessKey", "{}").resources, Arns{kScope.caller_arn});
  EXPECT_EQ(of("iam", "CreateAccessKey", R"({"UserName":"bob"})").resources,
            Arns{"arn:aws:iam::123456789012:user/bob"});
  EXPECT_EQ(of("iam", "ListRoles", "{}").resources, Arns{"*"});
  EXPECT_EQ(of("iam", "AttachRolePolicy",
               R"({"RoleName":"app","PolicyArn":"arn:aws:iam::aws:policy/AdministratorAccess"})")
                .resources,
            (Arns{"arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::123456789012:role/app"}));
  EXPECT_EQ(of("sts", "AssumeRole", R"({"RoleArn":"arn:aws:iam::123456789012:role/app"})").resources,
            Arns{"arn:aws:iam::123456789012:role/app"});
  EXPECT_TRUE(needs_no_permission("sts", "GetCallerIdentity"));
  EXPECT_EQ(of("ssm", "GetParameter", R"({"Name":"/db/password"})").resources,
            Arns{"arn:aws:ssm:us-east-1:123456789012:parameter/db/password"});
  EXPECT_EQ(of("secretsmanager", "GetSecretValue", R"({"SecretId":"db"})").resources,
            Arns{"arn:aws:secretsmanager:us-east-1:123456789012:secret:db"});
  EXPECT_EQ(of("kms", "Decrypt", R"({"KeyId":"1234abcd-12ab-34cd-56ef-1234567890ab"})").resources,
            Arns{"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"});
  EXPECT_EQ(of("kms", "CreateKey", "{}").resources, Arns{"*"});
  EXPECT_EQ(of("dynamodb", "GetItem", R"({"TableName":"t"})").resources,
            Arns{"arn:aws:dynamodb:us-east-1:123456789012:table/t"});
}

}  // namespace
}  // namespace services::authz
