#!/usr/bin/env python3
"""GetParameter latency: a String parameter, and a SecureString read WithDecryption (a KMS decrypt
under alias/aws/ssm per call), Gantry vs moto_server in the same run with the same boto3 client
settings; plus GetParametersByPath (10 of 50 parameters).

Usage: bench/ssm_bench.py [--gantry-bin build/gantry] [--iterations 300] [--rounds 3] [--smoke]
Prints a Markdown table (p50/p99 in ms) for bench/RESULTS.md; writes no file.

The servers take turns round by round, so a change in the host's load hits both. --smoke: 5
calls per operation, one round; exits non-zero on any error. moto is skipped, with a note, only
when it is not installed.
"""
import argparse
import os
import tempfile
import time

from bench_servers import check_running, moto_available, start_gantry_and_moto, stop
from ecs_bench import client, measure, print_comparison

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET = "bench-secret-value-0123456789"
PATH_SIZE = 50


def prepare(endpoint):
    """Populates the server; returns {operation label: a function making one call}."""
    ssm = client(endpoint, "ssm")
    ssm.put_parameter(Name="/bench/plain", Value="plain-value", Type="String")
    ssm.put_parameter(Name="/bench/secret", Value=SECRET, Type="SecureString")
    for i in range(PATH_SIZE):
        ssm.put_parameter(Name="/bench/many/p%02d" % i, Value=str(i), Type="String")

    def get_string():
        assert ssm.get_parameter(Name="/bench/plain")["Parameter"]["Value"] == "plain-value"

    def get_secure():
        out = ssm.get_parameter(Name="/bench/secret", WithDecryption=True)
        assert out["Parameter"]["Value"] == SECRET

    def by_path():
        assert len(ssm.get_parameters_by_path(Path="/bench/many")["Parameters"]) == 10

    return {"GetParameter (String)": get_string,
            "GetParameter (SecureString, WithDecryption)": get_secure,
            "GetParametersByPath (10 of %d)" % PATH_SIZE: by_path}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gantry-bin", default=os.environ.get("GANTRY_BIN",
                                                              os.path.join(ROOT, "build", "gantry")))
    ap.add_argument("--iterations", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=3,
                    help="the servers take turns; each round makes iterations/rounds calls")
    ap.add_argument("--smoke", action="store_true",
                    help="5 calls per operation; non-zero exit on any failure")
    args = ap.parse_args()
    iterations, warmup = (5, 1) if args.smoke else (args.iterations, 20)
    if args.smoke:
        args.rounds = 1
    with_moto = moto_available(args.smoke)

    started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    load_start = " ".join(open("/proc/loadavg").read().split()[:3])
    procs = []
    samples = {}
    try:
        with tempfile.TemporaryDirectory(prefix="ssm-bench-") as d:
            endpoints = start_gantry_and_moto(args.gantry_bin, os.path.join(d, "data"),
                                              with_moto, procs)
            calls = {name: prepare(endpoint) for name, endpoint in endpoints.items()}
            per_round = max(1, iterations // args.rounds)
            for r in range(args.rounds):
                for server, ops in calls.items():
                    for op, fn in ops.items():
                        samples.setdefault(server, {}).setdefault(op, []).extend(
                            measure(fn, per_round, warmup if r == 0 else 0))
            check_running(procs)
    finally:
        for p in procs:
            stop(p)

    print("%s UTC; load average %s at the start, %s at the end; %d rounds, servers in turn\n" %
          (started, load_start, " ".join(open("/proc/loadavg").read().split()[:3]), args.rounds))
    print_comparison(samples)


if __name__ == "__main__":
    main()
