#!/usr/bin/env python3
"""ECR registry benchmark: skopeo push and pull against Gantry and Debian's docker-registry
(distribution 2.8), started by this script on free loopback ports, in the same run.

Images (built by tests/e2e/oci_images.py: random bytes in gzipped layers, so that skopeo moves
them as they are rather than compressing them):
  - single: one ~65 MB layer
  - layers20: twenty layers of 1 MiB .. 20 MiB-ish (about 65 MB in total as well)

Each push goes to a fresh repository (nothing to deduplicate) and each pull into a fresh OCI
layout; every measurement is repeated --runs times, the servers taking turns run by run, and the
median reported.

  bench/ecr_bench.py [--gantry-bin build/gantry] [--runs 5] [--smoke]

Prints a Markdown table; writes no file. Needs skopeo; docker-registry is the peer.

--smoke: one run of a 1 MB image and of a 4-layer 1 MB image; each pull must bring back the
pushed layers (same digests); exits non-zero on any failure. docker-registry is skipped, with a
note, only when it is not installed.
"""
import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
from oci_images import build_random_image, manifest_of  # noqa: E402

MB = 1000 * 1000


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return
        except Exception:
            time.sleep(0.05)
    raise RuntimeError("server at %s did not come up" % url)


def start_gantry(binary, workdir):
    data = os.path.join(workdir, "gantry-data")
    os.makedirs(data)
    port_file = os.path.join(workdir, "gantry.port")
    log = open(os.path.join(workdir, "gantry.log"), "wb")
    proc = subprocess.Popen([binary, "--listen", "127.0.0.1:0", "--data-dir", data,
                             "--port-file", port_file, "--log-level", "warn"],
                            stdout=log, stderr=log)
    deadline = time.monotonic() + 20
    while not os.path.exists(port_file):
        if time.monotonic() > deadline or proc.poll() is not None:
            raise RuntimeError("gantry did not start")
        time.sleep(0.02)
    port = int(open(port_file).read())
    wait_http("http://127.0.0.1:%d/v2/" % port)
    return proc, port


def start_docker_registry(workdir):
    port = free_port()
    storage = os.path.join(workdir, "registry-data")
    os.makedirs(storage)
    config = os.path.join(workdir, "registry.yml")
    with open(config, "w") as f:
        f.write("""version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: %s
  delete:
    enabled: true
http:
  addr: 127.0.0.1:%d
""" % (storage, port))
    log = open(os.path.join(workdir, "registry.log"), "wb")
    proc = subprocess.Popen(["docker-registry", "serve", config], stdout=log, stderr=log)
    wait_http("http://127.0.0.1:%d/v2/" % port)
    return proc, port


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def create_gantry_repo(port, name):
    import boto3
    import botocore.config
    ecr = boto3.client("ecr", endpoint_url="http://127.0.0.1:%d" % port, region_name="us-east-1",
                       aws_access_key_id="test", aws_secret_access_key="test",
                       config=botocore.config.Config(retries={"total_max_attempts": 1}))
    ecr.create_repository(repositoryName=name)


def skopeo(*args):
    t0 = time.monotonic()
    r = subprocess.run(["skopeo", "--insecure-policy"] + list(args), capture_output=True,
                       text=True)
    elapsed = time.monotonic() - t0
    if r.returncode != 0:
        raise RuntimeError("skopeo %s failed: %s" % (" ".join(args), r.stderr))
    return elapsed


def layer_digests(layout):
    import json
    return [d["digest"] for d in json.loads(manifest_of(layout, "latest")[1])["layers"]]


def measure(name, port, layout, repo, workdir, make_repo):
    if make_repo:
        make_repo(port, repo)
    push = skopeo("copy", "--dest-tls-verify=false", "oci:%s:latest" % layout,
                  "docker://127.0.0.1:%d/%s:latest" % (port, repo))
    out = os.path.join(workdir, "pull-%s-%s" % (name, repo.replace("/", "_")))
    pull = skopeo("copy", "--src-tls-verify=false", "docker://127.0.0.1:%d/%s:latest" % (port, repo),
                  "oci:%s:latest" % out)
    pushed, pulled = layer_digests(layout), layer_digests(out)
    shutil.rmtree(out)
    if pushed != pulled:
        raise RuntimeError("%s: pulled layers %s differ from the pushed %s" % (name, pulled,
                                                                           pushed))
    return push, pull


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gantry-bin", default=os.environ.get("GANTRY_BIN",
                                                           os.path.join(ROOT, "build", "gantry")))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--smoke", action="store_true",
                    help="one run of two 1 MB images; non-zero exit on any failure")
    args = ap.parse_args()
    if shutil.which("skopeo") is None:
        sys.exit("skopeo is not installed (see scripts/install-deps.sh)")
    servers = ["gantry", "docker-registry"]
    if shutil.which("docker-registry") is None:
        if not args.smoke:
            sys.exit("docker-registry is not installed (see scripts/install-deps.sh)")
        print("note: docker-registry is not installed; the comparison is skipped", flush=True)
        servers.remove("docker-registry")

    with tempfile.TemporaryDirectory(prefix="ecr-bench-") as workdir:
        # One image per server and run: skopeo remembers where it saw a blob and would mount it
        # instead of uploading it again.
        if args.smoke:
            args.runs = 1
            shapes = {"single 1 MB layer": [MB],
                      "4 layers, 1 MB total": [MB // 4] * 4}
        else:
            shapes = {"single 65 MB layer": [65 * MB],
                      "20 layers, 65 MB total": [int(65 * MB * (i + 1) / 210)
                                                 for i in range(20)]}
        images = {}
        seed = 0
        for label, sizes in shapes.items():
            for server in servers:
                for run in range(args.runs):
                    seed += 1
                    images[(label, server, run)] = build_random_image(
                        os.path.join(workdir, "img%d" % seed), sizes, seed=seed)
        registry = None
        gantry, gport = start_gantry(args.gantry_bin, workdir)
        results = {}
        try:
            peers = [("gantry", gport, create_gantry_repo)]
            if "docker-registry" in servers:
                registry, rport = start_docker_registry(workdir)
                peers.append(("docker-registry", rport, None))
            # Round by round, each server in turn: a change in the host's load hits both.
            for label in shapes:
                samples = {server: ([], []) for server, _, _ in peers}
                for run in range(args.runs):
                    for server, port, make in peers:
                        layout = images[(label, server, run)]
                        repo = "bench/%s" % os.path.basename(layout)
                        p, q = measure(server, port, layout, repo, workdir, make)
                        samples[server][0].append(p)
                        samples[server][1].append(q)
                        print("%-24s %-16s run %d push %.3f s  pull %.3f s" % (
                            label, server, run + 1, p, q), flush=True)
                for server, (pushes, pulls) in samples.items():
                    results[(label, server)] = (statistics.median(pushes),
                                                statistics.median(pulls))
            if gantry.poll() is not None:
                raise RuntimeError("gantry exited with %s during the bench" % gantry.returncode)
        finally:
            stop(gantry)
            if registry:
                stop(registry)

    print()
    print("%s UTC; load average %s at the end" % (
        time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        " ".join(open("/proc/loadavg").read().split()[:3])))
    print()
    print("| image | operation | Gantry | docker-registry 2.8 | docker-registry / Gantry |")
    print("|---|---|---|---|---|")
    for label in shapes:
        g = results[(label, "gantry")]
        d = results.get((label, "docker-registry"))
        for i, op in enumerate(("push", "pull")):
            if d:
                print("| %s | %s | %.3f s | %.3f s | %.2fx |" % (label, op, g[i], d[i],
                                                               d[i] / g[i]))
            else:
                print("| %s | %s | %.3f s | n/a | n/a |" % (label, op, g[i]))


if __name__ == "__main__":
    main()
