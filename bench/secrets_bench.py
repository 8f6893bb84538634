#!/usr/bin/env python3
"""GetSecretValue latency: Gantry vs moto_server, in the same run with the same boto3 client
settings. Each server holds 100 secrets (a 1 KiB SecretString each, under the AWS managed KMS key
on Gantry, with 3 versions apiece); each call reads the AWSCURRENT value of one of them, in turn.
The servers take turns round by round, so a change in the host's load hits both.

Usage: bench/secrets_bench.py [--gantry-bin build/gantry] [--iterations 600] [--rounds 3]
                              [--smoke]
Prints a Markdown table (p50/p99 in ms) for bench/RESULTS.md; writes no file.

Gantry opens every value through KMS (a data key decrypted with AES-256-GCM under the key's
material, then the value itself), as AWS does; moto keeps values in memory in the clear.

--smoke: 5 secrets, 5 calls per server; exits non-zero on any error. moto is skipped, with a
note, only when it is not installed.
"""
import argparse
import importlib.util
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import boto3
import botocore.config

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port, proc, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("%s exited with %s" % (proc.args[0], proc.returncode))
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nothing listening on port %d" % port)


def client(endpoint):
    cfg = botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"},
                                 parameter_validation=False, connect_timeout=5, read_timeout=30)
    return boto3.client("secretsmanager", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test", config=cfg)


def prepare(endpoint, secrets):
    """Creates the secrets; returns a call that reads the next one's current value."""
    sm = client(endpoint)
    names = []
    for i in range(secrets):
        name = "bench/app-%03d" % i
        sm.create_secret(Name=name, SecretString=("v0-%d-" % i).ljust(1024, "x"))
        for v in (1, 2):
            sm.put_secret_value(SecretId=name, SecretString=("v%d-%d-" % (v, i)).ljust(1024, "x"))
        names.append(name)
    state = {"i": 0}

    def call():
        i = state["i"] % len(names)
        state["i"] += 1
        r = sm.get_secret_value(SecretId=names[i])
        if not r["SecretString"].startswith("v2-%d-" % i):
            raise RuntimeError("wrong value for %s" % names[i])
    return call


def measure(fn, iterations, warmup):
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(iterations):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return samples


def p50_p99(samples):
    samples = sorted(samples)
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.99) - 1)]


def stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gantry-bin", default=os.environ.get("GANTRY_BIN",
                                                           os.path.join(ROOT, "build", "gantry")))
    ap.add_argument("--iterations", type=int, default=600)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--smoke", action="store_true",
                    help="5 secrets, 5 calls per server; non-zero exit on any failure")
    args = ap.parse_args()
    if args.smoke:
        secrets, iterations, warmup, args.rounds = 5, 5, 1, 1
    else:
        secrets, iterations, warmup = 100, args.iterations, 20
    with_moto = importlib.util.find_spec("moto") is not None
    if not with_moto:
        if not args.smoke:
            raise SystemExit("moto is not installed (see scripts/install-deps.sh)")
        print("note: moto is not installed; the moto comparison is skipped")

    started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    load_start = " ".join(open("/proc/loadavg").read().split()[:3])
    procs = []
    samples = {}
    try:
        with tempfile.TemporaryDirectory(prefix="secrets-bench-") as d:
            gport = free_port()
            os.makedirs(os.path.join(d, "data"))
            gantry = subprocess.Popen(
                [args.gantry_bin, "--listen", "127.0.0.1:%d" % gport, "--data-dir",
                 os.path.join(d, "data"), "--log-level", "warn"],
                env=dict(os.environ, GANTRY_TASKS="off"),
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            procs.append(gantry)
            if with_moto:
                mport = free_port()
                moto = subprocess.Popen([sys.executable, "-m", "moto.server", "-p", str(mport)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                procs.append(moto)
            wait_listening(gport, gantry)
            calls = {"gantry": prepare("http://127.0.0.1:%d" % gport, secrets)}
            if with_moto:
                wait_listening(mport, moto)
                calls["moto"] = prepare("http://127.0.0.1:%d" % mport, secrets)
            per_round = max(1, iterations // args.rounds)
            for r in range(args.rounds):
                for server, fn in calls.items():
                    samples.setdefault(server, []).extend(
                        measure(fn, per_round, warmup if r == 0 else 0))
            for p in procs:
                if p.poll() is not None:
                    raise RuntimeError("%s exited with %s during the bench" % (p.args[0],
                                                                             p.returncode))
    finally:
        for p in procs:
            stop(p)

    print("%s UTC; load average %s at the start, %s at the end; %d secrets x 3 versions, "
          "%d calls per server in %d rounds, servers in turn\n"
          % (started, load_start, " ".join(open("/proc/loadavg").read().split()[:3]), secrets,
             len(samples["gantry"]), args.rounds))
    print("| Operation | Gantry p50 | Gantry p99 | moto p50 | moto p99 | moto p50 / Gantry p50 |")
    print("|---|---|---|---|---|---|")
    g50, g99 = p50_p99(samples["gantry"])
    if "moto" in samples:
        m50, m99 = p50_p99(samples["moto"])
        print("| GetSecretValue | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.2f |"
              % (g50, g99, m50, m99, m50 / g50))
    else:
        print("| GetSecretValue | %.2f ms | %.2f ms | - | - | - |" % (g50, g99))


if __name__ == "__main__":
    main()
