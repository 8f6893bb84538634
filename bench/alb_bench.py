#!/usr/bin/env python3
"""ALB proxy benchmark: Gantry's AlbProxy against HAProxy and nginx, same backend, same run.

One nginx backend answers a small fixed 200 on 127.0.0.1 (access_log off, keep-alive). In front
of it, each on its own free 127.0.0.1 port and with the same number of worker threads/processes:
  - HAProxy (http mode, keep-alive and connection reuse toward the backend, option forwardfor),
  - nginx as a reverse proxy (upstream keepalive, HTTP/1.1, X-Forwarded-For),
  - Gantry's AlbProxy through bench/alb_proxy_harness (the class the server runs per listener
    port; a snapshot with one load balancer, listener and default forward to a target group
    holding the backend; loopback Connector).
wrk (keep-alive, --latency) runs against each in turn, round after round, so that the machine's
background load hits every proxy alike; the table shows the median round per proxy.

Usage: bench/alb_bench.py [--build-dir build] [--harness PATH]
                          [--threads 2] [--connections 64] [--duration 10] [--rounds 3] [--smoke]
The harness is the CMake target alb_proxy_harness (src/dataplane/CMakeLists.txt); by default the
bench runs `ninja -C <build-dir> alb_proxy_harness` (a no-op when it is up to date) and uses
<build-dir>/src/dataplane/alb_proxy_harness. Needs nginx (the backend) and wrk; HAProxy is a peer.
Every process it starts is killed and its temp dir removed, also on errors. Writes no file.

--smoke: one round of 1 s per proxy on 8 connections, no warm-up; exits non-zero when a
proxy does not answer the backend's body, or wrk counts no request, a socket error or a non-2xx
reply. HAProxy is skipped, with a note, only when it is not installed.
"""
import argparse
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BODY = "hello from the backend\n"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_listening(port, proc, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("process exited early: %s" % proc.args)
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("not listening on %d: %s" % (port, proc.args))


def http_get(port):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    return data.decode("latin-1")


NGINX_COMMON = """
daemon off;
master_process on;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
"""

NGINX_TEMP = """
  client_body_temp_path {dir}/client_body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  access_log off;
  keepalive_requests 100000000;
  keepalive_timeout 120s;
"""


def backend_conf(d, port):
    return (NGINX_COMMON.format(dir=d) + "worker_processes 1;\nhttp {\n" + NGINX_TEMP.format(dir=d) +
            "  default_type text/plain;\n"
            "  server {\n    listen 127.0.0.1:%d;\n    location / { return 200 \"%s\"; }\n  }\n}\n"
            % (port, BODY.replace("\n", "\\n")))


def nginx_proxy_conf(d, port, backend, workers):
    return (NGINX_COMMON.format(dir=d) + "worker_processes %d;\nhttp {\n" % workers +
            NGINX_TEMP.format(dir=d) +
            "  upstream backend {\n    server 127.0.0.1:%d;\n    keepalive 128;\n  }\n"
            "  server {\n    listen 127.0.0.1:%d;\n    location / {\n"
            "      proxy_pass http://backend;\n      proxy_http_version 1.1;\n"
            "      proxy_set_header Connection \"\";\n      proxy_set_header Host $host;\n"
            "      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
            "      proxy_buffering on;\n    }\n  }\n}\n" % (backend, port))


def haproxy_conf(port, backend, threads):
    return """global
  nbthread {threads}
  maxconn 4096
defaults
  mode http
  timeout connect 10s
  timeout client 60s
  timeout server 60s
  option http-keep-alive
  option forwardfor
frontend fe
  bind 127.0.0.1:{port}
  default_backend be
backend be
  http-reuse always
  server s1 127.0.0.1:{backend}
""".format(threads=threads, port=port, backend=backend)


class Procs:
    """Starts processes in their own session and kills each process group on close()."""

    def __init__(self):
        self.procs = []

    def start(self, args, **kw):
        p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True, **kw)
        self.procs.append(p)
        return p

    def start_with_stdout(self, args):
        p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             start_new_session=True, text=True)
        self.procs.append(p)
        return p

    def close(self):
        for p in self.procs:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for p in self.procs:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            try:
                os.killpg(p.pid, signal.SIGKILL)  # leftover workers of the group, if any
            except ProcessLookupError:
                pass
            if p.poll() is None:
                p.wait(timeout=5)


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def group_cpu_seconds(leader_pid):
    """User + system CPU seconds of every process in the process group of `leader_pid`."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == leader_pid:  # pgrp
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def parse_latency(text, pct):
    m = re.search(r"^\s*%s%%\s+([\d.]+)(us|ms|s)\s*$" % pct, text, re.M)
    return float(m.group(1)) * UNITS[m.group(2)] if m else float("nan")


def find_harness(build_dir):
    """The harness in the build tree, built (or brought up to date) with ninja."""
    if not os.path.exists(os.path.join(build_dir, "build.ninja")):
        raise SystemExit("%s is not a configured build tree (run scripts/build.sh)" % build_dir)
    r = subprocess.run(["ninja", "-C", build_dir, "alb_proxy_harness"], capture_output=True,
                       text=True)
    if r.returncode != 0:
        raise SystemExit("ninja -C %s alb_proxy_harness failed:\n%s" % (build_dir,
                                                                        r.stdout[-3000:]))
    return os.path.join(build_dir, "src", "dataplane", "alb_proxy_harness")


def run_wrk(port, threads, connections, duration, pgid=None):
    cpu0 = group_cpu_seconds(pgid) if pgid else 0.0
    out = subprocess.run(["wrk", "-t%d" % threads, "-c%d" % connections, "-d%ds" % duration,
                          "--latency", "-H", "Host: bench-123456789.us-east-1.elb.localhost",
                          "http://127.0.0.1:%d/" % port],
                         capture_output=True, text=True, timeout=duration + 30).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:(.*)", out)
    total = re.search(r"(\d+) requests in", out)
    cpu = group_cpu_seconds(pgid) - cpu0 if pgid else float("nan")
    return {
        "cpu_us": cpu / int(total.group(1)) * 1e6 if total and int(total.group(1)) else float("nan"),
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50": parse_latency(out, 50),
        "p99": parse_latency(out, 99),
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "errors": errors.group(1).strip() if errors else "",
        "requests": int(total.group(1)) if total else 0,
    }


def versions():
    def first_line(args):
        try:
            r = subprocess.run(args, capture_output=True, text=True, timeout=10)
            return (r.stdout or r.stderr).splitlines()[0]
        except Exception:  # noqa: BLE001 - a missing tool only loses its version line
            return "?"
    return {
        "haproxy": first_line(["haproxy", "-v"]),
        "nginx": first_line(["nginx", "-v"]),
        "wrk": first_line(["wrk", "-v"]),
    }


def machine():
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return "%s, %d cores, Linux %s, load average %.1f at start" % (
        model, os.cpu_count(), platform.release(), os.getloadavg()[0])


def start_harness(procs, harness, be_port, threads, extra=()):
    """The harness in front of the backend; (process, the port it listens on)."""
    p = procs.start_with_stdout([harness, "--backend-port", str(be_port), "--threads",
                                 str(threads)] + list(extra))
    line = p.stdout.readline()
    m = re.match(r"listening (\d+)", line)
    if not m:
        raise RuntimeError("harness did not start: %r" % line)
    return p, int(m.group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", default=os.path.join(ROOT, "build"))
    ap.add_argument("--harness", default="",
                    help="default: <build-dir>/src/dataplane/alb_proxy_harness, built by ninja")
    ap.add_argument("--threads", type=int, default=2, help="worker threads/processes per proxy")
    ap.add_argument("--wrk-threads", type=int, default=2)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--only", default="",
                    help="comma-separated subset: direct,haproxy,nginx,gantry,gantry-metrics")
    ap.add_argument("--smoke", action="store_true",
                    help="1 round of 1 s per proxy; non-zero exit on any failure")
    args = ap.parse_args()
    warmup = 2
    if args.smoke:
        args.duration, args.rounds, args.connections, warmup = 1, 1, 8, 0

    def tool(name):
        return shutil.which(name) or ("/usr/sbin/" + name if os.path.exists("/usr/sbin/" + name)
                                      else None)
    for name in ("nginx", "wrk") + (() if args.smoke else ("haproxy",)):
        if tool(name) is None:
            raise SystemExit("%s is not installed (see scripts/install-deps.sh)" % name)
    nginx = tool("nginx")
    haproxy = tool("haproxy")
    if haproxy is None:
        print("note: haproxy is not installed; the HAProxy comparison is skipped", flush=True)
    harness = args.harness or find_harness(args.build_dir)

    start_info = machine()
    procs = Procs()
    tmp = tempfile.mkdtemp(prefix="alb-bench-")
    try:
        be_dir = os.path.join(tmp, "backend")
        os.makedirs(be_dir)
        be_port = free_port()
        with open(os.path.join(be_dir, "nginx.conf"), "w") as f:
            f.write(backend_conf(be_dir, be_port))
        be = procs.start([nginx, "-p", be_dir, "-c", os.path.join(be_dir, "nginx.conf"), "-e",
                          os.path.join(be_dir, "error.log")])
        wait_listening(be_port, be)

        targets = {"direct": be_port}
        groups = {"direct": be.pid}  # each started in its own session: pgid == pid

        if haproxy:
            hp_port = free_port()
            hp_cfg = os.path.join(tmp, "haproxy.cfg")
            with open(hp_cfg, "w") as f:
                f.write(haproxy_conf(hp_port, be_port, args.threads))
            hp = procs.start([haproxy, "-f", hp_cfg, "-db"])
            wait_listening(hp_port, hp)
            targets["haproxy"] = hp_port
            groups["haproxy"] = hp.pid

        ng_dir = os.path.join(tmp, "nginx-proxy")
        os.makedirs(ng_dir)
        ng_port = free_port()
        with open(os.path.join(ng_dir, "nginx.conf"), "w") as f:
            f.write(nginx_proxy_conf(ng_dir, ng_port, be_port, args.threads))
        ng = procs.start([nginx, "-p", ng_dir, "-c", os.path.join(ng_dir, "nginx.conf"), "-e",
                          os.path.join(ng_dir, "error.log")])
        wait_listening(ng_port, ng)
        targets["nginx"] = ng_port
        groups["nginx"] = ng.pid

        gp, targets["gantry"] = start_harness(procs, harness, be_port, args.threads)
        groups["gantry"] = gp.pid
        # The same proxy counting every request for its CloudWatch metrics, as the server's do.
        gm, targets["gantry-metrics"] = start_harness(procs, harness, be_port, args.threads,
                                                      ["--metrics", "1"])
        groups["gantry-metrics"] = gm.pid

        if args.only:
            keep = set(args.only.split(","))
            targets = {k: v for k, v in targets.items() if k in keep}
        for name, port in targets.items():
            reply = http_get(port)
            if " 200 " not in reply.splitlines()[0] or BODY not in reply:
                raise RuntimeError("%s does not proxy: %r" % (name, reply[:200]))
            if warmup:
                run_wrk(port, args.wrk_threads, args.connections, warmup)  # pools, caches

        results = {name: [] for name in targets}
        for r in range(args.rounds):
            for name, port in targets.items():
                res = run_wrk(port, args.wrk_threads, args.connections, args.duration,
                              groups[name])
                results[name].append(res)
                print("round %d %-8s %10.0f req/s  p50 %.2f ms  p99 %.2f ms  cpu %.1f us/req  "
                      "non-2xx %d %s" % (r + 1, name, res["rps"], res["p50"], res["p99"],
                                         res["cpu_us"], res["non2xx"], res["errors"]), flush=True)
        for name, p in (("backend", be), ("gantry", gp), ("gantry-metrics", gm)):
            if p.poll() is not None:
                raise RuntimeError("%s exited with %s during the bench" % (name, p.returncode))
    finally:
        procs.close()
        shutil.rmtree(tmp, ignore_errors=True)

    v = versions()
    names = {"direct": "backend direct (no proxy)", "haproxy": "HAProxy", "nginx": "nginx proxy",
             "gantry": "Gantry AlbProxy", "gantry-metrics": "Gantry AlbProxy, metrics counted"}
    print()
    print("Machine: %s" % start_info)
    print("Versions: %s; %s; %s" % (v["haproxy"], v["nginx"], v["wrk"]))
    print("Command: wrk -t%d -c%d -d%ds --latency; %d worker threads/processes per proxy; "
          "median of %d rounds" % (args.wrk_threads, args.connections, args.duration, args.threads,
                                   args.rounds))
    print()
    print("| proxy | requests/s (median) | p50 | p99 | CPU per request | rounds req/s | "
          "non-2xx / errors |")
    print("|---|---|---|---|---|---|---|")
    for name, rs in results.items():
        med = sorted(rs, key=lambda x: x["rps"])[len(rs) // 2]
        print("| %s | %s | %.2f ms | %.2f ms | %.1f µs | %s | %d%s |" % (
            names[name], format(int(round(med["rps"])), ",").replace(",", " "),
            statistics.median(x["p50"] for x in rs), statistics.median(x["p99"] for x in rs),
            statistics.median(x["cpu_us"] for x in rs),
            " / ".join("%d" % round(x["rps"]) for x in rs), sum(x["non2xx"] for x in rs),
            "; " + "; ".join(x["errors"] for x in rs if x["errors"]) if any(x["errors"] for x in rs) else ""))
    problems = ["%s: %s" % (name, what) for name, rs in results.items() for x in rs
                for what in (["no request counted"] if x["requests"] == 0 else []) +
                (["%d non-2xx" % x["non2xx"]] if x["non2xx"] else []) +
                (["socket errors: " + x["errors"]] if x["errors"] else [])]
    if problems:
        raise SystemExit("FAILED: " + "; ".join(problems))


if __name__ == "__main__":
    main()
