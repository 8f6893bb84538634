"""Identity and secrets inside real tasks (issue 16): an app that calls AWS with boto3 and no keys
signs as its task role, as on Fargate; `secrets` from SSM Parameter Store and Secrets Manager
reach the environment and nowhere else; in `--auth enforce` mode an execution role without ECR's
permission stops the task in ECS's words.

The image holds the host's Debian python3 and boto3 (python_image.py), built once per session and
pushed to Gantry's ECR. Needs root, runc and skopeo; every test leaves the host as it found it.
"""
import base64
import glob
import hashlib
import json
import os
import stat
import subprocess

import pytest

from alb_env import own_netns, privileged
from conftest import GantryProcess, client_for, wait_for
from python_image import build_python_boto3_image

pytestmark = privileged + [
    pytest.mark.skipif(not os.path.exists("/usr/lib/python3/dist-packages/boto3"),
                       reason="needs Debian's python3-boto3 (scripts/install-deps.sh)"),
]

ACCOUNT = "000000000000"
CLUSTER = "identity"
# Default mode checks no execution role: an ARN is enough, as in the other task tests.
EXEC_ROLE = "arn:aws:iam::%s:role/ecsTaskExecutionRole" % ACCOUNT
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
    "Action": "sts:AssumeRole"}]})

# The app: who am I, and a parameter read with the task role's credentials (no keys anywhere).
WHOAMI = """
import boto3, os
e = os.environ["AWS_ENDPOINT_URL"]
print("ARN " + boto3.client("sts", endpoint_url=e).get_caller_identity()["Arn"], flush=True)
p = boto3.client("ssm", endpoint_url=e).get_parameter(Name="/identity/greeting")
print("PARAM " + p["Parameter"]["Value"], flush=True)
"""

# Prints hashes and lengths of its secrets, never the values, then waits to be stopped.
HASHES = """
import hashlib, os, time
for n in ("DB_PASSWORD", "API_KEY"):
    v = os.environ.get(n, "")
    print("%s %s %d" % (n, hashlib.sha256(v.encode()).hexdigest(), len(v)), flush=True)
print("DONE", flush=True)
time.sleep(600)
"""


@pytest.fixture(scope="session")
def python_layout(tmp_path_factory):
    layout, stats = build_python_boto3_image(tmp_path_factory.getbasetemp() / "python-boto3")
    print("python image:", stats)
    return layout


def start_server(d, *args):
    g = GantryProcess(d, args=list(args))
    try:
        g.start()
    except RuntimeError as e:
        if "--auth" in args and "enforce" in str(e):
            pytest.skip("this build has no --auth enforce yet")
        raise
    return g


def stop_server(g, d):
    g.reset()
    g.stop()
    leftover = own_netns(d)
    assert not leftover, "namespaces left behind: %s" % leftover


def push(g, layout, name, key="test", secret="test"):
    ecr = client_for(g.endpoint, "ecr", key=key, secret=secret)
    repo = ecr.create_repository(repositoryName=name)["repository"]
    dest = "docker://127.0.0.1:%d/%s:latest" % (g.port, name)
    cmd = ["skopeo", "--insecure-policy", "copy", "--dest-tls-verify=false"]
    if key != "test":
        # Strict and enforce modes: the registry wants ECR's token.
        token = ecr.get_authorization_token()["authorizationData"][0]["authorizationToken"]
        cmd += ["--dest-creds", base64.b64decode(token).decode()]
    r = subprocess.run(cmd + ["oci:%s:latest" % layout, dest], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return repo["repositoryUri"] + ":latest"


class Env:
    def __init__(self, g, key="test", secret="test"):
        self.g = g
        c = lambda s: client_for(g.endpoint, s, key=key, secret=secret)
        self.ec2, self.ecs, self.logs, self.iam = c("ec2"), c("ecs"), c("logs"), c("iam")
        self.ssm, self.sm = c("ssm"), c("secretsmanager")
        vpc = self.ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
        self.subnet = self.ec2.create_subnet(VpcId=vpc, CidrBlock="10.8.1.0/24",
                                             AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
        self.group = self.ec2.create_security_group(GroupName="app", Description="app",
                                                    VpcId=vpc)["GroupId"]
        self.ecs.create_cluster(clusterName=CLUSTER)

    def role(self, name, policy=None):
        arn = self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
        if policy:
            self.iam.put_role_policy(RoleName=name, PolicyName="p",
                                     PolicyDocument=json.dumps(policy))
        return arn

    def register(self, family, image, command, **kw):
        container = {"name": "app", "image": image, "command": command, "essential": True,
                     "stopTimeout": 2,
                     "logConfiguration": {"logDriver": "awslogs", "options": {
                         "awslogs-group": "/ecs/identity", "awslogs-region": "us-east-1",
                         "awslogs-stream-prefix": "ecs", "awslogs-create-group": "true"}}}
        container.update(kw.pop("container", {}))
        return self.ecs.register_task_definition(
            family=family, requiresCompatibilities=["FARGATE"], networkMode="awsvpc",
            cpu="256", memory="512", containerDefinitions=[container],
            **kw)["taskDefinition"]["taskDefinitionArn"]

    def run(self, td):
        out = self.ecs.run_task(cluster=CLUSTER, taskDefinition=td, launchType="FARGATE",
                                networkConfiguration={"awsvpcConfiguration": {
                                    "subnets": [self.subnet], "securityGroups": [self.group]}})
        assert not out["failures"], out
        return out["tasks"][0]["taskArn"]

    def task(self, arn):
        return self.ecs.describe_tasks(cluster=CLUSTER, tasks=[arn])["tasks"][0]

    def wait_stopped(self, arn, timeout=60):
        return wait_for(lambda: (lambda t: t if t["lastStatus"] == "STOPPED" else None)(
            self.task(arn)), timeout, 0.2, "task %s STOPPED" % arn.rsplit("/", 1)[1])

    def messages(self, arn, want, timeout=60):
        stream = "ecs/app/" + arn.rsplit("/", 1)[1]

        def check():
            try:
                events = self.logs.get_log_events(logGroupName="/ecs/identity",
                                                  logStreamName=stream,
                                                  startFromHead=True)["events"]
            except self.logs.exceptions.ResourceNotFoundException:
                return None
            msgs = [e["message"] for e in events]
            return msgs if any(want in m for m in msgs) else None
        return wait_for(check, timeout, 0.2, "%r in %s" % (want, stream))


@pytest.fixture(scope="module")
def default_env(tmp_path_factory, python_layout):
    d = str(tmp_path_factory.mktemp("identity"))
    g = start_server(d)
    env = Env(g)
    env.image = push(g, python_layout, "pyapp")
    yield env
    stop_server(g, d)


def test_app_signs_as_its_task_role_with_no_keys(default_env):
    env = default_env
    role = env.role("app-role", {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "*"}]})
    env.ssm.put_parameter(Name="/identity/greeting", Value="hello-from-ssm", Type="String")
    td = env.register("whoami", env.image, ["python3", "-c", WHOAMI], taskRoleArn=role,
                      executionRoleArn=EXEC_ROLE)
    arn = env.run(td)
    task_id = arn.rsplit("/", 1)[1]
    msgs = env.messages(arn, "PARAM ")
    assert "ARN arn:aws:sts::%s:assumed-role/app-role/%s" % (ACCOUNT, task_id) in msgs, msgs
    assert "PARAM hello-from-ssm" in msgs, msgs
    t = env.wait_stopped(arn)
    assert t["containers"][0]["exitCode"] == 0, t


def test_task_without_task_role_has_no_credentials(default_env):
    env = default_env
    probe = ("import os, urllib.request\n"
             "print('URI', os.environ.get('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'), flush=True)\n"
             "try:\n"
             "    urllib.request.urlopen('http://169.254.170.2/v2/credentials/x', timeout=5)\n"
             "except Exception as e:\n"
             "    print('STATUS', getattr(e, 'code', e), flush=True)\n")
    td = env.register("norole", env.image, ["python3", "-c", probe],
                      executionRoleArn=EXEC_ROLE)
    arn = env.run(td)
    msgs = env.messages(arn, "STATUS ")
    assert "URI None" in msgs and "STATUS 400" in msgs, msgs


def test_secrets_reach_the_environment_and_nowhere_else(default_env):
    env = default_env
    password, api_key = "pg-4f1c-very-secret", "sk-live-0a9b8c7d"
    env.ssm.put_parameter(Name="/identity/db-password", Value=password, Type="SecureString")
    secret_arn = env.sm.create_secret(Name="identity/api",
                                      SecretString=json.dumps({"key": api_key}))["ARN"]
    td = env.register("secrets", env.image, ["python3", "-c", HASHES],
                      executionRoleArn=EXEC_ROLE,
                      container={"secrets": [
                          {"name": "DB_PASSWORD", "valueFrom": "/identity/db-password"},
                          {"name": "API_KEY", "valueFrom": secret_arn + ":key::"}]})
    arn = env.run(td)
    msgs = env.messages(arn, "DONE")
    for name, value in (("DB_PASSWORD", password), ("API_KEY", api_key)):
        want = "%s %s %d" % (name, hashlib.sha256(value.encode()).hexdigest(), len(value))
        assert want in msgs, msgs
    # The runtime bundle carries the environment: readable by root only.
    task_id = arn.rsplit("/", 1)[1]
    configs = [p for p in glob.glob(os.path.join(env.g.data_dir, "runtime", "containers", "*",
                                                 "config.json"))
               if task_id in open(p, errors="replace").read()]
    assert configs
    for p in configs:
        assert stat.S_IMODE(os.stat(p).st_mode) == 0o600, p
    shown = json.dumps(env.task(arn), default=str) + json.dumps(
        env.ecs.describe_task_definition(taskDefinition=td), default=str)
    env.ecs.stop_task(cluster=CLUSTER, task=arn)
    env.wait_stopped(arn)
    for value in (password, api_key):
        assert value not in shown
        assert value not in env.g.read_log()


def test_missing_parameter_stops_the_task_in_ecs_words(default_env):
    env = default_env
    td = env.register("missing", env.image, ["python3", "-c", "print(1)"],
                      executionRoleArn=EXEC_ROLE,
                      container={"secrets": [{"name": "X", "valueFrom": "/identity/nope"}]})
    t = env.wait_stopped(env.run(td))
    assert t["stopCode"] == "TaskFailedToStart"
    assert t["stoppedReason"] == (
        "ResourceInitializationError: unable to pull secrets or registry auth: execution "
        "resource retrieval failed: unable to retrieve secrets from ssm: service call has been "
        "retried 1 time(s): invalid parameters: /identity/nope")


def test_enforce_mode_execution_role_without_ecr_layer_permission(tmp_path_factory,
                                                                  python_layout):
    d = str(tmp_path_factory.mktemp("identity-enforce"))
    key, secret = "AKIDENFORCEROOT", "enforce-root-secret"
    g = start_server(d, "--auth", "enforce", "--credentials",
                     "%s:%s:%s" % (key, secret, ACCOUNT))
    try:
        env = Env(g, key, secret)
        image = push(g, python_layout, "pyapp", key, secret)
        exec_role = env.role("exec-no-layers", {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Resource": "*",
            "Action": ["ecr:GetAuthorizationToken", "ecr:BatchGetImage",
                       "logs:CreateLogStream", "logs:PutLogEvents"]}]})
        td = env.register("denied", image, ["python3", "-c", "print(1)"],
                          executionRoleArn=exec_role)
        arn = env.run(td)
        t = env.wait_stopped(arn)
        assert t["stopCode"] == "TaskFailedToStart"
        reason = t["stoppedReason"]
        assert reason.startswith("CannotPullContainerError: "), reason
        assert ("User: arn:aws:sts::%s:assumed-role/exec-no-layers/%s is not authorized to "
                "perform: ecr:GetDownloadUrlForLayer on resource: arn:aws:ecr:us-east-1:%s:"
                "repository/pyapp" % (ACCOUNT, arn.rsplit("/", 1)[1], ACCOUNT)) in reason, reason
    finally:
        stop_server(g, d)
