"""Chaos (issue 14): kill -9 of the server at random moments of rolling deployments.

A FARGATE service of 4 tasks sits behind an ALB while client threads send GETs through the
listener back to back. The test rolls the service to a new task definition revision (whose
containers answer differently) and, 10 times at random moments while a deployment is under way,
kills the server with SIGKILL and starts a new one on the same data directory and the same ports;
about a third of the kills land while the new server is still recovering (0-1 s after it
announced its port). When a deployment completes before the 10 kills are done, the next revision
is rolled out.

The load balancer's listeners live in the server process, so a kill takes them down with it. A
request may therefore fail only when it overlaps an outage window [kill, ready], where `kill` is
the moment the SIGKILL is sent (the first one, when the recovering server is killed again) and
`ready` the moment a probe through the listener of the new server first got a 200: in flight at the kill (started before it, ended after it) or issued
while the server was down (started before `ready`). Every other request must succeed, with the
body of one of the revisions.

Afterwards the last deployment must complete (primary COMPLETED, 4 tasks of the last revision
RUNNING and exactly their targets healthy), no task of the service may have been stopped for any
reason but the deployments' scaling (a server crash does not kill tasks), and once everything is
deleted and the server stopped, nothing it made may be left on the host: containers (runc list),
network namespaces, host veths or bridges, mounts, cgroups, shim or runc processes, nftables
tables. SQLite must pass PRAGMA integrity_check.

The random schedule is seeded (CHAOS_SEED overrides the seed); the seed is printed. Needs root,
runc, skopeo and sqlite3.
"""
import os
import random
import re
import shutil
import signal
import subprocess
import threading
import time

import pytest
from botocore.exceptions import ClientError

from alb_env import (CLUSTER, AlbClient, Aws, cleanup_all, fast_target_group, make_alb,
                     make_network, own_netns, privileged, push_layout, register_web,
                     start_server, target_health, task_ip, wait_until, web_layout)
from test_main_job import ContainerIds, processes_mentioning

pytestmark = privileged + [
    pytest.mark.emulator_only,  # kills and restarts the server, reads its database
    pytest.mark.skipif(shutil.which("sqlite3") is None, reason="needs sqlite3"),
]

SERVICE = "chaos"
TASKS = 4
KILLS = 10
CGROUP_ROOT = "/sys/fs/cgroup"


# ---------------------------------------------------------------------------------------------
# What a server can leave on the host

def host_links():
    out = subprocess.run(["ip", "-o", "link", "show"], capture_output=True, text=True).stdout
    return {re.split(r"[:@]", line.split(": ", 1)[1])[0] for line in out.splitlines()}


def nft_tables():
    r = subprocess.run(["nft", "list", "tables"], capture_output=True, text=True)
    return set(r.stdout.splitlines()) if r.returncode == 0 else set()


def gantry_cgroups():
    """Every container cgroup (<hierarchy>/gantry/<id>) on the host, whoever made it."""
    found = set()
    for h in os.listdir(CGROUP_ROOT):
        parent = os.path.join(CGROUP_ROOT, h, "gantry")
        if os.path.isdir(parent):
            found |= {os.path.join(parent, c) for c in os.listdir(parent)
                      if os.path.isdir(os.path.join(parent, c))}
    return found


def mounts_under(path):
    with open("/proc/mounts") as f:
        return [line.strip() for line in f if path in line]


def runc_containers(data_dir):
    root = os.path.join(data_dir, "runtime", "runc")
    if not os.path.isdir(root):
        return []
    r = subprocess.run(["runc", "--root", root, "list", "-q"], capture_output=True, text=True)
    return r.stdout.split()


def leftovers(server, before, ids):
    """What the server on `data_dir` left behind, compared with the snapshot `before`."""
    data_dir = os.path.realpath(server.data_dir)
    containers = os.path.join(data_dir, "runtime", "containers")
    cgroups = {c for c in gantry_cgroups() - before["cgroups"] if os.path.basename(c) in ids}
    found = {
        "runc containers": runc_containers(data_dir),
        "container dirs": os.listdir(containers) if os.path.isdir(containers) else [],
        "network namespaces": sorted(own_netns(data_dir)),
        "host links": sorted(l for l in host_links() - before["links"]
                             if l.startswith(("ve-", "br-", "gx"))),
        "mounts": mounts_under(data_dir),
        "cgroups": sorted(cgroups),
        "processes": processes_mentioning(data_dir),
        "nftables tables": sorted(nft_tables() - before["nft"]),
    }
    return {k: v for k, v in found.items() if v}


# ---------------------------------------------------------------------------------------------
# Load through the listener

class Load:
    """`threads` keep-alive clients of the load balancer, each sending GET / back to back and
    recording (start, end, status, body); a connection error is status 0. While the listener is
    down, a client waits 20 ms between attempts so that an outage is not a busy loop."""

    def __init__(self, server, dns_name, threads=2):
        self.server, self.dns_name = server, dns_name
        self.results = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]

    def _run(self):
        c = AlbClient(self.server, self.dns_name, timeout=10)
        while not self._stop.is_set():
            t0 = time.monotonic()
            try:
                status, _, body = c.get("/", retry=False)
            except Exception as e:  # noqa: BLE001  (any failure is a failed request)
                c.close()
                status, body = 0, "%s: %s" % (type(e).__name__, e)
            with self._lock:
                self.results.append((t0, time.monotonic(), status, body))
            if status != 200:
                self._stop.wait(0.02)
        c.close()

    def start(self):
        for t in self._threads:
            t.start()
        return self

    def started_after(self, t):
        with self._lock:
            return sum(1 for r in self.results if r[0] > t)

    def stop(self):
        self._stop.set()
        for t in self._threads:
            t.join(30)
        self.results.sort()
        return self.results


def wait_listener_ok(server, dns_name, timeout=60):
    """Probes the listener on fresh connections until one GET / answers 200; returns the time."""
    def probe():
        c = AlbClient(server, dns_name, timeout=2)
        try:
            return c.get("/", retry=False)[0] == 200 and time.monotonic()
        except OSError:
            return None
        finally:
            c.close()
    return wait_until("the listener to answer 200 again", probe, timeout=timeout, interval=0.05)


# ---------------------------------------------------------------------------------------------
# The service

def create_service(aws, net, tg, td):
    aws.ecs.create_cluster(clusterName=CLUSTER)
    aws.ecs.create_service(
        cluster=CLUSTER, serviceName=SERVICE, taskDefinition=td, desiredCount=TASKS,
        launchType="FARGATE",
        networkConfiguration={"awsvpcConfiguration": {
            "subnets": net["subnets"], "securityGroups": [net["sg"]["web"]],
            "assignPublicIp": "DISABLED"}},
        loadBalancers=[{"targetGroupArn": tg, "containerName": "app", "containerPort": 8080}],
        # One task at a time (4 + 25%): a deployment lasts several steps, so that the kills
        # land in all of its phases (starting, health checks, draining, stopping).
        deploymentConfiguration={"minimumHealthyPercent": 100, "maximumPercent": 125})


def describe(aws):
    return aws.ecs.describe_services(cluster=CLUSTER, services=[SERVICE])["services"][0]


def running_tasks(aws):
    arns = aws.ecs.list_tasks(cluster=CLUSTER, serviceName=SERVICE,
                              desiredStatus="RUNNING")["taskArns"]
    if not arns:
        return []
    return [t for t in aws.ecs.describe_tasks(cluster=CLUSTER, tasks=arns)["tasks"]
            if t["lastStatus"] == "RUNNING"]


def stopped_tasks(aws):
    arns, token = [], None
    while True:
        kw = {"nextToken": token} if token else {}
        page = aws.ecs.list_tasks(cluster=CLUSTER, serviceName=SERVICE, desiredStatus="STOPPED",
                                  **kw)
        arns += page["taskArns"]
        token = page.get("nextToken")
        if not token:
            break
    tasks = []
    for i in range(0, len(arns), 100):
        tasks += aws.ecs.describe_tasks(cluster=CLUSTER, tasks=arns[i:i + 100])["tasks"]
    return tasks


def settled(aws, tg, td):
    """The service is done with `td`: one COMPLETED deployment of it, TASKS tasks of it running,
    and exactly their targets registered, all healthy."""
    s = describe(aws)
    if len(s["deployments"]) != 1 or s["deployments"][0]["taskDefinition"] != td or \
            s["deployments"][0].get("rolloutState") != "COMPLETED":
        return None
    tasks = running_tasks(aws)
    if len(tasks) != TASKS or any(t["taskDefinitionArn"] != td for t in tasks):
        return None
    ips = {task_ip(t) for t in tasks}
    health = target_health(aws, tg)
    if {ip for ip, _ in health} != ips or any(st != "healthy" for st, _ in health.values()):
        return None
    return s


def in_progress(aws):
    s = describe(aws)
    return len(s["deployments"]) > 1 or s["deployments"][0].get("rolloutState") == "IN_PROGRESS"


def delete_network(aws, net):
    # 'web' admits 'alb' by group: on EC2 a group that another one references cannot go first.
    for sg in (net["sg"]["web"], net["sg"]["other"], net["sg"]["alb"]):
        wait_until("security group %s deleted" % sg, lambda: _try(
            aws.ec2.delete_security_group, GroupId=sg), timeout=60, interval=0.5)
    for subnet in net["subnets"]:
        wait_until("subnet %s deleted" % subnet, lambda: _try(
            aws.ec2.delete_subnet, SubnetId=subnet), timeout=60, interval=0.5)
    aws.ec2.delete_vpc(VpcId=net["vpc"])


def _try(call, **kw):
    """True once `call` succeeds; False while a dependency (an ENI still going) blocks it."""
    try:
        call(**kw)
        return True
    except ClientError as e:
        if e.response["Error"]["Code"] == "DependencyViolation":
            return False
        raise


# ---------------------------------------------------------------------------------------------

def test_kill_9_during_rolling_deployments(tmp_path):
    seed = int(os.environ.get("CHAOS_SEED", random.SystemRandom().randrange(1 << 32)))
    print("CHAOS_SEED=%d" % seed)
    rng = random.Random(seed)
    began = time.monotonic()
    before = {"cgroups": gantry_cgroups(), "links": host_links(), "nft": nft_tables()}

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    server = start_server(str(data_dir))
    ids = ContainerIds(server.data_dir).start()
    load = None
    kills = []    # when each SIGKILL was sent
    windows = []  # (first kill, ready): the outages
    try:
        aws = Aws(server)
        images = [push_layout(server, web_layout(tmp_path / v, v), "web", v) for v in ("v1", "v2")]
        net = make_network(aws)
        tg = fast_target_group(aws, SERVICE, net["vpc"])
        lb, _ = make_alb(aws, net, SERVICE, default_tg=tg)
        revision = 0
        td = register_web(aws, "web", images[0])
        create_service(aws, net, tg, td)
        wait_until("the first deployment settled", lambda: settled(aws, tg, td), timeout=120,
                   interval=0.2)
        bodies = {"v1\n", "v2\n"}

        load = Load(server, lb["DNSName"]).start()
        outage = None  # when the current outage began (a kill during recovery extends it)
        while len(kills) < KILLS:
            if outage is None:
                if not in_progress(aws):
                    revision += 1
                    td = register_web(aws, "web", images[revision % 2])
                    aws.ecs.update_service(cluster=CLUSTER, service=SERVICE, taskDefinition=td)
                # The random moment: somewhere in the next 0.2-4 s of the deployment (when it
                # has completed by then, the next one starts instead).
                time.sleep(rng.uniform(0.2, 4.0))
                s = describe(aws)
                if len(s["deployments"]) == 1 and s["deployments"][0].get("rolloutState") != \
                        "IN_PROGRESS":
                    continue
                phase = [(d["status"], d["taskDefinition"].rsplit(":", 1)[1],
                          d["runningCount"], d.get("rolloutState")) for d in s["deployments"]]
            else:
                # Again while the new server recovers: adopting containers, namespaces and
                # listeners, its reconcilers resuming the deployment.
                time.sleep(rng.uniform(0.0, 1.0))
                phase = "recovering"
            killed_at = time.monotonic()
            server.stop(signal.SIGKILL)
            server.start()
            aws = Aws(server)
            kills.append(killed_at)
            outage = outage or killed_at
            print("kill %d at %.1f s, %s" % (len(kills), killed_at - began, phase))
            if len(kills) < KILLS and rng.random() < 0.3:
                continue
            ready_at = wait_listener_ok(server, lb["DNSName"])
            windows.append((outage, ready_at))
            print("  ready after %.2f s" % (ready_at - outage))
            outage = None

        final = wait_until("the last deployment (%s) settled" % td.rsplit("/", 1)[1],
                           lambda: settled(aws, tg, td), timeout=180, interval=0.2)
        settled_at = time.monotonic()
        # A few more requests against the settled service: they must all reach the new tasks.
        wait_until("requests after the deployment settled",
                   lambda: load.started_after(settled_at) >= 20, timeout=30)
        results = load.stop()
        load = None

        def in_window(r):
            start, end = r[0], r[1]
            return any(start <= ready and end >= kill for kill, ready in windows)
        bad = [r for r in results if (r[2] != 200 or r[3] not in bodies) and not in_window(r)]
        excused = [r for r in results if r[2] != 200 and in_window(r)]
        print("requests: %d, failed within outage windows: %d, failed outside: %d; "
              "outages %s s" % (len(results), len(excused), len(bad),
                                ["%.2f" % (ready - kill) for kill, ready in windows]))
        assert len(results) > 100, len(results)
        assert not bad, [(round(s - began, 2), round(e - began, 2), st, b[:120])
                         for s, e, st, b in bad[:20]]
        last_body = "v%d\n" % (revision % 2 + 1)
        after = [r for r in results if r[0] > settled_at]
        assert after and all(r[3] == last_body for r in after), after[:5]
        assert final["runningCount"] == TASKS

        # A crash of the server never stops a task: every stopped task of the service was
        # stopped by a deployment (scaling) and exited on its SIGTERM.
        reasons = {t.get("stoppedReason", "") for t in stopped_tasks(aws)}
        assert all(r.startswith("Scaling activity initiated by") for r in reasons), (
            reasons, [e["message"] for e in describe(aws)["events"] if "unhealthy" in e["message"]])

        cleanup_all(aws)
        delete_network(aws, net)
        wait_until("every namespace of the server gone",
                   lambda: not own_netns(server.data_dir), timeout=60)
        assert server.stop() == 0, server.read_log()[-3000:]
    finally:
        if load is not None:
            load.stop()
        seen = ids.stop()
        if os.environ.get("CHAOS_LOG_DIR"):  # pytest keeps only its last 3 temporary dirs
            shutil.copy(server.log_path, os.path.join(os.environ["CHAOS_LOG_DIR"],
                                                      "chaos-%d.log" % seed))
        left = leftovers(server, before, seen) if server.proc.poll() is not None else None
        if server.proc.poll() is None or left:
            # A failed run: leave the host clean for whoever runs next, then report.
            if server.proc.poll() is not None:
                server.start()
            server.reset()
            server.stop()
            for ns in own_netns(server.data_dir):
                subprocess.run(["ip", "netns", "delete", ns], check=False)
    print("containers seen: %d, test took %.0f s" % (len(seen), time.monotonic() - began))
    assert not left, "left behind after the teardown: %s" % left

    db = os.path.join(server.data_dir, "gantry.db")
    r = subprocess.run(["sqlite3", db, "PRAGMA integrity_check;"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.strip() == "ok", (r.stdout, r.stderr)
