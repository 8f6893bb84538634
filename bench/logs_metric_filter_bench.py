#!/usr/bin/env python3
"""CloudWatch Logs ingest with metric filters: what the filters cost PutLogEvents.

Usage: bench/logs_metric_filter_bench.py [--gantry-bin build/gantry] [--batches 20]
                                         [--batch-size 1000] [--rounds 3] [--smoke]
One server (GANTRY_TASKS=off); boto3 PutLogEvents of JSON lines ({"level": ..., "latency": n},
one line in ten at level ERROR) into a log group per scenario, the scenarios taking turns round by
round:
  none      no metric filter
  miss      { $.latency > 1e9 }: every event parsed, none matches
  terms     ERROR with metricValue 1: one event in ten matches
  json-all  { $.latency >= 0 } with metricValue $.latency and a dimension: every event matches,
            one datum each
  json-burst  the same, with 100 events per millisecond (a burst of output the awslogs shim
            stamps at once): the datums of one millisecond are one statistic set
Reports events/s as the client sees it and the server's CPU per 1 000 events (from
/proc/<pid>/stat), medians of the rounds. Prints a Markdown block for bench/RESULTS.md.

--smoke: 2 batches of 100 events, 1 round; exits non-zero unless CloudWatch holds exactly the
datums each scenario should have published.
"""
import argparse
import datetime
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import boto3

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLK_TCK = os.sysconf("SC_CLK_TCK")

SCENARIOS = {
    "none": None,
    "miss": ("{ $.latency > 1000000000 }", {"metricValue": "1"}),
    "terms": ("ERROR", {"metricValue": "1"}),
    "json-all": ("{ $.latency >= 0 }",
                 {"metricValue": "$.latency", "unit": "Milliseconds",
                  "dimensions": {"Level": "$.level"}}),
}
SCENARIOS["json-burst"] = SCENARIOS["json-all"]
PER_MS = {"json-burst": 100}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def start(binary, data_dir, port):
    env = dict(os.environ, GANTRY_TASKS="off")
    proc = subprocess.Popen([binary, "--listen", "127.0.0.1:%d" % port, "--data-dir", data_dir,
                             "--log-level", "warn"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gantry exited with %s" % proc.returncode)
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.01)
    raise RuntimeError("gantry did not listen")


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def client(endpoint, service):
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="bench", aws_secret_access_key="bench")


def setup(logs, group, scenario):
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName="s")
    spec = SCENARIOS[scenario]
    if spec:
        pattern, transformation = spec
        logs.put_metric_filter(
            logGroupName=group, filterName="f", filterPattern=pattern,
            metricTransformations=[dict(transformation, metricName=group.replace("/", "-"),
                                        metricNamespace="Bench")])


def run(logs, pid, group, batches, batch_size, per_ms=1):
    """Puts batches of events into `group`; returns (events/s, server CPU ms per 1 000 events)."""
    bodies = []
    for b in range(batches):
        t = int(time.time() * 1000) - 60000
        bodies.append([{"timestamp": t + i // per_ms, "message": json.dumps(
            {"level": "ERROR" if i % 10 == 0 else "INFO", "latency": (b * batch_size + i) % 500})}
            for i in range(batch_size)])
    cpu0, t0 = cpu_seconds(pid), time.monotonic()
    for events in bodies:
        logs.put_log_events(logGroupName=group, logStreamName="s", logEvents=events)
    wall, cpu = time.monotonic() - t0, cpu_seconds(pid) - cpu0
    n = batches * batch_size
    return n / wall, cpu * 1000 / (n / 1000)


def sample_count(cw, group, dimension_sets=((),)):
    now = datetime.datetime.now(datetime.timezone.utc)
    total = 0
    for dims in dimension_sets:
        points = cw.get_metric_statistics(
            Namespace="Bench", MetricName=group.replace("/", "-"), Dimensions=list(dims),
            StartTime=now - datetime.timedelta(hours=1),
            EndTime=now + datetime.timedelta(minutes=1),
            Period=7200, Statistics=["SampleCount"])["Datapoints"]
        total += sum(p["SampleCount"] for p in points)
    return total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gantry-bin", default=os.path.join(ROOT, "build", "gantry"))
    ap.add_argument("--batches", type=int, default=20)
    ap.add_argument("--batch-size", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--smoke", action="store_true")
    a = ap.parse_args()
    if a.smoke:
        a.batches, a.batch_size, a.rounds = 2, 100, 1
    port = free_port()
    with tempfile.TemporaryDirectory() as d:
        proc = start(a.gantry_bin, d, port)
        try:
            endpoint = "http://127.0.0.1:%d" % port
            logs, cw = client(endpoint, "logs"), client(endpoint, "cloudwatch")
            results = {s: [] for s in SCENARIOS}
            for r in range(a.rounds):
                for s in SCENARIOS:
                    group = "/bench/%s/%d" % (s, r)
                    setup(logs, group, s)
                    results[s].append(run(logs, proc.pid, group, a.batches, a.batch_size,
                                          PER_MS.get(s, 1)))
            if a.smoke:
                n = a.batches * a.batch_size
                want = {"miss": 0, "terms": n // 10, "json-all": n, "json-burst": n}
                levels = [[{"Name": "Level", "Value": v}] for v in ("ERROR", "INFO")]
                got = {s: sample_count(cw, "/bench/%s/0" % s,
                                       levels if s.startswith("json") else ((),))
                       for s in want}
                if got != want:
                    print("smoke: datums %s, expected %s" % (got, want))
                    return 1
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    print("| scenario | events/s | server CPU per 1 000 events |")
    print("|---|---|---|")
    for s, runs in results.items():
        print("| %s | %s | %.1f ms |" % (
            s, format(round(statistics.median(r[0] for r in runs)), ",").replace(",", " "),
            statistics.median(r[1] for r in runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
