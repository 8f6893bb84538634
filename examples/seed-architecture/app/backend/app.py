"""The seeds' Python API: GET /stats answers with the task's CPU and memory as JSON, and counts
each request in a DynamoDB table, as seed 001's app counts its visits.

    GET /stats, /stats/..., /stats?...   the task's CPU and memory (from the task metadata
                                         endpoint v4, as a Fargate task reads them) and "hits":
                                         the table's counter after an atomic UpdateItem ADD
    GET /stats/burn[?ms=N]               burns N ms of CPU (default 100, at most 5000), then
                                         answers like /stats: load.sh drives the backend's CPU
                                         with it to show autoscaling
    anything else                        404 in JSON

The load balancer's health checks (User-Agent ELB-HealthChecker) get the same answer without
touching the table: they are not visits, and a slow table must not make a task unhealthy.

AWS access is the SDK's own: boto3 finds the task role's credentials at
169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI by itself. The endpoint is passed
explicitly (AWS_ENDPOINT_URL on Gantry, None on AWS), since boto3 before 1.28 does not read
AWS_ENDPOINT_URL. Environment: HITS_TABLE (the table; without it "hits" is null), PORT (8080).
"""
import json
import os
import signal
import socket
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

TABLE = os.environ.get("HITS_TABLE", "")
METADATA = os.environ.get("ECS_CONTAINER_METADATA_URI_V4", "")
HOSTNAME = socket.gethostname()
# The counter's item: {"id": "stats", "hits": N}.
KEY = {"id": {"S": "stats"}}

_client = None
_client_lock = threading.Lock()


def dynamodb():
    """The DynamoDB client, made on first use: boto3 takes seconds to import on a loaded machine,
    and the port must answer the load balancer's health checks before that. The region is the
    task's (AWS_REGION, which ECS sets)."""
    global _client
    with _client_lock:
        if _client is None:
            import boto3
            from botocore.config import Config
            _client = boto3.client(
                "dynamodb", endpoint_url=os.environ.get("AWS_ENDPOINT_URL") or None,
                config=Config(connect_timeout=2, read_timeout=3, retries={"max_attempts": 2}))
        return _client


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


def count_hit():
    """Adds one to the counter and returns the new count (None without a table or on error)."""
    if not TABLE:
        return None
    try:
        out = dynamodb().update_item(TableName=TABLE, Key=KEY, UpdateExpression="ADD hits :one",
                                   ExpressionAttributeValues={":one": {"N": "1"}},
                                   ReturnValues="UPDATED_NEW")
        return int(out["Attributes"]["hits"]["N"])
    except Exception as e:  # the answer still carries the task's stats
        log("UpdateItem %s: %s" % (TABLE, e))
        return None


def metadata(path):
    with urllib.request.urlopen(METADATA + path, timeout=3) as r:
        return json.load(r)


def pct(x):
    return None if x is None else round(x, 2)


def from_metadata():
    """The task's CPU and memory from the task metadata endpoint v4 (/task and /stats). CPU
    percentages compare this read with the previous one (precpu_stats, as `docker stats` does);
    the first read after a start has none and reports null."""
    task, stats = metadata("/task"), metadata("/stats")
    limits = task.get("Limits", {})
    vcpu, mem_mib = limits.get("CPU", 0), limits.get("Memory", 0)
    address = ""
    for c in task.get("Containers", []):
        for n in c.get("Networks", []):
            address = address or (n.get("IPv4Addresses") or [""])[0]
    cpu, pre = stats.get("cpu_stats", {}), stats.get("precpu_stats", {})
    used = cpu.get("cpu_usage", {}).get("total_usage", 0)
    system = cpu.get("system_cpu_usage", 0)
    cpus = max(cpu.get("online_cpus", 1), 1)
    pre_system = pre.get("system_cpu_usage", 0)
    host_pct = limit_pct = None
    if pre_system > 0 and system > pre_system:
        host_pct = max(0.0, (used - pre.get("cpu_usage", {}).get("total_usage", 0))
                       / (system - pre_system) * cpus * 100)
        if vcpu > 0:
            limit_pct = host_pct / vcpu
    memory = stats.get("memory_stats", {})
    mem, mem_max, mem_limit = memory.get("usage", 0), memory.get("max_usage", 0), mem_mib << 20
    return {
        "service": "backend", "source": "task-metadata-v4", "read": stats.get("read", ""),
        "task": {"arn": task.get("TaskARN", ""), "family": task.get("Family", ""),
                 "revision": task.get("Revision", ""),
                 "availabilityZone": task.get("AvailabilityZone", ""),
                 "address": address, "hostname": HOSTNAME},
        "cpu": {"limitVcpu": vcpu, "onlineCpus": cpus, "usageSeconds": round(used / 1e9, 3),
                "percentOfHost": pct(host_pct), "percentOfLimit": pct(limit_pct)},
        "memory": {"limitMiB": mem_mib, "usageMiB": round(mem / 1048576, 1),
                   "maxUsageMiB": round(mem_max / 1048576, 1),
                   "percentOfLimit": pct(mem / mem_limit * 100 if mem_limit else None)},
        "pids": stats.get("pids_stats", {}).get("current", 0),
    }


def read_first(*paths):
    for p in paths:
        try:
            with open(p) as f:
                return f.read().strip()
        except OSError:
            pass
    return "0"


def from_cgroup():
    """Not on ECS: the cgroup v2, then v1, files the container sees."""
    mem = int(read_first("/sys/fs/cgroup/memory.current",
                         "/sys/fs/cgroup/memory/memory.usage_in_bytes"))
    limit = read_first("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")
    limit = 0 if limit == "max" or int(limit) > 1e18 else int(limit)
    usage = int(read_first("/sys/fs/cgroup/cpuacct/cpuacct.usage"))
    for line in read_first("/sys/fs/cgroup/cpu.stat").splitlines():
        if line.startswith("usage_usec "):
            usage = int(line.split()[1]) * 1000
    return {"service": "backend", "source": "cgroup", "task": {"hostname": HOSTNAME},
            "cpu": {"usageSeconds": round(usage / 1e9, 3)},
            "memory": {"limitMiB": limit >> 20, "usageMiB": round(mem / 1048576, 1)}}


def task_stats():
    if METADATA:
        try:
            return from_metadata()
        except (OSError, ValueError) as e:
            log("task metadata endpoint: %s" % e)
    return from_cgroup()


def burn(ms):
    """Keeps this thread on the CPU for `ms` of CPU time; the task's cgroup quota caps it."""
    end = time.thread_time() + ms / 1000
    x = 0
    while time.thread_time() < end:
        for _ in range(10000):
            x += 1


class Handler(BaseHTTPRequestHandler):
    server_version = "seed-backend"

    def reply(self, status, body):
        data = (json.dumps(body, separators=(",", ":")) + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path != "/stats" and not url.path.startswith("/stats/"):
            self.reply(404, {"error": "not found", "try": "/stats"})
            return
        if url.path == "/stats/burn":
            try:
                ms = int(parse_qs(url.query).get("ms", ["100"])[0])
            except ValueError:
                ms = 100
            burn(min(max(ms, 0), 5000))
        health_check = self.headers.get("User-Agent", "").startswith("ELB-HealthChecker")
        body = task_stats()
        body["hits"] = None if health_check else count_hit()
        self.reply(200, body)

    do_HEAD = do_GET

    def do_POST(self):
        self.reply(405, {"error": "method not allowed"})

    do_PUT = do_DELETE = do_PATCH = do_POST

    def log_message(self, fmt, *args):
        log("%s %s" % (self.address_string(), fmt % args))


def report_count():
    """One line in the task's log at start: the count so far, or why the table is out of reach
    (a missing permission shows here, before any visitor)."""
    try:
        item = dynamodb().get_item(TableName=TABLE, Key=KEY, ConsistentRead=True).get("Item")
        log("table %s: %s hits so far" % (TABLE, item["hits"]["N"] if item else 0))
    except Exception as e:
        log("GetItem %s: %s" % (TABLE, e))


def main():
    # PID 1 in its namespace: SIGTERM (ECS's stop) is ignored unless handled.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if TABLE:
        threading.Thread(target=report_count, daemon=True).start()
    server = ThreadingHTTPServer(("", int(os.environ.get("PORT", "8080"))), Handler)
    server.daemon_threads = True
    log("listening on port %d" % server.server_address[1])
    server.serve_forever()


if __name__ == "__main__":
    main()
