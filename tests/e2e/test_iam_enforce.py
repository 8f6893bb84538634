"""--auth enforce: calls signed with an IAM user's or an assumed role's keys are allowed only by
their identity policies and denied in AWS's words; the configured root key stays all-powerful.
Needs the IAM API and STS resolving IAM users' access keys (issue 16)."""
import json
import os
import shutil
import subprocess

import pytest
from botocore.exceptions import ClientError

from conftest import client_for

pytestmark = pytest.mark.emulator_only

ROOT = ("AKIDROOT", "rootsecret")
CLIS = list(dict.fromkeys(c for c in [shutil.which("aws"), "/usr/bin/aws"]
                          if c and os.path.exists(c)))


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action, resource="*"):
    return {"Effect": "Allow", "Action": action, "Resource": resource}


@pytest.fixture
def enforce(tmp_gantry):
    g = tmp_gantry("--auth", "enforce", "--credentials", "%s:%s" % ROOT)
    root_iam = client_for(g.endpoint, "iam", key=ROOT[0], secret=ROOT[1])
    account = client_for(g.endpoint, "sts", key=ROOT[0], secret=ROOT[1]) \
        .get_caller_identity()["Account"]
    return g, root_iam, account


def test_the_root_key_stays_all_powerful_and_unknown_keys_are_refused(tmp_gantry):
    g = tmp_gantry("--auth", "enforce", "--credentials", "%s:%s" % ROOT)
    ecs = client_for(g.endpoint, "ecs", key=ROOT[0], secret=ROOT[1])
    assert ecs.create_cluster(clusterName="web")["cluster"]["status"] == "ACTIVE"
    ec2 = client_for(g.endpoint, "ec2", key=ROOT[0], secret=ROOT[1])
    assert ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"].startswith("vpc-")
    with pytest.raises(ClientError) as e:
        client_for(g.endpoint, "ecs", key="AKIDUNKNOWN", secret="x").list_clusters()
    assert denied(e)[0] == "UnrecognizedClientException"


def make_user(root_iam, name, document):
    arn = root_iam.create_user(UserName=name)["User"]["Arn"]
    root_iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=document)
    key = root_iam.create_access_key(UserName=name)["AccessKey"]
    return arn, (key["AccessKeyId"], key["SecretAccessKey"])


def as_keys(g, service, keys, token=None):
    return client_for(g.endpoint, service, key=keys[0], secret=keys[1], token=token)


def denied(excinfo):
    err = excinfo.value.response["Error"]
    return err["Code"], err["Message"], excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_a_user_may_do_only_what_its_policy_allows(enforce):
    g, root_iam, account = enforce
    arn, keys = make_user(root_iam, "ci", policy(allow(["ecs:Describe*", "iam:CreateAccessKey"])))
    assert arn == "arn:aws:iam::%s:user/ci" % account
    ecs = as_keys(g, "ecs", keys)
    assert ecs.describe_clusters(clusters=["default"])["failures"][0]["reason"] == "MISSING"

    with pytest.raises(ClientError) as e:
        ecs.create_cluster(clusterName="web")
    assert denied(e) == (
        "AccessDeniedException",
        "User: %s is not authorized to perform: ecs:CreateCluster on resource: * because no "
        "identity-based policy allows the ecs:CreateCluster action" % arn, 400)
    root_ecs = client_for(g.endpoint, "ecs", key=ROOT[0], secret=ROOT[1])
    assert root_ecs.list_clusters()["clusterArns"] == []  # nothing was created

    # Its own second key: CreateAccessKey without UserName is on the caller.
    second = as_keys(g, "iam", keys).create_access_key()["AccessKey"]
    assert second["UserName"] == "ci"

    # Query and EC2 protocols answer their own denial shapes.
    with pytest.raises(ClientError) as e:
        as_keys(g, "iam", keys).list_users()
    code, message, status = denied(e)
    assert (code, status) == ("AccessDenied", 403)
    assert message.endswith("because no identity-based policy allows the iam:ListUsers action")
    with pytest.raises(ClientError) as e:
        as_keys(g, "ec2", keys).create_vpc(CidrBlock="10.0.0.0/16")
    code, message, status = denied(e)
    assert (code, status) == ("UnauthorizedOperation", 403)
    assert message.startswith("You are not authorized to perform this operation. User: %s is not "
                              "authorized to perform: ec2:CreateVpc on resource: "
                              "arn:aws:ec2:us-east-1:%s:vpc/*" % (arn, account))
    assert "Encoded authorization failure message: " in message


def test_an_explicit_deny_wins_over_an_allow(enforce):
    g, root_iam, _ = enforce
    arn, keys = make_user(root_iam, "ops", policy(
        allow("ecs:*"),
        {"Effect": "Deny", "Action": "ecs:DeleteCluster", "Resource": "*"}))
    ecs = as_keys(g, "ecs", keys)
    ecs.create_cluster(clusterName="web")
    with pytest.raises(ClientError) as e:
        ecs.delete_cluster(cluster="web")
    assert denied(e)[1] == (
        "User: %s is not authorized to perform: ecs:DeleteCluster on resource: "
        "arn:aws:ecs:us-east-1:%s:cluster/web with an explicit deny in an identity-based policy"
        % (arn, arn.split(":")[4]))
    assert ecs.describe_clusters(clusters=["web"])["clusters"][0]["status"] == "ACTIVE"


def test_an_assumed_role_acts_with_the_roles_policy(enforce):
    g, root_iam, account = enforce
    role_arn = "arn:aws:iam::%s:role/deployer" % account
    user_arn, keys = make_user(root_iam, "dev", policy(
        allow("ecs:Describe*"), allow("sts:AssumeRole", role_arn)))
    root_iam.create_role(RoleName="deployer", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": user_arn},
                       "Action": "sts:AssumeRole"}]}))
    root_iam.put_role_policy(RoleName="deployer", PolicyName="p",
                             PolicyDocument=policy(allow("ecs:CreateCluster")))
    creds = as_keys(g, "sts", keys).assume_role(RoleArn=role_arn, RoleSessionName="s1")["Credentials"]
    role_ecs = as_keys(g, "ecs", (creds["AccessKeyId"], creds["SecretAccessKey"]),
                       creds["SessionToken"])
    assert role_ecs.create_cluster(clusterName="built")["cluster"]["clusterName"] == "built"
    with pytest.raises(ClientError) as e:
        role_ecs.describe_clusters(clusters=["built"])
    assert denied(e)[1] == (
        "User: arn:aws:sts::%s:assumed-role/deployer/s1 is not authorized to perform: "
        "ecs:DescribeClusters on resource: arn:aws:ecs:us-east-1:%s:cluster/built because no "
        "identity-based policy allows the ecs:DescribeClusters action" % (account, account))

    # A user whose own policy does not allow sts:AssumeRole on the role cannot assume it.
    _, other = make_user(root_iam, "other", policy(allow("ecs:Describe*")))
    with pytest.raises(ClientError) as e:
        as_keys(g, "sts", other).assume_role(RoleArn=role_arn, RoleSessionName="s2")
    assert denied(e)[0] == "AccessDenied"


@pytest.mark.parametrize("cli", CLIS)
def test_aws_cli_reports_the_denial(enforce, cli, tmp_path):
    g, root_iam, _ = enforce
    arn, keys = make_user(root_iam, "cli", policy(allow("ecs:Describe*")))
    env = dict(os.environ, AWS_ACCESS_KEY_ID=keys[0], AWS_SECRET_ACCESS_KEY=keys[1],
               AWS_DEFAULT_REGION="us-east-1", AWS_PAGER="", AWS_CONFIG_FILE=str(tmp_path / "c"),
               AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "cr"))
    env.pop("AWS_PROFILE", None)
    p = subprocess.run([cli, "--endpoint-url", g.endpoint, "ecs", "create-cluster",
                        "--cluster-name", "x"], env=env, capture_output=True, text=True, timeout=60)
    assert p.returncode != 0
    assert "(AccessDeniedException) when calling the CreateCluster operation: User: %s is not " \
           "authorized to perform: ecs:CreateCluster" % arn in p.stderr
