"""Tasks run for real (issue 6): RunTask with a FARGATE task definition whose busybox image was
pushed to Gantry's ECR starts runc containers in their own network namespace with an IP of their
subnet, security groups hold between tasks, output reaches CloudWatch Logs, and the lifecycle is
reported as ECS reports it. Needs root, runc and skopeo; every test leaves the host as it found it.
"""
import glob
import json
import os
import shutil
import signal
import subprocess

import pytest

from conftest import GantryProcess, client_for, wait_for as wait_on
from alb_env import own_netns, probe_from, task_netns
from oci_images import build_busybox_image

# emulator_only: the module runs its own server and reads its data directory (namespaces).
pytestmark = [
    pytest.mark.privileged,
    pytest.mark.emulator_only,
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
    def check():
        t = aws.ecs.describe_tasks(cluster="tasks", tasks=[arn])["tasks"][0]
        if status == "RUNNING" and t["lastStatus"] == "STOPPED":
            pytest.fail("task stopped: %s" % t.get("stoppedReason"))
        return t if t["lastStatus"] == status else None
    return wait_on(check, timeout, 0.1, "task %s %s" % (arn.rsplit("/", 1)[1], status))


def eni_detail(task, name):
    for a in task["attachments"]:
        for d in a["details"]:
            if d["name"] == name:
                return d["value"]
    return None


def log_events(aws, group, stream):
    try:
        return aws.logs.get_log_events(logGroupName=group, logStreamName=stream,
                                       startFromHead=True)["events"]
    except aws.logs.exceptions.ResourceNotFoundException:
        return []


def log_messages(aws, group, stream, want=None, timeout=10):
    """The stream's messages once one contains `want` (any message when None)."""
    def check():
        msgs = [e["message"] for e in log_events(aws, group, stream)]
        found = msgs if want is None else any(want in m for m in msgs)
        return msgs if found else None
    return wait_on(check, timeout, 0.2, "%r in %s %s" % (want, group, stream))


def sg_rule(port, to_port=None, group=None, cidr=None):
    p = {"IpProtocol": "tcp", "FromPort": port, "ToPort": to_port or port}
    if group:
        p["UserIdGroupPairs"] = [{"GroupId": group}]
    if cidr:
        p["IpRanges"] = [{"CidrIp": cidr}]
    return [p]


def revoke_default_egress(ec2, group):
    ec2.revoke_security_group_egress(GroupId=group, IpPermissions=[
        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])


def test_security_groups_hold_in_both_directions_in_and_across_subnets(aws, images, vpc, server):
    """Every crossed case, each from inside the tasks' own namespaces: a connection passes only
    when the source's egress and the destination's ingress both allow it, in the same subnet as
    in another. A dropped connection times out; one that passed both groups to a port where
    nothing listens is refused, which tells a security group's drop from a closed port."""
    ec2 = aws.ec2
    sealed = ec2.create_security_group(GroupName="sealed", Description="no egress",
                                       VpcId=vpc["vpc"])["GroupId"]
    revoke_default_egress(ec2, sealed)
    narrow = ec2.create_security_group(GroupName="narrow", Description="egress 8080 to web",
                                       VpcId=vpc["vpc"])["GroupId"]
    revoke_default_egress(ec2, narrow)
    ec2.authorize_security_group_egress(GroupId=narrow,
                                        IpPermissions=sg_rule(8080, group=vpc["web"]))
    # web admits sealed on 8080 and narrow on 8080-8081: only their own egress can stop them.
    ec2.authorize_security_group_ingress(GroupId=vpc["web"], IpPermissions=sg_rule(
        8080, group=sealed))
    ec2.authorize_security_group_ingress(GroupId=vpc["web"], IpPermissions=sg_rule(
        8080, 8081, group=narrow))
    # The reverse direction: narrow admits web on 9000 (nothing listens there), front nothing.
    ec2.authorize_security_group_ingress(GroupId=narrow, IpPermissions=sg_rule(
        9000, group=vpc["web"]))

    web = run(aws, register(aws, "web", images["web"]), vpc["subnets"][0], [vpc["web"]])
    idle = register(aws, "idle", images["tools"], command=["sleep", "600"])
    clients = {}
    for name in ("front", "other", "sealed", "narrow"):
        group = {"sealed": sealed, "narrow": narrow}.get(name) or vpc[name]
        for where, subnet in (("same", 0), ("across", 1)):
            clients[name, where] = run(aws, idle, vpc["subnets"][subnet], [group])
    web_ip = eni_detail(wait_for(aws, web, "RUNNING"), "privateIPv4Address")
    ips = {k: eni_detail(wait_for(aws, arn, "RUNNING"), "privateIPv4Address")
           for k, arn in clients.items()}
    assert ips["front", "same"].startswith("10.0.1.") and ips["front", "across"].startswith(
        "10.0.2."), ips

    def probe(src_arn, ip, port):
        return probe_from(task_netns(server.data_dir, src_arn), ip, port)

    seen = {}
    for where in ("same", "across"):
        for name, port in (("front", 8080), ("other", 8080), ("sealed", 8080),
                           ("narrow", 8080), ("narrow", 8081)):
            seen[name, where, port] = probe(clients[name, where], web_ip, port)
        for name in ("front", "narrow"):
            seen["web->" + name, where, 9000] = probe(web, ips[name, where], 9000)
    outcome = {k: v[0] for k, v in seen.items()}
    want = {}
    for where in ("same", "across"):
        want.update({
            ("front", where, 8080): "ok",          # web's ingress admits front
            ("other", where, 8080): "timeout",     # ... and not other
            ("sealed", where, 8080): "timeout",    # admitted, but sealed may send nothing
            ("narrow", where, 8080): "ok",         # narrow's egress allows 8080 to web
            ("narrow", where, 8081): "timeout",    # ... and not 8081, which web admits
            ("web->front", where, 9000): "timeout",  # front admits nobody
            ("web->narrow", where, 9000): "refused",  # narrow admits web: nothing listens
        })
    assert outcome == want, seen
    assert all("hello from gantry" in v[1] for k, v in seen.items() if v[0] == "ok"), seen

    # ModifySecurityGroupRules moves narrow's egress rule from 8080 to 8081 in place: 8080 is
    # then dropped, and 8081 passes both groups to a port where nothing listens.
    rule = [r for r in ec2.describe_security_group_rules(
        Filters=[{"Name": "group-id", "Values": [narrow]}])["SecurityGroupRules"]
        if r["IsEgress"]][0]
    ec2.modify_security_group_rules(GroupId=narrow, SecurityGroupRules=[{
        "SecurityGroupRuleId": rule["SecurityGroupRuleId"],
        "SecurityGroupRule": {"IpProtocol": "tcp", "FromPort": 8081, "ToPort": 8081,
                              "ReferencedGroupId": vpc["web"]}}])
    src = clients["narrow", "same"]
    wait_on(lambda: probe(src, web_ip, 8081)[0] == "refused", 30, 0.5,
            "narrow's modified egress rule to reach web:8081")
    assert probe(src, web_ip, 8080)[0] == "timeout"


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


def json_lines(messages):
    out = []
    for m in messages:
        try:
            out.append(json.loads(m))
        except ValueError:
            pass
    return out


# The container's /stats is Docker's stats document read from its cgroups (whatever their
# version); /task/stats has one per container, keyed by its Docker id.
def test_task_reads_its_cgroup_stats_from_the_metadata_endpoint(aws, images, vpc):
    get = 'printf "GET %s HTTP/1.0\\r\\n\\r\\n" | nc -w 3 169.254.170.2 80; echo'
    base = "${ECS_CONTAINER_METADATA_URI_V4#http://169.254.170.2}"
    cmd = ["sh", "-c", "dd if=/dev/zero of=/dev/null bs=1M count=300 2>/dev/null; " +
           get % (base + "/stats") + "; " + get % (base + "/task/stats")]
    arn = run(aws, register(aws, "stats", images["tools"], command=cmd, memory=64,
                            group="/ecs/stats"), vpc["subnets"][0], [vpc["other"]])
    t = wait_for(aws, arn, "STOPPED")
    assert t["containers"][0]["exitCode"] == 0, t
    runtime_id = t["containers"][0]["runtimeId"]
    msgs = log_messages(aws, "/ecs/stats", "ecs/app/" + arn.rsplit("/", 1)[1], "memory_stats")
    docs = json_lines(msgs)
    assert len(docs) == 2, msgs
    stats, task_stats = docs
    assert stats["memory_stats"]["limit"] == 64 * 1048576, stats
    assert stats["memory_stats"]["usage"] > 0, stats
    assert stats["memory_stats"]["stats"], stats
    assert stats["cpu_stats"]["cpu_usage"]["total_usage"] > 0, stats
    assert stats["pids_stats"]["current"] >= 1, stats
    assert list(task_stats) == [runtime_id], task_stats
    assert task_stats[runtime_id]["memory_stats"]["limit"] == 64 * 1048576, task_stats
    # The interfaces of the task's namespace (its ENI, not loopback) as Docker's "networks": the
    # answer to the first request has arrived by the second.
    nets = task_stats[runtime_id]["networks"]
    assert nets and "lo" not in nets, nets
    assert sum(n["rx_bytes"] for n in nets.values()) > 0, nets
    # A STOPPED task's containers are removed, their cgroups with them, in every hierarchy.
    left = glob.glob("/sys/fs/cgroup/*/gantry/" + runtime_id) + \
        glob.glob("/sys/fs/cgroup/gantry/" + runtime_id)
    assert not left, left


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
        fetch = ["sh", "-c",
                 "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 %s 8080 && echo FETCHED" % ip]
        client = run(B, register(B, "client", repo["repositoryUri"] + ":latest", command=fetch,
                                 group="/ecs/clients"), v["subnets"][1], [v["front"]])
        c = wait_for(B, client, "STOPPED")
        assert c["containers"][0]["exitCode"] == 0, c
        msgs = log_messages(B, "/ecs/clients", "ecs/app/" + client.rsplit("/", 1)[1], "FETCHED")
        assert "still here" in msgs, msgs
        # The resync passes that ran meanwhile (a client task's whole life) left it alone.
        assert B.ecs.describe_tasks(cluster="tasks", tasks=[web])["tasks"][0]["lastStatus"] == \
            "RUNNING"

        B.ecs.stop_task(cluster="tasks", task=web)
        wait_for(B, web, "STOPPED")
        g.reset()
    finally:
        g.stop()
    assert own_netns(d) == set()


LOG_GROUP = "/ecs/deps"
PROBE = "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 127.0.0.1 8080"


def container(name, image, command, essential=False, **kw):
    c = {"name": name, "image": image, "essential": essential, "stopTimeout": 2,
         "command": ["sh", "-c", command],
         "logConfiguration": {"logDriver": "awslogs", "options": {
             "awslogs-group": LOG_GROUP, "awslogs-region": "us-east-1",
             "awslogs-stream-prefix": "ecs", "awslogs-create-group": "true"}}}
    c.update(kw)
    return c


def register_containers(aws, family, containers):
    return aws.ecs.register_task_definition(
        family=family, requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="256",
        memory="512", executionRoleArn="arn:aws:iam::%s:role/ecsTaskExecutionRole" % ACCOUNT,
        containerDefinitions=containers)["taskDefinition"]["taskDefinitionArn"]


def first_event(aws, arn, container_name, text):
    """(timestamp ms, message) of the first line of `container_name` containing `text`: the
    time the container's own output was captured."""
    stream = "ecs/%s/%s" % (container_name, arn.rsplit("/", 1)[1])

    def check():
        return next(((e["timestamp"], e["message"]) for e in log_events(aws, LOG_GROUP, stream)
                     if text in e["message"]), None)
    return wait_on(check, 15, 0.2, "%r from %s" % (text, container_name))


def test_depends_on_starts_a_container_only_once_its_condition_holds(aws, images, vpc):
    """Each dependent container prints a line first thing; it must come after the line its
    dependency printed when the condition began to hold: COMPLETE (any exit code), SUCCESS
    (exit 0) and HEALTHY (the health check passes, which it cannot before httpd runs). Each
    dependency takes seconds to get there: a dependent started early prints first."""
    health = {"command": ["CMD-SHELL", PROBE + " | grep -q '200 OK'"], "interval": 5,
              "timeout": 2, "retries": 3, "startPeriod": 0}
    td = register_containers(aws, "deps", [
        container("init", images["tools"], "echo init-begin; sleep 2; echo init-done; exit 3"),
        container("prep", images["tools"], "echo prep-begin; sleep 2; echo prep-done"),
        container("web", images["web"], "echo web-begin; sleep 3; echo web-ready; "
                  "exec httpd -f -p 8080 -h /www", healthCheck=health),
        container("after-init", images["tools"], "echo after-init-start",
                  dependsOn=[{"containerName": "init", "condition": "COMPLETE"}]),
        container("after-prep", images["tools"], "echo after-prep-start",
                  dependsOn=[{"containerName": "prep", "condition": "SUCCESS"}]),
        container("client", images["tools"], "echo client-start; " + PROBE, essential=True,
                  dependsOn=[{"containerName": "web", "condition": "HEALTHY"}]),
    ])
    arn = run(aws, td, vpc["subnets"][0], [vpc["other"]])
    t = wait_for(aws, arn, "STOPPED", timeout=90)
    early = []
    for dependent, (dependency, held) in {"after-init": ("init", "init-done"),
                                          "after-prep": ("prep", "prep-done"),
                                          "client": ("web", "web-ready")}.items():
        began, _ = first_event(aws, arn, dependency, dependency + "-begin")
        ready, _ = first_event(aws, arn, dependency, held)
        started, _ = first_event(aws, arn, dependent, dependent + "-start")
        assert ready - began >= 1500, (dependency, began, ready)
        if started < ready:
            early.append("%s started %d ms before %s" % (dependent, ready - started, held))
    assert not early, (early, t)
    by_name = {c["name"]: c for c in t["containers"]}
    assert by_name["init"]["exitCode"] == 3, t
    assert by_name["prep"]["exitCode"] == 0, t
    assert by_name["client"]["exitCode"] == 0, t
    assert by_name["web"].get("healthStatus") == "HEALTHY", t
    assert t["stopCode"] == "EssentialContainerExited", t
    msgs = log_messages(aws, LOG_GROUP, "ecs/client/" + arn.rsplit("/", 1)[1],
                        "hello from gantry")
    assert "hello from gantry" in msgs, msgs


def test_depends_on_success_never_starts_after_a_failed_exit(aws, images, vpc):
    """SUCCESS needs exit code 0: after exit 1 the dependent never starts and the task stops."""
    td = register_containers(aws, "deps-fail", [
        container("prep", images["tools"], "echo prep-begin; exit 1"),
        container("main", images["tools"], "echo main-start; sleep 600", essential=True,
                  dependsOn=[{"containerName": "prep", "condition": "SUCCESS"}]),
    ])
    arn = run(aws, td, vpc["subnets"][0], [vpc["other"]])
    t = wait_for(aws, arn, "STOPPED", timeout=60)
    by_name = {c["name"]: c for c in t["containers"]}
    assert by_name["prep"]["exitCode"] == 1, t
    assert "exitCode" not in by_name["main"], t
    first_event(aws, arn, "prep", "prep-begin")
    assert log_events(aws, LOG_GROUP, "ecs/main/" + arn.rsplit("/", 1)[1]) == [], t


def failing_health_check():
    # Passes nothing: the essential container turns UNHEALTHY after `retries` failed checks.
    return {"command": ["CMD-SHELL", "exit 1"], "interval": 5, "timeout": 2, "retries": 1,
            "startPeriod": 0}


def test_failing_container_health_check_makes_the_task_unhealthy(aws, images, vpc):
    """A standalone task whose essential container fails its health check reports the
    container and the task UNHEALTHY (ECS stops and replaces such tasks only in services)."""
    td = register_containers(aws, "sick", [
        container("app", images["tools"], "sleep 600", essential=True,
                  healthCheck=failing_health_check())])
    arn = run(aws, td, vpc["subnets"][0], [vpc["other"]])
    wait_for(aws, arn, "RUNNING", timeout=60)

    def unhealthy():
        t = aws.ecs.describe_tasks(cluster="tasks", tasks=[arn])["tasks"][0]
        return t if t.get("healthStatus") == "UNHEALTHY" else None
    t = wait_on(unhealthy, 40, 0.5, "the task UNHEALTHY")
    assert t["containers"][0]["healthStatus"] == "UNHEALTHY", t
    assert t["lastStatus"] == "RUNNING", t


def test_service_replaces_a_task_whose_container_health_check_fails(aws, images, vpc):
    td = register_containers(aws, "sick-svc", [
        container("app", images["tools"], "sleep 600", essential=True,
                  healthCheck=failing_health_check())])
    aws.ecs.create_cluster(clusterName="tasks")
    aws.ecs.create_service(cluster="tasks", serviceName="sick", taskDefinition=td,
                           desiredCount=1, launchType="FARGATE",
                           networkConfiguration={"awsvpcConfiguration": {
                               "subnets": [vpc["subnets"][0]],
                               "securityGroups": [vpc["other"]]}})
    try:
        def stopped_for_health():
            arns = aws.ecs.list_tasks(cluster="tasks", serviceName="sick",
                                      desiredStatus="STOPPED")["taskArns"]
            tasks = aws.ecs.describe_tasks(cluster="tasks", tasks=arns)["tasks"] if arns else []
            return [x for x in tasks
                    if x.get("stoppedReason") == "Task failed container health checks"]
        first = wait_on(stopped_for_health, 90, 0.5, "the UNHEALTHY task stopped")[0]
        assert first["healthStatus"] == "UNHEALTHY", first

        def replacement():
            arns = aws.ecs.list_tasks(cluster="tasks", serviceName="sick",
                                      desiredStatus="RUNNING")["taskArns"]
            return [a for a in arns if a != first["taskArn"]]
        wait_on(replacement, 60, 0.5, "a replacement task")
    finally:
        aws.ecs.delete_service(cluster="tasks", service="sick", force=True)
        wait_on(lambda: aws.ecs.describe_services(cluster="tasks", services=["sick"])[
            "services"][0]["status"] == "INACTIVE", 60, 0.5, "the service INACTIVE")


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
