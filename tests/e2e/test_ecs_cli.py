"""The AWS CLI's own ECS commands (v1 on PATH, Debian's v2 at /usr/bin/aws) against Gantry."""
import json
import os
import shutil
import subprocess

import pytest

CLIS = [c for c in [shutil.which("aws"), "/usr/bin/aws"] if c and os.path.exists(c)]
CLIS = list(dict.fromkeys(CLIS))

TASK_DEFINITION = {
    "family": "cli-web",
    "requiresCompatibilities": ["FARGATE"],
    "networkMode": "awsvpc",
    "cpu": "512",
    "memory": "1024",
    "containerDefinitions": [{
        "name": "app",
        "image": "nginx:alpine",
        "essential": True,
        "portMappings": [{"containerPort": 80, "protocol": "tcp"}],
        "environment": [{"name": "MODE", "value": "cli"}],
    }],
}
NETWORK = "awsvpcConfiguration={subnets=[%s],assignPublicIp=ENABLED}"


@pytest.fixture(params=CLIS)
def aws(request, endpoint, tmp_path):
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
               AWS_DEFAULT_REGION="us-east-1", AWS_PAGER="", AWS_CONFIG_FILE=str(tmp_path / "c"),
               AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "cr"))
    env.pop("AWS_PROFILE", None)

    def run(*args, check=True):
        command = list(args) if args[0] == "ec2" else ["ecs"] + list(args)
        p = subprocess.run([request.param, "--endpoint-url", endpoint, "--output", "json"]
                           + command, env=env, capture_output=True, text=True, timeout=60)
        if check:
            assert p.returncode == 0, p.stderr
            return json.loads(p.stdout) if p.stdout.strip() else {}
        return p
    return run


def test_cli_cluster_task_definition_service_tasks(aws, tmp_path):
    c = aws("create-cluster", "--cluster-name", "cli")["cluster"]
    assert c["clusterName"] == "cli" and c["status"] == "ACTIVE"
    vpc = aws("ec2", "create-vpc", "--cidr-block", "10.8.0.0/16")["Vpc"]["VpcId"]
    subnet = aws("ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block",
                 "10.8.1.0/24")["Subnet"]["SubnetId"]
    network = NETWORK % subnet

    path = tmp_path / "td.json"
    path.write_text(json.dumps(TASK_DEFINITION))
    td = aws("register-task-definition", "--cli-input-json", "file://" + str(path))
    assert td["taskDefinition"]["taskDefinitionArn"].endswith(":task-definition/cli-web:1")
    assert td["taskDefinition"]["containerDefinitions"][0]["environment"] == \
        [{"name": "MODE", "value": "cli"}]

    s = aws("create-service", "--cluster", "cli", "--service-name", "web",
            "--task-definition", "cli-web", "--desired-count", "1", "--launch-type", "FARGATE",
            "--network-configuration", network)["service"]
    assert s["serviceName"] == "web"

    d = aws("describe-services", "--cluster", "cli", "--services", "web")
    assert d["services"][0]["deployments"][0]["status"] == "PRIMARY"
    assert d["failures"] == []

    run = aws("run-task", "--cluster", "cli", "--task-definition", "cli-web",
              "--launch-type", "FARGATE", "--network-configuration", network)
    arn = run["tasks"][0]["taskArn"]
    listed = aws("list-tasks", "--cluster", "cli")
    assert arn in listed["taskArns"]


def test_cli_reports_ecs_errors(aws):
    p = aws("describe-services", "--cluster", "no-such-cluster", "--services", "x", check=False)
    assert p.returncode != 0
    assert "ClusterNotFoundException" in p.stderr
