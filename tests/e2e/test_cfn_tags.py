"""Stack tags and CloudFormation's own tags: every resource of a stack that takes tags gets the
stack's Tags and aws:cloudformation:stack-name, aws:cloudformation:stack-id and
aws:cloudformation:logical-id, each read back with its service's own describe or list-tags call.
Users still cannot set aws: keys themselves: each service refuses them with its own error."""
import json

import pytest
from botocore.exceptions import ClientError

WAIT = {"Delay": 1, "MaxAttempts": 120}
STACK_TAGS = [{"Key": "team", "Value": "web"}, {"Key": "cost-center", "Value": "42"}]

TEMPLATE = {
    "Resources": {
        "Vpc": {"Type": "AWS::EC2::VPC",
                "Properties": {"CidrBlock": "10.40.0.0/16",
                               # A resource's own tag wins over the stack's with the same key.
                               "Tags": [{"Key": "team", "Value": "network"}]}},
        "Group": {"Type": "AWS::EC2::SecurityGroup",
                  "Properties": {"GroupDescription": "tagged", "VpcId": {"Ref": "Vpc"}}},
        "Web": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
                "Properties": {"Port": 80, "Protocol": "HTTP", "VpcId": {"Ref": "Vpc"},
                               "TargetType": "ip"}},
        "Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 1}},
        "Cluster": {"Type": "AWS::ECS::Cluster"},
        "Role": {"Type": "AWS::IAM::Role",
                 "Properties": {"AssumeRolePolicyDocument": {
                     "Version": "2012-10-17",
                     "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                    "Principal": {"Service": "ecs-tasks.amazonaws.com"}}]}}},
    },
}


def as_dict(tags, key="Key", value="Value"):
    return {t[key]: t[value] for t in tags}


@pytest.fixture
def stack(make_client):
    cfn = make_client("cloudformation")
    stack_id = cfn.create_stack(StackName="tagged", TemplateBody=json.dumps(TEMPLATE),
                                Tags=STACK_TAGS, Capabilities=["CAPABILITY_IAM"])["StackId"]
    cfn.get_waiter("stack_create_complete").wait(StackName="tagged", WaiterConfig=WAIT)
    ids = {r["LogicalResourceId"]: r["PhysicalResourceId"]
           for r in cfn.describe_stack_resources(StackName="tagged")["StackResources"]}
    yield stack_id, ids
    cfn.delete_stack(StackName="tagged")
    cfn.get_waiter("stack_delete_complete").wait(StackName="tagged", WaiterConfig=WAIT)


def live_tags(make_client, ids):
    """Each resource's tags as its own service reports them, {logical id: {key: value}}."""
    ec2, elbv2 = make_client("ec2"), make_client("elbv2")
    logs, ecs, iam = make_client("logs"), make_client("ecs"), make_client("iam")
    group_arn = logs.describe_log_groups(logGroupNamePrefix=ids["Logs"])["logGroups"][0]["arn"]
    cluster_arn = ecs.describe_clusters(clusters=[ids["Cluster"]])["clusters"][0]["clusterArn"]
    return {
        "Vpc": as_dict(ec2.describe_vpcs(VpcIds=[ids["Vpc"]])["Vpcs"][0]["Tags"]),
        "Group": as_dict(ec2.describe_security_groups(GroupIds=[ids["Group"]])[
            "SecurityGroups"][0]["Tags"]),
        "Web": as_dict(elbv2.describe_tags(ResourceArns=[ids["Web"]])["TagDescriptions"][0][
            "Tags"]),
        "Logs": logs.list_tags_for_resource(resourceArn=group_arn.rstrip("*").rstrip(":"))[
            "tags"],
        "Cluster": as_dict(ecs.list_tags_for_resource(resourceArn=cluster_arn)["tags"],
                           "key", "value"),
        "Role": as_dict(iam.list_role_tags(RoleName=ids["Role"])["Tags"]),
    }


def test_every_resource_gets_the_stack_tags_and_cloudformations(make_client, stack):
    stack_id, ids = stack
    cfn = make_client("cloudformation")
    assert cfn.describe_stacks(StackName="tagged")["Stacks"][0]["Tags"] == STACK_TAGS
    tags = live_tags(make_client, ids)
    for logical_id, got in tags.items():
        want = {"aws:cloudformation:stack-name": "tagged",
                "aws:cloudformation:stack-id": stack_id,
                "aws:cloudformation:logical-id": logical_id,
                "team": "network" if logical_id == "Vpc" else "web",
                "cost-center": "42"}
        assert got == want, logical_id

    # Drift detection does not count the tags the stack added.
    detection = cfn.detect_stack_drift(StackName="tagged")["StackDriftDetectionId"]
    assert cfn.describe_stack_drift_detection_status(
        StackDriftDetectionId=detection)["DetectionStatus"] == "DETECTION_COMPLETE"
    drifts = cfn.describe_stack_resource_drifts(StackName="tagged")["StackResourceDrifts"]
    assert {d["LogicalResourceId"]: d["StackResourceDriftStatus"] for d in drifts
            if d["StackResourceDriftStatus"] not in ("IN_SYNC", "NOT_CHECKED")} == {}


def refused(fn, **kw):
    with pytest.raises(ClientError) as e:
        fn(**kw)
    return e.value.response["Error"]["Code"], e.value.response["Error"]["Message"]


def test_users_still_cannot_set_aws_tags(make_client, stack):
    _, ids = stack
    ec2, elbv2, logs, ecs = (make_client(s) for s in ("ec2", "elbv2", "logs", "ecs"))
    reserved = "aws:cloudformation:stack-name"

    code, message = refused(ec2.create_tags, Resources=[ids["Vpc"]],
                            Tags=[{"Key": reserved, "Value": "mine"}])
    assert code == "InvalidParameterValue" and "reserved for internal use" in message
    assert refused(elbv2.add_tags, ResourceArns=[ids["Web"]],
                   Tags=[{"Key": reserved, "Value": "mine"}]) == (
        "ValidationError", "Tag keys starting with 'aws:' are reserved for internal use")
    group_arn = logs.describe_log_groups(logGroupNamePrefix=ids["Logs"])["logGroups"][0]["arn"]
    assert refused(logs.tag_resource, resourceArn=group_arn.rstrip("*").rstrip(":"),
                   tags={reserved: "mine"}) == (
        "InvalidParameterException", "Tag keys prefixed with 'aws:' are reserved for AWS use.")
    cluster_arn = ecs.describe_clusters(clusters=[ids["Cluster"]])["clusters"][0]["clusterArn"]
    assert refused(ecs.tag_resource, resourceArn=cluster_arn,
                   tags=[{"key": reserved, "value": "mine"}]) == (
        "InvalidParameterException", "Tag keys with the 'aws:' prefix are reserved.")
    # Nor create a resource with one.
    assert refused(ecs.create_cluster, clusterName="mine",
                   tags=[{"key": "aws:x", "value": "1"}])[0] == "InvalidParameterException"
    assert refused(ec2.create_vpc, CidrBlock="10.41.0.0/16", TagSpecifications=[
        {"ResourceType": "vpc", "Tags": [{"Key": "aws:x", "Value": "1"}]}])[0] == \
        "InvalidParameterValue"

    # And nothing changed.
    assert live_tags(make_client, ids)["Vpc"][reserved] == "tagged"
