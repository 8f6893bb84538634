#!/usr/bin/env python3
"""Foundation benchmark: time-to-listening, idle RSS, and sts GetCallerIdentity over keep-alive.

Usage: bench/sts_bench.py [--gantry-bin build/gantry] [--duration 10] [--connections 8]
                          [--rounds 3] [--smoke]
Gantry in default and in strict auth mode (where every signature is checked) and moto_server,
the servers taking turns round by round, replay one request signed with botocore.
Needs wrk (Debian package `wrk`; installed by this script when missing, but not in --smoke).
Prints a Markdown block for bench/RESULTS.md; writes no file.

--smoke: 3 starts, wrk for 1 s on 2 connections, no moto; exits non-zero unless the reply is a
GetCallerIdentity result, wrk counted requests and saw no socket error and no non-2xx reply.
"""
import argparse
import importlib.util
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

from bench_servers import free_port, start_gantry, start_moto, stop, wait_listening

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

KEY, SECRET = "AKIDBENCH", "benchsecret"
BODY = "Action=GetCallerIdentity&Version=2011-06-15"


def signed_lua(port):
    """A wrk script replaying one GetCallerIdentity signed now with botocore's SigV4 (valid for 15
    minutes: strict mode checks both the signature and its time)."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    req = AWSRequest(method="POST", url="http://127.0.0.1:%d/" % port, data=BODY.encode(), headers={
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(Credentials(KEY, SECRET), "sts", "us-east-1").add_auth(req)
    lines = ['wrk.method = "POST"', "wrk.body = %s" % json.dumps(BODY)]
    lines += ["wrk.headers[%s] = %s" % (json.dumps(k), json.dumps(v))
              for k, v in req.headers.items() if k.lower() != "host"]
    return "\n".join(lines) + "\n"


def check_reply(port, lua):
    """One request with the same body and headers as the load; the reply must be the identity."""
    headers = dict(re.findall(r'wrk.headers\["([^"]+)"\] = "([^"]*)"', lua))
    req = urllib.request.Request("http://127.0.0.1:%d/" % port, method="POST",
                                 data=BODY.encode(), headers=headers)
    with urllib.request.urlopen(req, timeout=10) as r:
        body = r.read().decode()
    if r.status != 200 or "<GetCallerIdentityResult>" not in body or "<Account>" not in body:
        raise RuntimeError("GetCallerIdentity replied %d: %s" % (r.status, body[:300]))


def time_to_listening(binary, runs=20):
    samples = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as d:
            port = free_port()
            t0 = time.perf_counter()
            proc = start_gantry(binary, d, port, tasks_off=False)
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.05).close()
                    break
                except OSError:
                    if proc.poll() is not None:
                        raise RuntimeError("gantry exited")
                    time.sleep(0.0005)
            samples.append(time.perf_counter() - t0)
            proc.terminate()
            proc.wait()
    return samples


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def run_wrk(port, lua_path, connections, duration):
    out = subprocess.run(["wrk", "-t2", "-c%d" % connections, "-d%ds" % duration, "--latency",
                          "-s", lua_path, "http://127.0.0.1:%d/" % port],
                         capture_output=True, text=True, check=True).stdout
    problems = []
    total = re.search(r"(\d+) requests in", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors:(.*)", out)
    if not total or int(total.group(1)) == 0:
        problems.append("wrk counted no request")
    if non2xx:
        problems.append("%s non-2xx responses" % non2xx.group(1))
    if errors:
        problems.append("socket errors:" + errors.group(1))
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50": to_ms(re.search(r"\s50%\s+(\S+)", out).group(1)),
            "p99": to_ms(re.search(r"\s99%\s+(\S+)", out).group(1)),
            "problems": problems}


def to_ms(text):
    """wrk's latency ("812.00us", "1.20ms", "2.01s") in milliseconds."""
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gantry-bin", "--binary", dest="binary",
                    default=os.environ.get("GANTRY_BIN", os.path.join(ROOT, "build", "gantry")))
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=3,
                    help="wrk runs per server, the servers taking turns round by round")
    ap.add_argument("--smoke", action="store_true",
                    help="a few seconds, tiny load, no moto; non-zero exit on any failure")
    args = ap.parse_args()
    runs = 20
    if args.smoke:
        args.duration, args.connections, args.rounds, runs = 1, 2, 1, 3
    if shutil.which("wrk") is None:
        if args.smoke:
            sys.exit("wrk is not installed (see scripts/install-deps.sh)")
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    with_moto = not args.smoke and importlib.util.find_spec("moto") is not None
    started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    load_start = open("/proc/loadavg").read().split()[:3]

    ttl = time_to_listening(args.binary, runs)
    procs = {}
    with tempfile.TemporaryDirectory() as d:
        try:
            ports = {}
            for name, extra in (("Gantry", []),
                                ("Gantry --auth strict",
                                 ["--auth", "strict", "--credentials", KEY + ":" + SECRET])):
                ports[name] = free_port()
                procs[name] = start_gantry(args.binary, os.path.join(d, str(len(ports))),
                                           ports[name], extra, tasks_off=False)
            if with_moto:
                ports["moto"] = free_port()
                procs["moto"] = start_moto(ports["moto"])
            scripts = {}
            for name, port in ports.items():
                wait_listening(port, procs[name])
                lua = signed_lua(port)  # the Host header, with the port, is signed
                check_reply(port, lua)
                scripts[name] = os.path.join(d, "sts-%d.lua" % port)
                with open(scripts[name], "w") as f:
                    f.write(lua)
            idle_rss = rss_kib(procs["Gantry"].pid)
            samples = {name: [] for name in ports}
            for _ in range(args.rounds):
                for name, port in ports.items():
                    samples[name].append(run_wrk(port, scripts[name], args.connections,
                                                 args.duration))
            loaded_rss = rss_kib(procs["Gantry"].pid)
            for name, proc in procs.items():
                if proc.poll() is not None:
                    raise RuntimeError("%s exited with %s under load" % (name, proc.returncode))
        finally:
            for proc in procs.values():
                stop(proc)
    print("### sts GetCallerIdentity (query protocol, keep-alive)\n")
    print("%s UTC; load average %s at the start, %s at the end; wrk -t2 -c%d -d%ds, %d rounds, "
          "servers in turn; medians of the rounds\n" % (
              started, " ".join(load_start), " ".join(open("/proc/loadavg").read().split()[:3]),
              args.connections, args.duration, args.rounds))
    print("| server | requests/s | p50 | p99 |\n|---|---|---|---|")
    for name, runs_of in samples.items():
        print("| %s | %.0f | %.2f ms | %.2f ms |" % (
            name, statistics.median(r["rps"] for r in runs_of),
            statistics.median(r["p50"] for r in runs_of),
            statistics.median(r["p99"] for r in runs_of)))
    print()
    print("| metric | value |\n|---|---|")
    print("| time to listening, median / max of %d starts | %.1f ms / %.1f ms |" %
          (len(ttl), statistics.median(ttl) * 1000, max(ttl) * 1000))
    print("| idle RSS | %.1f MiB |" % (idle_rss / 1024))
    print("| RSS after the load | %.1f MiB |" % (loaded_rss / 1024))
    problems = ["%s: %s" % (name, p) for name, runs_of in samples.items()
                for r in runs_of for p in r["problems"]]
    if problems:
        sys.exit("FAILED: " + "; ".join(problems))


if __name__ == "__main__":
    main()
