#!/usr/bin/env python3
"""Foundation benchmark: time-to-listening, idle RSS, and sts GetCallerIdentity over keep-alive.

Usage: bench/sts_bench.py [--binary build/gantry] [--duration 10] [--connections 8]
Needs wrk (Debian package `wrk`; installed by this script when missing). Prints a Markdown block
for bench/RESULTS.md.
"""
import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import tempfile
import time

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
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "gantry"))
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=8)
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)

    ttl = time_to_listening(args.binary)
    with tempfile.TemporaryDirectory() as d:
        port = free_port()
        proc = start(args.binary, d, port)
        time.sleep(0.5)
        idle_rss = rss_kib(proc.pid)
        lua = os.path.join(d, "sts.lua")
        with open(lua, "w") as f:
            f.write(LUA)
        out = subprocess.run(["wrk", "-t2", "-c%d" % args.connections, "-d%ds" % args.duration,
                              "--latency", "-s", lua, "http://127.0.0.1:%d/" % port],
                             capture_output=True, text=True, check=True).stdout
        loaded_rss = rss_kib(proc.pid)
        proc.terminate()
        proc.wait()
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)
    p50 = re.search(r"\s50%\s+(\S+)", out).group(1)
    p99 = re.search(r"\s99%\s+(\S+)", out).group(1)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
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


if __name__ == "__main__":
    main()
