#!/usr/bin/env python3
"""1 000 concurrent API clients against one Gantry for 60 s, with a slowloris and oversized
requests among them (issue 14).

Usage: bench/load_bench.py [--gantry-bin build/gantry] [--clients 1000] [--duration 60]
                           [--header-timeout 20] [--smoke]
Prints a Markdown summary for bench/RESULTS.md; writes no file. Exits non-zero when a client got
an error other than throttling, an attacker was not cut off in time, or the server's threads or
file descriptors did not return near their starting values after the load.

The server is the real binary on a free port with a temporary data directory and
GANTRY_TASKS=off (tasks stay stored rows: the bench measures the API edge, not containers). Through
its own APIs it first gets a cluster with services and stored tasks, a VPC with a subnet and
security groups, target groups, and a log group with a stream. Each call of the mix is made once
with boto3 and its signed bytes are captured (botocore's SigV4 signer, once per call up front:
Gantry checks signatures only with --auth strict); the load replays them over raw HTTP from
asyncio, so that the client spends its time on sockets rather than on signing.

The clients: half keep one keep-alive connection each (reconnecting if the server closes it),
half open a new connection per request (Connection: close); each sends its next request as soon as
the last reply is read (no think time), choosing from the mix below by weight. Latency is from the
first byte written (the connect, for a new connection) to the last byte of the reply read.

Meanwhile, started a second into the load: slowloris clients that send a request head one byte a
second (each must be cut off by the server's whole-head deadline, --header-timeout), a client
sending 1 MiB of headers and one sending a single 100 KiB header (each must get 431 and a close),
and one announcing a 10 GiB body and sending a few bytes (413 and a close). The server's threads,
open file descriptors and RSS are read from /proc every second. The client's own CPU time is
reported: near one core means the client, not the server, set the pace.

--smoke: 100 clients for 5 s, --header-timeout 2, smaller fixtures.
"""
import argparse
import asyncio
import datetime
import json
import os
import random
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import boto3
import botocore.config

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REQUEST_TIMEOUT = 30.0

# (service, operation, weight): reads and writes of four services, signed once each.
MIX = [
    ("ecs", "DescribeServices", 12), ("ecs", "ListTasks", 10), ("ecs", "DescribeClusters", 5),
    ("ecs", "TagResource", 3),
    ("ec2", "DescribeSecurityGroups", 10), ("ec2", "DescribeSubnets", 5), ("ec2", "CreateTags", 5),
    ("elbv2", "DescribeTargetGroups", 10), ("elbv2", "AddTags", 3),
    ("logs", "PutLogEvents", 15), ("logs", "DescribeLogStreams", 7), ("logs", "GetLogEvents", 5),
]
THROTTLING = {"Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException",
              "SlowDown", "RequestThrottled"}


def client(endpoint, service):
    cfg = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"},
                                 parameter_validation=False, connect_timeout=5, read_timeout=30)
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test", config=cfg)


# --- the server ------------------------------------------------------------------------------

def start_server(binary, data_dir, header_timeout):
    port_file = os.path.join(data_dir, "port")
    log = open(os.path.join(data_dir, "gantry.log"), "wb")
    proc = subprocess.Popen(
        [binary, "--listen", "127.0.0.1:0", "--data-dir", data_dir, "--port-file", port_file,
         ] + (["--header-timeout", str(header_timeout)] if header_timeout else []),
        env=dict(os.environ, GANTRY_TASKS="off"), stdout=log, stderr=log)
    log.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gantry exited with %s" % proc.returncode)
        try:
            with open(port_file) as f:
                text = f.read().strip()
            if text:
                return proc, int(text)
        except FileNotFoundError:
            pass
        time.sleep(0.02)
    proc.kill()
    raise RuntimeError("gantry did not start")


def stop_server(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def proc_stats(pid):
    """(threads, open fds, RSS in MiB) of a process, from /proc."""
    threads = rss = 0
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("Threads:"):
                threads = int(line.split()[1])
            elif line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024.0
    return threads, len(os.listdir("/proc/%d/fd" % pid)), rss


class Sampler(threading.Thread):
    """The server's threads, fds and RSS every second, on a thread of its own so that a busy event
    loop does not delay it."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid = pid
        self.samples = []
        self.stopping = threading.Event()

    def run(self):
        t0 = time.monotonic()
        while not self.stopping.is_set():
            try:
                self.samples.append((time.monotonic() - t0,) + proc_stats(self.pid))
            except (FileNotFoundError, ProcessLookupError):
                return
            self.stopping.wait(1.0)


# --- fixtures and the signed requests ---------------------------------------------------------

class Capture:
    """Records the bytes botocore sends for a call (a before-send hook; the call still goes out)."""

    def __init__(self):
        self.last = None

    def __call__(self, request, **kwargs):
        self.last = (request.method, request.url, dict(request.headers.items()),
                     request.body or b"")


def make_fixtures(endpoint, services, tasks, groups):
    """Creates what the mix reads and writes; returns the arguments of each call of the mix."""
    ecs, ec2 = client(endpoint, "ecs"), client(endpoint, "ec2")
    elbv2, logs = client(endpoint, "elbv2"), client(endpoint, "logs")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24",
                               AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    sgs = [ec2.create_security_group(GroupName="load-%d" % i, Description="load",
                                     VpcId=vpc)["GroupId"] for i in range(groups)]
    network = {"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": sgs[:1]}}
    cluster = ecs.create_cluster(clusterName="load")["cluster"]["clusterArn"]
    ecs.register_task_definition(
        family="load", requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="256",
        memory="512", containerDefinitions=[{"name": "app", "image": "nginx", "memory": 512}])
    names = ["svc-%03d" % i for i in range(services)]
    for name in names:
        ecs.create_service(cluster="load", serviceName=name, taskDefinition="load", desiredCount=0,
                           launchType="FARGATE", networkConfiguration=network)
    for _ in range(tasks // 10):
        ecs.run_task(cluster="load", taskDefinition="load", launchType="FARGATE", count=10,
                     networkConfiguration=network)
    tgs = [elbv2.create_target_group(Name="load-%d" % i, Protocol="HTTP", Port=80, VpcId=vpc,
                                     TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
           for i in range(groups)]
    logs.create_log_group(logGroupName="/load")
    logs.create_log_stream(logGroupName="/load", logStreamName="app")
    now_ms = int(time.time() * 1000)
    return {
        "DescribeServices": {"cluster": "load", "services": names[:10]},
        "ListTasks": {"cluster": "load"},
        "DescribeClusters": {"clusters": ["load"]},
        "TagResource": {"resourceArn": cluster, "tags": [{"key": "load", "value": "1"}]},
        "DescribeSecurityGroups": {"GroupIds": sgs},
        "DescribeSubnets": {"SubnetIds": [subnet]},
        "CreateTags": {"Resources": sgs[:2], "Tags": [{"Key": "load", "Value": "1"}]},
        "DescribeTargetGroups": {"TargetGroupArns": tgs},
        "AddTags": {"ResourceArns": tgs[:1], "Tags": [{"Key": "load", "Value": "1"}]},
        "PutLogEvents": {"logGroupName": "/load", "logStreamName": "app",
                         "logEvents": [{"timestamp": now_ms, "message": "load %d" % i}
                                       for i in range(5)]},
        "DescribeLogStreams": {"logGroupName": "/load"},
        "GetLogEvents": {"logGroupName": "/load", "logStreamName": "app", "limit": 50},
    }


def signed_requests(endpoint, port, params):
    """Each call of the mix made once through boto3 (it must succeed), as raw request bytes
    without a Connection header: {operation: (head without the final CRLF, body)}."""
    out = {}
    clients = {}
    for service, op, _ in MIX:
        if service not in clients:
            c = client(endpoint, service)
            cap = Capture()
            c.meta.events.register("before-send", cap)
            clients[service] = (c, cap)
        c, cap = clients[service]
        method = re.sub(r"(?<!^)(?=[A-Z])", "_", op).lower()
        getattr(c, method)(**params[op])
        m, url, headers, body = cap.last
        if isinstance(body, str):
            body = body.encode()
        path = url.split(str(port), 1)[1] or "/"
        lines = ["%s %s HTTP/1.1" % (m, path), "Host: 127.0.0.1:%d" % port]
        for k, v in headers.items():
            if k.lower() in ("host", "connection", "content-length"):
                continue
            lines.append("%s: %s" % (k, v.decode() if isinstance(v, bytes) else v))
        lines.append("Content-Length: %d" % len(body))
        out[op] = ("\r\n".join(lines) + "\r\n").encode(), body
    return out


# --- the load ----------------------------------------------------------------------------------

def error_code(body):
    text = body[:2000].decode("utf-8", "replace")
    m = re.search(r'"__type"\s*:\s*"(?:[^"#]*#)?([^"]+)"', text) or \
        re.search(r"<Code>([^<]+)</Code>", text)
    return m.group(1) if m else "-"


async def read_reply(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    m = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
    body = await reader.readexactly(int(m.group(1))) if m else b""
    closes = re.search(rb"(?i)\r\nconnection:\s*close", head) is not None
    return status, body, closes


class Stats:
    def __init__(self):
        self.latencies = {"keep-alive": [], "new connection": []}
        self.errors = {}
        self.throttled = 0
        self.by_op = {}

    def error(self, kind):
        self.errors[kind] = self.errors.get(kind, 0) + 1


async def api_client(port, requests, keep_alive, deadline, stats):
    ops = [op for _, op, _ in MIX]
    weights = [w for _, _, w in MIX]
    kind = "keep-alive" if keep_alive else "new connection"
    conn_header = b"Connection: keep-alive\r\n\r\n" if keep_alive else b"Connection: close\r\n\r\n"
    reader = writer = None
    rng = random.Random()
    while time.monotonic() < deadline:
        op = rng.choices(ops, weights)[0]
        head, body = requests[op]
        t0 = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection("127.0.0.1", port, limit=1 << 22), REQUEST_TIMEOUT)
            writer.write(head + conn_header + body)
            status, payload, closes = await asyncio.wait_for(read_reply(reader), REQUEST_TIMEOUT)
        except asyncio.TimeoutError:
            stats.error("timeout")
            status = None
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as e:
            stats.error(type(e).__name__)
            status = None
        if status is None:
            if writer is not None:
                writer.close()
            reader = writer = None
            continue
        stats.latencies[kind].append(time.perf_counter() - t0)
        stats.by_op[op] = stats.by_op.get(op, 0) + 1
        if status != 200:
            code = error_code(payload)
            if code in THROTTLING:
                stats.throttled += 1
            else:
                stats.error("HTTP %d %s (%s)" % (status, code, op))
        if closes or not keep_alive:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def read_until_closed(reader, timeout):
    """(everything the server sent, monotonic time it closed); None if it did not close within
    `timeout`."""
    data = b""
    try:
        async with asyncio.timeout(timeout):
            while True:
                chunk = await reader.read(65536)
                if not chunk:
                    return data, time.monotonic()
                data += chunk
    except TimeoutError:
        return None
    except ConnectionResetError:
        return data, time.monotonic()


async def slowloris(port, header_timeout, result):
    """Sends a head one byte a second; records when the server cut it off (None: never)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: Logs_20140328.DescribeLogGroups\r\n" + \
        b"X-Slow: " + b"a" * 1000
    t0 = time.monotonic()
    closed = asyncio.ensure_future(read_until_closed(reader, header_timeout + 10))
    for b in head:
        if closed.done():
            break
        try:
            writer.write(bytes([b]))
            await writer.drain()
        except OSError:
            break
        await asyncio.sleep(1.0)  # the attacker's pace
    reply = await closed
    result.append(None if reply is None else (reply[1] - t0, reply[0][:12]))
    writer.close()


async def oversized(port, name, head, result):
    """Sends `head` (headers that are too large, or a body that is) and records the reply's
    status line and how long until the server closed."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    t0 = time.monotonic()
    closed = asyncio.ensure_future(read_until_closed(reader, 30))
    try:
        writer.write(head)
        await writer.drain()
    except OSError:
        pass
    reply = await closed
    if reply is None:
        result[name] = ("(not closed in 30 s)", 30.0)
    else:
        status = reply[0].split(b"\r\n", 1)[0].decode("latin-1") or "(closed, no reply)"
        result[name] = (status, reply[1] - t0)
    writer.close()


async def attacks(port, header_timeout, slowloris_count, results):
    await asyncio.sleep(1.0)  # into the load
    big_headers = b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(
        b"X-Big-%d: %s\r\n" % (i, b"b" * 1000) for i in range(1024)) + b"\r\n"
    one_header = b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * (100 * 1024) + b"\r\n\r\n"
    huge_body = (b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: Logs_20140328.PutLogEvents\r\n"
                 b"Content-Type: application/x-amz-json-1.1\r\n"
                 b"Content-Length: 10737418240\r\n\r\n{\"logGroupName\":")
    await asyncio.gather(
        *[slowloris(port, header_timeout, results["slowloris"]) for _ in range(slowloris_count)],
        oversized(port, "1 MiB of headers", big_headers, results["oversized"]),
        oversized(port, "one 100 KiB header", one_header, results["oversized"]),
        oversized(port, "Content-Length 10 GiB", huge_body, results["oversized"]))


async def run_load(port, requests, clients, duration, header_timeout, slowloris_count):
    stats = Stats()
    attack_results = {"slowloris": [], "oversized": {}}
    deadline = time.monotonic() + duration
    tasks = [api_client(port, requests, i % 2 == 0, deadline, stats) for i in range(clients)]
    t0 = time.monotonic()
    await asyncio.gather(attacks(port, header_timeout, slowloris_count, attack_results), *tasks)
    return stats, attack_results, time.monotonic() - t0


# --- the report --------------------------------------------------------------------------------

def pct(sorted_values, p):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * p / 100.0))]


def settle(pid, start, timeout=15):
    """Waits for the server's fds to come back near their starting count after the load."""
    deadline = time.monotonic() + timeout
    stats = proc_stats(pid)
    while time.monotonic() < deadline and stats[1] > start[1] + 5:
        time.sleep(0.2)
        stats = proc_stats(pid)
    return stats


def report(args, stats, attacks, wall, samples, start, end, cpu, load):
    allv = sorted(stats.latencies["keep-alive"] + stats.latencies["new connection"])
    total = len(allv)
    print("%s UTC; %d clients (half keep-alive) for %d s, header timeout %d s; load average %s "
          "at the start, %s at the end" % (load[0], args.clients, args.duration,
                                           args.header_timeout, load[1], load[2]))
    print()
    print("| metric | value |")
    print("|---|---|")
    print("| requests | %d (%.0f/s) |" % (total, total / wall))
    errors = sum(stats.errors.values())
    print("| errors (other than throttling) | %d %s |" % (
        errors, json.dumps(stats.errors) if errors else ""))
    print("| throttled | %d |" % stats.throttled)
    print("| latency p50 / p90 / p99 / max | %.1f / %.1f / %.1f / %.1f ms |" % tuple(
        pct(allv, p) * 1000 for p in (50, 90, 99, 100)))
    for kind, values in stats.latencies.items():
        v = sorted(values)
        print("| %s: requests, p50 / p99 | %d, %.1f / %.1f ms |" % (
            kind, len(v), pct(v, 50) * 1000, pct(v, 99) * 1000))
    print("| server threads: start / max / end | %d / %d / %d |" % (
        start[0], max(s[1] for s in samples), end[0]))
    print("| server fds: start / max / end | %d / %d / %d |" % (
        start[1], max(s[2] for s in samples), end[1]))
    print("| server RSS: start / max / end | %.1f / %.1f / %.1f MiB |" % (
        start[2], max(s[3] for s in samples), end[2]))
    print("| client CPU (user+sys) / wall | %.0f%% of one core |" % (cpu / wall * 100))
    cut = [r for r in attacks["slowloris"] if r is not None]
    print("| slowloris cut off (%d clients) | %d, after %s s |" % (
        len(attacks["slowloris"]), len(cut),
        "%.1f–%.1f" % (min(r[0] for r in cut), max(r[0] for r in cut)) if cut else "-"))
    for name, (status, took) in attacks["oversized"].items():
        print("| %s | %s, closed after %.2f s |" % (name, status, took))
    print()
    print("Calls per operation: " + ", ".join("%s %d" % kv for kv in sorted(stats.by_op.items())))


def check(args, stats, attacks, samples, start, end):
    """The failures that make the bench exit non-zero."""
    problems = []
    if stats.errors:
        problems.append("errors: %s" % stats.errors)
    for r in attacks["slowloris"]:
        if r is None or r[0] > args.header_timeout + 3:
            problems.append("slowloris not cut off by the head deadline: %s" % (r,))
    for name, (status, _) in attacks["oversized"].items():
        want = "413" if "Content-Length" in name else "431"
        if want not in status:
            problems.append("%s: %s, want %s" % (name, status, want))
    if end[0] > start[0] + 2:
        problems.append("threads grew: %d → %d" % (start[0], end[0]))
    if end[1] > start[1] + 5:
        problems.append("fds did not come back: %d → %d" % (start[1], end[1]))
    if max(s[2] for s in samples) > start[1] + args.clients + args.slowloris + 100:
        problems.append("fds beyond one per client: max %d" % max(s[2] for s in samples))
    return problems


def server_warnings(log_path):
    """The server's log lines at warn or error level."""
    try:
        with open(log_path, errors="replace") as f:
            return [l for l in f if "level=warn" in l or "level=error" in l]
    except FileNotFoundError:
        return []


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gantry-bin", default=os.environ.get(
        "GANTRY_BIN", os.path.join(ROOT, "build", "gantry")))
    ap.add_argument("--clients", type=int, default=1000)
    ap.add_argument("--duration", type=int, default=60, help="seconds of load")
    ap.add_argument("--header-timeout", type=int, default=20, help="the server's flag, seconds")
    ap.add_argument("--slowloris", type=int, default=10, help="slowloris connections")
    ap.add_argument("--smoke", action="store_true", help="100 clients, 5 s; exits non-zero on "
                    "any failure")
    args = ap.parse_args()
    services, tasks, groups = 100, 100, 10
    if args.smoke:
        args.clients, args.duration, args.header_timeout, args.slowloris = 100, 5, 2, 3
        services, tasks, groups = 10, 10, 3
    need = args.clients + args.slowloris + 100
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(need, hard), hard))
    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")
    with tempfile.TemporaryDirectory(prefix="load-bench-") as d:
        proc, port = start_server(args.gantry_bin, d, args.header_timeout)
        try:
            endpoint = "http://127.0.0.1:%d" % port
            params = make_fixtures(endpoint, services, tasks, groups)
            requests = signed_requests(endpoint, port, params)
            start = proc_stats(proc.pid)
            load_start = load_average()
            sampler = Sampler(proc.pid)
            sampler.start()
            cpu0 = sum(os.times()[:2])
            stats, attacks, wall = asyncio.run(run_load(
                port, requests, args.clients, args.duration, args.header_timeout, args.slowloris))
            cpu = sum(os.times()[:2]) - cpu0
            end = settle(proc.pid, start)
            sampler.stopping.set()
            sampler.join()
            if proc.poll() is not None:
                raise RuntimeError("gantry exited with %s during the load" % proc.returncode)
        finally:
            stop_server(proc)
            warnings = server_warnings(os.path.join(d, "gantry.log"))
    report(args, stats, attacks, wall, sampler.samples, start, end, cpu,
           (started, load_start, load_average()))
    problems = check(args, stats, attacks, sampler.samples, start, end)
    for p in problems:
        print("FAIL: " + p, file=sys.stderr)
    if problems and warnings:
        print("The server's warnings and errors:\n" + "".join(warnings[-40:]), file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
