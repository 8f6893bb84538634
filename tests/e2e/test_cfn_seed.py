"""The seed architecture deployed with CloudFormation, the way seed 004 deploys it and a user runs
it: examples/seed-architecture/deploy-cfn.sh (ECR stack, images built and pushed, network stack,
app stack, all through `aws cloudformation deploy`) with each AWS CLI on this machine (v1 and
v2), requests through the load balancer from the host, a second deploy with a new ImageTag that
rolls both services while requests keep being answered, and teardown-cfn.sh, after which no
stack, task, namespace or network interface may remain. Then the CDK app's synthesized template
(examples/seed-architecture/cdk/WebStack.template.json), deployed to CREATE_COMPLETE and serving.

emulator_only: the tasks are real containers on this machine, and the test reads the server's
namespaces. The CLIs' own waiters poll every 30 s (`deploy`, `wait stack-delete-complete`), so a
run takes minutes whatever the server's time scale.
"""
import os
import subprocess

import pytest

from alb_env import (Load, alb_get, module_server, own_netns, privileged, wait_until)
from conftest import CLIS, ROOT, client_for

pytestmark = privileged + [pytest.mark.skipif(not CLIS, reason="no AWS CLI")]

SEED = os.path.join(ROOT, "examples", "seed-architecture")
CDK_TEMPLATE = os.path.join(SEED, "cdk", "WebStack.template.json")
SCRIPT_TIMEOUT = 900
# AWS seconds run TIME_SCALE times faster. Not alb_env's 10: the backend answers its health
# check (/stats, timeout 4 s) with a shell script that asks the task metadata endpoint twice, and
# 0.4 s was too short on a loaded machine (v2's tasks failed their health checks and the circuit
# breaker rolled the update back). The CLIs' 30 s waiters dominate the run time anyway.
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


def service_task_definitions(aws, cluster, services):
    found = aws.ecs.describe_services(cluster=cluster, services=services)["services"]
    return {s["serviceName"]: s["taskDefinition"] for s in found}


def assert_nothing_left(aws, server, netns_before):
    assert stacks(aws) == {}
    assert aws.ec2.describe_network_interfaces()["NetworkInterfaces"] == []
    for c in aws.ecs.describe_clusters(clusters=["seed"])["clusters"]:
        assert c["status"] == "INACTIVE", c
    assert aws.elbv2.describe_load_balancers()["LoadBalancers"] == []
    assert aws.ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["false"]}])["Vpcs"] \
        == []
    # The tasks' and the load balancer's namespaces go with them (asynchronously: ECS stops the
    # tasks after DeleteService returns).
    wait_until("the stacks' namespaces gone", lambda: own_netns(server.data_dir) <= netns_before,
               timeout=60, interval=0.5)


# One CLI: the whole path takes 5 to 8 minutes, most of it the CLI's 30 s waiter polls; both
# CLIs' `cloudformation deploy` and waiters are covered by test_cloudformation.py.
@pytest.mark.parametrize("cli", CLIS[:1])
def test_seed_stacks_deploy_serve_roll_and_delete(alb_server, aws, cli, tmp_path):
    env = script_env(alb_server, cli, tmp_path)
    netns_before = own_netns(alb_server.data_dir)
    try:
        out = run([os.path.join(SEED, "deploy-cfn.sh")], env)
        url = out.strip().splitlines()[-1]
        assert stacks(aws) == {"seed-ecr": "CREATE_COMPLETE", "seed-network": "CREATE_COMPLETE",
                               "seed-app": "CREATE_COMPLETE"}
        app = outputs(aws, "seed-app")
        dns = app["LoadBalancerDnsName"]
        assert url == "http://%s:%d" % (dns, alb_server.alb_port(80))
        assert app["Url"] == "http://" + dns

        # From the host, through the listener: / is the frontend, /stats* the backend.
        status, _, body = alb_get(alb_server, dns, "/")
        assert status == 200 and "<title>" in body, body
        status, _, body = alb_get(alb_server, dns, "/version.txt")
        assert (status, body.strip()) == (200, "v1")
        status, _, body = alb_get(alb_server, dns, "/stats")
        assert status == 200 and body.startswith("{"), body

        # The tasks run in the private subnets, without public addresses.
        private = set(outputs(aws, "seed-network")["PrivateSubnets"].split(","))
        tasks = aws.ecs.list_tasks(cluster="seed")["taskArns"]
        assert len(tasks) == 4
        for t in aws.ecs.describe_tasks(cluster="seed", tasks=tasks)["tasks"]:
            assert t["lastStatus"] == "RUNNING", t
            details = {d["name"]: d["value"] for d in t["attachments"][0]["details"]}
            assert details["subnetId"] in private, details
        # The backend's secrets are the stack's secret and parameter.
        backend_td = aws.ecs.describe_task_definition(taskDefinition="seed-backend")
        secrets = {s["name"]: s["valueFrom"]
                   for s in backend_td["taskDefinition"]["containerDefinitions"][0]["secrets"]}
        assert secrets == {"DB_PASSWORD": app["DbPasswordSecretArn"], "DB_USER": "/seed/db-user"}

        # A new ImageTag: new task definition revisions, both services roll, requests through
        # the ALB are answered throughout (the old tasks leave only once the new are healthy).
        before = service_task_definitions(aws, "seed", ["seed-frontend", "seed-backend"])
        load = Load(alb_server, dns, "/version.txt").start()
        try:
            run([os.path.join(SEED, "deploy-cfn.sh"), "--image-tag", "v2"], env)
        finally:
            load.stop()
        assert stacks(aws)["seed-app"] == "UPDATE_COMPLETE"
        after = service_task_definitions(aws, "seed", ["seed-frontend", "seed-backend"])
        for name in before:
            assert after[name] != before[name], (before, after)
            assert after[name].endswith(":2"), after
        assert load.results and not load.failures, load.failures[:5]
        status, _, body = alb_get(alb_server, dns, "/version.txt")
        assert (status, body.strip()) == (200, "v2")
        served = {r[3].strip() for r in load.results}
        assert served <= {"v1", "v2"}, served

        run([os.path.join(SEED, "teardown-cfn.sh")], env)
        assert_nothing_left(aws, alb_server, netns_before)
    finally:
        subprocess.run([os.path.join(SEED, "teardown-cfn.sh")], env=env, capture_output=True,
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
