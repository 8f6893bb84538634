"""The AWS CLI's own elbv2 commands and waiters against Gantry."""
import json
import os
import shutil
import subprocess

import pytest

from conftest import client_for

CLIS = [c for c in [shutil.which("aws"), "/usr/bin/aws"] if c and os.path.exists(c)]
CLIS = list(dict.fromkeys(CLIS))
# A server of its own at a time scale (the waiters' delays shrink with it).
pytestmark = pytest.mark.emulator_only


@pytest.fixture(scope="module")
def fast_gantry(tmp_path_factory):
    """A server whose AWS timers run 100 times faster, so that the CLI's fixed 15 s waiter
    delay is never needed: provisioning ends long before the CLI's first poll returns."""
    from conftest import GantryProcess
    d = str(tmp_path_factory.mktemp("elbv2-cli"))
    g = GantryProcess(d, ["--time-scale", "100"]).start()
    yield g
    g.stop()


@pytest.fixture(params=CLIS)
def aws(request, fast_gantry, tmp_path):
    fast_gantry.reset()
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
               AWS_DEFAULT_REGION="us-east-1", AWS_PAGER="", AWS_CONFIG_FILE=str(tmp_path / "c"),
               AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "cr"))
    env.pop("AWS_PROFILE", None)

    def run(*args, check=True):
        p = subprocess.run([request.param, "--endpoint-url", fast_gantry.endpoint, "--output",
                            "json"] + list(args), env=env, capture_output=True, text=True,
                           timeout=120)
        if check:
            assert p.returncode == 0, p.stderr
            return json.loads(p.stdout) if p.stdout.strip() else {}
        return p
    return run


@pytest.fixture
def subnets(fast_gantry):
    ec2 = client_for(fast_gantry.endpoint, "ec2")
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]][:2]
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ids = [ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.%d.0/24" % (i + 1),
                             AvailabilityZone=z)["Subnet"]["SubnetId"]
           for i, z in enumerate(zones)]
    return vpc, ids


def test_cli_load_balancer_listener_rule_and_waiters(aws, subnets):
    vpc, ids = subnets
    lb = aws("elbv2", "create-load-balancer", "--name", "cli-alb", "--subnets", *ids)
    arn = lb["LoadBalancers"][0]["LoadBalancerArn"]
    aws("elbv2", "wait", "load-balancer-available", "--load-balancer-arns", arn)
    described = aws("elbv2", "describe-load-balancers", "--names", "cli-alb")
    assert described["LoadBalancers"][0]["State"]["Code"] == "active"

    tg = aws("elbv2", "create-target-group", "--name", "cli-web", "--protocol", "HTTP",
             "--port", "80", "--vpc-id", vpc, "--target-type", "ip")
    tg_arn = tg["TargetGroups"][0]["TargetGroupArn"]
    listener = aws("elbv2", "create-listener", "--load-balancer-arn", arn, "--protocol", "HTTP",
                   "--port", "80", "--default-actions", "Type=forward,TargetGroupArn=" + tg_arn)
    listener_arn = listener["Listeners"][0]["ListenerArn"]
    aws("elbv2", "create-rule", "--listener-arn", listener_arn, "--priority", "10",
        "--conditions", "Field=path-pattern,Values=/stats*",
        "--actions", "Type=fixed-response,FixedResponseConfig={StatusCode=200,ContentType=text/plain,MessageBody=ok}")
    rules = aws("elbv2", "describe-rules", "--listener-arn", listener_arn)["Rules"]
    assert [r["Priority"] for r in rules] == ["10", "default"]

    aws("elbv2", "register-targets", "--target-group-arn", tg_arn,
        "--targets", "Id=10.0.1.9,Port=80")
    aws("elbv2", "deregister-targets", "--target-group-arn", tg_arn,
        "--targets", "Id=10.0.1.9,Port=80")
    # 300 s of deregistration delay at time scale 100: 3 s.
    aws("elbv2", "wait", "target-deregistered", "--target-group-arn", tg_arn,
        "--targets", "Id=10.0.1.9,Port=80")


def test_cli_reports_elbv2_errors(aws):
    p = aws("elbv2", "describe-target-groups", "--names", "no-such-group", check=False)
    assert p.returncode != 0
    assert "TargetGroupNotFound" in p.stderr
