"""IAM against Gantry with boto3 and the AWS CLI: roles, managed and inline policies, users,
groups, access keys, instance profiles, OpenID Connect providers, paging and IAM's errors."""
import json
import os
import shutil
import subprocess

import pytest
from botocore.exceptions import ClientError

CLIS = [c for c in [shutil.which("aws"), "/usr/bin/aws"] if c and os.path.exists(c)]
CLIS = list(dict.fromkeys(CLIS))

ECS_TASKS_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                   "Action": "sts:AssumeRole"}],
}
READ_S3 = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}],
}
EXECUTION_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"


@pytest.fixture
def iam(make_client):
    return make_client("iam")


def error(excinfo):
    e = excinfo.value.response
    return e["Error"]["Code"], e["ResponseMetadata"]["HTTPStatusCode"]


def new_role(iam, name, **kw):
    return iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(ECS_TASKS_TRUST),
                           **kw)["Role"]


# --- roles ----------------------------------------------------------------------------------

# The seeds' flow: an ECS task execution role trusting ecs-tasks.amazonaws.com with the AWS
# managed execution policy attached.
def test_task_execution_role_seed_flow(iam, account):
    role = new_role(iam, "ecsTaskExecutionRole", Description="exec")
    assert role["Arn"] == "arn:aws:iam::%s:role/ecsTaskExecutionRole" % account
    assert role["RoleId"].startswith("AROA") and len(role["RoleId"]) == 21
    iam.attach_role_policy(RoleName="ecsTaskExecutionRole", PolicyArn=EXECUTION_POLICY)
    attached = iam.list_attached_role_policies(RoleName="ecsTaskExecutionRole")
    assert attached["AttachedPolicies"] == [
        {"PolicyName": "AmazonECSTaskExecutionRolePolicy", "PolicyArn": EXECUTION_POLICY}]
    got = iam.get_role(RoleName="ecsTaskExecutionRole")["Role"]
    # botocore URL-decodes and parses the document IAM sends URL-encoded.
    assert got["AssumeRolePolicyDocument"] == ECS_TASKS_TRUST
    assert got["Description"] == "exec" and got["MaxSessionDuration"] == 3600


def test_role_errors(iam):
    new_role(iam, "Dup")
    with pytest.raises(ClientError) as e:
        new_role(iam, "dup")
    assert error(e) == ("EntityAlreadyExists", 409)
    assert e.value.response["Error"]["Message"] == "Role with name dup already exists."
    assert e.value.response["Error"]["Type"] == "Sender"
    with pytest.raises(ClientError) as e:
        iam.get_role(RoleName="nope")
    assert error(e) == ("NoSuchEntity", 404)
    assert e.value.response["Error"]["Message"] == "The role with name nope cannot be found."
    with pytest.raises(ClientError) as e:
        iam.create_role(RoleName="x", AssumeRolePolicyDocument="{not json")
    assert error(e) == ("MalformedPolicyDocument", 400)
    assert e.value.response["Error"]["Message"] == "Syntax errors in policy."
    with pytest.raises(ClientError) as e:
        iam.create_role(RoleName="x", AssumeRolePolicyDocument=json.dumps(READ_S3))
    assert e.value.response["Error"]["Message"] == "Missing required field Principal"
    with pytest.raises(ClientError) as e:
        iam.create_role(RoleName="bad name", AssumeRolePolicyDocument=json.dumps(ECS_TASKS_TRUST))
    assert error(e) == ("ValidationError", 400)


def test_list_roles_pages_and_path_prefix(iam):
    for n in range(5):
        new_role(iam, "r%d" % n, Path="/team/")
    new_role(iam, "other")
    first = iam.list_roles(PathPrefix="/team/", MaxItems=2)
    assert len(first["Roles"]) == 2 and first["IsTruncated"] is True
    names = [r["RoleName"] for page in iam.get_paginator("list_roles").paginate(
        PathPrefix="/team/", PaginationConfig={"PageSize": 2}) for r in page["Roles"]]
    assert names == ["r0", "r1", "r2", "r3", "r4"]


def test_delete_role_conflicts(iam):
    new_role(iam, "r")
    iam.put_role_policy(RoleName="r", PolicyName="p", PolicyDocument=json.dumps(READ_S3))
    with pytest.raises(ClientError) as e:
        iam.delete_role(RoleName="r")
    assert error(e) == ("DeleteConflict", 409)
    assert e.value.response["Error"]["Message"] == \
        "Cannot delete entity, must delete policies first."
    assert iam.get_role_policy(RoleName="r", PolicyName="p")["PolicyDocument"] == READ_S3
    iam.delete_role_policy(RoleName="r", PolicyName="p")
    iam.create_instance_profile(InstanceProfileName="ip")
    iam.add_role_to_instance_profile(InstanceProfileName="ip", RoleName="r")
    with pytest.raises(ClientError) as e:
        iam.delete_role(RoleName="r")
    assert e.value.response["Error"]["Message"] == \
        "Cannot delete entity, must remove roles from instance profile first."
    iam.remove_role_from_instance_profile(InstanceProfileName="ip", RoleName="r")
    iam.delete_role(RoleName="r")


def test_role_tags_and_updates(iam):
    new_role(iam, "r", Tags=[{"Key": "team", "Value": "a"}])
    iam.tag_role(RoleName="r", Tags=[{"Key": "env", "Value": "dev"}])
    iam.untag_role(RoleName="r", TagKeys=["team"])
    assert iam.list_role_tags(RoleName="r")["Tags"] == [{"Key": "env", "Value": "dev"}]
    iam.update_role(RoleName="r", MaxSessionDuration=7200)
    iam.update_role_description(RoleName="r", Description="new")
    role = iam.get_role(RoleName="r")["Role"]
    assert role["MaxSessionDuration"] == 7200 and role["Description"] == "new"


def test_service_linked_roles(iam, account):
    role = iam.create_service_linked_role(AWSServiceName="ecs.amazonaws.com")["Role"]
    assert role["Path"] == "/aws-service-role/ecs.amazonaws.com/"
    assert role["RoleName"] == "AWSServiceRoleForECS"
    attached = iam.list_attached_role_policies(RoleName="AWSServiceRoleForECS")
    assert attached["AttachedPolicies"][0]["PolicyArn"] == \
        "arn:aws:iam::aws:policy/aws-service-role/AmazonECSServiceRolePolicy"
    task = iam.delete_service_linked_role(RoleName="AWSServiceRoleForECS")["DeletionTaskId"]
    assert iam.get_service_linked_role_deletion_status(DeletionTaskId=task)["Status"] == \
        "SUCCEEDED"


# --- policies -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [
    "service-role/AmazonECSTaskExecutionRolePolicy", "AmazonEC2ContainerRegistryReadOnly",
    "CloudWatchLogsFullAccess", "AmazonSSMReadOnlyAccess", "AdministratorAccess",
    "ReadOnlyAccess", "SecretsManagerReadWrite"])
def test_aws_managed_policy_documents(iam, name):
    arn = "arn:aws:iam::aws:policy/" + name
    policy = iam.get_policy(PolicyArn=arn)["Policy"]
    version = iam.get_policy_version(PolicyArn=arn, VersionId=policy["DefaultVersionId"])
    document = version["PolicyVersion"]["Document"]
    assert document["Version"] == "2012-10-17" and document["Statement"]
    assert version["PolicyVersion"]["IsDefaultVersion"] is True


def test_execution_policy_document_is_awss(iam):
    v = iam.get_policy_version(PolicyArn=EXECUTION_POLICY, VersionId="v1")["PolicyVersion"]
    assert v["Document"]["Statement"][0]["Action"] == [
        "ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability",
        "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "logs:CreateLogStream",
        "logs:PutLogEvents"]


def test_customer_policy_versions(iam, account):
    arn = iam.create_policy(PolicyName="p", PolicyDocument=json.dumps(READ_S3))["Policy"]["Arn"]
    assert arn == "arn:aws:iam::%s:policy/p" % account
    for _ in range(4):
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(READ_S3),
                                  SetAsDefault=True)
    with pytest.raises(ClientError) as e:
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(READ_S3))
    assert error(e) == ("LimitExceeded", 409)
    assert iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v5"
    with pytest.raises(ClientError) as e:
        iam.delete_policy_version(PolicyArn=arn, VersionId="v5")
    assert error(e) == ("DeleteConflict", 409)
    iam.set_default_policy_version(PolicyArn=arn, VersionId="v2")
    versions = iam.list_policy_versions(PolicyArn=arn)["Versions"]
    assert [v["VersionId"] for v in versions if v["IsDefaultVersion"]] == ["v2"]
    with pytest.raises(ClientError) as e:
        iam.delete_policy(PolicyArn=arn)
    assert error(e) == ("DeleteConflict", 409)
    for v in ["v1", "v3", "v4", "v5"]:
        iam.delete_policy_version(PolicyArn=arn, VersionId=v)
    iam.delete_policy(PolicyArn=arn)
    with pytest.raises(ClientError) as e:
        iam.get_policy(PolicyArn=arn)
    assert error(e) == ("NoSuchEntity", 404)


def test_identity_policy_with_principal_is_malformed(iam):
    doc = dict(READ_S3, Statement=[dict(READ_S3["Statement"][0], Principal="*")])
    with pytest.raises(ClientError) as e:
        iam.create_policy(PolicyName="p", PolicyDocument=json.dumps(doc))
    assert e.value.response["Error"]["Message"] == \
        "Policy document should not specify a principal."


def test_list_policies_scope_and_attachment(iam):
    iam.create_policy(PolicyName="mine", PolicyDocument=json.dumps(READ_S3))
    new_role(iam, "r")
    iam.attach_role_policy(RoleName="r", PolicyArn=EXECUTION_POLICY)
    local = iam.list_policies(Scope="Local")["Policies"]
    assert [p["PolicyName"] for p in local] == ["mine"]
    attached = iam.list_policies(Scope="AWS", OnlyAttached=True)["Policies"]
    assert [(p["Arn"], p["AttachmentCount"]) for p in attached] == [(EXECUTION_POLICY, 1)]
    every = [p["PolicyName"] for page in iam.get_paginator("list_policies").paginate(
        Scope="AWS", PaginationConfig={"PageSize": 7}) for p in page["Policies"]]
    assert "AdministratorAccess" in every and len(every) == len(set(every))
    roles = iam.list_entities_for_policy(PolicyArn=EXECUTION_POLICY)["PolicyRoles"]
    assert [r["RoleName"] for r in roles] == ["r"]


# --- users, groups, keys --------------------------------------------------------------------

def test_users_groups_and_inline_policies(iam, account):
    user = iam.create_user(UserName="ci", Path="/bots/")["User"]
    assert user["Arn"] == "arn:aws:iam::%s:user/bots/ci" % account
    assert user["UserId"].startswith("AIDA")
    iam.create_group(GroupName="devs")
    iam.add_user_to_group(GroupName="devs", UserName="ci")
    assert [u["UserName"] for u in iam.get_group(GroupName="devs")["Users"]] == ["ci"]
    assert [g["GroupName"] for g in iam.list_groups_for_user(UserName="ci")["Groups"]] == ["devs"]
    iam.put_group_policy(GroupName="devs", PolicyName="read", PolicyDocument=json.dumps(READ_S3))
    assert iam.list_group_policies(GroupName="devs")["PolicyNames"] == ["read"]
    iam.put_user_policy(UserName="ci", PolicyName="own", PolicyDocument=json.dumps(READ_S3))
    assert iam.get_user_policy(UserName="ci", PolicyName="own")["PolicyDocument"] == READ_S3
    with pytest.raises(ClientError) as e:
        iam.delete_group(GroupName="devs")
    assert error(e) == ("DeleteConflict", 409)
    details = iam.get_account_authorization_details(Filter=["User"])["UserDetailList"]
    assert details[0]["UserName"] == "ci" and details[0]["GroupList"] == ["devs"]
    assert details[0]["UserPolicyList"] == [{"PolicyName": "own", "PolicyDocument": READ_S3}]


def test_get_user_without_name_is_the_caller(iam, account):
    assert iam.get_user()["User"]["Arn"] == "arn:aws:iam::%s:root" % account


def test_access_keys(iam):
    iam.create_user(UserName="u")
    key = iam.create_access_key(UserName="u")["AccessKey"]
    assert key["AccessKeyId"].startswith("AKIA") and len(key["AccessKeyId"]) == 20
    assert len(key["SecretAccessKey"]) == 40 and key["Status"] == "Active"
    iam.create_access_key(UserName="u")
    with pytest.raises(ClientError) as e:
        iam.create_access_key(UserName="u")
    assert error(e) == ("LimitExceeded", 409)
    iam.update_access_key(UserName="u", AccessKeyId=key["AccessKeyId"], Status="Inactive")
    statuses = {k["AccessKeyId"]: k["Status"]
                for k in iam.list_access_keys(UserName="u")["AccessKeyMetadata"]}
    assert statuses[key["AccessKeyId"]] == "Inactive" and len(statuses) == 2
    with pytest.raises(ClientError) as e:
        iam.delete_user(UserName="u")
    assert e.value.response["Error"]["Message"] == \
        "Cannot delete entity, must delete access keys first."
    used = iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])
    assert used["UserName"] == "u" and used["AccessKeyLastUsed"]["ServiceName"] == "N/A"


# --- instance profiles, OIDC ----------------------------------------------------------------

def test_instance_profile_holds_one_role(iam):
    new_role(iam, "a")
    new_role(iam, "b")
    profile = iam.create_instance_profile(InstanceProfileName="ip")["InstanceProfile"]
    assert profile["InstanceProfileId"].startswith("AIPA") and profile["Roles"] == []
    iam.add_role_to_instance_profile(InstanceProfileName="ip", RoleName="a")
    with pytest.raises(ClientError) as e:
        iam.add_role_to_instance_profile(InstanceProfileName="ip", RoleName="b")
    assert error(e) == ("LimitExceeded", 409)
    roles = iam.get_instance_profile(InstanceProfileName="ip")["InstanceProfile"]["Roles"]
    assert [r["RoleName"] for r in roles] == ["a"]
    assert [p["InstanceProfileName"]
            for p in iam.list_instance_profiles_for_role(RoleName="a")["InstanceProfiles"]] == ["ip"]


def test_openid_connect_provider(iam, account):
    url = "https://token.actions.githubusercontent.com"
    arn = iam.create_open_id_connect_provider(
        Url=url, ClientIDList=["sts.amazonaws.com"],
        ThumbprintList=["6938fd4d98bab03faadb97b34396831e3780aea1"])["OpenIDConnectProviderArn"]
    assert arn == "arn:aws:iam::%s:oidc-provider/token.actions.githubusercontent.com" % account
    with pytest.raises(ClientError) as e:
        iam.create_open_id_connect_provider(Url=url, ClientIDList=["x"],
                                            ThumbprintList=["6938fd4d98bab03faadb97b34396831e3780aea1"])
    assert error(e) == ("EntityAlreadyExists", 409)
    iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="other")
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert got["Url"] == "token.actions.githubusercontent.com"
    assert got["ClientIDList"] == ["sts.amazonaws.com", "other"]
    assert [p["Arn"] for p in iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]] \
        == [arn]
    iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    with pytest.raises(ClientError) as e:
        iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert error(e) == ("NoSuchEntity", 404)


# --- policy simulation ----------------------------------------------------------------------

def test_simulate_principal_policy(iam, account):
    iam.create_user(UserName="reader")
    iam.put_user_policy(UserName="reader", PolicyName="read", PolicyDocument=json.dumps(READ_S3))
    results = iam.simulate_principal_policy(
        PolicySourceArn="arn:aws:iam::%s:user/reader" % account,
        ActionNames=["s3:GetObject", "s3:PutObject"],
        ResourceArns=["arn:aws:s3:::bucket/key"])["EvaluationResults"]
    decisions = {r["EvalActionName"]: r["EvalDecision"] for r in results}
    assert decisions == {"s3:GetObject": "allowed", "s3:PutObject": "implicitDeny"}
    allowed = [r for r in results if r["EvalDecision"] == "allowed"][0]
    assert allowed["EvalResourceName"] == "arn:aws:s3:::bucket/key"
    assert allowed["MatchedStatements"][0]["SourcePolicyId"] == "read"


def test_simulate_custom_policy_explicit_deny_wins(iam):
    deny = {"Version": "2012-10-17",
            "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}
    results = iam.simulate_custom_policy(
        PolicyInputList=[json.dumps(READ_S3), json.dumps(deny)],
        ActionNames=["s3:GetObject", "ecs:ListClusters"])["EvaluationResults"]
    decisions = {r["EvalActionName"]: r["EvalDecision"] for r in results}
    assert decisions == {"s3:GetObject": "explicitDeny", "ecs:ListClusters": "implicitDeny"}


# --- the AWS CLI ----------------------------------------------------------------------------

def self_signed_pem(tmp_path, name):
    """A self-signed EC certificate made by the openssl command."""
    out = tmp_path / (name + ".pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=" + name,
                    "-days", "30", "-keyout", str(tmp_path / (name + ".key")), "-out", str(out)],
                   check=True, capture_output=True)
    return out.read_text()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_signing_certificates(iam, tmp_path):
    iam.create_user(UserName="signer")
    first = self_signed_pem(tmp_path, "one")
    cert = iam.upload_signing_certificate(UserName="signer", CertificateBody=first)["Certificate"]
    assert (cert["UserName"], cert["Status"], cert["CertificateBody"]) == (
        "signer", "Active", first)
    iam.upload_signing_certificate(UserName="signer",
                                   CertificateBody=self_signed_pem(tmp_path, "two"))
    with pytest.raises(ClientError) as e:
        iam.upload_signing_certificate(UserName="signer",
                                       CertificateBody=self_signed_pem(tmp_path, "three"))
    assert e.value.response["Error"]["Message"] == "Cannot exceed quota for CertificatesPerUser: 2"
    iam.update_signing_certificate(UserName="signer", CertificateId=cert["CertificateId"],
                                   Status="Inactive")
    listed = iam.list_signing_certificates(UserName="signer")["Certificates"]
    assert [c["Status"] for c in listed] == ["Inactive", "Active"]
    with pytest.raises(ClientError) as e:
        iam.upload_signing_certificate(UserName="signer", CertificateBody="notacert")
    assert e.value.response["Error"]["Code"] == "MalformedCertificate"
    for c in listed:
        iam.delete_signing_certificate(UserName="signer", CertificateId=c["CertificateId"])
    iam.delete_user(UserName="signer")


@pytest.fixture(params=CLIS)
def aws(request, endpoint, tmp_path):
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
               AWS_DEFAULT_REGION="us-east-1", AWS_PAGER="", AWS_CONFIG_FILE=str(tmp_path / "c"),
               AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "cr"))
    env.pop("AWS_PROFILE", None)

    def run(*args, check=True):
        p = subprocess.run([request.param, "--endpoint-url", endpoint, "--output", "json", "iam"]
                           + list(args), env=env, capture_output=True, text=True, timeout=60)
        if check:
            assert p.returncode == 0, p.stderr
            return json.loads(p.stdout) if p.stdout.strip() else {}
        return p
    return run


def test_cli_role_and_attached_policy(aws, tmp_path):
    trust = tmp_path / "trust.json"
    trust.write_text(json.dumps(ECS_TASKS_TRUST))
    role = aws("create-role", "--role-name", "cli-exec", "--assume-role-policy-document",
               "file://" + str(trust))["Role"]
    assert role["RoleName"] == "cli-exec"
    aws("attach-role-policy", "--role-name", "cli-exec", "--policy-arn", EXECUTION_POLICY)
    listed = aws("list-attached-role-policies", "--role-name", "cli-exec")
    assert listed["AttachedPolicies"][0]["PolicyArn"] == EXECUTION_POLICY
    got = aws("get-role", "--role-name", "cli-exec")["Role"]
    assert got["AssumeRolePolicyDocument"] == ECS_TASKS_TRUST
    p = aws("get-role", "--role-name", "nope", check=False)
    assert p.returncode != 0 and "NoSuchEntity" in p.stderr
