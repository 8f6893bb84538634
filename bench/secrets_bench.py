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
import os
import tempfile
import time

from bench_servers import check_running, moto_available, start_gantry_and_moto, stop
from ecs_bench import client, measure, p50_p99

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def prepare(endpoint, secrets):
    """Creates the secrets; returns a call that reads the next one's current value."""
    sm = client(endpoint, "secretsmanager")
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
    with_moto = moto_available(args.smoke)

    started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    load_start = " ".join(open("/proc/loadavg").read().split()[:3])
    procs = []
    samples = {}
    try:
        with tempfile.TemporaryDirectory(prefix="secrets-bench-") as d:
            endpoints = start_gantry_and_moto(args.gantry_bin, os.path.join(d, "data"),
                                              with_moto, procs)
            calls = {name: prepare(endpoint, secrets) for name, endpoint in endpoints.items()}
            per_round = max(1, iterations // args.rounds)
            for r in range(args.rounds):
                for server, fn in calls.items():
                    samples.setdefault(server, []).extend(
                        measure(fn, per_round, warmup if r == 0 else 0))
            check_running(procs)
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
