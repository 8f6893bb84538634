"""The seed architecture's other forms, next to README command 1 (test_main_job.py), which
deploys it with examples/seed-architecture/deploy-cfn.sh, rolls both services with a second
`aws cloudformation deploy` and deletes the stacks with teardown-cfn.sh:

- deploy.sh, the same system made with one AWS CLI call per resource (scripts/run.sh runs it with
  SEED_DEMO=api): it serves, its backend counts /stats hits in its DynamoDB table through the
  task role, and teardown.sh leaves no resource, task or namespace behind;
- the CDK app's synthesized template (examples/seed-architecture/cdk/WebStack.template.json),
  deployed to CREATE_COMPLETE and serving.

emulator_only: the tasks are real containers on this machine, and the test reads the server's
namespaces. The CLIs' own waiters poll every 30 s (`deploy`, `wait stack-delete-complete`), so a
run takes minutes whatever the server's time scale.
"""
import json
import os
import subprocess

import pytest

from alb_env import alb_get, module_server, own_netns, privileged, wait_until
from conftest import CLIS, ROOT, client_for

pytestmark = privileged + [pytest.mark.skipif(not CLIS, reason="no AWS CLI")]

SEED = os.path.join(ROOT, "examples", "seed-architecture")
CDK_TEMPLATE = os.path.join(SEED, "cdk", "WebStack.template.json")
SCRIPT_TIMEOUT = 900
# AWS seconds run TIME_SCALE times faster. Not alb_env's 10: the backend answers its health
# check (/stats, timeout 4 s) after asking the task metadata endpoint twice, and 0.4 s was too
# short on a loaded machine (new tasks failed their health checks and the circuit breaker rolled
# a deployment back). The CLIs' 30 s waiters dominate the run time anyway.
TIME_SCALE = 2


@pytest.fixture(scope="module")
def alb_server(tmp_path_factory):
    yield from module_server(tmp_path_factory, name="cfn-seed", time_scale=TIME_SCALE)


class Clients:
    def __init__(self, server):
        for name in ("cloudformation", "ec2", "ecs", "elbv2", "ecr"):
            setattr(self, name, client_for(server.endpoint, name))


@pytest.fixture
def aws(alb_server):
    return Clients(alb_server)


def script_env(server, cli, tmp_path):
    """The demo scripts' environment: this server, its ALB ports, and `cli` as their `aws`."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    link = bin_dir / "aws"
    if not link.exists():
        link.symlink_to(cli)
    env = dict(os.environ, GANTRY_ENDPOINT=server.endpoint,
               GANTRY_ALB_PORT_OFFSET=str(server.alb_offset), SEED_OUT=str(tmp_path / "images"),
               AWS_CONFIG_FILE=str(tmp_path / "config"),
               AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "credentials"),
               PATH="%s:%s" % (bin_dir, os.environ["PATH"]))
    for k in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        env.pop(k, None)
    return env


def run(args, env, timeout=SCRIPT_TIMEOUT):
    p = subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    assert p.returncode == 0, "%s exited with %d:\n%s\n%s" % (
        " ".join(map(str, args)), p.returncode, p.stdout[-3000:], p.stderr[-6000:])
    return p.stdout


def stacks(aws):
    """{name: status} of the stacks that are not deleted."""
    found = aws.cloudformation.describe_stacks()["Stacks"]
    return {s["StackName"]: s["StackStatus"] for s in found}


def outputs(aws, stack):
    s = aws.cloudformation.describe_stacks(StackName=stack)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in s.get("Outputs", [])}


def test_api_path_deploys_counts_hits_and_tears_down(alb_server, aws, tmp_path):
    """deploy.sh --no-update: the seed architecture by API calls, serving, with its backend's
    hit counter in the seed-hits table; then teardown.sh."""
    env = script_env(alb_server, CLIS[0], tmp_path)
    netns_before = own_netns(alb_server.data_dir)
    try:
        out = run([os.path.join(SEED, "deploy.sh"), "--no-update"], env)
        url = out.strip().splitlines()[-1]
        dns = aws.elbv2.describe_load_balancers(Names=["seed-alb"])["LoadBalancers"][0]["DNSName"]
        assert url == "http://%s:%d" % (dns, alb_server.alb_port(80))
        status, _, body = alb_get(alb_server, dns, "/version.txt")
        assert (status, body.strip()) == (200, "v1")

        # Each GET /stats through the ALB adds one to the table's counter, whichever backend
        # task answers; the ALB's own health checks do not count.
        hits = []
        for _ in range(3):
            status, _, body = alb_get(alb_server, dns, "/stats")
            assert status == 200, body
            stats = json.loads(body)
            assert stats["source"] == "task-metadata-v4", stats
            hits.append(stats["hits"])
        assert all(isinstance(h, int) for h in hits), hits
        assert hits == list(range(hits[0], hits[0] + 3)), hits
        ddb = client_for(alb_server.endpoint, "dynamodb")
        item = ddb.get_item(TableName="seed-hits", Key={"id": {"S": "stats"}}, ConsistentRead=True)
        assert item["Item"]["hits"] == {"N": str(hits[-1])}, item

        run([os.path.join(SEED, "teardown.sh")], env)
        assert ddb.list_tables()["TableNames"] == []
        assert aws.ec2.describe_network_interfaces()["NetworkInterfaces"] == []
        assert aws.elbv2.describe_load_balancers()["LoadBalancers"] == []
        assert aws.ec2.describe_vpcs(
            Filters=[{"Name": "is-default", "Values": ["false"]}])["Vpcs"] == []
        wait_until("the demo's namespaces gone",
                   lambda: own_netns(alb_server.data_dir) <= netns_before, timeout=60,
                   interval=0.5)
    finally:
        subprocess.run([os.path.join(SEED, "teardown.sh")], env=env, capture_output=True,
                       timeout=SCRIPT_TIMEOUT)
        alb_server.reset()


def test_cdk_template_deploys_and_serves(alb_server, aws, tmp_path):
    cli = CLIS[0]
    env = script_env(alb_server, cli, tmp_path)
    netns_before = own_netns(alb_server.data_dir)
    try:
        run([os.path.join(SEED, "build-images.sh"), "frontend:v1"], env)
        run([cli, "--endpoint-url", alb_server.endpoint, "--region", "us-east-1",
             "cloudformation", "deploy", "--stack-name", "WebStack", "--template-file",
             CDK_TEMPLATE, "--capabilities", "CAPABILITY_IAM"],
            dict(env, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test"))
        assert stacks(aws) == {"WebStack": "CREATE_COMPLETE"}
        out = outputs(aws, "WebStack")
        dns = next(v for k, v in out.items() if k.startswith("WebLoadBalancerDNS"))
        assert next(v for k, v in out.items() if k.startswith("WebServiceURL")) == \
            "http://" + dns
        status, _, body = alb_get(alb_server, dns, "/version.txt")
        assert (status, body.strip()) == (200, "v1")

        # autoScaleTaskCount + scaleOnCpuUtilization: a target tracking policy at 70 % CPU.
        aas = client_for(alb_server.endpoint, "application-autoscaling")
        policies = aas.describe_scaling_policies(ServiceNamespace="ecs")["ScalingPolicies"]
        assert [p["TargetTrackingScalingPolicyConfiguration"]["TargetValue"] for p in policies] \
            == [70.0]

        aws.cloudformation.delete_stack(StackName="WebStack")
        aws.cloudformation.get_waiter("stack_delete_complete").wait(
            StackName="WebStack", WaiterConfig={"Delay": 2, "MaxAttempts": 150})
        assert stacks(aws) == {}
        assert aws.ec2.describe_network_interfaces()["NetworkInterfaces"] == []
        wait_until("the stack's namespaces gone",
                   lambda: own_netns(alb_server.data_dir) <= netns_before, timeout=60,
                   interval=0.5)
    finally:
        alb_server.reset()
