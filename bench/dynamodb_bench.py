#!/usr/bin/env python3
"""DynamoDB: PutItem, GetItem, Query (a partition of 100 items of 1 KB) and a 50/50 Get/Put mix
over keep-alive HTTP with wrk, at 1 and 16 connections, Gantry vs moto_server and dynalite (npm,
in memory) in the same run with the same client (the servers taking turns round by round; each figure is the best round's, with every round's
p50 beside it for the spread); plus
Gantry's RSS after loading N small items.

Usage: bench/dynamodb_bench.py [--gantry-bin build/gantry] [--duration 5] [--rounds 2]
                               [--rss-items 1000000] [--only gantry,moto,dynalite] [--smoke]
Prints Markdown tables for bench/RESULTS.md; writes no file. A full run installs dynalite into
bench/peers (npm install, pinned by its package-lock.json) when it is missing there.

Each wrk run replays requests signed once with botocore's SigV4 (valid 15 minutes). --smoke:
1 s runs on 1 connection, 1000 items for the RSS figure, no moto, dynalite (GetItem only) when
it is already installed (a note says when it is not; nothing is downloaded); exits non-zero when a reply
is not 2xx or a check fails.
"""
import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import boto3
import botocore.config

import re

from bench_servers import check_running, free_port, start_gantry, start_moto, stop, wait_listening

from sts_bench import rss_kib, to_ms

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.path.join(ROOT, "bench", "peers")
DYNALITE = os.path.join(PEERS, "node_modules", ".bin", "dynalite")
TABLE = "bench"
PAYLOAD = "x" * 1000
# CreateTable's CREATING lasts a tenth as long; the time scale changes nothing that is measured.
FAST_TABLES = ("--time-scale", "10")


def client(endpoint):
    cfg = botocore.config.Config(retries={"total_max_attempts": 1}, parameter_validation=False)
    return boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="AKIDBENCH", aws_secret_access_key="benchsecret",
                        config=cfg)


def wait_active(ddb, name, timeout=30):
    """Polls DescribeTable until the table is ACTIVE (boto3's waiter sleeps a whole second)."""
    deadline = time.monotonic() + timeout
    while ddb.describe_table(TableName=name)["Table"]["TableStatus"] != "ACTIVE":
        if time.monotonic() > deadline:
            raise RuntimeError("table %s not ACTIVE after %d s" % (name, timeout))
        time.sleep(0.05)


def prepare(endpoint):
    ddb = client(endpoint)
    ddb.create_table(TableName=TABLE, BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                {"AttributeName": "sk", "KeyType": "RANGE"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "sk", "AttributeType": "N"}])
    wait_active(ddb, TABLE)
    for start in range(0, 100, 25):
        ddb.batch_write_item(RequestItems={TABLE: [
            {"PutRequest": {"Item": {"pk": {"S": "p"}, "sk": {"N": str(i)},
                                     "v": {"S": PAYLOAD}}}} for i in range(start, start + 25)]})


def signed(port, operation, body):
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    data = json.dumps(body)
    req = AWSRequest(method="POST", url="http://127.0.0.1:%d/" % port, data=data.encode(),
                     headers={"Content-Type": "application/x-amz-json-1.0",
                              "X-Amz-Target": "DynamoDB_20120810." + operation})
    SigV4Auth(Credentials("AKIDBENCH", "benchsecret"), "dynamodb", "us-east-1").add_auth(req)
    return data, {k: v for k, v in req.headers.items() if k.lower() != "host"}


REQUESTS = {
    "GetItem": ("GetItem", {"TableName": TABLE, "Key": {"pk": {"S": "p"}, "sk": {"N": "7"}}}),
    "PutItem": ("PutItem", {"TableName": TABLE,
                            "Item": {"pk": {"S": "w"}, "sk": {"N": "1"}, "v": {"S": PAYLOAD}}}),
    "Query (100 x 1 KB)": ("Query", {"TableName": TABLE, "KeyConditionExpression": "pk = :p",
                                     "ExpressionAttributeValues": {":p": {"S": "p"}}}),
}


def lua_for(port, names):
    """A wrk script cycling through the signed requests of `names` (one: a plain replay)."""
    reqs = []
    for name in names:
        op, body = REQUESTS[name]
        data, headers = signed(port, op, body)
        reqs.append("wrk.format(\"POST\", \"/\", %s, %s)" % (
            "{" + ", ".join("[%s] = %s" % (json.dumps(k), json.dumps(v))
                            for k, v in headers.items()) + "}", json.dumps(data)))
    return ("local i = 0\nrequest = function()\n  i = i + 1\n  local r = {\n    " +
            ",\n    ".join(reqs) + "\n  }\n  return r[(i % #r) + 1]\nend\n")


def check(port, name):
    op, body = REQUESTS[name]
    data, headers = signed(port, op, body)
    req = urllib.request.Request("http://127.0.0.1:%d/" % port, method="POST",
                                 data=data.encode(), headers=headers)
    with urllib.request.urlopen(req, timeout=10) as r:
        out = json.loads(r.read())
    if op == "GetItem" and out["Item"]["sk"] != {"N": "7"}:
        raise RuntimeError("GetItem replied %s" % out)
    if op == "Query" and out["Count"] != 100:
        raise RuntimeError("Query counted %s" % out.get("Count"))


def run_wrk(port, lua_path, connections, duration):
    """wrk's requests/s, p50 and p99 (ms) and what went wrong; one thread per connection up to 2
    (wrk needs at least one connection per thread)."""
    out = subprocess.run(["wrk", "-t%d" % min(2, connections), "-c%d" % connections,
                          "-d%ds" % duration, "--latency", "-s", lua_path,
                          "http://127.0.0.1:%d/" % port],
                         capture_output=True, text=True, check=True).stdout
    problems = []
    for pattern, what in [(r"Non-2xx or 3xx responses: (\d+)", "non-2xx replies"),
                          (r"Socket errors:(.*)", "socket errors")]:
        m = re.search(pattern, out)
        if m:
            problems.append("%s: %s" % (what, m.group(1).strip()))
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50": to_ms(re.search(r"\s50%\s+(\S+)", out).group(1)),
            "p99": to_ms(re.search(r"\s99%\s+(\S+)", out).group(1)),
            "problems": problems}


def dynalite_available(smoke):
    """Whether bench/peers holds dynalite; a full run installs it there first (npm install, the
    versions pinned by package-lock.json). A smoke run never downloads: it notes the skip."""
    if os.path.exists(DYNALITE):
        return True
    if smoke or shutil.which("npm") is None:
        print("note: dynalite is not installed in bench/peers; its comparison is skipped")
        return False
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"], cwd=PEERS,
                   check=True, stdout=subprocess.DEVNULL)
    return os.path.exists(DYNALITE)


def start_dynalite(port):
    """dynalite in memory (no --path), tables ACTIVE at once."""
    return subprocess.Popen([DYNALITE, "--port", str(port), "--host", "127.0.0.1",
                             "--createTableMs", "0", "--deleteTableMs", "0",
                             "--updateTableMs", "0"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


NGINX_CONF = """daemon off;
worker_processes 2;
pid %(d)s/nginx.pid;
error_log %(d)s/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path %(d)s/body;
  server {
    listen 127.0.0.1:%(port)d;
    location / { return 200 '{"Item": {}}'; }
  }
}
"""


def start_nginx(d, port):
    """nginx (Debian's nginx-light, installed for the registry and ALB benches) answering every
    request with a fixed 200 from two worker processes: what HTTP alone costs on this machine."""
    os.makedirs(d, exist_ok=True)
    conf = os.path.join(d, "nginx.conf")
    with open(conf, "w") as f:
        f.write(NGINX_CONF % {"d": d, "port": port})
    return subprocess.Popen(["nginx", "-p", d, "-c", conf], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def http_ceiling(d, gantry_port, connections, duration):
    """The requests/s that no HTTP server reaches on this machine with this client: the signed
    GetItem request replayed to nginx's fixed reply, and Gantry's own GET /_gantry/health (HTTP
    and routing, no signature, no store)."""
    rows = {}
    port = free_port()
    proc = start_nginx(os.path.join(d, "nginx"), port)
    try:
        wait_listening(port, proc)
        lua = os.path.join(d, "ceiling.lua")
        with open(lua, "w") as f:
            f.write(lua_for(port, ["GetItem"]))
        for c in connections:
            rows[("nginx, fixed 200 to the GetItem request", c)] = run_wrk(port, lua, c, duration)
    finally:
        stop(proc)
    lua = os.path.join(d, "health.lua")
    with open(lua, "w") as f:
        f.write('wrk.path = "/_gantry/health"\n')
    for c in connections:
        rows[("Gantry, GET /_gantry/health", c)] = run_wrk(gantry_port, lua, c, duration)
    return rows


def rss_after_items(binary, count):
    """Gantry's RSS (MiB) after `count` items of ~30 bytes written in batches of 25."""
    with tempfile.TemporaryDirectory(prefix="ddb-rss-") as d:
        port = free_port()
        proc = start_gantry(binary, d, port, extra=FAST_TABLES)
        try:
            wait_listening(port, proc)
            ddb = client("http://127.0.0.1:%d" % port)
            ddb.create_table(TableName="small", BillingMode="PAY_PER_REQUEST",
                             KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                             AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}])
            wait_active(ddb, "small")
            for start in range(0, count, 25):
                ddb.batch_write_item(RequestItems={"small": [
                    {"PutRequest": {"Item": {"k": {"S": "item-%09d" % i}, "n": {"N": str(i)}}}}
                    for i in range(start, min(count, start + 25))]})
            n = ddb.describe_table(TableName="small")["Table"]["ItemCount"]
            if n != count:
                raise RuntimeError("ItemCount %d, expected %d" % (n, count))
            return rss_kib(proc.pid) / 1024.0
        finally:
            stop(proc)


def targets(results):
    """Issue 18's targets against each server's best round: GetItem p50 <= 0.1 ms, p50 <= 1/10 of
    moto's, requests/s at 16 connections >= 5x dynalite's."""
    med = {k: (min(r["p50"] for r in v), max(r["rps"] for r in v)) for k, v in results.items()}
    print("\n| workload | connections | p50 vs moto (≤ 0.1) | requests/s vs dynalite (≥ 5) |")
    print("|---|---|---|---|")
    for (label, c, name), (p50, rps) in sorted(med.items()):
        if name != "gantry":
            continue
        moto = med.get((label, c, "moto"))
        dyn = med.get((label, c, "dynalite"))
        print("| %s | %d | %s | %s |" % (label, c, "%.3f" % (p50 / moto[0]) if moto else "-",
                                         "%.1f" % (rps / dyn[1]) if dyn else "-"))
    get = med.get(("GetItem", 1, "gantry"))
    if get:
        print("\nGantry GetItem p50 at 1 connection: %.3f ms (target ≤ 0.1 ms)" % get[0])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gantry-bin", default=os.environ.get("GANTRY_BIN",
                                                              os.path.join(ROOT, "build", "gantry")))
    ap.add_argument("--duration", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--rss-items", type=int, default=1000000)
    ap.add_argument("--only", default="gantry,moto,dynalite",
                    help="the servers to measure, comma-separated")
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()
    connections = [1, 16]
    only = set(args.only.split(","))
    if args.smoke:
        args.duration, args.rounds, args.rss_items, connections = 1, 1, 1000, [1]
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (see scripts/install-deps.sh)")
    # moto takes seconds to start and is slow to serve: a smoke run leaves it out.
    with_moto = "moto" in only and not args.smoke and importlib.util.find_spec("moto") is not None
    if "moto" in only and not args.smoke and not with_moto:
        print("note: moto is not installed; its comparison is skipped")
    with_dynalite = "dynalite" in only and dynalite_available(args.smoke)
    started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    load_start = " ".join(open("/proc/loadavg").read().split()[:3])
    procs = []
    results = {}
    ceiling = {}
    problems = []
    with tempfile.TemporaryDirectory(prefix="ddb-bench-") as d:
        try:
            servers = {}
            starters = {"gantry": lambda p: start_gantry(args.gantry_bin, os.path.join(d, "data"), p,
                                                         extra=FAST_TABLES)}
            if with_moto:
                starters["moto"] = start_moto
            if with_dynalite:
                starters["dynalite"] = start_dynalite
            for name, start in starters.items():
                if name == "gantry" and "gantry" not in only:
                    continue
                port = free_port()
                procs.append(start(port))
                servers[name] = port
            for (name, port), proc in zip(servers.items(), procs):
                wait_listening(port, proc)
                prepare("http://127.0.0.1:%d" % port)
                for op in REQUESTS:
                    check(port, op)
            workloads = {op: [op] for op in REQUESTS}
            workloads["50/50 GetItem/PutItem"] = ["GetItem", "PutItem"]
            for _ in range(args.rounds):
                for name, port in servers.items():
                    for label, names in workloads.items():
                        if args.smoke and name != "gantry" and label != "GetItem":
                            continue  # a smoke run proves each peer's path with one workload
                        lua = os.path.join(d, "req.lua")
                        with open(lua, "w") as f:
                            f.write(lua_for(port, names))
                        for c in connections:
                            r = run_wrk(port, lua, c, args.duration)
                            problems += ["%s %s c=%d: %s" % (name, label, c, p)
                                         for p in r["problems"]]
                            results.setdefault((label, c, name), []).append(r)
                check_running(procs)
            if "gantry" in servers and not args.smoke and shutil.which("nginx"):
                ceiling = http_ceiling(d, servers["gantry"], connections, args.duration)
        finally:
            for p in procs:
                stop(p)
    rss = rss_after_items(args.gantry_bin, args.rss_items) if "gantry" in only else 0.0
    print("%s UTC; load average %s at the start, %s at the end; wrk -t2, %d s runs, %d rounds\n" %
          (started, load_start, " ".join(open("/proc/loadavg").read().split()[:3]),
           args.duration, args.rounds))
    print("| operation | connections | server | requests/s (best) | p50 (best) | p99 (worst) "
          "| p50 of each round |")
    print("|---|---|---|---|---|---|---|")
    order = {name: i for i, name in enumerate(["gantry", "moto", "dynalite"])}
    for (label, c, name), runs in sorted(results.items(),
                                         key=lambda kv: (kv[0][0], kv[0][1], order[kv[0][2]])):
        print("| %s | %d | %s | %.0f | %.3f ms | %.3f ms | %s |" %
              (label, c, name, max(r["rps"] for r in runs), min(r["p50"] for r in runs),
               max(r["p99"] for r in runs),
               " ".join("%.3f" % r["p50"] for r in runs)))
    targets(results)
    if ceiling:
        print("\nThe HTTP ceiling, same client, same run:\n")
        print("| server | connections | requests/s | p50 |")
        print("|---|---|---|---|")
        for (label, c), r in sorted(ceiling.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            print("| %s | %d | %.0f | %.3f ms |" % (label, c, r["rps"], r["p50"]))
    print("\nGantry RSS after %d small items: %.1f MiB" % (args.rss_items, rss))
    if problems:
        sys.exit("problems: " + "; ".join(problems))


if __name__ == "__main__":
    main()
