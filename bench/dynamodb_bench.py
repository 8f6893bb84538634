#!/usr/bin/env python3
"""DynamoDB: PutItem, GetItem, Query (a partition of 100 items of 1 KB) and a 50/50 Get/Put mix
over keep-alive HTTP with wrk, at 1 and 16 connections, Gantry vs moto_server in the same run
(the servers taking turns round by round); plus Gantry's RSS after loading N small items.

Usage: bench/dynamodb_bench.py [--gantry-bin build/gantry] [--duration 5] [--rounds 2]
                               [--rss-items 1000000] [--smoke]
Prints Markdown tables for bench/RESULTS.md; writes no file. dynalite (npm) is not measured
when it is not installed (a note says so).

Each wrk run replays requests signed once with botocore's SigV4 (valid 15 minutes). --smoke:
1 s runs on 1 connection, 1000 items for the RSS figure, no moto; exits non-zero when a reply
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

from bench_servers import check_running, free_port, start_gantry, start_moto, stop, wait_listening
import re

from sts_bench import rss_kib, to_ms

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TABLE = "bench"
PAYLOAD = "x" * 1000


def client(endpoint):
    cfg = botocore.config.Config(retries={"total_max_attempts": 1}, parameter_validation=False)
    return boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="AKIDBENCH", aws_secret_access_key="benchsecret",
                        config=cfg)


def prepare(endpoint):
    ddb = client(endpoint)
    ddb.create_table(TableName=TABLE, BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                {"AttributeName": "sk", "KeyType": "RANGE"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "sk", "AttributeType": "N"}])
    ddb.get_waiter("table_exists").wait(TableName=TABLE, WaiterConfig={"Delay": 1})
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


def rss_after_items(binary, count):
    """Gantry's RSS (MiB) after `count` items of ~30 bytes written in batches of 25."""
    with tempfile.TemporaryDirectory(prefix="ddb-rss-") as d:
        port = free_port()
        proc = start_gantry(binary, d, port)
        try:
            wait_listening(port, proc)
            ddb = client("http://127.0.0.1:%d" % port)
            ddb.create_table(TableName="small", BillingMode="PAY_PER_REQUEST",
                             KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                             AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}])
            ddb.get_waiter("table_exists").wait(TableName="small", WaiterConfig={"Delay": 1})
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gantry-bin", default=os.environ.get("GANTRY_BIN",
                                                              os.path.join(ROOT, "build", "gantry")))
    ap.add_argument("--duration", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--rss-items", type=int, default=1000000)
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()
    connections = [1, 16]
    with_moto = not args.smoke and importlib.util.find_spec("moto") is not None
    if args.smoke:
        args.duration, args.rounds, args.rss_items, connections = 1, 1, 1000, [1]
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (see scripts/install-deps.sh)")
    if shutil.which("dynalite") is None:
        print("note: dynalite is not installed; its comparison is skipped")
    started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    load_start = " ".join(open("/proc/loadavg").read().split()[:3])
    procs = []
    results = {}
    problems = []
    with tempfile.TemporaryDirectory(prefix="ddb-bench-") as d:
        try:
            servers = {}
            port = free_port()
            procs.append(start_gantry(args.gantry_bin, os.path.join(d, "data"), port))
            servers["gantry"] = port
            if with_moto:
                port = free_port()
                procs.append(start_moto(port))
                servers["moto"] = port
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
                        lua = os.path.join(d, "req.lua")
                        with open(lua, "w") as f:
                            f.write(lua_for(port, names))
                        for c in connections:
                            r = run_wrk(port, lua, c, args.duration)
                            problems += ["%s %s c=%d: %s" % (name, label, c, p)
                                         for p in r["problems"]]
                            results.setdefault((label, c, name), []).append(r)
                check_running(procs)
        finally:
            for p in procs:
                stop(p)
    rss = rss_after_items(args.gantry_bin, args.rss_items)
    print("%s UTC; load average %s at the start, %s at the end; wrk -t2, %d s runs, %d rounds\n" %
          (started, load_start, " ".join(open("/proc/loadavg").read().split()[:3]),
           args.duration, args.rounds))
    print("| operation | connections | server | requests/s | p50 | p99 |")
    print("|---|---|---|---|---|---|")
    for (label, c, name), runs in sorted(results.items()):
        med = lambda key: sorted(r[key] for r in runs)[len(runs) // 2]
        print("| %s | %d | %s | %.0f | %.3f ms | %.3f ms |" %
              (label, c, name, med("rps"), med("p50"), med("p99")))
    print("\nGantry RSS after %d small items: %.1f MiB" % (args.rss_items, rss))
    if problems:
        sys.exit("problems: " + "; ".join(problems))


if __name__ == "__main__":
    main()
