"""CloudFormation's ELBv2 and CloudWatch Logs types deployed with `aws cloudformation deploy`:
Ref and Fn::GetAtt values as documented, an in-place update that keeps every physical id, drift
detection on untouched resources, and delete-stack leaving nothing behind."""
import json
import os
import subprocess

import pytest
from botocore.exceptions import ClientError

from conftest import CLIS, wait_for, cli_env
from test_elbv2 import ec2, network  # noqa: F401 (fixtures: a VPC, two subnets, a group)

TEMPLATE = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Parameters": {
        "VpcId": {"Type": "AWS::EC2::VPC::Id"},
        "Subnets": {"Type": "List<AWS::EC2::Subnet::Id>"},
        "AlbGroup": {"Type": "AWS::EC2::SecurityGroup::Id"},
        "AppPort": {"Type": "Number", "Default": "8080"},
        "HealthPath": {"Type": "String", "Default": "/health"},
        "Retention": {"Type": "Number", "Default": "7"},
    },
    "Resources": {
        "Logs": {"Type": "AWS::Logs::LogGroup",
                 "Properties": {"RetentionInDays": {"Ref": "Retention"},
                                "Tags": [{"Key": "team", "Value": "web"}]}},
        "Stream": {"Type": "AWS::Logs::LogStream",
                   "Properties": {"LogGroupName": {"Ref": "Logs"}, "LogStreamName": "web/1"}},
        "Errors": {"Type": "AWS::Logs::MetricFilter",
                   "Properties": {"LogGroupName": {"Ref": "Logs"}, "FilterPattern": "ERROR",
                                  "MetricTransformations": [{"MetricName": "Errors",
                                                             "MetricNamespace": "Web",
                                                             "MetricValue": "1"}]}},
        "Alb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
                "Properties": {"Subnets": {"Ref": "Subnets"},
                               "SecurityGroups": [{"Ref": "AlbGroup"}],
                               "LoadBalancerAttributes": [
                                   {"Key": "idle_timeout.timeout_seconds", "Value": "120"}]}},
        "Web": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
                "Properties": {"Port": {"Ref": "AppPort"}, "Protocol": "HTTP",
                               "VpcId": {"Ref": "VpcId"}, "TargetType": "ip",
                               "HealthCheckPath": {"Ref": "HealthPath"},
                               "Matcher": {"HttpCode": "200-299"},
                               "TargetGroupAttributes": [
                                   {"Key": "deregistration_delay.timeout_seconds",
                                    "Value": "5"}]}},
        "Http": {"Type": "AWS::ElasticLoadBalancingV2::Listener",
                 "Properties": {"LoadBalancerArn": {"Ref": "Alb"}, "Port": 80,
                                "Protocol": "HTTP",
                                "DefaultActions": [{"Type": "forward",
                                                    "TargetGroupArn": {"Ref": "Web"}}]}},
        "Api": {"Type": "AWS::ElasticLoadBalancingV2::ListenerRule",
                "Properties": {"ListenerArn": {"Ref": "Http"}, "Priority": 10,
                               "Conditions": [{"Field": "path-pattern",
                                               "PathPatternConfig": {"Values": ["/api/*"]}}],
                               "Actions": [{"Type": "fixed-response",
                                            "FixedResponseConfig": {"StatusCode": "418"}}]}},
    },
    "Outputs": {
        "DnsName": {"Value": {"Fn::GetAtt": ["Alb", "DNSName"]}},
        "AlbFullName": {"Value": {"Fn::GetAtt": ["Alb", "LoadBalancerFullName"]}},
        "ZoneId": {"Value": {"Fn::GetAtt": ["Alb", "CanonicalHostedZoneID"]}},
        "TgFullName": {"Value": {"Fn::GetAtt": ["Web", "TargetGroupFullName"]}},
        "LogArn": {"Value": {"Fn::GetAtt": ["Logs", "Arn"]}},
        "RuleDefault": {"Value": {"Fn::GetAtt": ["Api", "IsDefault"]}},
        "ListenerArn": {"Value": {"Fn::GetAtt": ["Http", "ListenerArn"]}},
    },
}


def deploy(cli, endpoint, tmp_path, network, *overrides):
    """`aws cloudformation deploy` (whose output is text, not JSON) of TEMPLATE as stack "lb"."""
    path = tmp_path / "lb.json"
    path.write_text(json.dumps(TEMPLATE))
    env = cli_env(tmp_path)
    p = subprocess.run([cli, "--endpoint-url", endpoint, "cloudformation", "deploy",
                        "--template-file", str(path), "--stack-name", "lb",
                        "--parameter-overrides", "VpcId=" + network["vpc"],
                        "Subnets=" + ",".join(network["subnets"]), "AlbGroup=" + network["sg"],
                        *overrides], env=env, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr


def physical_ids(cfn):
    return {r["LogicalResourceId"]: r["PhysicalResourceId"]
            for r in cfn.describe_stack_resources(StackName="lb")["StackResources"]}


@pytest.mark.parametrize("cli", CLIS)
def test_deploy_update_and_delete(cli, endpoint, tmp_path, make_client, network):
    cfn, elbv2, logs = make_client("cloudformation"), make_client("elbv2"), make_client("logs")
    deploy(cli, endpoint, tmp_path, network)

    stack = cfn.describe_stacks(StackName="lb")["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    out = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}
    ids = physical_ids(cfn)

    # The load balancer: Ref is its ARN, active once CREATE_COMPLETE, a generated name.
    lb = elbv2.describe_load_balancers(LoadBalancerArns=[ids["Alb"]])["LoadBalancers"][0]
    assert lb["State"]["Code"] == "active"
    assert lb["LoadBalancerName"].startswith("lb-") and len(lb["LoadBalancerName"]) <= 32
    assert out["DnsName"] == lb["DNSName"]
    assert out["ZoneId"] == lb["CanonicalHostedZoneId"]
    assert out["AlbFullName"] == ids["Alb"].split(":loadbalancer/")[1]
    assert lb["SecurityGroups"] == [network["sg"]]
    attrs = elbv2.describe_load_balancer_attributes(LoadBalancerArn=ids["Alb"])["Attributes"]
    assert {"Key": "idle_timeout.timeout_seconds", "Value": "120"} in attrs

    # The target group: the Number parameter's text became the port.
    tg = elbv2.describe_target_groups(TargetGroupArns=[ids["Web"]])["TargetGroups"][0]
    assert (tg["Port"], tg["HealthCheckPath"], tg["Matcher"]) == (8080, "/health",
                                                                  {"HttpCode": "200-299"})
    assert out["TgFullName"] == "targetgroup/" + ids["Web"].split(":targetgroup/")[1]
    assert tg["LoadBalancerArns"] == [ids["Alb"]]

    # The listener and its rule.
    assert out["ListenerArn"] == ids["Http"]
    rules = elbv2.describe_rules(ListenerArn=ids["Http"])["Rules"]
    api = [r for r in rules if r["RuleArn"] == ids["Api"]][0]
    assert api["Priority"] == "10" and api["Actions"][0]["Type"] == "fixed-response"
    assert out["RuleDefault"] == "false"

    # The log group: Ref is its name, Arn ends with ":*".
    group = logs.describe_log_groups(logGroupNamePrefix=ids["Logs"])["logGroups"][0]
    assert group["logGroupName"] == ids["Logs"] and group["retentionInDays"] == 7
    assert out["LogArn"] == group["arn"] and out["LogArn"].endswith(":*")
    assert logs.describe_log_streams(logGroupName=ids["Logs"])["logStreams"][0][
        "logStreamName"] == "web/1"
    assert logs.describe_metric_filters(logGroupName=ids["Logs"])["metricFilters"][0][
        "filterName"] == ids["Errors"]

    # Untouched resources are in sync.
    detection = cfn.detect_stack_drift(StackName="lb")["StackDriftDetectionId"]
    assert cfn.describe_stack_drift_detection_status(
        StackDriftDetectionId=detection)["DetectionStatus"] == "DETECTION_COMPLETE"
    drifts = cfn.describe_stack_resource_drifts(StackName="lb")["StackResourceDrifts"]
    assert {d["LogicalResourceId"]: d["StackResourceDriftStatus"] for d in drifts
            if d["StackResourceDriftStatus"] != "IN_SYNC"} == {}

    # No-interruption changes update in place: every physical id stays.
    deploy(cli, endpoint, tmp_path, network, "HealthPath=/ready", "Retention=14")
    assert cfn.describe_stacks(StackName="lb")["Stacks"][0]["StackStatus"] == "UPDATE_COMPLETE"
    assert physical_ids(cfn) == ids
    assert elbv2.describe_target_groups(TargetGroupArns=[ids["Web"]])["TargetGroups"][0][
        "HealthCheckPath"] == "/ready"
    assert logs.describe_log_groups(logGroupNamePrefix=ids["Logs"])["logGroups"][0][
        "retentionInDays"] == 14

    cfn.delete_stack(StackName="lb")
    cfn.get_waiter("stack_delete_complete").wait(StackName="lb",
                                                 WaiterConfig={"Delay": 1, "MaxAttempts": 120})
    with pytest.raises(ClientError) as e:
        elbv2.describe_load_balancers(LoadBalancerArns=[ids["Alb"]])
    assert e.value.response["Error"]["Code"] == "LoadBalancerNotFound"
    with pytest.raises(ClientError) as e:
        elbv2.describe_target_groups(TargetGroupArns=[ids["Web"]])
    assert e.value.response["Error"]["Code"] == "TargetGroupNotFound"
    assert logs.describe_log_groups(logGroupNamePrefix=ids["Logs"])["logGroups"] == []


def test_failed_resource_reports_the_services_error(make_client, network):
    cfn = make_client("cloudformation")
    template = {"Resources": {"Alb": {
        "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "Properties": {"Subnets": [network["subnets"][0]]}}}}
    cfn.create_stack(StackName="bad", TemplateBody=json.dumps(template))
    wait_for(lambda: cfn.describe_stacks(StackName="bad")["Stacks"][0]["StackStatus"] ==
             "ROLLBACK_COMPLETE", timeout=60, what="ROLLBACK_COMPLETE")
    events = cfn.describe_stack_events(StackName="bad")["StackEvents"]
    failed = [e for e in events if e["ResourceStatus"] == "CREATE_FAILED"
              and e["LogicalResourceId"] == "Alb"]
    assert failed and "At least two subnets in two different Availability Zones" in \
        failed[0]["ResourceStatusReason"]
