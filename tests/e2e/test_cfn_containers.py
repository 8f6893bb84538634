"""CloudFormation's ECR, ECS, Application Auto Scaling and CloudWatch types (issue 17) deployed with
`aws cloudformation deploy`: every type of the group in one template, Ref and Fn::GetAtt values as
AWS documents them, an update that replaces a task definition (a new revision, the old one
deregistered) and changes an alarm in place, delete-stack leaving nothing behind, and a failing
service rolling the stack back with ECS's error as the reason.

The shared server keeps tasks as stored rows (GANTRY_TASKS=off), so the service runs 0 tasks:
that is a steady state at once, as `aws ecs wait services-stable` sees it.
"""
import os
import subprocess

import pytest
from botocore.exceptions import ClientError

from conftest import CLIS, cli_env

TEMPLATE = """
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Subnet: {Type: String}
  SecurityGroup: {Type: String}
  Tag: {Type: String, Default: v1}
  Threshold: {Type: Number, Default: 70}
Resources:
  Repo:
    Type: AWS::ECR::Repository
    Properties:
      ImageTagMutability: IMMUTABLE
      EmptyOnDelete: true
      ImageScanningConfiguration: {ScanOnPush: true}
  Cluster:
    Type: AWS::ECS::Cluster
    Properties:
      ClusterSettings: [{Name: containerInsights, Value: enabled}]
      Tags: [{Key: team, Value: web}]
  Providers:
    Type: AWS::ECS::ClusterCapacityProviderAssociations
    Properties:
      Cluster: !Ref Cluster
      CapacityProviders: [FARGATE, FARGATE_SPOT]
      DefaultCapacityProviderStrategy: [{CapacityProvider: FARGATE, Weight: 1}]
  TaskDef:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [FARGATE]
      NetworkMode: awsvpc
      Cpu: "256"
      Memory: "512"
      ContainerDefinitions:
        - Name: app
          Image: !Sub "${Repo.RepositoryUri}:v1"
          Essential: true
          PortMappings: [{ContainerPort: 8080}]
          Environment: [{Name: MODE, Value: web}]
          HealthCheck: {Command: [CMD-SHELL, "true"], Interval: 10}
  Batch:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: batch
      ContainerDefinitions:
        - {Name: job, Image: !Sub "${Repo.RepositoryUri}:${Tag}", Memory: 128}
  Service:
    Type: AWS::ECS::Service
    DependsOn: Providers
    Properties:
      Cluster: !Ref Cluster
      LaunchType: FARGATE
      TaskDefinition: !Ref TaskDef
      DesiredCount: 0
      NetworkConfiguration:
        AwsvpcConfiguration: {Subnets: [!Ref Subnet], SecurityGroups: [!Ref SecurityGroup]}
      DeploymentConfiguration:
        DeploymentCircuitBreaker: {Enable: true, Rollback: true}
  Target:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: ecs
      ScalableDimension: ecs:service:DesiredCount
      ResourceId: !Sub "service/${Cluster}/${Service.Name}"
      MinCapacity: 0
      MaxCapacity: 4
  Cpu:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties:
      PolicyName: cpu70
      PolicyType: TargetTrackingScaling
      ScalingTargetId: !Ref Target
      TargetTrackingScalingPolicyConfiguration:
        TargetValue: 70
        PredefinedMetricSpecification: {PredefinedMetricType: ECSServiceAverageCPUUtilization}
  Alarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/ECS
      MetricName: MemoryUtilization
      Statistic: Average
      Period: 60
      EvaluationPeriods: 2
      Threshold: !Ref Threshold
      ComparisonOperator: GreaterThanThreshold
      Dimensions:
        - {Name: ClusterName, Value: !Ref Cluster}
        - {Name: ServiceName, Value: !GetAtt Service.Name}
Outputs:
  RepoName: {Value: !Ref Repo}
  RepoArn: {Value: !GetAtt Repo.Arn}
  RepoUri: {Value: !GetAtt Repo.RepositoryUri}
  ClusterName: {Value: !Ref Cluster}
  ClusterArn: {Value: !GetAtt Cluster.Arn}
  TaskDef: {Value: !Ref TaskDef}
  TaskDefArn: {Value: !GetAtt TaskDef.TaskDefinitionArn}
  Batch: {Value: !Ref Batch}
  ServiceArn: {Value: !Ref Service}
  ServiceName: {Value: !GetAtt Service.Name}
  TargetId: {Value: !Ref Target}
  PolicyArn: {Value: !Ref Cpu}
  AlarmName: {Value: !Ref Alarm}
  AlarmArn: {Value: !GetAtt Alarm.Arn}
"""

FAILING = """
Resources:
  Repo:
    Type: AWS::ECR::Repository
  Service:
    Type: AWS::ECS::Service
    DependsOn: Repo
    Properties:
      Cluster: no-such-cluster
      TaskDefinition: web
      DesiredCount: 0
"""


@pytest.fixture
def clients(make_client):
    return {s: make_client(s) for s in ("cloudformation", "ecr", "ecs", "ec2", "cloudwatch",
                                        "application-autoscaling")}


@pytest.fixture
def network(clients):
    ec2 = clients["ec2"]
    vpc = ec2.create_vpc(CidrBlock="10.41.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.41.1.0/24")["Subnet"]["SubnetId"]
    sg = ec2.create_security_group(GroupName="cfn", Description="cfn", VpcId=vpc)["GroupId"]
    return {"Subnet": subnet, "SecurityGroup": sg}


def deploy(cli, endpoint, tmp_path, stack, template, **params):
    """`aws cloudformation deploy` of `template`; the CompletedProcess (not asserted)."""
    path = tmp_path / ("%s.yaml" % stack)
    path.write_text(template)
    env = cli_env(tmp_path)
    args = [cli, "--endpoint-url", endpoint, "cloudformation", "deploy", "--template-file",
            str(path), "--stack-name", stack]
    if params:
        args += ["--parameter-overrides"] + ["%s=%s" % kv for kv in params.items()]
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)


def outputs(cfn, stack):
    s = cfn.describe_stacks(StackName=stack)["Stacks"][0]
    return s["StackStatus"], {o["OutputKey"]: o["OutputValue"] for o in s.get("Outputs", [])}


def check_created(clients, account, out):
    repo = out["RepoName"]
    assert repo.startswith("containers-repo-") and repo == repo.lower()
    assert out["RepoArn"] == "arn:aws:ecr:us-east-1:%s:repository/%s" % (account, repo)
    assert out["RepoUri"].endswith("/" + repo)
    r = clients["ecr"].describe_repositories(repositoryNames=[repo])["repositories"][0]
    assert r["imageTagMutability"] == "IMMUTABLE"
    assert r["imageScanningConfiguration"] == {"scanOnPush": True}

    cluster = out["ClusterName"]
    assert cluster.startswith("containers-Cluster-")
    assert out["ClusterArn"] == "arn:aws:ecs:us-east-1:%s:cluster/%s" % (account, cluster)
    c = clients["ecs"].describe_clusters(clusters=[cluster], include=["SETTINGS", "TAGS"])
    c = c["clusters"][0]
    assert c["settings"] == [{"name": "containerInsights", "value": "enabled"}]
    assert {"key": "team", "value": "web"} in c["tags"]
    assert sorted(c["capacityProviders"]) == ["FARGATE", "FARGATE_SPOT"]

    assert out["TaskDef"] == out["TaskDefArn"] and out["TaskDef"].endswith(":1")
    td = clients["ecs"].describe_task_definition(taskDefinition=out["TaskDef"])["taskDefinition"]
    app = td["containerDefinitions"][0]
    assert app["image"] == out["RepoUri"] + ":v1"
    assert app["portMappings"][0]["containerPort"] == 8080
    assert td["cpu"] == "256" and td["networkMode"] == "awsvpc"

    assert out["ServiceArn"] == "arn:aws:ecs:us-east-1:%s:service/%s/%s" % (
        account, cluster, out["ServiceName"])
    s = clients["ecs"].describe_services(cluster=cluster, services=[out["ServiceName"]])
    s = s["services"][0]
    assert s["status"] == "ACTIVE" and s["taskDefinition"] == out["TaskDef"]
    assert s["deploymentConfiguration"]["deploymentCircuitBreaker"] == {
        "enable": True, "rollback": True}

    resource_id = "service/%s/%s" % (cluster, out["ServiceName"])
    assert out["TargetId"] == resource_id + "|ecs:service:DesiredCount|ecs"
    aas = clients["application-autoscaling"]
    t = aas.describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=[resource_id])
    assert [(x["MinCapacity"], x["MaxCapacity"]) for x in t["ScalableTargets"]] == [(0, 4)]
    p = aas.describe_scaling_policies(ServiceNamespace="ecs", ResourceId=resource_id)
    assert [x["PolicyARN"] for x in p["ScalingPolicies"]] == [out["PolicyArn"]]

    assert out["AlarmName"].startswith("containers-Alarm-")
    assert out["AlarmArn"] == "arn:aws:cloudwatch:us-east-1:%s:alarm:%s" % (
        account, out["AlarmName"])
    a = clients["cloudwatch"].describe_alarms(AlarmNames=[out["AlarmName"]])["MetricAlarms"][0]
    assert a["Threshold"] == 70.0
    assert {"Name": "ServiceName", "Value": out["ServiceName"]} in a["Dimensions"]


@pytest.mark.parametrize("cli", CLIS)
def test_deploy_update_and_delete_every_container_type(cli, endpoint, tmp_path, clients, network,
                                                       account):
    cfn = clients["cloudformation"]
    p = deploy(cli, endpoint, tmp_path, "containers", TEMPLATE, **network)
    assert p.returncode == 0, p.stdout + p.stderr
    status, out = outputs(cfn, "containers")
    assert status == "CREATE_COMPLETE"
    check_created(clients, account, out)

    # A new image tag replaces the batch task definition (a new revision, the old one
    # deregistered); the alarm's threshold changes in place. (The service keeps its task
    # definition: without a task runtime, nothing would retire its old deployment.)
    p = deploy(cli, endpoint, tmp_path, "containers", TEMPLATE, Tag="v2", Threshold="80",
               **network)
    assert p.returncode == 0, p.stdout + p.stderr
    status, after = outputs(cfn, "containers")
    assert status == "UPDATE_COMPLETE"
    assert out["Batch"].endswith("task-definition/batch:1")
    assert after["Batch"].endswith("task-definition/batch:2")
    assert after["ServiceArn"] == out["ServiceArn"] and after["TaskDef"] == out["TaskDef"]
    ecs = clients["ecs"]
    assert ecs.describe_task_definition(taskDefinition=out["Batch"])["taskDefinition"][
        "status"] == "INACTIVE"
    td = ecs.describe_task_definition(taskDefinition=after["Batch"])["taskDefinition"]
    assert td["containerDefinitions"][0]["image"] == out["RepoUri"] + ":v2"
    a = clients["cloudwatch"].describe_alarms(AlarmNames=[out["AlarmName"]])["MetricAlarms"]
    assert a[0]["Threshold"] == 80.0

    cfn.delete_stack(StackName="containers")
    cfn.get_waiter("stack_delete_complete").wait(StackName="containers",
                                                 WaiterConfig={"Delay": 1, "MaxAttempts": 120})
    with pytest.raises(ClientError, match="RepositoryNotFoundException"):
        clients["ecr"].describe_repositories(repositoryNames=[out["RepoName"]])
    assert ecs.describe_clusters(clusters=[out["ClusterName"]])["clusters"][0]["status"] == \
        "INACTIVE"
    with pytest.raises(ClientError, match="ClusterNotFoundException"):
        ecs.describe_services(cluster=out["ClusterName"], services=[out["ServiceName"]])
    for arn in (after["TaskDef"], after["Batch"]):
        assert ecs.describe_task_definition(taskDefinition=arn)["taskDefinition"][
            "status"] == "INACTIVE"
    aas = clients["application-autoscaling"]
    assert aas.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"] == []
    assert aas.describe_scaling_policies(ServiceNamespace="ecs")["ScalingPolicies"] == []
    assert clients["cloudwatch"].describe_alarms()["MetricAlarms"] == []


@pytest.mark.parametrize("cli", CLIS)
def test_a_failing_service_rolls_the_stack_back_with_ecs_error(cli, endpoint, tmp_path, clients):
    cfn = clients["cloudformation"]
    p = deploy(cli, endpoint, tmp_path, "broken", FAILING)
    assert p.returncode != 0
    status, _ = outputs(cfn, "broken")
    assert status == "ROLLBACK_COMPLETE"
    events = cfn.describe_stack_events(StackName="broken")["StackEvents"]
    failed = [e for e in events if e["LogicalResourceId"] == "Service" and
              e["ResourceStatus"] == "CREATE_FAILED"]
    assert failed and "Cluster not found." in failed[0]["ResourceStatusReason"]
    # The repository created before it was deleted by the rollback.
    repo = [e for e in events if e["LogicalResourceId"] == "Repo" and
            e["ResourceStatus"] == "DELETE_COMPLETE"]
    assert repo
    assert clients["ecr"].describe_repositories()["repositories"] == []


DRIFT = """
Resources:
  Alarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/ECS
      MetricName: CPUUtilization
      Statistic: Average
      Period: 60
      EvaluationPeriods: 2
      Threshold: 70
      ComparisonOperator: GreaterThanThreshold
"""


def test_an_alarm_changed_outside_the_stack_drifts(clients):
    cfn, cw = clients["cloudformation"], clients["cloudwatch"]
    cfn.create_stack(StackName="drift", TemplateBody=DRIFT)
    cfn.get_waiter("stack_create_complete").wait(StackName="drift",
                                                 WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    name = cfn.describe_stack_resource(StackName="drift", LogicalResourceId="Alarm")[
        "StackResourceDetail"]["PhysicalResourceId"]

    def drift():
        detection = cfn.detect_stack_drift(StackName="drift")["StackDriftDetectionId"]
        status = cfn.describe_stack_drift_detection_status(StackDriftDetectionId=detection)
        assert status["DetectionStatus"] == "DETECTION_COMPLETE"
        return cfn.describe_stack_resource_drifts(StackName="drift")[
            "StackResourceDrifts"][0]["StackResourceDriftStatus"]

    assert drift() == "IN_SYNC"
    cw.put_metric_alarm(AlarmName=name, Namespace="AWS/ECS", MetricName="CPUUtilization",
                        Statistic="Average", Period=60, EvaluationPeriods=2, Threshold=90.0,
                        ComparisonOperator="GreaterThanThreshold")
    assert drift() == "MODIFIED"
    cw.delete_alarms(AlarmNames=[name])
    assert drift() == "DELETED"
    cfn.delete_stack(StackName="drift")
    cfn.get_waiter("stack_delete_complete").wait(StackName="drift",
                                                 WaiterConfig={"Delay": 1, "MaxAttempts": 60})
