"""Nothing grows without bound (issue 14): a task that prints 1 GiB leaves the data directory at
a size its flags bound (captured output is cut into segments that are deleted once forwarded to
CloudWatch Logs, and the shim drops the oldest beyond --log-max-segments), its last lines reach
CloudWatch Logs, and its bundle goes with it; the forwarder's position survives a restart of the
server across many segment rotations without losing or repeating a line; STOPPED tasks expire
from DescribeTasks/ListTasks after --stopped-task-ttl.

The sizes are measured like `du`: blocks on disk, one filesystem (a running container's rootfs
is an overlay mount inside the data directory and is not counted again).
"""
import os
import subprocess
import threading
import time
import urllib.request

import pytest

from alb_env import own_netns, privileged
from conftest import GantryProcess, client_for
from oci_images import build_busybox_image
from test_tasks import register, run, vpc, wait_for  # noqa: F401 (vpc is a fixture)

MiB = 1 << 20
SEGMENT_KB = 4096
MAX_SEGMENTS = 4
# What a container's captured output may take: full segments plus the record being written.
LOG_CAP = SEGMENT_KB * 1024 * MAX_SEGMENTS + 64 * 1024
# Everything else a running task adds: its bundle (config.json, hosts, an empty upper dir), the
# forwarder's position file, the server's own log lines. Small against LOG_CAP and 1 GiB.
SLACK = 8 * MiB
DB_FILES = ("gantry.db", "gantry.db-wal", "gantry.db-shm")
GIB = 1 << 30


def disk_usage(root, exclude=()):
    """Bytes on disk under root, one filesystem, without the top-level names in `exclude`."""
    dev = os.lstat(root).st_dev
    total = 0
    for d, dirs, files in os.walk(root):
        keep = []
        for name in dirs:
            p = os.path.join(d, name)
            try:
                st = os.lstat(p)
            except FileNotFoundError:
                continue
            if st.st_dev == dev and not os.path.ismount(p):
                keep.append(name)
                total += st.st_blocks * 512
        dirs[:] = keep
        for name in files:
            if d == root and name in exclude:
                continue
            try:
                total += os.lstat(os.path.join(d, name)).st_blocks * 512
            except FileNotFoundError:
                pass  # a segment deleted while we walked
    return total


def db_usage(root):
    return sum(disk_usage_of(os.path.join(root, n)) for n in DB_FILES)


def disk_usage_of(path):
    try:
        return os.lstat(path).st_blocks * 512
    except FileNotFoundError:
        return 0


class Clients:
    def __init__(self, g):
        self.ec2 = client_for(g.endpoint, "ec2")
        self.ecs = client_for(g.endpoint, "ecs")
        self.logs = client_for(g.endpoint, "logs")
        self.ecr = client_for(g.endpoint, "ecr")


def push_tools(g, tmp_path, name="tools", extra_files=None):
    """Pushes busybox (plus a layer of `extra_files`) as `name`; returns its URI."""
    repo = Clients(g).ecr.create_repository(repositoryName=name)["repository"]
    layout = build_busybox_image(tmp_path / name, cmd=["sh"], extra_files=extra_files)
    r = subprocess.run(["skopeo", "--insecure-policy", "copy", "--dest-tls-verify=false",
                        "oci:%s:latest" % layout, "docker://127.0.0.1:%d/%s:latest" % (g.port, name)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return repo["repositoryUri"] + ":latest"


@pytest.fixture
def limited(tmp_path):
    d = str(tmp_path / "data")
    g = GantryProcess(d, ["--log-segment-kb", str(SEGMENT_KB),
                          "--log-max-segments", str(MAX_SEGMENTS)]).start()
    try:
        yield g, push_tools(g, tmp_path)
        # Wiping a gibibyte of log events takes longer than conftest's reset waits.
        req = urllib.request.Request(g.endpoint + "/_gantry/reset", method="POST", data=b"")
        with urllib.request.urlopen(req, timeout=300) as r:
            assert r.status == 200
    finally:
        g.stop()
    assert own_netns(d) == set()


@pytest.fixture
def aws(limited):
    """The clients the imported `vpc` fixture asks for, on the `limited` server."""
    return Clients(limited[0])


def needs_runc(test):
    for mark in privileged:
        test = mark(test)
    return test


class Sampler(threading.Thread):
    """Samples the data directory's size (without the database) until stopped."""

    def __init__(self, root):
        super().__init__(daemon=True)
        self.root, self.peak, self.samples = root, 0, 0
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            self.peak = max(self.peak, disk_usage(self.root, DB_FILES))
            self.samples += 1
            self.done.wait(0.2)

    def stop(self):
        self.done.set()
        self.join()


@needs_runc
@pytest.mark.emulator_only
@pytest.mark.parametrize("mode", ["non-blocking", "blocking"])
def test_a_gibibyte_of_output_leaves_the_data_directory_bounded(limited, aws, vpc, mode):
    """non-blocking (ECS's default): the shim drops the oldest segment when the forwarder falls
    behind, so some lines may be lost, never the last ones. blocking: the container waits for
    the forwarder and every line arrives."""
    g, image = limited
    # 131072 lines of 8191 characters: exactly 1 GiB, then a last line to look for.
    cmd = ["sh", "-c", "L=$(printf '%08191d' 0); busybox yes \"$L\" | head -c " + str(GIB) +
                       "; echo END-OF-OUTPUT"]
    td = register(aws, "chatty", image, command=cmd, extra={"logConfiguration": {
        "logDriver": "awslogs", "options": {
            "awslogs-group": "/ecs/chatty", "awslogs-region": "us-east-1",
            "awslogs-stream-prefix": "ecs", "awslogs-create-group": "true", "mode": mode}}})
    before = disk_usage(g.data_dir, DB_FILES)
    db_before = db_usage(g.data_dir)
    sampler = Sampler(g.data_dir)
    sampler.start()
    started = time.monotonic()
    try:
        arn = run(aws, td, vpc["subnets"][0], [vpc["other"]])
        task = wait_for(aws, arn, "STOPPED", timeout=300)
    finally:
        sampler.stop()
    elapsed = time.monotonic() - started
    assert task["containers"][0].get("exitCode") == 0, task
    after = disk_usage(g.data_dir, DB_FILES)
    stored = aws.logs.describe_log_groups(logGroupNamePrefix="/ecs/chatty")[
        "logGroups"][0]["storedBytes"]
    db_growth = db_usage(g.data_dir) - db_before
    # storedBytes counts each event's message plus 26 bytes (as CloudWatch Logs does): all of
    # them would be 131072 lines of 8191 and END-OF-OUTPUT.
    lines = GIB // 8192
    all_stored = lines * (8191 + 26) + len("END-OF-OUTPUT") + 26
    dropped = (all_stored - stored) // (8191 + 26)
    print("\n1 GiB task (%s): %.1f s; data dir without the db: before %.1f MiB, peak %.1f MiB "
          "(%d samples), after %.1f MiB; CloudWatch storedBytes %.1f MiB, %d lines dropped "
          "before forwarding; db grew %.1f MiB" % (
              mode, elapsed, before / MiB, sampler.peak / MiB, sampler.samples, after / MiB,
              stored / MiB, dropped, db_growth / MiB))

    # While it ran: at most one container's capped output above where it started.
    assert sampler.samples >= 3
    assert sampler.peak <= before + LOG_CAP + SLACK, (sampler.peak, before)
    # After it stopped: its bundle and segments are gone.
    assert after <= before + SLACK, (after, before)
    # Nothing was sent twice, and the database holds what CloudWatch Logs stored and not much
    # more (pages, write-ahead log).
    assert stored <= all_stored
    if mode == "blocking":
        assert stored == all_stored, dropped
    assert db_growth <= stored * 1.25 + 128 * MiB, (db_growth, stored)
    # The last lines arrived.
    stream = "ecs/app/" + arn.rsplit("/", 1)[1]
    last = aws.logs.get_log_events(logGroupName="/ecs/chatty", logStreamName=stream,
                                   startFromHead=False, limit=3)["events"]
    assert last and last[-1]["message"] == "END-OF-OUTPUT", [e["message"][:20] for e in last]
    assert last[-2]["message"] == "0" * 8191


def all_messages(logs, group, stream):
    out, token = [], None
    while True:
        kw = {"nextToken": token} if token else {}
        page = logs.get_log_events(logGroupName=group, logStreamName=stream,
                                   startFromHead=True, **kw)
        out += [e["message"] for e in page["events"]]
        if page["nextForwardToken"] == token:
            return out
        token = page["nextForwardToken"]


@needs_runc
@pytest.mark.emulator_only
def test_forwarding_resumes_after_a_restart_without_losing_or_repeating_a_line(tmp_path):
    """Small segments (4 KiB) rotate hundreds of times; the server stops while the task writes
    and starts again: every line reaches CloudWatch Logs exactly once, in order."""
    d = str(tmp_path / "data")
    args = ["--log-segment-kb", "4", "--log-max-segments", "100000"]
    g = GantryProcess(d, args).start()
    try:
        image = push_tools(g, tmp_path)
        aws = Clients(g)
        net = next(vpc.__wrapped__(aws))
        # 40000 numbered lines (~500 KiB, ~120 segments), written until /tmp/go disappears
        # halfway, so that the server can be stopped while output is still coming.
        cmd = ["sh", "-c", "i=0; while [ $i -lt 40000 ]; do echo line-$i; i=$((i+1)); "
                           "if [ $i -eq 20000 ]; then touch /tmp/half; "
                           "while [ ! -e /tmp/go ]; do sleep 0.05; done; fi; done"]
        td = register(aws, "counter", image, command=cmd, group="/ecs/counter")
        arn = run(aws, td, net["subnets"][0], [net["other"]])
        stream = "ecs/app/" + arn.rsplit("/", 1)[1]
        wait_for(aws, arn, "RUNNING")
        # The first half has been forwarded: line-19999 is in CloudWatch Logs.
        deadline = time.monotonic() + 120
        while "line-19999" not in all_messages(aws.logs, "/ecs/counter", stream)[-5:]:
            assert time.monotonic() < deadline, "the first half never arrived"
            time.sleep(0.2)
        g.stop()
        # While the server is down the container writes the second half.
        container = [c for c in os.listdir(os.path.join(d, "runtime", "containers"))]
        assert len(container) == 1
        rootfs = os.path.join(d, "runtime", "containers", container[0], "rootfs")
        open(os.path.join(rootfs, "tmp", "go"), "w").close()
        cdir = os.path.join(d, "runtime", "containers", container[0])
        deadline = time.monotonic() + 60
        while not any(n.startswith("log.") and int(n[4:]) >= 100 for n in os.listdir(cdir)):
            assert time.monotonic() < deadline, os.listdir(cdir)
            time.sleep(0.1)
        g = GantryProcess(d, args).start()
        aws = Clients(g)
        wait_for(aws, arn, "STOPPED", timeout=120)
        msgs = all_messages(aws.logs, "/ecs/counter", stream)
        assert msgs == ["line-%d" % i for i in range(40000)], (len(msgs), msgs[:3], msgs[-3:])
        g.reset()
    finally:
        g.stop()
    assert own_netns(d) == set()


def layers(data_dir):
    d = os.path.join(data_dir, "runtime", "layers")
    return {n for n in os.listdir(d) if n != "empty" and ".tmp-" not in n}


def wait_until(condition, what, timeout=30):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


@needs_runc
@pytest.mark.emulator_only
def test_unused_layers_and_stopped_bundles_are_pruned_but_never_a_layer_in_use(tmp_path):
    """Bundles kept 1 s after their task stops, layers unused for 1 s removed, a pass every
    second: a task's own layer goes once its bundle has gone, the busybox layer it shares with a
    running task stays until that task stops too."""
    d = str(tmp_path / "data")
    g = GantryProcess(d, ["--stopped-bundle-ttl", "1", "--layer-max-idle", "1",
                          "--layer-cache-max-mb", "0", "--prune-interval", "1"]).start()
    try:
        base = push_tools(g, tmp_path)
        extra = push_tools(g, tmp_path, "extra", {"/extra/file": "only in this image\n"})
        aws = Clients(g)
        net = next(vpc.__wrapped__(aws))
        runner = run(aws, register(aws, "runner", base, command=["sleep", "600"]),
                     net["subnets"][0], [net["other"]])
        wait_for(aws, runner, "RUNNING")
        shared = layers(d)
        assert len(shared) == 1
        once = run(aws, register(aws, "once", extra, command=["true"]), net["subnets"][0],
                   [net["other"]])
        task = wait_for(aws, once, "STOPPED")
        own = layers(d) - shared
        assert len(own) == 1
        # Kept for the ttl, then removed; then its layer, unused, goes.
        bundle = os.path.join(d, "runtime", "containers", task["containers"][0]["runtimeId"])

        def bundle_gone():
            layer_there = bool(layers(d) & own)  # looked at first: the bundle goes first
            assert layer_there or not os.path.exists(bundle), "a mounted layer was pruned"
            return not os.path.exists(bundle)
        wait_until(bundle_gone, "the stopped bundle was never pruned")
        wait_until(lambda: not (layers(d) & own), "the unused layer was never pruned")
        assert layers(d) == shared
        assert aws.ecs.describe_tasks(cluster="tasks", tasks=[runner])["tasks"][0][
            "lastStatus"] == "RUNNING"
        aws.ecs.stop_task(cluster="tasks", task=runner)
        wait_for(aws, runner, "STOPPED")
        wait_until(lambda: not layers(d), "the last layer was never pruned")
        g.reset()
    finally:
        g.stop()
    assert own_netns(d) == set()


@pytest.mark.emulator_only
def test_stopped_tasks_expire_after_the_configured_window(tmp_path):
    """DescribeTasks: "Currently, stopped tasks appear in the returned results for at least one
    hour." Here the window is 2 s (--stopped-task-ttl): present right after StopTask, then
    MISSING, and gone from ListTasks."""
    g = GantryProcess(str(tmp_path / "data"), ["--stopped-task-ttl", "2"],
                      env=dict(os.environ, GANTRY_TASKS="off")).start()
    try:
        ecs = client_for(g.endpoint, "ecs")
        ecs.create_cluster(clusterName="c")
        ecs.register_task_definition(
            family="f", requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="256",
            memory="512", containerDefinitions=[{"name": "app", "image": "busybox"}])
        ec2 = client_for(g.endpoint, "ec2")
        vpc_id = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
        subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.9.1.0/24")["Subnet"]["SubnetId"]
        arn = ecs.run_task(cluster="c", taskDefinition="f", launchType="FARGATE",
                           networkConfiguration={"awsvpcConfiguration": {
                               "subnets": [subnet]}})["tasks"][0]["taskArn"]
        ecs.stop_task(cluster="c", task=arn)
        stopped_at = time.monotonic()
        t = ecs.describe_tasks(cluster="c", tasks=[arn])["tasks"]
        assert t and t[0]["lastStatus"] == "STOPPED"
        assert ecs.list_tasks(cluster="c", desiredStatus="STOPPED")["taskArns"] == [arn]
        deadline = stopped_at + 10
        while ecs.describe_tasks(cluster="c", tasks=[arn])["tasks"]:
            assert time.monotonic() < deadline, "the stopped task never expired"
            time.sleep(0.2)
        assert time.monotonic() - stopped_at >= 2 - 0.1  # not before the window
        out = ecs.describe_tasks(cluster="c", tasks=[arn])
        assert out["failures"] == [{"arn": arn, "reason": "MISSING"}]
        assert ecs.list_tasks(cluster="c", desiredStatus="STOPPED")["taskArns"] == []
    finally:
        g.stop()

