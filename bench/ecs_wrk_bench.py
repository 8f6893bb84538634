#!/usr/bin/env python3
"""DescribeServices (10 of 100 services) under wrk at 1 and 16 connections: Gantry vs moto_server
in the same run.

Usage: bench/ecs_wrk_bench.py [--gantry-bin build/gantry] [--baseline-bin OTHER/gantry]
                              [--duration 10] [--threads 2] [--smoke]
Prints a Markdown table (p50, p99, requests/s and the ratios) for bench/RESULTS.md; writes no file.
With --baseline-bin, a second Gantry (e.g. main's build) is measured in the same run, interleaved,
and a second table compares the two: on a shared, loaded host that is the fair before/after.

Both servers get the same cluster as bench/ecs_bench.py (a VPC, subnet and security group through
their own EC2 API, then 100 FARGATE services with desiredCount 0); Gantry runs with
GANTRY_TASKS=off. One DescribeServices request for ten of the services is signed once with
botocore's SigV4 signer, checked once (200, ten services, no failures), and then replayed by wrk
with keep-alive from a Lua script: neither server rejects a replayed signature in its default mode
(Gantry verifies signatures only with --auth strict). Each measurement is bounded (--duration
seconds, after a --warmup-second run that is not counted); wrk's Lua done() hook prints the
request count, duration, errors and the p50/p99 latency that this script reads.

--smoke: 10 services, 1-second runs, no warm-up; exits non-zero on any error or non-2xx reply.
moto is skipped, with a note, only when it is not installed.
"""
import argparse
import datetime
import json
import os
import shutil
import subprocess
import tempfile

import bench_servers  # same directory: starting, checking and stopping the servers
import ecs_bench  # same directory: the boto3 client, network and cluster population

TARGET = "AmazonEC2ContainerServiceV20141113.DescribeServices"
CONNECTIONS = (1, 16)

# wrk replays one request; done() prints one JSON line for the script to read.
LUA = """
wrk.method = "POST"
wrk.body = %(body)s
%(headers)s
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p99_us": %%d, '
    .. '"socket_errors": %%d, "non2xx": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def lua_string(s):
    return json.dumps(s)  # a JSON string literal is a valid Lua string literal for ASCII text


def signed_request(endpoint, services):
    """Headers and body of one DescribeServices call, signed once with botocore's SigV4."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    body = json.dumps({"cluster": "bench", "services": services})
    req = AWSRequest(method="POST", url=endpoint + "/", data=body.encode(), headers={
        "X-Amz-Target": TARGET, "Content-Type": "application/x-amz-json-1.1"})
    SigV4Auth(Credentials("test", "test"), "ecs", "us-east-1").add_auth(req)
    return {k: v for k, v in req.headers.items()}, body


def check_once(endpoint, headers, body, count):
    """The signed request answers 200 with `count` ACTIVE services and no failures."""
    import http.client
    conn = http.client.HTTPConnection(endpoint.split("//")[1], timeout=30)
    try:
        conn.request("POST", "/", body=body.encode(), headers=headers)
        r = conn.getresponse()
        payload = r.read()
    finally:
        conn.close()
    if r.status != 200:
        raise RuntimeError("DescribeServices: HTTP %d: %s" % (r.status, payload[:300]))
    out = json.loads(payload)
    if len(out.get("services", [])) != count or out.get("failures"):
        raise RuntimeError("DescribeServices: %d services, failures %s" %
                           (len(out.get("services", [])), out.get("failures")))
    if any(s["status"] != "ACTIVE" for s in out["services"]):
        raise RuntimeError("DescribeServices: a service is not ACTIVE")


def write_script(path, headers, body):
    lines = ["wrk.headers[%s] = %s" % (lua_string(k), lua_string(v)) for k, v in headers.items()]
    with open(path, "w") as f:
        f.write(LUA % {"body": lua_string(body), "headers": "\n".join(lines)})


def run_wrk(endpoint, script, threads, connections, duration):
    threads = max(1, min(threads, connections))
    cmd = ["wrk", "-t%d" % threads, "-c%d" % connections, "-d%ds" % duration, "--timeout", "5s",
           "-s", script, endpoint + "/"]
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         timeout=duration + 60).stdout
    line = next((l for l in out.splitlines() if l.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError("no RESULT line in wrk output:\n" + out)
    r = json.loads(line[len("RESULT "):])
    if r["requests"] == 0 or r["socket_errors"] or r["non2xx"]:
        raise RuntimeError("wrk against %s: %s" % (endpoint, r))
    return {"p50_ms": r["p50_us"] / 1000.0, "p99_ms": r["p99_us"] / 1000.0,
            "rps": r["requests"] / (r["duration_us"] / 1e6), "requests": r["requests"]}


def prepare(endpoint, services, tmp, name):
    """Populates the server and returns the path of its wrk script."""
    ecs = ecs_bench.client(endpoint)
    network = ecs_bench.make_network(endpoint)
    ecs_bench.populate(ecs, network, True, services, 0)
    names = ["svc-%03d" % i for i in range(ecs_bench.BATCH)]
    headers, body = signed_request(endpoint, names)
    check_once(endpoint, headers, body, len(names))
    script = os.path.join(tmp, "describe-%s.lua" % name)
    write_script(script, headers, body)
    return script


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def print_table(results, args):
    print("wrk -t<min(%d, connections)> -c<connections> -d%ds --timeout 5s, after a %ds warm-up; "
          "%s UTC; load average %s at the start, %s at the end" % (
              args.threads, args.duration, args.warmup, results["started"],
              results["load_start"], results["load_end"]))
    print()
    print("| Connections | Gantry p50 | Gantry p99 | Gantry req/s | moto p50 | moto p99 "
          "| moto req/s | moto p50 / Gantry p50 | Gantry req/s / moto req/s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for c in CONNECTIONS:
        g = results["gantry"][c]
        m = results.get("moto", {}).get(c)
        if m:
            print("| %d | %.3f ms | %.3f ms | %.0f | %.2f ms | %.2f ms | %.0f | %.0fx | %.0fx |" % (
                c, g["p50_ms"], g["p99_ms"], g["rps"], m["p50_ms"], m["p99_ms"], m["rps"],
                m["p50_ms"] / g["p50_ms"], g["rps"] / m["rps"]))
        else:
            print("| %d | %.3f ms | %.3f ms | %.0f | n/a | n/a | n/a | n/a | n/a |" % (
                c, g["p50_ms"], g["p99_ms"], g["rps"]))
    if "baseline" not in results:
        return
    print()
    print("| Connections | baseline p50 | baseline p99 | baseline req/s | this p50 | this p99 "
          "| this req/s | req/s this / baseline |")
    print("|---|---|---|---|---|---|---|---|")
    for c in CONNECTIONS:
        b, g = results["baseline"][c], results["gantry"][c]
        print("| %d | %.3f ms | %.3f ms | %.0f | %.3f ms | %.3f ms | %.0f | %.2fx |" % (
            c, b["p50_ms"], b["p99_ms"], b["rps"], g["p50_ms"], g["p99_ms"], g["rps"],
            g["rps"] / b["rps"]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gantry-bin", default=os.environ.get(
        "GANTRY_BIN", os.path.join(ecs_bench.ROOT, "build", "gantry")))
    ap.add_argument("--baseline-bin", help="a second Gantry to compare with, e.g. main's build")
    ap.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    ap.add_argument("--warmup", type=int, default=2, help="uncounted seconds before each")
    ap.add_argument("--threads", type=int, default=2, help="wrk threads (at most connections)")
    ap.add_argument("--smoke", action="store_true",
                    help="10 services, 1-second runs; non-zero exit on any failure")
    args = ap.parse_args()
    services = ecs_bench.SERVICES
    if args.smoke:
        services, args.duration, args.warmup = ecs_bench.BATCH, 1, 0
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed")
    with_moto = bench_servers.moto_available(args.smoke)

    results = {"started": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"),
               "load_start": load_average()}
    procs = []
    try:
        with tempfile.TemporaryDirectory(prefix="ecs-wrk-bench-") as d:
            servers = {}
            gantries = {"gantry": args.gantry_bin}
            if args.baseline_bin:
                gantries["baseline"] = args.baseline_bin
            for name, binary in gantries.items():
                port = bench_servers.free_port()
                procs.append(bench_servers.start_gantry(binary, os.path.join(d, name), port))
                servers[name] = (port, procs[-1])
            if with_moto:
                mport = bench_servers.free_port()
                procs.append(bench_servers.start_moto(mport))
                servers["moto"] = (mport, procs[-1])
            scripts = {}
            for name, (port, proc) in servers.items():
                bench_servers.wait_listening(port, proc)
                scripts[name] = prepare("http://127.0.0.1:%d" % port, services, d, name)
            # Interleaved, so that both servers see the same host load at each connection count.
            for c in CONNECTIONS:
                for name, (port, proc) in servers.items():
                    endpoint = "http://127.0.0.1:%d" % port
                    if args.warmup:
                        run_wrk(endpoint, scripts[name], args.threads, c, args.warmup)
                    results.setdefault(name, {})[c] = run_wrk(endpoint, scripts[name],
                                                              args.threads, c, args.duration)
                    if proc.poll() is not None:
                        raise RuntimeError("%s exited with %s during the bench" %
                                           (name, proc.returncode))
    finally:
        for p in procs:
            bench_servers.stop(p)
    results["load_end"] = load_average()
    print_table(results, args)


if __name__ == "__main__":
    main()
