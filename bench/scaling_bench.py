#!/usr/bin/env python3
"""Autoscaling that scales (issue 15): how long from the start of a CPU load to the first extra
task serving requests through the ALB, and what the metrics pipeline costs the server.

Usage: python3 bench/scaling_bench.py [--gantry-bin PATH] [--time-scales 1,60]
       [--cost-tasks 200] [--cost-periods 86400,60,10] [--cost-seconds 180] [--skip-cost]
       [--skip-reaction] [--no-write] [--smoke]
Needs root, runc and skopeo.

Reaction, once per time scale: a server with --time-scale S; a FARGATE service of one busybox
httpd task (256 CPU units) behind an internet-facing ALB (health check every 5 s, thresholds
2/2: AWS seconds, divided by S), registered as a scalable target (1..3) with a target tracking
policy at 70 % ECSServiceAverageCPUUtilization. Four client threads then request a CPU-burning
CGI through the ALB back to back, and the bench polls the APIs every 50 ms until a request is
answered by a second task. The alarm's own window (3 one-minute datapoints over 70 %, which AWS
also waits for) ends with the last datapoint it evaluated; what Gantry adds after it is split
into: publication and evaluation (window end → alarm ALARM, from the alarm's StateReasonData),
policy and scheduler (alarm → the new task created, through the scaling activity and
UpdateService), then task start (created → RUNNING), health checks (RUNNING → healthy target)
and the first request it serves.

Cost: a server without time scale runs --cost-tasks tasks (busybox `sleep`, FARGATE, awsvpc);
its CPU time (utime+stime) and RSS are read over --cost-seconds for each ECS metrics period in
--cost-periods (seconds; the server is restarted between periods and re-adopts the tasks); a
period of a day publishes nothing while it is measured, the baseline.

Prints Markdown and, unless --no-write, replaces the "Autoscaling" section of bench/RESULTS.md.
Leaves the host as it found it: each server is reset then stopped, and no network namespace it
made may remain.

--smoke: time scale 60 only, 3 tasks for 5 s per period; never writes; exits non-zero when the
service does not scale out, or a namespace is left. Not root: prints a skip and exits 0.
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import sys
import tempfile
import textwrap
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
sys.path.append("/usr/lib/python3/dist-packages")

import conftest  # noqa: E402
import alb_env  # noqa: E402
import results_md  # noqa: E402
from alb_env import CLUSTER  # noqa: E402

SECTION = "## Autoscaling"

def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def ts(v):
    """An API timestamp (datetime or ISO text) as epoch seconds."""
    if isinstance(v, datetime.datetime):
        return v.timestamp()
    return datetime.datetime.fromisoformat(v.replace("Z", "+00:00")).timestamp()


def proc_cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_rss_mib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def aws_of(server):
    a = alb_env.Aws(server)
    a.aas = conftest.client_for(server.endpoint, "application-autoscaling")
    a.cw = conftest.client_for(server.endpoint, "cloudwatch")
    return a


def finish(server):
    if server.proc.poll() is not None:
        sys.stderr.write(server.read_log()[-3000:])
        if "--ecs-metrics-period" in server.args:  # whatever period failed, the default cleans
            i = server.args.index("--ecs-metrics-period")
            del server.args[i:i + 2]
        server.start()
    else:
        alb_env.cleanup_all(alb_env.Aws(server))
    server.reset()
    server.stop()
    left = alb_env.own_netns(server.data_dir)
    if left:
        sys.exit("namespaces left behind: %s" % sorted(left))


class Reaction:
    """One scale-out at one time scale; run() fills self.times (seconds)."""

    def __init__(self, scale, tmp):
        self.scale = scale
        self.tmp = tmp
        self.server = None
        self.times = {}

    def setup(self):
        self.server = alb_env.start_server(os.path.join(self.tmp, "data"), time_scale=self.scale)
        aws = self.aws = aws_of(self.server)
        layout = alb_env.web_layout(os.path.join(self.tmp, "img"), "scale",
                                    extra_files={"/www/cgi-bin/burn.sh": alb_env.BURN_CGI})
        image = alb_env.push_layout(self.server, layout, "scale")
        net = alb_env.make_network(aws)
        self.tg = alb_env.fast_target_group(aws, "scale", net["vpc"])
        self.lb, _ = alb_env.make_alb(aws, net, "scale", default_tg=self.tg)
        td = alb_env.register_web(aws, "scale", image)
        aws.ecs.create_cluster(clusterName=CLUSTER)
        aws.ecs.create_service(
            cluster=CLUSTER, serviceName="scale", taskDefinition=td, desiredCount=1,
            launchType="FARGATE",
            networkConfiguration={"awsvpcConfiguration": {
                "subnets": net["subnets"], "securityGroups": [net["sg"]["web"]]}},
            loadBalancers=[{"targetGroupArn": self.tg, "containerName": "app",
                            "containerPort": 8080}])
        alb_env.wait_until("one healthy target", lambda: self.healthy_ips(), timeout=120)
        self.first = alb_env.alb_get(self.server, self.lb["DNSName"], "/host")[2].strip()
        resource = "service/%s/scale" % CLUSTER
        aws.aas.register_scalable_target(ServiceNamespace="ecs", ResourceId=resource,
                                         ScalableDimension="ecs:service:DesiredCount",
                                         MinCapacity=1, MaxCapacity=3)
        out = aws.aas.put_scaling_policy(
            PolicyName="cpu70", ServiceNamespace="ecs", ResourceId=resource,
            ScalableDimension="ecs:service:DesiredCount", PolicyType="TargetTrackingScaling",
            TargetTrackingScalingPolicyConfiguration={
                "TargetValue": 70.0, "PredefinedMetricSpecification": {
                    "PredefinedMetricType": "ECSServiceAverageCPUUtilization"}})
        self.high = [a["AlarmName"] for a in out["Alarms"] if "-AlarmHigh-" in a["AlarmName"]][0]
        self.resource = resource

    def healthy_ips(self):
        return {ip for (ip, _), (state, _) in alb_env.target_health(self.aws, self.tg).items()
                if state == "healthy"}

    def run(self):
        aws, t = self.aws, self.times
        load = alb_env.Load(self.server, self.lb["DNSName"], "/cgi-bin/burn.sh?100000",
                            threads=4)
        t0 = time.time()
        load.start()
        first_ips = self.healthy_ips()
        try:
            deadline = t0 + 600 / self.scale + 120
            while time.time() < deadline:
                if "desired" not in t:
                    s = aws.ecs.describe_services(cluster=CLUSTER, services=["scale"])
                    if s["services"][0]["desiredCount"] > 1:
                        t["desired"] = time.time()
                if "desired" in t and "healthy" not in t and self.healthy_ips() - first_ips:
                    t["healthy"] = time.time()
                if "healthy" in t:
                    host = alb_env.alb_get(self.server, self.lb["DNSName"], "/host")[2].strip()
                    if host != self.first:
                        t["served"] = time.time()
                        break
                time.sleep(0.05)
            else:
                raise AssertionError("no second task served within the deadline")
        finally:
            load.stop()
        history = aws.cw.describe_alarm_history(AlarmName=self.high,
                                                HistoryItemType="StateUpdate")
        to_alarm = [h for h in history["AlarmHistoryItems"]
                    if h["HistorySummary"].endswith("to ALARM")][-1]
        data = json.loads(to_alarm["HistoryData"])["newState"]["stateReasonData"]
        period_s = 60.0 / self.scale
        t["window_end"] = max(ts(p["timestamp"]) for p in data["evaluatedDatapoints"]) + period_s
        t["alarm"] = ts(to_alarm["Timestamp"])
        acts = aws.aas.describe_scaling_activities(ServiceNamespace="ecs",
                                                   ResourceId=self.resource)["ScalingActivities"]
        t["activity"] = min(ts(a["StartTime"]) for a in acts)
        arns = aws.ecs.list_tasks(cluster=CLUSTER, serviceName="scale")["taskArns"]
        tasks = aws.ecs.describe_tasks(cluster=CLUSTER, tasks=arns)["tasks"]
        new = [x for x in tasks if ts(x["createdAt"]) >= t["activity"] - 1]
        new.sort(key=lambda x: ts(x["createdAt"]))
        t["created"] = ts(new[0]["createdAt"])
        t["running"] = ts(new[0]["startedAt"])
        t["load"] = t0


def reaction_rows(runs):
    def d(t, a, b):
        return t[b] - t[a]
    rows = []
    for r in runs:
        t = r.times
        rows.append((
            "%g" % r.scale, "%.1f s" % d(t, "load", "served"),
            "%.1f s" % d(t, "load", "window_end"),
            "%.2f s" % d(t, "window_end", "alarm"), "%.2f s" % d(t, "alarm", "created"),
            "**%.2f s**" % d(t, "window_end", "created"),
            "%.2f s" % d(t, "created", "running"), "%.2f s" % d(t, "running", "healthy"),
            "%.2f s" % d(t, "healthy", "served")))
    return rows


class Cost:
    """The server's CPU and RSS with `tasks` running tasks, per ECS metrics period."""

    def __init__(self, args, tmp):
        self.args = args
        self.tmp = tmp
        self.server = None
        self.rows = []

    def start(self, period):
        self.period = period
        self.server = conftest.GantryProcess(
            os.path.join(self.tmp, "data"), ["--ecs-metrics-period", str(period)])
        self.server.start()

    def setup(self):
        self.start(60)
        aws = alb_env.Aws(self.server)
        image = alb_env.push_layout(self.server, alb_env.tools_layout(
            os.path.join(self.tmp, "img")), "tools")
        net = alb_env.make_network(aws)
        td = aws.ecs.register_task_definition(
            family="idle", requiresCompatibilities=["FARGATE"], networkMode="awsvpc",
            cpu="256", memory="512",
            containerDefinitions=[{"name": "idle", "image": image, "essential": True,
                                   "command": ["sleep", "3600"], "stopTimeout": 2}],
        )["taskDefinition"]["taskDefinitionArn"]
        aws.ecs.create_cluster(clusterName=CLUSTER)
        left = self.args.cost_tasks
        while left:
            n = min(10, left)
            out = aws.ecs.run_task(cluster=CLUSTER, taskDefinition=td, launchType="FARGATE",
                                   count=n, networkConfiguration={"awsvpcConfiguration": {
                                       "subnets": net["subnets"],
                                       "securityGroups": [net["sg"]["other"]]}})
            assert not out["failures"], out
            left -= n

        def all_running():
            arns = [a for page in aws.ecs.get_paginator("list_tasks").paginate(
                cluster=CLUSTER, desiredStatus="RUNNING") for a in page["taskArns"]]
            running = 0
            for i in range(0, len(arns), 100):
                running += sum(1 for x in aws.ecs.describe_tasks(
                    cluster=CLUSTER, tasks=arns[i:i + 100])["tasks"]
                    if x["lastStatus"] == "RUNNING")
            return running >= self.args.cost_tasks
        alb_env.wait_until("%d tasks RUNNING" % self.args.cost_tasks, all_running, timeout=900,
                           interval=2)

    def measure(self, period):
        if period != self.period or self.server.proc.poll() is not None:
            self.server.stop()
            self.start(period)
        time.sleep(min(10.0, self.args.cost_seconds))  # re-adoption settles
        pid = self.server.proc.pid
        c0, t0 = proc_cpu_seconds(pid), time.monotonic()
        rss = []
        while time.monotonic() - t0 < self.args.cost_seconds:
            rss.append(proc_rss_mib(pid))
            time.sleep(1)
        cpu = (proc_cpu_seconds(pid) - c0) / (time.monotonic() - t0) * 100
        self.rows.append((period, cpu, max(rss), loadavg()))


def report(args, runs, cost):
    today = datetime.date.today().isoformat()
    lines = [SECTION, ""]
    intro = (
        "`python3 bench/scaling_bench.py` (%s; %s, %s, %d cores shared with other agents' "
        "builds and tests). Reaction: a FARGATE service of one busybox httpd task (256 CPU "
        "units) behind the ALB with target tracking at 70 %% CPU (1..3 tasks); four clients "
        "request a CPU-burning CGI through the ALB; polled every 50 ms until a second task "
        "answers. The alarm's window (3 one-minute datapoints over 70 %%, which AWS also waits "
        "for; a minute lasts 60/S s at --time-scale S) is reported apart from what Gantry adds "
        "after it; task start, health checks (5 s interval, 2 healthy: AWS seconds) and the "
        "first request are AWS's own steps too." % (
            today, platform.machine(), platform.release(), os.cpu_count()))
    lines += textwrap.wrap(intro, 100, break_on_hyphens=False)
    if runs:
        lines += ["", "| time scale | load → extra task serving | load → end of the alarm's "
                  "window | publication + evaluation | policy + scheduler (→ task created) | "
                  "Gantry's own delay | task start | health checks | first request |",
                  "|---|---|---|---|---|---|---|---|---|"]
        lines += ["| %s |" % " | ".join(r) for r in reaction_rows(runs)]
        lines += ["", "Targets: Gantry's own delay ≤ 2 s at time scale 1; load → extra task "
                  "serving ≤ 10 s at the fastest scale (AWS: about 4–6 minutes)."]
    if cost:
        lines += [""] + textwrap.wrap(
            "Cost: %d running tasks (busybox `sleep`), the server's CPU (utime+stime over %g s) "
            "and its peak RSS, per ECS metrics period (`--ecs-metrics-period`; a day: no "
            "publication while measuring, the baseline)." % (args.cost_tasks, args.cost_seconds),
            100, break_on_hyphens=False)
        lines += ["", "| metrics period | server CPU | server RSS (peak) | load average |",
                  "|---|---|---|---|"]
        for p, c, r, la in cost.rows:
            period = "%d s (none in the window)" % p if p >= 3600 else "%d s" % p
            lines.append("| %s | %.2f %% | %.0f MiB | %s |" % (period, c, r, la))
    return "\n".join(lines) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--gantry-bin", default=conftest.BINARY)
    p.add_argument("--time-scales", default="1,60")
    p.add_argument("--cost-tasks", type=int, default=200)
    p.add_argument("--cost-periods", default="86400,60,10")
    p.add_argument("--cost-seconds", type=float, default=180)
    p.add_argument("--skip-cost", action="store_true")
    p.add_argument("--skip-reaction", action="store_true")
    p.add_argument("--no-write", action="store_true")
    p.add_argument("--smoke", action="store_true")
    args = p.parse_args()
    args.gantry_bin = os.path.abspath(args.gantry_bin)
    conftest.BINARY = args.gantry_bin
    if args.smoke:
        args.time_scales, args.cost_tasks, args.cost_seconds = "60", 3, 5
        args.no_write = True
        if os.geteuid() != 0:
            print("skip: scaling_bench needs root (namespaces, runc)")
            return
    if os.geteuid() != 0 or not all(shutil.which(x) for x in ("runc", "skopeo")):
        sys.exit("needs root, runc and skopeo")
    runs = []
    if not args.skip_reaction:
        for scale in [float(x) for x in args.time_scales.split(",")]:
            with tempfile.TemporaryDirectory(prefix="gantry-scaling-") as tmp:
                r = Reaction(scale, tmp)
                try:
                    r.setup()
                    r.run()
                finally:
                    if r.server is not None:
                        finish(r.server)
                runs.append(r)
                print("time scale %g: %s" % (scale, {k: round(v - r.times["load"], 2)
                                                     for k, v in r.times.items()}), flush=True)
    cost = None
    if not args.skip_cost:
        with tempfile.TemporaryDirectory(prefix="gantry-scaling-cost-") as tmp:
            cost = Cost(args, tmp)
            try:
                cost.setup()
                for period in [int(x) for x in args.cost_periods.split(",")]:
                    cost.measure(period)
            finally:
                if cost.server is not None:
                    finish(cost.server)
    text = report(args, runs, cost)
    print(text)
    if runs:
        fastest = max(runs, key=lambda r: r.scale)
        served = fastest.times["served"] - fastest.times["load"]
        print("note: load → extra task serving %.1f s at time scale %g" % (served, fastest.scale))
    if not args.no_write:
        results_md.write_section(SECTION, text)


if __name__ == "__main__":
    main()
