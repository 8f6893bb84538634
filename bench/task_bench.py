#!/usr/bin/env python3
"""RunTask → RUNNING for real tasks (issue 6), with `podman run -d` of the same image as the peer
in the same run, then N tasks started at once with the server's own RSS.

Usage: python3 bench/task_bench.py [--gantry-bin PATH] [--tasks 50] [--concurrent 200]
       [--no-write] [--smoke]
Needs root, runc, skopeo (and podman for the peer). Starts its own Gantry on a free port with a
temporary data directory; pushes a busybox httpd image (`httpd -f -p 8080`) to its ECR; makes a
VPC 10.0.0.0/16 with a /20 subnet, a security group, a cluster and a FARGATE awsvpc task definition
(stopTimeout 2, awslogs). Prints a Markdown table and, unless --no-write, appends a section to
bench/RESULTS.md. Leaves the host as it found it: the server is reset then stopped, the podman
storage (private --root/--runroot/--tmpdir under the temp directory) and the temp directory are
removed, and no network namespace with the server's prefix may remain.

--smoke: 1 timed task (after the warm-up), 1 podman run, 3 tasks at once; never writes
bench/RESULTS.md; exits non-zero unless every task reached RUNNING and then STOPPED and no
namespace remained after the reset. Not root: prints a skip and exits 0. podman is skipped, with
a note, only when it is not installed.
"""
import argparse
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
# conftest imports pytest: Debian's, appended last as scripts/pytest.sh does (newer boto3 wins).
sys.path.append("/usr/lib/python3/dist-packages")

import conftest  # noqa: E402  (GantryProcess, client_for)
from oci_images import build_busybox_image  # noqa: E402

ACCOUNT = "000000000000"
CLUSTER = "bench"
POLL = 0.005  # DescribeTasks poll period while timing one task
PODMAN_IMAGE = "localhost/bench-web:latest"


# ---------------------------------------------------------------------------------------------
# small helpers

def pct(samples, p):
    s = sorted(samples)
    if not s:
        return float("nan")
    k = max(0, min(len(s) - 1, int(round(p / 100.0 * len(s) + 0.5)) - 1))
    return s[k]


def summary(samples):
    return {"p50": statistics.median(samples), "p95": pct(samples, 95), "max": max(samples),
            "min": min(samples), "n": len(samples)}


def fmt_s(x):
    return "%.3f s" % x


def uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def meminfo():
    out = {}
    with open("/proc/meminfo") as f:
        for line in f:
            k, v = line.split(":", 1)
            out[k] = int(v.split()[0]) * 1024
    return out


def host_used_bytes():
    m = meminfo()
    return m["MemTotal"] - m["MemAvailable"]


def rss_bytes(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def pss_bytes(pid):
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def mib(b):
    return b / (1024.0 * 1024.0)


def task_memory(tasks, shim_path):
    """(containers' memory cgroup usage, their total_rss, shim count, shims' RSS) in bytes for
    the given task descriptions: cgroups are /sys/fs/cgroup/memory/gantry/<runtimeId>."""
    usage = rss = 0
    for t in tasks:
        for c in t.get("containers", []):
            rid = c.get("runtimeId")
            if not rid:
                continue
            d = os.path.join("/sys/fs/cgroup/memory/gantry", rid)
            try:
                with open(os.path.join(d, "memory.usage_in_bytes")) as f:
                    usage += int(f.read())
                with open(os.path.join(d, "memory.stat")) as f:
                    for line in f:
                        if line.startswith("total_rss "):
                            rss += int(line.split()[1])
            except OSError:
                pass
    shims = shim_rss = shim_pss = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            if os.readlink("/proc/%s/exe" % pid) == shim_path:
                shims += 1
                shim_rss += rss_bytes(int(pid))
                shim_pss += pss_bytes(int(pid))
        except OSError:
            pass
    return usage, rss, shims, shim_rss, shim_pss


def fnv1a(text):
    h = 14695981039346656037
    for c in text.encode():
        h ^= c
        h = (h * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return h


def instance_prefix(data_dir):
    """src/netplane/instance_names.cc InstanceNames::for_data_dir."""
    abs_dir = os.path.normpath(os.path.abspath(data_dir))
    return "gx" + ("%016x" % fnv1a(abs_dir))[:6]


def netns_list():
    r = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True)
    return [line.split()[0] for line in r.stdout.splitlines() if line.strip()]


def parse_log_ts(ts):
    return datetime.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=datetime.timezone.utc).timestamp()


LOG_RE = re.compile(r'^ts=(\S+) level=\S+ msg=("[^"]*"|\S+) ?(.*)$')
TASK_RE = re.compile(r'task="?(arn:[^" ]+)')


def task_events(log_text):
    """{task_arn: {msg: first wall-clock time}} for the task lines of the server log."""
    out = {}
    for line in log_text.splitlines():
        m = LOG_RE.match(line)
        if not m:
            continue
        t = TASK_RE.search(m.group(3))
        if not t:
            continue
        out.setdefault(t.group(1), {}).setdefault(m.group(2).strip('"'),
                                                  parse_log_ts(m.group(1)))
    return out


# ---------------------------------------------------------------------------------------------
# Gantry

class Bench:
    def __init__(self, args, tmp):
        self.args = args
        self.tmp = tmp
        self.data_dir = os.path.join(tmp, "data")
        os.makedirs(self.data_dir)
        self.prefix = instance_prefix(self.data_dir)
        self.g = None
        self.results = {}
        self.notes = []

    def start(self):
        conftest.BINARY = self.args.gantry_bin
        self.g = conftest.GantryProcess(self.data_dir).start()
        self.ec2 = conftest.client_for(self.g.endpoint, "ec2")
        self.ecs = conftest.client_for(self.g.endpoint, "ecs",
                                       max_pool_connections=4)
        self.ecr = conftest.client_for(self.g.endpoint, "ecr")

    def push_image(self):
        self.layout = build_busybox_image(os.path.join(self.tmp, "img"),
                                          cmd=["httpd", "-f", "-p", "8080"])
        repo = self.ecr.create_repository(repositoryName="bench-web")["repository"]
        r = subprocess.run(["skopeo", "--insecure-policy", "copy", "--dest-tls-verify=false",
                            "oci:%s:latest" % self.layout,
                            "docker://127.0.0.1:%d/bench-web:latest" % self.g.port],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("skopeo push failed: " + r.stderr)
        self.image = repo["repositoryUri"] + ":latest"

    def setup_network(self):
        vpc = self.ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        self.subnet = self.ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/20",
                                             AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
        self.sg = self.ec2.create_security_group(GroupName="bench-web", Description="bench",
                                                 VpcId=vpc)["GroupId"]
        self.ec2.authorize_security_group_ingress(
            GroupId=self.sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 8080,
                                             "ToPort": 8080,
                                             "IpRanges": [{"CidrIp": "10.0.0.0/16"}]}])
        self.ecs.create_cluster(clusterName=CLUSTER)
        container = {"name": "web", "image": self.image, "essential": True, "stopTimeout": 2,
                     "portMappings": [{"containerPort": 8080}],
                     "logConfiguration": {"logDriver": "awslogs", "options": {
                         "awslogs-group": "/ecs/bench", "awslogs-region": "us-east-1",
                         "awslogs-stream-prefix": "ecs", "awslogs-create-group": "true"}}}
        self.td = self.ecs.register_task_definition(
            family="bench-web", requiresCompatibilities=["FARGATE"], networkMode="awsvpc",
            cpu="256", memory="512",
            executionRoleArn="arn:aws:iam::%s:role/ecsTaskExecutionRole" % ACCOUNT,
            containerDefinitions=[container])["taskDefinition"]["taskDefinitionArn"]

    def run_tasks(self, count=1):
        out = self.ecs.run_task(cluster=CLUSTER, taskDefinition=self.td, launchType="FARGATE",
                                count=count,
                                networkConfiguration={"awsvpcConfiguration": {
                                    "subnets": [self.subnet], "securityGroups": [self.sg],
                                    "assignPublicIp": "DISABLED"}})
        if out["failures"]:
            raise RuntimeError("RunTask failures: %s" % out["failures"])
        return [t["taskArn"] for t in out["tasks"]]

    def describe(self, arns):
        tasks = []
        for i in range(0, len(arns), 100):
            tasks += self.ecs.describe_tasks(cluster=CLUSTER, tasks=arns[i:i + 100])["tasks"]
        return tasks

    def wait_status(self, arns, status, timeout, period=0.05):
        """Polls until every task has `status` (or STOPPED); returns the last descriptions."""
        deadline = time.monotonic() + timeout
        while True:
            tasks = self.describe(arns)
            done = [t for t in tasks if t["lastStatus"] in (status, "STOPPED")]
            if len(done) == len(arns) or time.monotonic() > deadline:
                return tasks
            time.sleep(period)

    def time_one(self):
        """RunTask → first RUNNING seen with DescribeTasks polled every 5 ms."""
        wall0 = time.time()
        t0 = time.perf_counter()
        arn = self.run_tasks()[0]
        t_call = time.perf_counter() - t0
        deadline = t0 + 60
        while True:
            task = self.ecs.describe_tasks(cluster=CLUSTER, tasks=[arn])["tasks"][0]
            now = time.perf_counter()
            if task["lastStatus"] == "RUNNING":
                break
            if task["lastStatus"] == "STOPPED" or now > deadline:
                raise RuntimeError("task did not reach RUNNING: %s %s" % (
                    task["lastStatus"], task.get("stoppedReason")))
            time.sleep(POLL)
        return arn, now - t0, t_call, wall0, wall0 + (now - t0), task

    def stop_and_wait(self, arns, timeout=60):
        t0 = time.perf_counter()
        for a in arns:
            self.ecs.stop_task(cluster=CLUSTER, task=a, reason="bench")
        tasks = self.wait_status(arns, "STOPPED", timeout)
        return time.perf_counter() - t0, tasks

    # -- 2. sequential --------------------------------------------------------------------------
    def sequential(self):
        arn, t, *_ = self.time_one()  # warm-up: the layers are unpacked and cached
        self.stop_and_wait([arn])
        self.results["warmup"] = t
        samples, calls, stops, rows = [], [], [], []
        for _ in range(self.args.tasks):
            arn, t, t_call, wall0, wall_seen, task = self.time_one()
            samples.append(t)
            calls.append(t_call)
            rows.append((arn, wall0, wall_seen, task))
            s, _ = self.stop_and_wait([arn])
            stops.append(s)
        self.results["seq"] = summary(samples)
        self.results["seq_call"] = summary(calls)
        self.results["seq_stop"] = summary(stops)
        self.seq_rows = rows

    def phases(self):
        """Where the time of the sequential tasks goes, from the server log's timestamps
        (ms resolution) and the task's own timestamps."""
        ev = task_events(self.g.read_log())
        ph = {"RunTask call → network attached": [], "network attached → 'task running' logged":
              [], "'task running' logged → RUNNING seen by the client": [],
              "createdAt → startedAt (task's own)": []}
        for arn, wall0, seen, task in self.seq_rows:
            e = ev.get(arn, {})
            att, run = e.get("task network attached"), e.get("task running")
            if att is not None:
                ph["RunTask call → network attached"].append(att - wall0)
            if att is not None and run is not None:
                ph["network attached → 'task running' logged"].append(run - att)
            if run is not None:
                ph["'task running' logged → RUNNING seen by the client"].append(seen - run)
            if "startedAt" in task and "createdAt" in task:
                ph["createdAt → startedAt (task's own)"].append(
                    task["startedAt"].timestamp() - task["createdAt"].timestamp())
        self.results["phases"] = {k: statistics.median(v) for k, v in ph.items() if v}

    # -- 4. concurrent ------------------------------------------------------------------------
    def concurrent(self):
        n = self.args.concurrent
        wall0 = time.time()
        base_used = host_used_bytes()
        base_rss = rss_bytes(self.g.proc.pid)
        t0 = time.perf_counter()
        arns, reach = [], {}
        for i in range(0, n, 10):
            arns += self.run_tasks(min(10, n - i))
        t_calls = time.perf_counter() - t0
        deadline = t0 + self.args.timeout
        stopped = {}
        while True:
            tasks = self.describe(arns)
            now = time.perf_counter() - t0
            for t in tasks:
                if t["lastStatus"] == "RUNNING" and t["taskArn"] not in reach:
                    reach[t["taskArn"]] = now
                if t["lastStatus"] == "STOPPED":
                    stopped[t["taskArn"]] = t.get("stoppedReason")
            if len(reach) + len(stopped) >= n or time.perf_counter() > deadline:
                break
            time.sleep(0.1)
        t_all = time.perf_counter() - t0
        running_now = sum(1 for t in tasks if t["lastStatus"] == "RUNNING")
        rss = rss_bytes(self.g.proc.pid)
        used = host_used_bytes()
        ns = [x for x in netns_list() if x.startswith(self.prefix)]
        mem = task_memory(tasks, os.path.join(os.path.dirname(self.args.gantry_bin),
                                              "gantry-shim"))
        times = sorted(reach.values())
        self.results["conc"] = {
            "n": n, "calls": t_calls, "all": t_all, "running": len(reach),
            "running_now": running_now, "stopped": len(stopped),
            "stopped_reasons": sorted(set(stopped.values()))[:3],
            "half": times[len(times) // 2 - 1] if times else None,
            "rss_before": base_rss, "rss": rss, "host_before": base_used, "host": used,
            "netns": len(ns), "cg_usage": mem[0], "cg_rss": mem[1], "shims": mem[2],
            "shim_rss": mem[3], "shim_pss": mem[4], "wall0": wall0}
        t_stop, final = self.stop_and_wait(arns, timeout=120)
        self.results["conc"]["stop_all"] = t_stop
        self.results["conc"]["stopped_after"] = sum(1 for t in final
                                                    if t["lastStatus"] == "STOPPED")
        self.results["conc"]["rss_after_stop"] = rss_bytes(self.g.proc.pid)
        self.concurrent_phases()

    def concurrent_phases(self):
        """When the concurrent tasks' networks were attached and their containers logged running,
        relative to the first RunTask call (server log, ms resolution)."""
        c = self.results["conc"]
        ev = task_events(self.g.read_log())
        att = sorted(e["task network attached"] - c["wall0"] for e in ev.values()
                     if "task network attached" in e
                     and e["task network attached"] >= c["wall0"])
        run = sorted(e["task running"] - c["wall0"] for e in ev.values()
                     if "task running" in e and e["task running"] >= c["wall0"])
        gaps = sorted(e["task running"] - e["task network attached"] for e in ev.values()
                      if "task running" in e and "task network attached" in e
                      and e["task network attached"] >= c["wall0"])
        if att and run:
            c["log"] = {"attached_half": att[len(att) // 2 - 1], "attached_last": att[-1],
                        "running_first": run[0], "running_half": run[len(run) // 2 - 1],
                        "running_last": run[-1], "gap_p50": statistics.median(gaps),
                        "rate": len(run) / max(1e-9, run[-1] - att[0])}

    def finish(self):
        """Reset, check no namespace of ours remains, stop."""
        if not self.g or not self.g.proc:
            return
        try:
            self.g.reset()
        except Exception as e:  # still stop the server below
            self.notes.append("reset failed: %s" % e)
        left = [x for x in netns_list() if x.startswith(self.prefix)]
        self.results["netns_after_reset"] = left
        self.g.stop()
        self.log_copy = self.g.read_log()


# ---------------------------------------------------------------------------------------------
# podman

class Podman:
    def __init__(self, tmp, layout):
        self.dir = os.path.join(tmp, "podman")
        self.layout = layout
        self.base = ["podman", "--root", os.path.join(self.dir, "root"),
                     "--runroot", os.path.join(self.dir, "runroot"),
                     "--tmpdir", os.path.join(self.dir, "tmp"),
                     "--runtime", "runc", "--cgroup-manager", "cgroupfs",
                     "--events-backend", "none"]
        self.driver = None
        self.cgroups_before = set(self._libpod_cgroups())

    @staticmethod
    def _libpod_cgroups():
        out = []
        for c in os.listdir("/sys/fs/cgroup"):
            p = os.path.join("/sys/fs/cgroup", c, "libpod_parent")
            if os.path.isdir(p):
                out.append(p)
        return out

    def cmd(self, *a, check=True):
        r = subprocess.run(self.base + ["--storage-driver", self.driver] + list(a),
                           capture_output=True, text=True)
        if check and r.returncode != 0:
            raise RuntimeError("podman %s: %s" % (" ".join(a), r.stderr.strip()[-500:]))
        return r

    def load(self):
        """Copies the OCI layout into the private storage under an explicit name (`podman pull
        oci:<dir>` names the image after the directory, which a temp dir's name can make an
        invalid reference)."""
        errors = []
        for driver in ("overlay", "vfs"):
            self.driver = driver
            self.cmd("images", check=False)  # creates the storage with podman's own settings
            store = "containers-storage:[%s@%s+%s]%s" % (
                driver, os.path.join(self.dir, "root"), os.path.join(self.dir, "runroot"),
                PODMAN_IMAGE)
            r = subprocess.run(["skopeo", "--insecure-policy", "copy",
                                "oci:%s:latest" % self.layout, store],
                               capture_output=True, text=True)
            if r.returncode == 0 and PODMAN_IMAGE in self.cmd(
                    "images", "--format", "{{.Repository}}:{{.Tag}}", check=False).stdout:
                return
            errors.append("%s: %s" % (driver, r.stderr.strip()[-300:]))
            self.cleanup_storage()
        raise RuntimeError("podman cannot load the image: " + "; ".join(errors))

    def run_once(self, name):
        t0 = time.perf_counter()
        self.cmd("run", "-d", "--pull", "never", "--name", name, "--network", "none",
                 "--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096", PODMAN_IMAGE)
        t_ret = time.perf_counter() - t0
        deadline = t0 + 60
        while True:
            r = self.cmd("inspect", "-f", "{{.State.Running}}", name)
            if r.stdout.strip() == "true":
                break
            if time.perf_counter() > deadline:
                raise RuntimeError("podman container never Running")
            time.sleep(POLL)
        t_run = time.perf_counter() - t0
        self.cmd("rm", "-f", "-t", "0", name)
        return t_ret, t_run

    def bench(self, runs):
        self.load()
        self.run_once("bench-warm")
        ret, run = [], []
        for i in range(runs):
            a, b = self.run_once("bench-%d" % i)
            ret.append(a)
            run.append(b)
        return summary(ret), summary(run)

    def cleanup_storage(self):
        if self.driver:
            self.cmd("rm", "-af", "-t", "0", check=False)
            self.cmd("rmi", "-af", check=False)
        with open("/proc/mounts") as f:
            mounts = [line.split()[1] for line in f if self.dir in line.split()[1]]
        for m in sorted(mounts, key=len, reverse=True):
            subprocess.run(["umount", "-l", m], capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)

    def cleanup(self):
        self.cleanup_storage()
        for p in self._libpod_cgroups():
            if p in self.cgroups_before:
                continue
            for sub in sorted((os.path.join(d, x) for d, dirs, _ in os.walk(p) for x in dirs),
                              key=len, reverse=True):
                try:
                    os.rmdir(sub)
                except OSError:
                    pass
            try:
                os.rmdir(p)
            except OSError:
                pass


# ---------------------------------------------------------------------------------------------
# report

def report(b, pod, pod_error, load_start, load_end, args):
    r = b.results
    seq = r["seq"]
    lines = []
    lines.append("| metric | Gantry | podman | target |")
    lines.append("|---|---|---|---|")
    if pod:
        pret, prun = pod
        lines.append("| start → running, p50 | %s | %s (`run -d` returned) / %s (inspect says "
                     "Running) | ≤ 0.3 s, and faster than podman |"
                     % (fmt_s(seq["p50"]), fmt_s(pret["p50"]), fmt_s(prun["p50"])))
        lines.append("| start → running, p95 | %s | %s / %s | |"
                     % (fmt_s(seq["p95"]), fmt_s(pret["p95"]), fmt_s(prun["p95"])))
        lines.append("| start → running, max | %s | %s / %s | |"
                     % (fmt_s(seq["max"]), fmt_s(pret["max"]), fmt_s(prun["max"])))
    else:
        for k in ("p50", "p95", "max"):
            lines.append("| start → running, %s | %s | n/a | %s |" % (
                k, fmt_s(seq[k]), "≤ 0.3 s" if k == "p50" else ""))
    lines.append("| RunTask call alone, p50 | %s | | |" % fmt_s(r["seq_call"]["p50"]))
    lines.append("| StopTask → STOPPED, p50 (stopTimeout 2, httpd ignores SIGTERM) | %s | | |"
                 % fmt_s(r["seq_stop"]["p50"]))
    lines.append("| first task (warm-up: unpacks the layers) | %s | | |" % fmt_s(r["warmup"]))
    c = r.get("conc")
    if c:
        lines.append("| %d tasks at once (RunTask count=10 × %d): all RUNNING after | %s "
                     "(%d/%d RUNNING%s) | | all %d RUNNING |"
                     % (c["n"], (c["n"] + 9) // 10, fmt_s(c["all"]), c["running"], c["n"],
                        ", %d STOPPED" % c["stopped"] if c["stopped"] else "", c["n"]))
        lines.append("| … half of them RUNNING after | %s | | |"
                     % (fmt_s(c["half"]) if c["half"] is not None else "n/a"))
        lines.append("| … the %d RunTask calls took | %s | | |"
                     % ((c["n"] + 9) // 10, fmt_s(c["calls"])))
        lines.append("| server RSS: idle before / with %d tasks running / after stopping them "
                     "| %.1f / %.1f / %.1f MiB | | reported |"
                     % (c["n"], mib(c["rss_before"]), mib(c["rss"]), mib(c["rss_after_stop"])))
        lines.append("| host memory used (MemTotal − MemAvailable): before / with %d running "
                     "| %.0f / %.0f MiB (+%.1f MiB per task) | | |"
                     % (c["n"], mib(c["host_before"]), mib(c["host"]),
                        mib(c["host"] - c["host_before"]) / max(1, c["running_now"])))
        lines.append("| with %d running: containers' memory cgroups (usage / total_rss) | "
                     "%.1f / %.1f MiB | | |" % (c["running_now"], mib(c["cg_usage"]),
                                               mib(c["cg_rss"])))
        lines.append("| with %d running: gantry-shim processes, their RSS / PSS summed | %d, "
                     "%.1f / %.1f MiB | | |" % (c["running_now"], c["shims"], mib(c["shim_rss"]),
                                               mib(c["shim_pss"])))
        lines.append("| with %d running: network namespaces with the server's prefix | %d | | |"
                     % (c["running_now"], c["netns"]))
        lines.append("| StopTask × %d → all STOPPED | %s (%d/%d STOPPED) | | all STOPPED |"
                     % (c["n"], fmt_s(c["stop_all"]), c["stopped_after"], c["n"]))
    lines.append("| namespaces with the server's prefix after /_gantry/reset | %d | | 0 |"
                 % len(r.get("netns_after_reset", [])))
    table = "\n".join(lines)

    ph = r.get("phases", {})
    phase_lines = "\n".join("| %s | %.0f ms |" % (k, v * 1000) for k, v in ph.items())

    cl = (c or {}).get("log")
    if cl:
        phase_lines += "\n\n" + textwrap.fill(
            "The %d concurrent tasks, from the same log (seconds after the first RunTask call): "
            "half of the networks were attached after %.2f s and the last after %.2f s; the "
            "first container was logged running after %.2f s, half after %.2f s, the last after "
            "%.2f s (%.1f tasks/s); a task waited %.2f s (median) from network attached to "
            "running." % (c["n"], cl["attached_half"], cl["attached_last"], cl["running_first"],
                          cl["running_half"], cl["running_last"], cl["rate"], cl["gap_p50"]),
            width=100)
    verdict = []
    p50_ok = seq["p50"] <= 0.3
    verdict.append("- p50 ≤ 0.3 s: **%s** (%.3f s)." % ("met" if p50_ok else "not met",
                                                         seq["p50"]))
    if pod:
        faster = seq["p50"] < pod[0]["p50"]
        verdict.append("- faster than podman: **%s** (Gantry p50 %.3f s vs `podman run -d` "
                       "p50 %.3f s, %.1fx)." % ("met" if faster else "not met", seq["p50"],
                                               pod[0]["p50"], pod[0]["p50"] / seq["p50"]))
    else:
        verdict.append("- faster than podman: **not measured**: %s" % pod_error)
    if c:
        ok = c["running"] == c["n"]
        verdict.append("- %d concurrent tasks: **%s** (%d RUNNING after %.1f s; server RSS "
                       "%.1f MiB with them running)." % (
                           c["n"], "met" if ok else "not met", c["running"], c["all"],
                           mib(c["rss"])))
    clean = not r.get("netns_after_reset")
    verdict.append("- clean after reset: **%s**." % ("yes" if clean else "no: %s" %
                                                    r.get("netns_after_reset")))

    date = datetime.date.today().isoformat()
    intro = """`python3 bench/task_bench.py --gantry-bin %(bin)s --tasks %(tasks)d --concurrent %(conc)d`
(%(date)s; %(machine)s, 2 cores shared with other agents' builds and tests: load average
%(l0)s at the start and %(l1)s at the end; RelWithDebInfo). One Gantry server with a fresh data
directory; a busybox httpd image (`httpd -f -p 8080`, two gzip layers from
`tests/e2e/oci_images.py`) pushed to its ECR with skopeo; VPC 10.0.0.0/16, one /20 subnet, one
security group; a FARGATE awsvpc task definition with one container (stopTimeout 2, awslogs).
One warm-up task first, so the layers are already unpacked. Each of the %(tasks)d timed tasks is
RunTask then DescribeTasks every 5 ms until `lastStatus` is RUNNING, then StopTask and wait for
STOPPED before the next. The peer, in the same run: `podman run -d --runtime runc
--cgroup-manager cgroupfs --network none --ulimit nofile=4096:4096 --ulimit nproc=4096:4096`
(podman %(podman_version)s, %(driver)s storage under a private `--root`/`--runroot`/`--tmpdir`,
image copied from the same OCI layout with skopeo, one warm-up run), %(tasks)d times, then `podman inspect`
until Running and `podman rm -f -t 0`. Podman's default nproc limit is above what this host lets
a process set, so it needs the nproc ulimit too. Each `podman inspect` is itself a ~0.1 s process
start, so the second podman column is coarse. Host memory used also moves with the other
agents' processes: the per-task figure is indicative only.""" % {
        "bin": os.path.relpath(args.gantry_bin, ROOT) if args.gantry_bin.startswith(ROOT)
        else args.gantry_bin,
        "tasks": args.tasks, "conc": args.concurrent, "date": date,
        "machine": "%s, %s" % (platform.machine(), platform.release()),
        "l0": load_start, "l1": load_end,
        "podman_version": b.results.get("podman_version", "?"),
        "driver": b.results.get("podman_driver", "?")}
    intro = "\n\n".join(textwrap.fill(" ".join(p.split()), width=100, break_long_words=False,
                                       break_on_hyphens=False) for p in intro.split("\n\n"))
    section = """
## Tasks (RunTask to RUNNING)

%(intro)s

%(table)s

Where the time of one Gantry task goes (medians over the %(tasks)d tasks, from the server log's
millisecond timestamps and the task's own `createdAt`/`startedAt`):

| phase | median |
|---|---|
%(phases)s

Targets of issue 6 (bench paragraph):
%(verdict)s
%(notes)s""" % {
        "intro": intro, "tasks": args.tasks, "table": table, "phases": phase_lines,
        "verdict": "\n".join(verdict),
        "notes": ("\n" + "\n".join("- " + n for n in b.notes) + "\n") if b.notes else ""}
    return table, section


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gantry-bin", default=os.environ.get(
        "GANTRY_BIN", os.path.join(ROOT, "build", "gantry")))
    ap.add_argument("--tasks", type=int, default=50)
    ap.add_argument("--concurrent", type=int, default=200)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--no-podman", action="store_true")
    ap.add_argument("--no-write", action="store_true", help="do not append to bench/RESULTS.md")
    ap.add_argument("--smoke", action="store_true",
                    help="1 task, 3 at once, no file written; non-zero exit on any failure")
    args = ap.parse_args()
    args.gantry_bin = os.path.abspath(args.gantry_bin)
    if args.smoke:
        args.tasks, args.concurrent, args.timeout, args.no_write = 1, 3, 60, True
        if os.geteuid() != 0:
            print("skip: task_bench needs root (namespaces, runc)")
            return 0
        missing = [t for t in ("runc", "skopeo") if shutil.which(t) is None]
        if missing:
            sys.exit("%s not installed (see scripts/install-deps.sh)" % ", ".join(missing))
    if os.geteuid() != 0:
        sys.exit("needs root (namespaces, runc)")

    load_start = loadavg()
    print("uptime at start:", uptime(), flush=True)
    tmp = tempfile.mkdtemp(prefix="gantry-taskbench-")
    b = Bench(args, tmp)
    pod, pod_error, podman = None, None, None
    ok = False
    try:
        b.start()
        print("gantry pid %d on %s, netns prefix %s" % (b.g.proc.pid, b.g.endpoint, b.prefix),
              flush=True)
        b.push_image()
        b.setup_network()
        print("sequential: %d tasks" % args.tasks, flush=True)
        b.sequential()
        b.phases()
        print("  p50 %.3f s p95 %.3f s max %.3f s" % (b.results["seq"]["p50"],
                                                     b.results["seq"]["p95"],
                                                     b.results["seq"]["max"]), flush=True)
        if args.no_podman:
            pod_error = "skipped (--no-podman)"
        elif shutil.which("podman") is None:
            pod_error = "podman is not installed"
            print("note: podman is not installed; the podman comparison is skipped", flush=True)
        else:
            print("podman: %d runs" % args.tasks, flush=True)
            podman = Podman(tmp, b.layout)
            try:
                v = subprocess.run(["podman", "--version"], capture_output=True, text=True)
                b.results["podman_version"] = v.stdout.split()[-1] if v.stdout else "?"
                pod = podman.bench(args.tasks)
                b.results["podman_driver"] = podman.driver
                print("  run -d p50 %.3f s, Running p50 %.3f s" % (pod[0]["p50"],
                                                                   pod[1]["p50"]), flush=True)
            except Exception as e:
                pod_error = str(e)
                print("  podman failed:", e, flush=True)
                if args.smoke:
                    raise
            finally:
                podman.cleanup()
        print("concurrent: %d tasks" % args.concurrent, flush=True)
        b.concurrent()
        c = b.results["conc"]
        print("  %d/%d RUNNING after %.1f s, RSS %.1f MiB" % (c["running"], c["n"], c["all"],
                                                              mib(c["rss"])), flush=True)
        ok = True
    finally:
        b.finish()
        if podman and os.path.exists(podman.dir):
            podman.cleanup()
        if args.smoke:
            if not ok:
                print("server log ends:\n" + (getattr(b, "log_copy", "") or "")[-3000:])
        else:
            log_path = os.path.join(ROOT, "build-bench", "task_bench_gantry.log")
            try:
                os.makedirs(os.path.dirname(log_path), exist_ok=True)
                with open(log_path, "w") as f:
                    f.write(getattr(b, "log_copy", "") or "")
                print("server log kept at", log_path)
            except OSError:
                pass
        shutil.rmtree(tmp, ignore_errors=True)
    load_end = loadavg()
    print("uptime at end:", uptime())
    left = [x for x in netns_list() if x.startswith(b.prefix)]
    if left:
        print("WARNING: namespaces left:", left)
    if not ok:
        return 1
    table, section = report(b, pod, pod_error, load_start, load_end, args)
    print()
    print(section)
    if not args.no_write:
        with open(os.path.join(HERE, "RESULTS.md"), "a") as f:
            f.write(section)
    c = b.results["conc"]
    problems = []
    if c["running"] != c["n"]:
        problems.append("%d of %d concurrent tasks reached RUNNING" % (c["running"], c["n"]))
    if c["stopped_after"] != c["n"]:
        problems.append("%d of %d concurrent tasks STOPPED" % (c["stopped_after"], c["n"]))
    if b.results.get("netns_after_reset") or left:
        problems.append("namespaces left after the reset: %s" % (
            b.results.get("netns_after_reset") or left))
    problems += b.notes
    if problems:
        print("FAILED: " + "; ".join(problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
