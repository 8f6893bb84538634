"""CloudFormation's identity and stack resource types against Gantry, deployed as users deploy
them (the AWS CLI's `cloudformation deploy`, boto3's create_stack and waiters): IAM roles, policies,
instance profiles, users and groups; an SSM parameter; a generated Secrets Manager secret; a KMS
key and alias; CDK metadata and a wait condition of count 0. Each resource is checked through its
own service's API (it is real), updated in place, and gone after delete-stack."""
import json
import os
import subprocess

import pytest
from botocore.exceptions import ClientError

from conftest import CLIS, wait_for, cli_env

TRUST = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
    "Action": "sts:AssumeRole"}]}
S3_READ = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
EXECUTION = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"

TEMPLATE = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Parameters": {"Level": {"Type": "String", "Default": "info"}},
    "Resources": {
        "TaskRole": {"Type": "AWS::IAM::Role", "Properties": {
            "RoleName": "e2e-cfn-task",
            "AssumeRolePolicyDocument": TRUST,
            "ManagedPolicyArns": [EXECUTION],
            "Policies": [{"PolicyName": "read", "PolicyDocument": S3_READ}],
            "Tags": [{"Key": "team", "Value": "a"}]}},
        "Shared": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
            "Roles": [{"Ref": "TaskRole"}], "PolicyDocument": S3_READ}},
        "Profile": {"Type": "AWS::IAM::InstanceProfile", "Properties": {
            "Roles": [{"Ref": "TaskRole"}]}},
        "Ops": {"Type": "AWS::IAM::Group", "Properties": {}},
        "Alice": {"Type": "AWS::IAM::User", "Properties": {"Groups": [{"Ref": "Ops"}]}},
        "Config": {"Type": "AWS::SSM::Parameter", "Properties": {
            "Name": "/e2e/cfn/level", "Type": "String", "Value": {"Ref": "Level"}}},
        "Db": {"Type": "AWS::SecretsManager::Secret", "Properties": {
            "GenerateSecretString": {
                "SecretStringTemplate": "{\"username\":\"app\"}",
                "GenerateStringKey": "password", "PasswordLength": 24,
                "ExcludePunctuation": True},
            "KmsKeyId": {"Ref": "Key"}}},
        "Key": {"Type": "AWS::KMS::Key", "Properties": {
            "Description": "e2e", "PendingWindowInDays": 7}},
        "KeyAlias": {"Type": "AWS::KMS::Alias", "Properties": {
            "AliasName": "alias/e2e-cfn", "TargetKeyId": {"Ref": "Key"}}},
        "CDKMetadata": {"Type": "AWS::CDK::Metadata", "Properties": {"Analytics": "v2:x"}},
        "Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"},
        "Wait": {"Type": "AWS::CloudFormation::WaitCondition", "Properties": {
            "Handle": {"Ref": "Handle"}, "Count": 0, "Timeout": "60"}},
    },
    "Outputs": {
        "RoleName": {"Value": {"Ref": "TaskRole"}},
        "RoleArn": {"Value": {"Fn::GetAtt": ["TaskRole", "Arn"]}},
        "RoleId": {"Value": {"Fn::GetAtt": ["TaskRole", "RoleId"]}},
        "PolicyArn": {"Value": {"Ref": "Shared"}},
        "ProfileArn": {"Value": {"Fn::GetAtt": ["Profile", "Arn"]}},
        "User": {"Value": {"Ref": "Alice"}},
        "ParamValue": {"Value": {"Fn::GetAtt": ["Config", "Value"]}},
        "SecretArn": {"Value": {"Ref": "Db"}},
        "KeyId": {"Value": {"Ref": "Key"}},
        "KeyArn": {"Value": {"Fn::GetAtt": ["Key", "Arn"]}},
        "HandleUrl": {"Value": {"Ref": "Handle"}},
        "WaitData": {"Value": {"Fn::GetAtt": ["Wait", "Data"]}},
    },
}


@pytest.fixture
def cfn(make_client):
    return make_client("cloudformation")


@pytest.fixture
def iam(make_client):
    return make_client("iam")


def deploy(cli, endpoint, tmp_path, stack, template, *overrides):
    """`aws cloudformation deploy` as a user runs it; returns the CLI's output."""
    path = tmp_path / "template.json"
    path.write_text(json.dumps(template))
    env = cli_env(tmp_path)
    args = [cli, "--endpoint-url", endpoint, "cloudformation", "deploy", "--stack-name", stack,
            "--template-file", str(path), "--capabilities", "CAPABILITY_NAMED_IAM"]
    if overrides:
        args += ["--parameter-overrides"] + list(overrides)
    p = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
    return p.stdout


def outputs(cfn, stack):
    s = cfn.describe_stacks(StackName=stack)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in s.get("Outputs", [])}


def failure_reasons(cfn, stack):
    return [e.get("ResourceStatusReason", "") for e in
            cfn.describe_stack_events(StackName=stack)["StackEvents"]
            if e["ResourceStatus"].endswith("_FAILED")]


@pytest.mark.parametrize("cli", CLIS)
def test_deploy_update_and_delete_identity_stack(cli, endpoint, tmp_path, cfn, iam, make_client,
                                                 account):
    ssm, sm, kms = make_client("ssm"), make_client("secretsmanager"), make_client("kms")
    deploy(cli, endpoint, tmp_path, "e2e-identity", TEMPLATE)
    out = outputs(cfn, "e2e-identity")

    # The role is real: its trust policy, managed and inline policies, tags, as the outputs say.
    assert out["RoleName"] == "e2e-cfn-task"
    role = iam.get_role(RoleName="e2e-cfn-task")["Role"]
    assert out["RoleArn"] == role["Arn"] == "arn:aws:iam::%s:role/e2e-cfn-task" % account
    assert out["RoleId"] == role["RoleId"]
    assert role["AssumeRolePolicyDocument"] == TRUST
    attached = {p["PolicyArn"] for p in
                iam.list_attached_role_policies(RoleName="e2e-cfn-task")["AttachedPolicies"]}
    assert attached == {EXECUTION, out["PolicyArn"]}
    assert iam.get_role_policy(RoleName="e2e-cfn-task", PolicyName="read")["PolicyDocument"] == \
        S3_READ
    tags = {t["Key"]: t["Value"] for t in role["Tags"]}
    assert tags["team"] == "a" and tags["aws:cloudformation:stack-name"] == "e2e-identity"
    profile_name = out["ProfileArn"].rsplit("/", 1)[1]
    profile = iam.get_instance_profile(InstanceProfileName=profile_name)["InstanceProfile"]
    assert [r["RoleName"] for r in profile["Roles"]] == ["e2e-cfn-task"]
    groups = iam.list_groups_for_user(UserName=out["User"])["Groups"]
    assert len(groups) == 1 and groups[0]["GroupName"].startswith("e2e-identity-Ops-")

    # Parameter, secret (generated into its template, under the stack's key), key and alias.
    assert out["ParamValue"] == "info"
    assert ssm.get_parameter(Name="/e2e/cfn/level")["Parameter"]["Value"] == "info"
    secret = sm.describe_secret(SecretId=out["SecretArn"])
    assert secret["KmsKeyId"] in (out["KeyId"], out["KeyArn"])
    value = json.loads(sm.get_secret_value(SecretId=out["SecretArn"])["SecretString"])
    assert value["username"] == "app" and len(value["password"]) == 24
    assert value["password"].isalnum()
    assert kms.describe_key(KeyId="alias/e2e-cfn")["KeyMetadata"]["Arn"] == out["KeyArn"]
    assert out["HandleUrl"].startswith("https://cloudformation-waitcondition-us-east-1.s3.")
    assert out["WaitData"] == "{}"

    # A new parameter value updates the parameter in place (version 2), nothing else is replaced.
    deploy(cli, endpoint, tmp_path, "e2e-identity", TEMPLATE, "Level=debug")
    assert outputs(cfn, "e2e-identity")["ParamValue"] == "debug"
    param = ssm.get_parameter(Name="/e2e/cfn/level")["Parameter"]
    assert param["Value"] == "debug" and param["Version"] == 2
    assert iam.get_role(RoleName="e2e-cfn-task")["Role"]["RoleId"] == out["RoleId"]

    cfn.delete_stack(StackName="e2e-identity")
    cfn.get_waiter("stack_delete_complete").wait(
        StackName="e2e-identity", WaiterConfig={"Delay": 1, "MaxAttempts": 120})
    for call in (lambda: iam.get_role(RoleName="e2e-cfn-task"),
                 lambda: iam.get_policy(PolicyArn=out["PolicyArn"]),
                 lambda: iam.get_user(UserName=out["User"]),
                 lambda: iam.get_instance_profile(InstanceProfileName=profile_name),
                 lambda: ssm.get_parameter(Name="/e2e/cfn/level"),
                 lambda: sm.describe_secret(SecretId=out["SecretArn"])):
        with pytest.raises(ClientError) as e:
            call()
        assert e.value.response["Error"]["Code"] in (
            "NoSuchEntity", "ParameterNotFound", "ResourceNotFoundException")
    # The key waits out its 7-day window, as CloudFormation leaves it; its alias is gone.
    assert kms.describe_key(KeyId=out["KeyId"])["KeyMetadata"]["KeyState"] == "PendingDeletion"
    aliases = [a["AliasName"] for a in kms.list_aliases()["Aliases"]]
    assert "alias/e2e-cfn" not in aliases


def create_and_wait_failed(cfn, stack, template):
    cfn.create_stack(StackName=stack, TemplateBody=json.dumps(template),
                     Capabilities=["CAPABILITY_NAMED_IAM"])
    status = wait_for(lambda: (lambda s: s if not s.endswith("_IN_PROGRESS") else None)(
        cfn.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]), timeout=120,
        what="the stack to settle")
    return status


def test_secure_string_parameter_is_refused_and_rolled_back(cfn, make_client):
    template = {"Resources": {"Secret": {"Type": "AWS::SSM::Parameter", "Properties": {
        "Name": "/e2e/cfn/secure", "Type": "SecureString", "Value": "x"}}}}
    assert create_and_wait_failed(cfn, "e2e-secure", template) == "ROLLBACK_COMPLETE"
    assert any("#/Type" in r for r in failure_reasons(cfn, "e2e-secure"))
    with pytest.raises(ClientError):
        make_client("ssm").get_parameter(Name="/e2e/cfn/secure")


@pytest.mark.emulator_only
def test_wait_condition_expecting_signals_fails_with_a_reason(cfn):
    template = {"Resources": {
        "Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"},
        "Wait": {"Type": "AWS::CloudFormation::WaitCondition", "Properties": {
            "Handle": {"Ref": "Handle"}, "Count": 1, "Timeout": "30"}}}}
    assert create_and_wait_failed(cfn, "e2e-wait", template) == "ROLLBACK_COMPLETE"
    assert any("signals" in r for r in failure_reasons(cfn, "e2e-wait"))


def test_role_policy_update_and_replacement_on_rename(cfn, iam):
    def template(name, policy_names):
        return {"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {
            "RoleName": name, "AssumeRolePolicyDocument": TRUST,
            "Policies": [{"PolicyName": p, "PolicyDocument": S3_READ} for p in policy_names]}}},
            "Outputs": {"Id": {"Value": {"Fn::GetAtt": ["R", "RoleId"]}}}}
    cfn.create_stack(StackName="e2e-role", TemplateBody=json.dumps(template("e2e-r1", ["a"])),
                     Capabilities=["CAPABILITY_NAMED_IAM"])
    cfn.get_waiter("stack_create_complete").wait(
        StackName="e2e-role", WaiterConfig={"Delay": 1, "MaxAttempts": 120})
    first = outputs(cfn, "e2e-role")["Id"]
    # An inline policy swapped: in place, the same role.
    cfn.update_stack(StackName="e2e-role", TemplateBody=json.dumps(template("e2e-r1", ["b"])),
                     Capabilities=["CAPABILITY_NAMED_IAM"])
    cfn.get_waiter("stack_update_complete").wait(
        StackName="e2e-role", WaiterConfig={"Delay": 1, "MaxAttempts": 120})
    assert outputs(cfn, "e2e-role")["Id"] == first
    assert iam.list_role_policies(RoleName="e2e-r1")["PolicyNames"] == ["b"]
    # A new RoleName replaces it: a new role, the old one deleted.
    cfn.update_stack(StackName="e2e-role", TemplateBody=json.dumps(template("e2e-r2", ["b"])),
                     Capabilities=["CAPABILITY_NAMED_IAM"])
    cfn.get_waiter("stack_update_complete").wait(
        StackName="e2e-role", WaiterConfig={"Delay": 1, "MaxAttempts": 120})
    assert outputs(cfn, "e2e-role")["Id"] != first
    with pytest.raises(ClientError):
        iam.get_role(RoleName="e2e-r1")
    cfn.delete_stack(StackName="e2e-role")
    cfn.get_waiter("stack_delete_complete").wait(
        StackName="e2e-role", WaiterConfig={"Delay": 1, "MaxAttempts": 120})
    with pytest.raises(ClientError):
        iam.get_role(RoleName="e2e-r2")


def test_drift_of_a_parameter_changed_and_a_role_deleted_outside_the_stack(cfn, iam, make_client):
    ssm = make_client("ssm")
    template = {"Resources": {
        "Config": {"Type": "AWS::SSM::Parameter", "Properties": {
            "Name": "/e2e/cfn/drift", "Type": "String", "Value": "a"}},
        "R": {"Type": "AWS::IAM::Role", "Properties": {
            "RoleName": "e2e-drift", "AssumeRolePolicyDocument": TRUST,
            "ManagedPolicyArns": [EXECUTION, "arn:aws:iam::aws:policy/ReadOnlyAccess"]}},
        "Key": {"Type": "AWS::KMS::Key", "Properties": {"Description": "d"}}}}
    cfn.create_stack(StackName="e2e-drift", TemplateBody=json.dumps(template),
                     Capabilities=["CAPABILITY_NAMED_IAM"])
    cfn.get_waiter("stack_create_complete").wait(
        StackName="e2e-drift", WaiterConfig={"Delay": 1, "MaxAttempts": 120})

    def drifts():
        detection = cfn.detect_stack_drift(StackName="e2e-drift")["StackDriftDetectionId"]
        wait_for(lambda: cfn.describe_stack_drift_detection_status(
            StackDriftDetectionId=detection)["DetectionStatus"] != "DETECTION_IN_PROGRESS",
            what="drift detection")
        return {d["LogicalResourceId"]: d for d in cfn.describe_stack_resource_drifts(
            StackName="e2e-drift")["StackResourceDrifts"]}

    assert {k: d["StackResourceDriftStatus"] for k, d in drifts().items()} == {
        "Config": "IN_SYNC", "R": "IN_SYNC", "Key": "IN_SYNC"}
    ssm.put_parameter(Name="/e2e/cfn/drift", Value="b", Overwrite=True)
    for arn in (EXECUTION, "arn:aws:iam::aws:policy/ReadOnlyAccess"):
        iam.detach_role_policy(RoleName="e2e-drift", PolicyArn=arn)
    iam.delete_role(RoleName="e2e-drift")
    d = drifts()
    assert d["Config"]["StackResourceDriftStatus"] == "MODIFIED"
    assert [p["PropertyPath"] for p in d["Config"]["PropertyDifferences"]] == ["/Value"]
    assert d["R"]["StackResourceDriftStatus"] == "DELETED"
    assert d["Key"]["StackResourceDriftStatus"] == "IN_SYNC"
    cfn.delete_stack(StackName="e2e-drift")
    cfn.get_waiter("stack_delete_complete").wait(
        StackName="e2e-drift", WaiterConfig={"Delay": 1, "MaxAttempts": 120})
