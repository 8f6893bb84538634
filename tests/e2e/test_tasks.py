"""Tasks run for real (issue 6): RunTask with a FARGATE task definition whose busybox image was
pushed to Gantry's ECR starts runc containers in their own network namespace with an IP of their
subnet, security groups hold between tasks, output reaches CloudWatch Logs, and the lifecycle is
reported as ECS reports it. Needs root, runc and skopeo; every test leaves the host as it found it.
"""
import os
import shutil
import signal
import subprocess
import time

import pytest

from conftest import GantryProcess, client_for
from alb_env import own_netns
from oci_images import build_busybox_image

pytestmark = [
    pytest.mark.privileged,
    pytest.mark.skipif(os.geteuid() != 0, reason="needs root"),
    pytest.mark.skipif(shutil.which("runc") is None or shutil.which("skopeo") is None,
                       reason="needs runc and skopeo"),
]

ACCOUNT = "000000000000"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    d = str(tmp_path_factory.mktemp("tasks"))
    g = GantryProcess(d).start()
    yield g
    g.reset()
    g.stop()
    # Only this server's namespaces: other servers may run on this machine at the same time.
    leftover = own_netns(d)
    assert not leftover, "namespaces left behind: %s" % leftover


@pytest.fixture(scope="module")
def images(server, tmp_path_factory):
    """Pushes the test images once: web (httpd on 8080 serving 'hello from gantry') and tools
    (busybox with no command)."""
    ecr = client_for(server.endpoint, "ecr")
    uris = {}
    for name, kw in {
        "web": dict(cmd=["httpd", "-f", "-p", "8080", "-h", "/www"],
                    extra_files={"/www/index.html": "hello from gantry\n"}),
        "tools": dict(cmd=["sh"]),
    }.items():
        repo = ecr.create_repository(repositoryName=name)["repository"]
        layout = build_busybox_image(tmp_path_factory.mktemp(name) / "img", **kw)
        dest = "docker://127.0.0.1:%d/%s:latest" % (server.port, name)
        r = subprocess.run(["skopeo", "--insecure-policy", "copy", "--dest-tls-verify=false",
                            "oci:%s:latest" % layout, dest], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        uris[name] = repo["repositoryUri"] + ":latest"
    return uris


@pytest.fixture
def aws(server, images):
    class Clients:
        ec2 = client_for(server.endpoint, "ec2")
        ecs = client_for(server.endpoint, "ecs")
        logs = client_for(server.endpoint, "logs")
    return Clients


@pytest.fixture
def vpc(aws):
    """The seeds' topology: a VPC with two subnets in two AZs, an ALB-like group 'front' and a
    task group that admits 8080 only from 'front'."""
    v = aws.ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    a = aws.ec2.create_subnet(VpcId=v, CidrBlock="10.0.1.0/24",
                              AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    b = aws.ec2.create_subnet(VpcId=v, CidrBlock="10.0.2.0/24",
                              AvailabilityZone="us-east-1b")["Subnet"]["SubnetId"]
    front = aws.ec2.create_security_group(GroupName="front", Description="front",
                                          VpcId=v)["GroupId"]
    other = aws.ec2.create_security_group(GroupName="other", Description="other",
                                          VpcId=v)["GroupId"]
    web = aws.ec2.create_security_group(GroupName="web", Description="web", VpcId=v)["GroupId"]
    aws.ec2.authorize_security_group_ingress(
        GroupId=web, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080,
                                     "UserIdGroupPairs": [{"GroupId": front}]}])
    yield {"vpc": v, "subnets": [a, b], "front": front, "other": other, "web": web}
    for t in aws.ecs.list_tasks(cluster="tasks")["taskArns"]:
        aws.ecs.stop_task(cluster="tasks", task=t)


def register(aws, family, image, command=None, memory=None, essential=True, group="/ecs/tests",
             extra=None):
    # httpd as PID 1 ignores SIGTERM, as it would on ECS: a short stopTimeout keeps tests quick.
    container = {"name": "app", "image": image, "essential": essential, "stopTimeout": 2,
                 "portMappings": [{"containerPort": 8080}],
                 "logConfiguration": {"logDriver": "awslogs", "options": {
                     "awslogs-group": group, "awslogs-region": "us-east-1",
                     "awslogs-stream-prefix": "ecs", "awslogs-create-group": "true"}}}
    if command:
        container["command"] = command
    if memory:
        container["memory"] = memory
    container.update(extra or {})
    return aws.ecs.register_task_definition(
        family=family, requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="256",
        executionRoleArn="arn:aws:iam::%s:role/ecsTaskExecutionRole" % ACCOUNT,
        memory="512", containerDefinitions=[container])["taskDefinition"]["taskDefinitionArn"]


def run(aws, td, subnet, groups):
    aws.ecs.create_cluster(clusterName="tasks")
    out = aws.ecs.run_task(cluster="tasks", taskDefinition=td, launchType="FARGATE",
                           networkConfiguration={"awsvpcConfiguration": {
                               "subnets": [subnet], "securityGroups": groups}})
    assert not out["failures"], out
    return out["tasks"][0]["taskArn"]


def wait_for(aws, arn, status, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        t = aws.ecs.describe_tasks(cluster="tasks", tasks=[arn])["tasks"][0]
        if t["lastStatus"] == status or time.monotonic() > deadline:
            assert t["lastStatus"] == status, t
            return t
        if status == "RUNNING" and t["lastStatus"] == "STOPPED":
            pytest.fail("task stopped: %s" % t.get("stoppedReason"))
        time.sleep(0.1)


def eni_detail(task, name):
    for a in task["attachments"]:
        for d in a["details"]:
            if d["name"] == name:
                return d["value"]
    return None


def log_messages(aws, group, stream, want=None, timeout=10):
    deadline = time.monotonic() + timeout
    while True:
        try:
            events = aws.logs.get_log_events(logGroupName=group, logStreamName=stream,
                                             startFromHead=True)["events"]
        except aws.logs.exceptions.ResourceNotFoundException:
            events = []
        msgs = [e["message"] for e in events]
        if (want is None and msgs) or (want and any(want in m for m in msgs)) or \
                time.monotonic() > deadline:
            return msgs
        time.sleep(0.2)


def test_task_runs_with_an_ip_of_its_subnet_and_an_eni(aws, images, vpc):
    td = register(aws, "web", images["web"])
    arn = run(aws, td, vpc["subnets"][0], [vpc["web"]])
    aws.ecs.get_waiter("tasks_running").wait(cluster="tasks", tasks=[arn],
                                             WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    task = aws.ecs.describe_tasks(cluster="tasks", tasks=[arn])["tasks"][0]
    ip = eni_detail(task, "privateIPv4Address")
    assert ip.startswith("10.0.1.") and ip not in ("10.0.1.0", "10.0.1.1", "10.0.1.2", "10.0.1.3")
    assert task["containers"][0]["lastStatus"] == "RUNNING"
    assert task["containers"][0]["runtimeId"]
    assert task["availabilityZone"] == "us-east-1a"
    for k in ("pullStartedAt", "pullStoppedAt", "startedAt", "connectivityAt"):
        assert k in task, k
    eni = eni_detail(task, "networkInterfaceId")
    enis = aws.ec2.describe_network_interfaces(NetworkInterfaceIds=[eni])["NetworkInterfaces"]
    assert enis[0]["PrivateIpAddress"] == ip
    assert enis[0]["Groups"][0]["GroupId"] == vpc["web"]

    aws.ecs.stop_task(cluster="tasks", task=arn, reason="done")
    aws.ecs.get_waiter("tasks_stopped").wait(cluster="tasks", tasks=[arn],
                                             WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    task = aws.ecs.describe_tasks(cluster="tasks", tasks=[arn])["tasks"][0]
    assert task["stopCode"] == "UserInitiated"
    assert task["stoppedReason"] == "done"
    assert not aws.ec2.describe_network_interfaces(
        Filters=[{"Name": "network-interface-id", "Values": [eni]}])["NetworkInterfaces"]


def test_security_groups_admit_only_the_allowed_group(aws, images, vpc):
    """A task whose group admits 8080 only from 'front' answers a task in 'front' (other
    subnet) and not a task in 'other' (same subnet)."""
    web = run(aws, register(aws, "web", images["web"]), vpc["subnets"][0], [vpc["web"]])
    ip = eni_detail(wait_for(aws, web, "RUNNING"), "privateIPv4Address")
    # busybox-static's wget crashes without libc's NSS files in the image; nc does not.
    fetch = ["sh", "-c", "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 %s 8080 && echo FETCHED" % ip]
    td = register(aws, "client", images["tools"], command=fetch, group="/ecs/clients")
    allowed = run(aws, td, vpc["subnets"][1], [vpc["front"]])
    denied = run(aws, td, vpc["subnets"][0], [vpc["other"]])
    a = wait_for(aws, allowed, "STOPPED", timeout=30)
    d = wait_for(aws, denied, "STOPPED", timeout=30)
    assert a["containers"][0]["exitCode"] == 0, a
    assert d["containers"][0]["exitCode"] != 0, d
    assert d["stopCode"] == "EssentialContainerExited"
    assert d["stoppedReason"] == "Essential container in task exited"
    msgs = log_messages(aws, "/ecs/clients", "ecs/app/" + allowed.rsplit("/", 1)[1], "FETCHED")
    assert "hello from gantry" in msgs and "FETCHED" in msgs, msgs


def test_container_output_reaches_cloudwatch_logs(aws, images, vpc):
    cmd = ["sh", "-c", "echo line one; echo line two >&2; echo host=$(hostname); "
                       "echo \"endpoint=$AWS_ENDPOINT_URL\""]
    arn = run(aws, register(aws, "echo", images["tools"], command=cmd, group="/ecs/echo"),
              vpc["subnets"][0], [vpc["other"]])
    wait_for(aws, arn, "STOPPED")
    msgs = log_messages(aws, "/ecs/echo", "ecs/app/" + arn.rsplit("/", 1)[1], "endpoint=")
    # stdout and stderr are separate pipes: their relative order is not kept (nor is it on ECS).
    assert msgs.index("line one") < msgs.index("endpoint=http://169.254.170.2:4566"), msgs
    assert "line two" in msgs, msgs
    assert "endpoint=http://169.254.170.2:4566" in msgs
    # Fargate names the task after its ENI: ip-10-0-1-9.ec2.internal.
    ip = eni_detail(aws.ecs.describe_tasks(cluster="tasks", tasks=[arn])["tasks"][0],
                    "privateIPv4Address")
    assert "host=ip-%s.ec2.internal" % ip.replace(".", "-") in msgs, msgs


def test_task_reaches_metadata_and_the_aws_api_inside_its_vpc(aws, images, vpc):
    get = 'printf "GET %s HTTP/1.0\\r\\n\\r\\n" | nc -w 3 169.254.170.2 %s; echo'
    cmd = ["sh", "-c", get % ("${ECS_CONTAINER_METADATA_URI_V4#http://169.254.170.2}/task", 80)
           + "; " + get % ("/_gantry/health", 4566)]
    arn = run(aws, register(aws, "meta", images["tools"], command=cmd, group="/ecs/meta"),
              vpc["subnets"][0], [vpc["other"]])
    t = wait_for(aws, arn, "STOPPED")
    assert t["containers"][0]["exitCode"] == 0, t
    text = "\n".join(log_messages(aws, "/ecs/meta", "ecs/app/" + arn.rsplit("/", 1)[1],
                                  "uptime"))
    assert '"TaskARN":"%s"' % arn in text, text
    assert '"uptime' in text, text


def test_oom_kill_is_reported_as_ecs_does(aws, images, vpc):
    cmd = ["sh", "-c", "x=$(head -c 100000000 /dev/urandom); echo survived"]
    arn = run(aws, register(aws, "oom", images["tools"], command=cmd, memory=16,
                            group="/ecs/oom"), vpc["subnets"][0], [vpc["other"]])
    t = wait_for(aws, arn, "STOPPED", timeout=60)
    c = t["containers"][0]
    assert c["exitCode"] == 137, t
    assert c["reason"] == "OutOfMemoryError: Container killed due to memory usage", t


def test_missing_image_stops_the_task_with_cannot_pull(aws, images, vpc):
    missing = images["web"].rsplit(":", 1)[0] + ":no-such-tag"
    arn = run(aws, register(aws, "missing", missing), vpc["subnets"][0], [vpc["other"]])
    t = wait_for(aws, arn, "STOPPED")
    assert t["stopCode"] == "TaskFailedToStart"
    assert t["stoppedReason"].startswith("CannotPullContainerError:"), t


def test_restart_after_kill_readopts_running_tasks(tmp_path):
    """kill -9 of the server leaves the task running; the restarted server reports it RUNNING,
    still routes to it, stops it, and its reset leaves no namespace behind."""
    d = str(tmp_path / "data")
    os.makedirs(d)
    g = GantryProcess(d).start()
    try:
        class A:
            ec2 = client_for(g.endpoint, "ec2")
            ecs = client_for(g.endpoint, "ecs")
            logs = client_for(g.endpoint, "logs")
        repo = client_for(g.endpoint, "ecr").create_repository(repositoryName="web")["repository"]
        layout = build_busybox_image(tmp_path / "img", cmd=["httpd", "-f", "-p", "8080", "-h",
                                                              "/www"],
                                     extra_files={"/www/index.html": "still here\n"})
        r = subprocess.run(["skopeo", "--insecure-policy", "copy", "--dest-tls-verify=false",
                            "oci:%s:latest" % layout,
                            "docker://127.0.0.1:%d/web:latest" % g.port],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        net = vpc.__wrapped__(A)
        v = next(net)
        web = run(A, register(A, "web", repo["repositoryUri"] + ":latest"), v["subnets"][0],
                  [v["web"]])
        ip = eni_detail(wait_for(A, web, "RUNNING"), "privateIPv4Address")

        g.stop(signal.SIGKILL)
        g = GantryProcess(d).start()

        class B:
            ec2 = client_for(g.endpoint, "ec2")
            ecs = client_for(g.endpoint, "ecs")
            logs = client_for(g.endpoint, "logs")
        t = B.ecs.describe_tasks(cluster="tasks", tasks=[web])["tasks"][0]
        assert t["lastStatus"] == "RUNNING", t
        time.sleep(1.5)  # a resync pass over the re-adopted task must not disturb it
        assert B.ecs.describe_tasks(cluster="tasks", tasks=[web])["tasks"][0]["lastStatus"] == \
            "RUNNING"
        fetch = ["sh", "-c",
                 "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 %s 8080 && echo FETCHED" % ip]
        client = run(B, register(B, "client", repo["repositoryUri"] + ":latest", command=fetch,
                                 group="/ecs/clients"), v["subnets"][1], [v["front"]])
        c = wait_for(B, client, "STOPPED")
        assert c["containers"][0]["exitCode"] == 0, c
        msgs = log_messages(B, "/ecs/clients", "ecs/app/" + client.rsplit("/", 1)[1], "FETCHED")
        assert "still here" in msgs, msgs

        B.ecs.stop_task(cluster="tasks", task=web)
        wait_for(B, web, "STOPPED")
        g.reset()
    finally:
        g.stop()
    assert own_netns(d) == set()


def test_depends_on_healthy_waits_for_the_health_check(aws, images, vpc):
    """Containers of one task share localhost; a container that dependsOn another being HEALTHY
    starts only once that one's healthCheck passes."""
    probe = "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 127.0.0.1 8080"
    web = {"name": "web", "image": images["web"], "essential": False, "stopTimeout": 2,
           "healthCheck": {"command": ["CMD-SHELL", probe + " | grep -q '200 OK'"],
                           "interval": 5, "timeout": 2, "retries": 3, "startPeriod": 0}}
    client = {"name": "client", "image": images["tools"], "essential": True,
              "dependsOn": [{"containerName": "web", "condition": "HEALTHY"}],
              "command": ["sh", "-c", probe],
              "logConfiguration": {"logDriver": "awslogs", "options": {
                  "awslogs-group": "/ecs/deps", "awslogs-region": "us-east-1",
                  "awslogs-stream-prefix": "ecs", "awslogs-create-group": "true"}}}
    td = aws.ecs.register_task_definition(
        family="deps", requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="256",
        memory="512", executionRoleArn="arn:aws:iam::%s:role/ecsTaskExecutionRole" % ACCOUNT,
        containerDefinitions=[web, client])["taskDefinition"]["taskDefinitionArn"]
    arn = run(aws, td, vpc["subnets"][0], [vpc["other"]])
    t = wait_for(aws, arn, "STOPPED", timeout=60)
    by_name = {c["name"]: c for c in t["containers"]}
    assert by_name["client"]["exitCode"] == 0, t
    assert by_name["web"].get("healthStatus") == "HEALTHY", t
    msgs = log_messages(aws, "/ecs/deps", "ecs/client/" + arn.rsplit("/", 1)[1],
                        "hello from gantry")
    assert "hello from gantry" in msgs, msgs
    assert t["stopCode"] == "EssentialContainerExited"


@pytest.mark.parametrize("kind", ["traversal", "through-symlink"])
def test_malicious_layer_fails_the_pull_and_writes_nothing_outside(aws, server, vpc, tmp_path,
                                                                   kind):
    from oci_images import Layout, _tar_bytes, _write_image, busybox_rootfs_tar
    marker = "gantry-escape-%s-%d" % (kind, os.getpid())
    if kind == "traversal":
        evil = _tar_bytes([("../../../../../../tmp/" + marker, "file", "pwned", 0o644)])
    else:
        evil = _tar_bytes([("link", "symlink", "/tmp", None),
                           ("link/" + marker, "file", "pwned", 0o644)])
    layout = Layout(tmp_path / "evil")
    _write_image(layout, [(busybox_rootfs_tar(), True), (evil, True)], {"Cmd": ["sh"]},
                 "amd64", "latest")
    repo = client_for(server.endpoint, "ecr").create_repository(
        repositoryName="evil-" + kind)["repository"]
    r = subprocess.run(["skopeo", "--insecure-policy", "copy", "--dest-tls-verify=false",
                        "oci:%s:latest" % layout.path,
                        "docker://127.0.0.1:%d/evil-%s:latest" % (server.port, kind)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    arn = run(aws, register(aws, "evil", repo["repositoryUri"] + ":latest"), vpc["subnets"][0],
              [vpc["other"]])
    t = wait_for(aws, arn, "STOPPED")
    assert t["stopCode"] == "TaskFailedToStart", t
    assert t["stoppedReason"].startswith("CannotPullContainerError:"), t
    assert not os.path.exists("/tmp/" + marker)
    found = subprocess.run(["find", server.data_dir, "/tmp", "-name", marker],
                           capture_output=True, text=True).stdout
    assert found.strip() == "", found


@pytest.mark.parametrize("form", ["layout", "oci-tar", "docker-save"])
def test_image_loaded_from_an_archive_runs_without_a_registry(aws, server, vpc, tmp_path, form):
    """`gantry image load` of an OCI layout, a tar of one, or a `docker save` tar (this machine
    has no registry to pull from): a task whose image names it as printed runs."""
    from conftest import BINARY
    layout = build_busybox_image(tmp_path / "img", cmd=["sh", "-c", "echo loaded-image-ran"],
                                 tag="v7")
    archive = str(layout)
    if form == "oci-tar":
        archive = str(tmp_path / "img.tar")
        subprocess.run(["tar", "-C", str(layout), "-cf", archive, "."], check=True)
    elif form == "docker-save":
        archive = str(tmp_path / "docker.tar")
        r = subprocess.run(["skopeo", "--insecure-policy", "copy", "oci:%s:v7" % layout,
                            "docker-archive:%s:loaded/saved:v7" % archive],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
    out = subprocess.run([BINARY, "image", "load", "--data-dir", server.data_dir, archive],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    names = [l.split("Loaded image: ", 1)[1] for l in out.stdout.splitlines()
             if l.startswith("Loaded image: ")]
    assert names, out.stdout
    arn = run(aws, register(aws, "loaded", names[0], group="/ecs/loaded"), vpc["subnets"][0],
              [vpc["other"]])
    t = wait_for(aws, arn, "STOPPED")
    assert t["containers"][0]["exitCode"] == 0, t
    assert "loaded-image-ran" in log_messages(aws, "/ecs/loaded",
                                              "ecs/app/" + arn.rsplit("/", 1)[1],
                                              "loaded-image-ran")
