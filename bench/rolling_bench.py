#!/usr/bin/env python3
"""A rolling deployment of a 4-task ECS service behind the ALB under constant load (issue 7):
zero failed requests out of at least 10 000.

Usage: python3 bench/rolling_bench.py [--gantry-bin PATH] [--tasks 4] [--connections 8]
       [--wrk-threads 2] [--warmup 30] [--tail 5] [--min-duration 60]
       [--min-requests 10000] [--max-duration 400] [--time-scale 10]
       [--no-write] [--smoke]
Needs root, runc, skopeo and wrk. Starts its own Gantry (tasks on, --time-scale, ALB listeners on
loopback through --alb-port-offset) with a temporary data directory; pushes two busybox httpd
images (web:v1, web:v2) to its ECR; makes the seeds' network (VPC, two subnets in two AZs, an ALB
security group and a task group admitting 8080 only from it), an internet-facing ALB with an HTTP
:80 listener forwarding to an ip target group (health check /health every 5 s, thresholds 2/2,
deregistration delay 5 s: AWS seconds, divided by the time scale), and a FARGATE service of
--tasks tasks (minimumHealthyPercent 100, maximumPercent 200, circuit breaker with rollback).
Once the service is stable and every target healthy, `wrk --latency` runs with keep-alive
connections to 127.0.0.1:<listener port + offset> with the ALB's DNS name as Host; after --warmup
seconds the service is updated to web:v2; wrk is stopped (SIGINT) --tail seconds after the
rollout completed (one deployment, COMPLETED, running = desired), and no sooner than
--min-duration and --min-requests (counted by a wrk Lua script; at most --max-duration). A failure is a non-2xx/3xx response or any socket error (connect, read, write,
timeout) that wrk reports. Prints a Markdown table and, unless --no-write, replaces the "Rolling
deployment under load" section of bench/RESULTS.md. Leaves the host as it found it: the server is
reset then stopped and no network namespace it made may remain.

--smoke: 2 tasks, the update 2 s in, wrk stopped 1 s after the rollout once 200 requests were
counted (at most 90 s); never writes bench/RESULTS.md; exits non-zero on any failed request, too
few requests, a rollout that does not complete or a namespace left behind. Not root: prints a
skip and exits 0.
"""
import argparse
import datetime
import os
import platform
import re
import shutil
import signal
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

import conftest  # noqa: E402
import alb_env  # noqa: E402
import results_md  # noqa: E402

SECTION = "## Rolling deployment under load"
CLUSTER = alb_env.CLUSTER

# Each wrk thread writes how many responses it has seen to <dir>/count-<n> every 100 responses,
# so that the bench can run until enough requests were made on a host of unknown speed.
COUNT_LUA = """
local threads = 0
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end
function init(args)
  count = 0
  dir = args[1]
end
function response(status, headers, body)
  count = count + 1
  if count % 100 == 0 then
    local f = io.open(dir .. "/count-" .. id, "w")
    f:write(count)
    f:close()
  end
end
"""


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def to_ms(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not m:
        raise ValueError("latency %r" % text)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[m.group(2)]
    return float(m.group(1)) * scale


def parse_wrk(out):
    """Requests, duration, socket errors, non-2xx and latency percentiles from `wrk --latency`."""
    r = {"connect": 0, "read": 0, "write": 0, "timeout": 0, "non2xx": 0}
    m = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", out)
    if not m:
        raise ValueError("no request count in wrk output:\n" + out)
    r["requests"] = int(m.group(1))
    r["duration_s"] = to_ms(m.group(2) + m.group(3)) / 1000.0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        r.update(zip(("connect", "read", "write", "timeout"), map(int, m.groups())))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        r["non2xx"] = int(m.group(1))
    for p in ("50", "75", "90", "99"):
        m = re.search(r"^\s*%s(?:\.000)?%%\s+(\S+)" % p, out, re.M)
        r["p" + p] = to_ms(m.group(1)) if m else float("nan")
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    r["rps"] = float(m.group(1)) if m else float("nan")
    r["failures"] = r["connect"] + r["read"] + r["write"] + r["timeout"] + r["non2xx"]
    return r


class Bench:
    def __init__(self, args, tmp):
        self.args = args
        self.tmp = tmp
        self.server = None

    def setup(self):
        a = self.args
        os.makedirs(os.path.join(self.tmp, "data"))
        self.server = alb_env.start_server(os.path.join(self.tmp, "data"),
                                           time_scale=a.time_scale)
        aws = self.aws = alb_env.Aws(self.server)
        self.v1 = alb_env.push_layout(self.server, alb_env.web_layout(
            os.path.join(self.tmp, "v1"), "v1"), "web", "v1")
        self.v2 = alb_env.push_layout(self.server, alb_env.web_layout(
            os.path.join(self.tmp, "v2"), "v2"), "web", "v2")
        net = alb_env.make_network(aws)
        self.tg = alb_env.fast_target_group(aws, "web", net["vpc"], delay=5)
        self.lb, _ = alb_env.make_alb(aws, net, "bench", default_tg=self.tg)
        self.td1 = alb_env.register_web(aws, "web", self.v1)
        self.td2 = alb_env.register_web(aws, "web", self.v2)
        aws.ecs.create_cluster(clusterName=CLUSTER)
        aws.ecs.create_service(
            cluster=CLUSTER, serviceName="web", taskDefinition=self.td1,
            desiredCount=a.tasks, launchType="FARGATE",
            networkConfiguration={"awsvpcConfiguration": {
                "subnets": net["subnets"], "securityGroups": [net["sg"]["web"]]}},
            loadBalancers=[{"targetGroupArn": self.tg, "containerName": "app",
                            "containerPort": 8080}],
            deploymentConfiguration={"minimumHealthyPercent": 100, "maximumPercent": 200,
                                     "deploymentCircuitBreaker": {"enable": True,
                                                                  "rollback": True}})
        self.wait_rollout(self.td1, timeout=180)
        alb_env.wait_until("%d healthy targets" % a.tasks, lambda: self.healthy() == a.tasks,
                           timeout=120, interval=0.2)

    def healthy(self):
        return sum(1 for s, _ in alb_env.target_health(self.aws, self.tg).values()
                   if s == "healthy")

    def service(self):
        return self.aws.ecs.describe_services(cluster=CLUSTER, services=["web"])["services"][0]

    def wait_rollout(self, td, timeout):
        def done():
            s = self.service()
            d = s["deployments"]
            return (len(d) == 1 and d[0]["taskDefinition"] == td and
                    d[0].get("rolloutState") == "COMPLETED" and
                    s["runningCount"] == self.args.tasks)
        alb_env.wait_until("the rollout to %s" % td.rsplit("/", 1)[1], done, timeout=timeout,
                           interval=0.2)

    def run(self):
        a = self.args
        url = "http://127.0.0.1:%d/" % self.server.alb_port()
        counts = os.path.join(self.tmp, "counts")
        os.makedirs(counts)
        script = os.path.join(self.tmp, "count.lua")
        with open(script, "w") as f:
            f.write(COUNT_LUA)
        cmd = ["wrk", "-t%d" % a.wrk_threads, "-c%d" % a.connections, "-d3600s", "--latency",
               "--timeout", "5s", "-s", script, "-H", "Host: %s" % self.lb["DNSName"], url,
               "--", counts]
        self.cmd = " ".join(cmd[:-7] + ["-s", "count.lua", "-H", "'Host: <DNSName>'", url])
        self.load_start = loadavg()
        wrk = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            t0 = time.monotonic()
            time.sleep(a.warmup)
            self.update_at = time.monotonic() - t0
            self.aws.ecs.update_service(cluster=CLUSTER, service="web", taskDefinition=self.td2)
            self.wait_rollout(self.td2, timeout=300)
            self.rollout_s = time.monotonic() - t0 - self.update_at
            time.sleep(a.tail)
            # Then on until both --min-duration and --min-requests (with a margin) are reached.
            while time.monotonic() - t0 < a.max_duration and (
                    time.monotonic() - t0 < a.min_duration or
                    self.responses(counts) < a.min_requests * 1.03):
                time.sleep(0.5)
        finally:
            wrk.send_signal(signal.SIGINT)
            out, _ = wrk.communicate(timeout=30)
        self.load_end = loadavg()
        self.wrk_out = out
        self.result = parse_wrk(out)
        s = self.service()
        self.events = [e["message"] for e in s["events"]]
        bodies = {alb_env.alb_get(self.server, self.lb["DNSName"], "/")[2] for _ in range(8)}
        self.after = sorted(bodies)

    @staticmethod
    def responses(counts):
        total = 0
        for name in os.listdir(counts):
            try:
                with open(os.path.join(counts, name)) as f:
                    total += int(f.read() or 0)
            except (OSError, ValueError):
                pass
        return total

    def finish(self):
        if self.server is None:
            return
        if self.server.proc.poll() is not None:
            # It died: a new server on the same data dir removes what the old one left.
            sys.stderr.write("gantry exited with %s; its log ends:\n%s\n" % (
                self.server.proc.returncode, self.server.read_log()[-3000:]))
            self.server.start()
        else:
            # Delete the service and load balancer first: a reset while the scheduler still
            # replaces tasks can race it (a task launched during the reset recreates the VPC).
            alb_env.cleanup_all(alb_env.Aws(self.server))
        self.server.reset()
        self.server.stop()


def report(b, args):
    r = b.result
    rows = [
        ("requests through the ALB (wrk, keep-alive)", "%d" % r["requests"],
         "≥ " + format(args.min_requests, ",").replace(",", " ")),
        ("failed: non-2xx/3xx + socket errors", "%d (non-2xx %d; connect %d, read %d, write %d, "
         "timeout %d)" % (r["failures"], r["non2xx"], r["connect"], r["read"], r["write"],
                          r["timeout"]), "0"),
        ("wrk duration", "%.1f s" % r["duration_s"], ""),
        ("requests/s (average over the run)", "%.0f" % r["rps"], ""),
        ("latency p50 / p75 / p90 / p99", "%.2f / %.2f / %.2f / %.2f ms" % (
            r["p50"], r["p75"], r["p90"], r["p99"]), ""),
        ("UpdateService at", "%.1f s after wrk started" % b.update_at, ""),
        ("UpdateService → one COMPLETED deployment, %d running" % args.tasks,
         "%.1f s (time scale %g)" % (b.rollout_s, args.time_scale), ""),
        ("served after the rollout", ", ".join(x.strip() for x in b.after), "v2"),
    ]
    today = datetime.date.today().isoformat()
    intro = (
        "`python3 bench/rolling_bench.py --gantry-bin %s --tasks %d --connections %d` "
        "(%s; %s, %s, %d cores shared with other agents' builds and tests: load average %s at "
        "the start and %s at the end). A FARGATE service of %d busybox httpd tasks behind the "
        "ALB, minimumHealthyPercent 100 / maximumPercent 200, health check /health every 5 s "
        "with thresholds 2/2 and deregistration delay 5 s, all AWS seconds divided by "
        "--time-scale %g. `%s` with the ALB's DNS name as Host; UpdateService to a new task "
        "definition (image web:v2) %g s in; wrk stopped %g s after the rollout completed, once "
        "at least %g s and %d requests had passed (counted by the Lua script). A failure is "
        "any non-2xx/3xx response or socket error wrk counts." % (
            os.path.relpath(args.gantry_bin, ROOT), args.tasks, args.connections, today,
            platform.machine(), platform.release(), os.cpu_count(), b.load_start, b.load_end,
            args.tasks, args.time_scale, b.cmd, args.warmup, args.tail, args.min_duration,
            args.min_requests))
    note = (
        "Requests/s is the targets' and the host's, not the proxy's: busybox httpd forks a "
        "process per request and closes every connection, so each request is also a new "
        "connection from the load balancer's node into the VPC; the proxy alone is measured in "
        "the ALB proxy section.")
    lines = [SECTION, ""] + textwrap.wrap(intro, 100, break_on_hyphens=False) + [
        "", "| metric | result | target |", "|---|---|---|"]
    lines += ["| %s | %s | %s |" % row for row in rows]
    lines += [""] + textwrap.wrap(note, 100, break_on_hyphens=False)
    shown = [e for e in b.events if "steady state" in e or "has started" in e or
             "has stopped" in e or "deployment completed" in e][:4]
    if shown:
        lines += [""] + textwrap.wrap("The service's last events, newest first: " + "; ".join(
            "\"%s\"" % e for e in shown) + ".", 100, break_on_hyphens=False)
    return "\n".join(lines) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--gantry-bin", default=conftest.BINARY)
    p.add_argument("--tasks", type=int, default=4)
    p.add_argument("--connections", type=int, default=8)
    p.add_argument("--wrk-threads", type=int, default=2)
    p.add_argument("--warmup", type=float, default=30)
    p.add_argument("--tail", type=float, default=5)
    p.add_argument("--min-duration", type=float, default=60)
    p.add_argument("--min-requests", type=int, default=10000)
    p.add_argument("--max-duration", type=float, default=400)
    p.add_argument("--time-scale", type=float, default=10)
    p.add_argument("--no-write", action="store_true")
    p.add_argument("--smoke", action="store_true",
                   help="2 tasks, ~30 s, no file written; non-zero exit on any failure")
    args = p.parse_args()
    args.gantry_bin = os.path.abspath(args.gantry_bin)
    conftest.BINARY = args.gantry_bin
    if args.smoke:
        args.tasks, args.connections, args.warmup, args.tail = 2, 4, 2, 1
        args.min_duration, args.min_requests, args.max_duration = 0, 200, 90
        args.no_write = True
        if os.geteuid() != 0:
            print("skip: rolling_bench needs root (namespaces, runc)")
            return
    if os.geteuid() != 0 or not all(shutil.which(x) for x in ("runc", "skopeo", "wrk")):
        sys.exit("needs root, runc, skopeo and wrk")
    with tempfile.TemporaryDirectory(prefix="gantry-rolling-") as tmp:
        b = Bench(args, tmp)
        try:
            b.setup()
            b.run()
        except BaseException:
            if b.server is not None:
                sys.stderr.write(b.server.read_log()[-4000:])
            raise
        finally:
            b.finish()
            # Other servers may run on this host: only this server's namespaces count.
            leftover = alb_env.own_netns(os.path.join(tmp, "data"))
            if leftover:
                shutil.copy(os.path.join(tmp, "data", "gantry.log"), "/tmp/rolling-bench.log")
    text = report(b, args)
    print(text)
    print(b.wrk_out)
    if leftover:
        sys.exit("namespaces left behind: %s (server log: /tmp/rolling-bench.log)" % leftover)
    if not args.no_write:
        results_md.write_section(SECTION, text)
    v2_only = [x.strip() for x in b.after] == ["v2"]
    ok = b.result["failures"] == 0 and b.result["requests"] >= args.min_requests and v2_only
    if not ok:
        print("FAILED: %d failed of %d requests (at least %d wanted); served after the "
              "rollout: %s" % (b.result["failures"], b.result["requests"], args.min_requests,
                               ", ".join(x.strip() for x in b.after)))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
