#!/usr/bin/env python3
"""Foundation benchmark: time-to-listening, idle RSS, and sts GetCallerIdentity over keep-alive.

Usage: bench/sts_bench.py [--gantry-bin build/gantry] [--duration 10] [--connections 8] [--smoke]
Needs wrk (Debian package `wrk`; installed by this script when missing, but not in --smoke).
Prints a Markdown block for bench/RESULTS.md; writes no file.

--smoke: 3 starts, wrk for 1 s on 2 connections; exits non-zero unless the reply is a
GetCallerIdentity result, wrk counted requests and saw no socket error and no non-2xx reply.
"""
import argparse
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

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

LUA = r'''
wrk.method = "POST"
wrk.body = "Action=GetCallerIdentity&Version=2011-06-15"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000"
wrk.headers["X-Amz-Date"] = "20250101T000000Z"
'''


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def start(binary, data_dir, port):
    proc = subprocess.Popen([binary, "--listen", "127.0.0.1:%d" % port, "--data-dir", data_dir,
                             "--log-level", "warn"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    return proc


def check_reply(port):
    """One request with the same body and headers as the load; the reply must be the identity."""
    headers = dict(re.findall(r'wrk.headers\["([^"]+)"\] = "([^"]*)"', LUA))
    req = urllib.request.Request("http://127.0.0.1:%d/" % port, method="POST",
                                 data=b"Action=GetCallerIdentity&Version=2011-06-15",
                                 headers=headers)
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
            proc = start(binary, d, port)
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gantry-bin", "--binary", dest="binary",
                    default=os.environ.get("GANTRY_BIN", os.path.join(ROOT, "build", "gantry")))
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--smoke", action="store_true",
                    help="a few seconds, tiny load; non-zero exit on any failure")
    args = ap.parse_args()
    runs = 20
    if args.smoke:
        args.duration, args.connections, runs = 1, 2, 3
    if shutil.which("wrk") is None:
        if args.smoke:
            sys.exit("wrk is not installed (see scripts/install-deps.sh)")
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)

    ttl = time_to_listening(args.binary, runs)
    with tempfile.TemporaryDirectory() as d:
        port = free_port()
        proc = start(args.binary, d, port)
        try:
            time.sleep(0.5)
            if proc.poll() is not None:
                raise RuntimeError("gantry exited with %s" % proc.returncode)
            idle_rss = rss_kib(proc.pid)
            check_reply(port)
            lua = os.path.join(d, "sts.lua")
            with open(lua, "w") as f:
                f.write(LUA)
            out = subprocess.run(["wrk", "-t2", "-c%d" % args.connections,
                                  "-d%ds" % args.duration, "--latency", "-s", lua,
                                  "http://127.0.0.1:%d/" % port],
                                 capture_output=True, text=True, check=True).stdout
            loaded_rss = rss_kib(proc.pid)
            if proc.poll() is not None:
                raise RuntimeError("gantry exited with %s under load" % proc.returncode)
        finally:
            proc.terminate()
            proc.wait()
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)
    p50 = re.search(r"\s50%\s+(\S+)", out).group(1)
    p99 = re.search(r"\s99%\s+(\S+)", out).group(1)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    total = re.search(r"(\d+) requests in", out)
    errors = re.search(r"Socket errors:(.*)", out)
    print("### sts GetCallerIdentity (query protocol, keep-alive)\n")
    print("| metric | value |\n|---|---|")
    print("| requests/s (wrk, 2 threads, %d connections, %d s) | %s |" %
          (args.connections, args.duration, rps))
    print("| latency p50 / p99 | %s / %s |" % (p50, p99))
    print("| non-2xx responses | %s |" % (non2xx.group(1) if non2xx else 0))
    print("| time to listening, median / max of %d starts | %.1f ms / %.1f ms |" %
          (len(ttl), statistics.median(ttl) * 1000, max(ttl) * 1000))
    print("| idle RSS | %.1f MiB |" % (idle_rss / 1024))
    print("| RSS after the load | %.1f MiB |" % (loaded_rss / 1024))
    problems = []
    if not total or int(total.group(1)) == 0:
        problems.append("wrk counted no request")
    if non2xx:
        problems.append("%s non-2xx responses" % non2xx.group(1))
    if errors:
        problems.append("socket errors:" + errors.group(1))
    if problems:
        sys.exit("FAILED: " + "; ".join(problems))


if __name__ == "__main__":
    main()
