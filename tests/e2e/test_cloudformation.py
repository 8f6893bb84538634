"""CloudFormation's API against Gantry with boto3 and both AWS CLIs: stacks with parameters,
outputs and exports, events in order, waiters, change sets and `aws cloudformation deploy`
(including a no-op deploy), rollback of a failed create and of a failed update, cross-stack
imports pinning exports, termination protection, drift, and the errors CloudFormation answers.
The templates use small, fast resource types (SSM parameters, log groups, wait condition
handles); the seed architecture's stacks are tested in test_cfn_seed.py."""
import subprocess
import time

import pytest
from botocore.exceptions import ClientError

from conftest import CLIS, aws_cli, cli_env, wait_for

FAST = {"Delay": 1, "MaxAttempts": 60}

PARAMS = """
AWSTemplateFormatVersion: "2010-09-09"
Description: parameters and outputs
Parameters:
  Env: {Type: String, Default: dev, AllowedValues: [dev, prod]}
  Secret: {Type: String, NoEcho: true, Default: hush}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Group:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub "/e2e/${AWS::StackName}/${Env}"
      RetentionInDays: !If [IsProd, 30, 7]
  Setting:
    Type: AWS::SSM::Parameter
    Properties:
      Name: !Sub "/e2e/${AWS::StackName}/setting"
      Type: String
      Value: !Join ["-", [!Ref Env, !Select [0, !GetAZs ""]]]
Outputs:
  GroupName: {Value: !Ref Group, Export: {Name: !Sub "${AWS::StackName}-group"}}
  GroupArn: {Value: !GetAtt Group.Arn}
  Setting: {Value: !GetAtt Setting.Value}
"""


@pytest.fixture
def cfn(make_client):
    return make_client("cloudformation")


def outputs(stack):
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def describe(cfn, name):
    return cfn.describe_stacks(StackName=name)["Stacks"][0]


def create(cfn, name, body, **kw):
    cfn.create_stack(StackName=name, TemplateBody=body, **kw)
    cfn.get_waiter("stack_create_complete").wait(StackName=name, WaiterConfig=FAST)
    return describe(cfn, name)


def test_create_with_parameters_outputs_and_events(cfn, make_client, account):
    s = create(cfn, "params", PARAMS)
    assert s["StackStatus"] == "CREATE_COMPLETE" and s["Description"] == "parameters and outputs"
    assert {p["ParameterKey"]: p["ParameterValue"] for p in s["Parameters"]} == \
        {"Env": "dev", "Secret": "****"}
    out = outputs(s)
    assert out["GroupName"] == "/e2e/params/dev"
    assert out["GroupArn"] == "arn:aws:logs:us-east-1:%s:log-group:/e2e/params/dev:*" % account
    assert out["Setting"] == "dev-us-east-1a"
    groups = make_client("logs").describe_log_groups(logGroupNamePrefix="/e2e/params")["logGroups"]
    assert [(g["logGroupName"], g.get("retentionInDays")) for g in groups] == [("/e2e/params/dev", 7)]
    value = make_client("ssm").get_parameter(Name="/e2e/params/setting")["Parameter"]["Value"]
    assert value == "dev-us-east-1a"
    events = cfn.describe_stack_events(StackName="params")["StackEvents"][::-1]
    assert (events[0]["LogicalResourceId"], events[0]["ResourceStatus"]) == \
        ("params", "CREATE_IN_PROGRESS")
    assert events[0]["ResourceStatusReason"] == "User Initiated"
    assert (events[-1]["LogicalResourceId"], events[-1]["ResourceStatus"]) == \
        ("params", "CREATE_COMPLETE")
    for logical in ("Group", "Setting"):
        mine = [e["ResourceStatus"] for e in events if e["LogicalResourceId"] == logical]
        assert mine[0] == "CREATE_IN_PROGRESS" and mine[-1] == "CREATE_COMPLETE"
    resources = cfn.list_stack_resources(StackName="params")["StackResourceSummaries"]
    assert {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in resources} == \
        {"Group": "/e2e/params/dev", "Setting": "/e2e/params/setting"}
    assert cfn.list_exports()["Exports"][0]["Name"] == "params-group"


def test_update_changes_in_place_and_delete_cleans_up(cfn, make_client):
    create(cfn, "upd", PARAMS)
    cfn.update_stack(StackName="upd", UsePreviousTemplate=True,
                     Parameters=[{"ParameterKey": "Env", "ParameterValue": "prod"},
                                 {"ParameterKey": "Secret", "UsePreviousValue": True}])
    cfn.get_waiter("stack_update_complete").wait(StackName="upd", WaiterConfig=FAST)
    s = describe(cfn, "upd")
    assert s["StackStatus"] == "UPDATE_COMPLETE" and "LastUpdatedTime" in s
    # The log group's name changed: a replacement; the old group is gone, the new one kept 30 days.
    logs = make_client("logs")
    groups = logs.describe_log_groups(logGroupNamePrefix="/e2e/upd")["logGroups"]
    assert [(g["logGroupName"], g.get("retentionInDays")) for g in groups] == [("/e2e/upd/prod", 30)]
    with pytest.raises(ClientError) as e:
        cfn.update_stack(StackName="upd", UsePreviousTemplate=True,
                         Parameters=[{"ParameterKey": "Env", "UsePreviousValue": True},
                                     {"ParameterKey": "Secret", "UsePreviousValue": True}])
    assert e.value.response["Error"]["Message"] == "No updates are to be performed."
    with pytest.raises(ClientError) as e:  # moto's AWS-verified test_update_stack_with_previous_value
        cfn.update_stack(StackName="upd", UsePreviousTemplate=True,
                         Parameters=[{"ParameterKey": "Env", "UsePreviousValue": True,
                                      "ParameterValue": "n/a"},
                                     {"ParameterKey": "Secret", "UsePreviousValue": True}])
    assert e.value.response["Error"]["Message"] == (
        "Invalid input for parameter key Env. Cannot specify usePreviousValue as true and non "
        "empty value for a parameter")
    stack_id = s["StackId"]
    cfn.delete_stack(StackName="upd")
    cfn.get_waiter("stack_delete_complete").wait(StackName="upd", WaiterConfig=FAST)
    assert logs.describe_log_groups(logGroupNamePrefix="/e2e/upd")["logGroups"] == []
    assert describe(cfn, stack_id)["StackStatus"] == "DELETE_COMPLETE"
    with pytest.raises(ClientError) as e:
        cfn.describe_stacks(StackName="upd")
    assert e.value.response["Error"]["Message"] == "Stack with id upd does not exist"


FAILING = """
Resources:
  Good:
    Type: AWS::SSM::Parameter
    Properties: {Name: /e2e/fail/good, Type: String, Value: ok}
  Bad:
    Type: AWS::Logs::LogGroup
    DependsOn: Good
    Properties: {LogGroupName: /e2e/fail/bad, RetentionInDays: 4}
"""


def test_failed_create_rolls_back(cfn, make_client):
    cfn.create_stack(StackName="fails", TemplateBody=FAILING)
    with pytest.raises(Exception):
        cfn.get_waiter("stack_create_complete").wait(StackName="fails", WaiterConfig=FAST)
    s = describe(cfn, "fails")
    assert s["StackStatus"] == "ROLLBACK_COMPLETE"
    assert s["StackStatusReason"] == \
        "The following resource(s) failed to create: [Bad]. Rollback requested by user."
    failed = [e for e in cfn.describe_stack_events(StackName="fails")["StackEvents"]
              if e["ResourceStatus"] == "CREATE_FAILED"]
    assert failed and failed[0]["LogicalResourceId"] == "Bad"
    assert "retention" in failed[0]["ResourceStatusReason"].lower()
    with pytest.raises(ClientError):
        make_client("ssm").get_parameter(Name="/e2e/fail/good")
    with pytest.raises(ClientError) as e:
        cfn.update_stack(StackName="fails", TemplateBody=FAILING)
    assert "ROLLBACK_COMPLETE state and can not be updated" in e.value.response["Error"]["Message"]


def test_failed_update_rolls_back(cfn, make_client):
    body = "Resources:\n  P: {Type: AWS::SSM::Parameter, Properties: {Name: /e2e/ur, Type: String, Value: one}}\n"
    create(cfn, "urb", body)
    bad = body.replace("Value: one", "Value: two") + \
        "  L: {Type: AWS::Logs::LogGroup, DependsOn: P, Properties: {RetentionInDays: 4}}\n"
    cfn.update_stack(StackName="urb", TemplateBody=bad)
    with pytest.raises(Exception):
        cfn.get_waiter("stack_update_complete").wait(StackName="urb", WaiterConfig=FAST)
    assert describe(cfn, "urb")["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert make_client("ssm").get_parameter(Name="/e2e/ur")["Parameter"]["Value"] == "one"
    assert cfn.get_template(StackName="urb")["TemplateBody"] == body


def test_imports_pin_exports(cfn):
    create(cfn, "exporter", PARAMS)
    importer = """
Resources:
  P:
    Type: AWS::SSM::Parameter
    Properties: {Type: String, Value: !ImportValue exporter-group}
"""
    create(cfn, "importer", importer)
    assert cfn.list_imports(ExportName="exporter-group")["Imports"] == ["importer"]
    cfn.delete_stack(StackName="exporter")
    with pytest.raises(Exception):
        cfn.get_waiter("stack_delete_complete").wait(StackName="exporter", WaiterConfig=FAST)
    s = describe(cfn, "exporter")
    assert s["StackStatus"] == "DELETE_FAILED"
    assert s["StackStatusReason"] == "Export exporter-group cannot be deleted as it is in use by importer"
    with pytest.raises(ClientError) as e:
        cfn.create_stack(StackName="nope", TemplateBody=importer.replace("exporter-group", "missing"))
    assert e.value.response["Error"]["Message"] == "No export named missing found."


def test_change_sets_preview_and_execute(cfn):
    made = cfn.create_change_set(StackName="cs", ChangeSetName="first", ChangeSetType="CREATE",
                                 TemplateBody=PARAMS)
    cfn.get_waiter("change_set_create_complete").wait(ChangeSetName=made["Id"], WaiterConfig=FAST)
    assert describe(cfn, "cs")["StackStatus"] == "REVIEW_IN_PROGRESS"
    d = cfn.describe_change_set(ChangeSetName=made["Id"])
    assert sorted((c["ResourceChange"]["Action"], c["ResourceChange"]["LogicalResourceId"])
                  for c in d["Changes"]) == [("Add", "Group"), ("Add", "Setting")]
    cfn.execute_change_set(ChangeSetName="first", StackName="cs")
    cfn.get_waiter("stack_create_complete").wait(StackName="cs", WaiterConfig=FAST)
    second = cfn.create_change_set(StackName="cs", ChangeSetName="second", TemplateBody=PARAMS,
                                   Parameters=[{"ParameterKey": "Env", "ParameterValue": "prod"}])
    d = cfn.describe_change_set(ChangeSetName=second["Id"])
    changes = {c["ResourceChange"]["LogicalResourceId"]: c["ResourceChange"] for c in d["Changes"]}
    assert changes["Group"]["Action"] == "Modify" and changes["Group"]["Replacement"] == "True"
    assert changes["Setting"]["Replacement"] == "False"
    names = [x["Target"]["Name"] for x in changes["Group"]["Details"]]
    assert "LogGroupName" in names and "RetentionInDays" in names
    # The executed change set is no longer listed (nor found by name), as on AWS.
    assert [s["ChangeSetName"] for s in cfn.list_change_sets(StackName="cs")["Summaries"]] == \
        ["second"]
    assert cfn.describe_change_set(ChangeSetName=made["Id"])["ExecutionStatus"] == "EXECUTE_COMPLETE"
    cfn.delete_change_set(ChangeSetName="second", StackName="cs")
    with pytest.raises(ClientError) as e:
        cfn.describe_change_set(ChangeSetName="second", StackName="cs")
    assert e.value.response["Error"]["Code"] == "ChangeSetNotFound"


def test_errors_in_cloudformations_words(cfn):
    with pytest.raises(ClientError) as e:
        cfn.create_stack(StackName="bad", TemplateBody="Resources:\n  X: {Type: AWS::Nope::Thing}\n")
    assert e.value.response["Error"]["Message"] == \
        "Template format error: Unrecognized resource types: [AWS::Nope::Thing]"
    with pytest.raises(ClientError) as e:
        cfn.create_stack(StackName="bad", TemplateBody=PARAMS,
                         Parameters=[{"ParameterKey": "Env", "ParameterValue": "qa"}])
    assert e.value.response["Error"]["Message"] == "Parameter 'Env' must be one of AllowedValues"
    role = "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {}\n"
    with pytest.raises(ClientError) as e:
        cfn.create_stack(StackName="bad", TemplateBody=role)
    assert e.value.response["Error"]["Code"] == "InsufficientCapabilitiesException"
    assert e.value.response["Error"]["Message"] == "Requires capabilities : [CAPABILITY_IAM]"
    with pytest.raises(ClientError) as e:
        cfn.describe_stacks(StackName="missing")
    assert (e.value.response["Error"]["Code"], e.value.response["ResponseMetadata"]["HTTPStatusCode"]) == \
        ("ValidationError", 400)
    create(cfn, "guarded", PARAMS, EnableTerminationProtection=True)
    with pytest.raises(ClientError) as e:
        cfn.delete_stack(StackName="guarded")
    assert e.value.response["Error"]["Message"] == \
        "Stack [guarded] cannot be deleted while TerminationProtection is enabled"
    cfn.update_termination_protection(StackName="guarded", EnableTerminationProtection=False)
    cfn.delete_stack(StackName="guarded")
    v = cfn.validate_template(TemplateBody=PARAMS)
    assert [p["ParameterKey"] for p in v["Parameters"]] == ["Env", "Secret"]


def test_drift_detection(cfn, make_client):
    create(cfn, "drift", PARAMS)
    make_client("logs").put_retention_policy(logGroupName="/e2e/drift/dev", retentionInDays=14)
    make_client("ssm").delete_parameter(Name="/e2e/drift/setting")
    detection = cfn.detect_stack_drift(StackName="drift")["StackDriftDetectionId"]
    status = cfn.describe_stack_drift_detection_status(StackDriftDetectionId=detection)
    assert status["DetectionStatus"] == "DETECTION_COMPLETE" and status["StackDriftStatus"] == "DRIFTED"
    drifts = {d["LogicalResourceId"]: d for d in
              cfn.describe_stack_resource_drifts(StackName="drift")["StackResourceDrifts"]}
    assert drifts["Setting"]["StackResourceDriftStatus"] == "DELETED"
    assert drifts["Group"]["StackResourceDriftStatus"] == "MODIFIED"
    diff = drifts["Group"]["PropertyDifferences"][0]
    assert (diff["PropertyPath"], diff["ExpectedValue"], diff["ActualValue"]) == \
        ("/RetentionInDays", "7", "14")


@pytest.mark.parametrize("cli", CLIS)
def test_aws_cloudformation_deploy(cli, endpoint, tmp_path, make_client):
    """`aws cloudformation deploy` creates, updates with --parameter-overrides, says "No changes
    to deploy" for a no-op, and `wait`/`delete-stack` finish the job."""
    aws = aws_cli(cli, endpoint, tmp_path, "cloudformation")
    template = tmp_path / "t.yaml"
    template.write_text(PARAMS)
    env = cli_env(tmp_path)

    def deploy(*extra):
        return subprocess.run([cli, "--endpoint-url", endpoint, "cloudformation", "deploy",
                               "--template-file", str(template), "--stack-name", "dep", *extra],
                              env=env, capture_output=True, text=True, timeout=300)
    p = deploy()
    assert p.returncode == 0, p.stderr
    assert "Successfully created/updated stack - dep" in p.stdout
    p = deploy("--parameter-overrides", "Env=prod")
    assert p.returncode == 0, p.stderr
    stack = aws("describe-stacks", "--stack-name", "dep")["Stacks"][0]
    assert stack["StackStatus"] == "UPDATE_COMPLETE"
    assert outputs(stack)["GroupName"] == "/e2e/dep/prod"
    p = deploy("--parameter-overrides", "Env=prod")
    # The CLI's own choice of exit code: 255 in v1; Debian's v2 exits 0 by default.
    assert p.returncode in (0, 255) and "No changes to deploy" in (p.stdout + p.stderr)
    # The CLI names its change set after the second (awscli-cloudformation-package-deploy-<time>)
    # and leaves the empty one FAILED, as on AWS: a deploy within the same second would collide.
    second = int(time.time())
    wait_for(lambda: int(time.time()) > second, timeout=2, what="the next second")
    p = deploy("--parameter-overrides", "Env=prod", "--no-fail-on-empty-changeset")
    assert p.returncode == 0, p.stderr
    aws("delete-stack", "--stack-name", "dep")
    aws("wait", "stack-delete-complete", "--stack-name", "dep")
    assert make_client("logs").describe_log_groups(logGroupNamePrefix="/e2e/dep")["logGroups"] == []


@pytest.mark.parametrize("cli", CLIS)
def test_cli_create_update_with_parameters_and_waiters(cli, endpoint, tmp_path):
    aws = aws_cli(cli, endpoint, tmp_path, "cloudformation")
    (tmp_path / "t.yaml").write_text(PARAMS)
    body = "file://%s" % (tmp_path / "t.yaml")
    aws("create-stack", "--stack-name", "clis", "--template-body", body,
        "--parameters", "ParameterKey=Env,ParameterValue=prod")
    aws("wait", "stack-create-complete", "--stack-name", "clis")
    aws("update-stack", "--stack-name", "clis", "--use-previous-template",
        "--parameters", "ParameterKey=Env,ParameterValue=dev")
    aws("wait", "stack-update-complete", "--stack-name", "clis")
    events = aws("describe-stack-events", "--stack-name", "clis")["StackEvents"]
    stamps = [e["Timestamp"] for e in events]
    assert stamps == sorted(stamps, reverse=True)
    assert (events[0]["LogicalResourceId"], events[0]["ResourceStatus"]) == ("clis", "UPDATE_COMPLETE")
    s = aws("describe-stacks", "--stack-name", "clis")["Stacks"][0]
    assert outputs(s)["GroupName"] == "/e2e/clis/dev"
    aws("delete-stack", "--stack-name", "clis")
    aws("wait", "stack-delete-complete", "--stack-name", "clis")
