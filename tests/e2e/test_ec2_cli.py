"""The AWS CLI's own EC2 commands (v1 on PATH, Debian's v2 at /usr/bin/aws) against Gantry."""
import json
import os
import shutil
import subprocess

import pytest

CLIS = [c for c in [shutil.which("aws"), "/usr/bin/aws"] if c and os.path.exists(c)]
CLIS = list(dict.fromkeys(CLIS))


@pytest.fixture(params=CLIS)
def aws(request, endpoint, tmp_path):
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
               AWS_DEFAULT_REGION="us-east-1", AWS_PAGER="", AWS_CONFIG_FILE=str(tmp_path / "c"),
               AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "cr"))
    env.pop("AWS_PROFILE", None)

    def run(*args, check=True):
        p = subprocess.run([request.param, "--endpoint-url", endpoint, "--output", "json",
                            "ec2"] + list(args), env=env, capture_output=True, text=True,
                           timeout=60)
        if check:
            assert p.returncode == 0, p.stderr
            return json.loads(p.stdout) if p.stdout.strip() else {}
        return p
    return run


def test_cli_vpc_subnets_and_filters(aws):
    vpc = aws("create-vpc", "--cidr-block", "10.0.0.0/16",
              "--tag-specifications", "ResourceType=vpc,Tags=[{Key=Name,Value=cli}]")["Vpc"]
    vpc_id = vpc["VpcId"]
    assert vpc_id.startswith("vpc-") and len(vpc_id) == 21
    for i, zone in enumerate(["us-east-1a", "us-east-1b"]):
        aws("create-subnet", "--vpc-id", vpc_id, "--cidr-block", "10.0.%d.0/24" % i,
            "--availability-zone", zone)
    subnets = aws("describe-subnets", "--filters", "Name=vpc-id,Values=" + vpc_id,
                  "Name=availability-zone,Values=us-east-1b")["Subnets"]
    assert [s["CidrBlock"] for s in subnets] == ["10.0.1.0/24"]
    vpcs = aws("describe-vpcs", "--filters", "Name=tag:Name,Values=cli")["Vpcs"]
    assert [v["VpcId"] for v in vpcs] == [vpc_id]
    query = aws("describe-vpcs", "--vpc-ids", vpc_id, "--query", "Vpcs[0].State")
    assert query == "available"


def test_cli_security_group_rules(aws):
    vpc_id = aws("create-vpc", "--cidr-block", "10.0.0.0/16")["Vpc"]["VpcId"]
    alb = aws("create-security-group", "--group-name", "alb", "--description", "alb",
              "--vpc-id", vpc_id)["GroupId"]
    task = aws("create-security-group", "--group-name", "task", "--description", "task",
               "--vpc-id", vpc_id)["GroupId"]
    aws("authorize-security-group-ingress", "--group-id", alb, "--protocol", "tcp",
        "--port", "80", "--cidr", "0.0.0.0/0")
    out = aws("authorize-security-group-ingress", "--group-id", task, "--protocol", "tcp",
              "--port", "80", "--source-group", alb)
    assert out["Return"] is True
    groups = aws("describe-security-groups", "--group-ids", task)["SecurityGroups"]
    perm = groups[0]["IpPermissions"][0]
    assert (perm["FromPort"], perm["ToPort"], perm["IpProtocol"]) == (80, 80, "tcp")
    assert perm["UserIdGroupPairs"][0]["GroupId"] == alb
    p = aws("authorize-security-group-ingress", "--group-id", alb, "--protocol", "tcp",
            "--port", "80", "--cidr", "0.0.0.0/0", check=False)
    assert p.returncode != 0 and "InvalidPermission.Duplicate" in p.stderr


def test_cli_unknown_vpc_error(aws):
    p = aws("delete-vpc", "--vpc-id", "vpc-123", check=False)
    assert p.returncode != 0
    assert "InvalidVpcID.NotFound" in p.stderr
    assert "The vpc ID 'vpc-123' does not exist" in p.stderr
