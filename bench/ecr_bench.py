#!/usr/bin/env python3
"""ECR registry benchmark: skopeo push and pull against Gantry and Debian's docker-registry
(distribution 2.8), started by this script on free loopback ports, in the same run.

Images (built by tests/e2e/oci_images.py: random bytes in gzipped layers, so that skopeo moves
them as they are rather than compressing them):
  - single: one ~65 MB layer
  - layers20: twenty layers of 1 MiB .. 20 MiB-ish (about 65 MB in total as well)

Each push goes to a fresh repository (nothing to deduplicate) and each pull into a fresh OCI
layout; every measurement is repeated --runs times and the median reported.

  bench/ecr_bench.py --gantry-bin build-ecr/gantry [--runs 5]
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
from oci_images import build_random_image  # noqa: E402

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
                       config=botocore.config.Config(retries={"max_attempts": 1}))
    ecr.create_repository(repositoryName=name)


def skopeo(*args):
    t0 = time.monotonic()
    r = subprocess.run(["skopeo", "--insecure-policy"] + list(args), capture_output=True,
                       text=True)
    elapsed = time.monotonic() - t0
    if r.returncode != 0:
        raise RuntimeError("skopeo %s failed: %s" % (" ".join(args), r.stderr))
    return elapsed


def measure(name, port, layout, repo, workdir, make_repo):
    if make_repo:
        make_repo(port, repo)
    push = skopeo("copy", "--dest-tls-verify=false", "oci:%s:latest" % layout,
                  "docker://127.0.0.1:%d/%s:latest" % (port, repo))
    out = os.path.join(workdir, "pull-%s-%s" % (name, repo.replace("/", "_")))
    pull = skopeo("copy", "--src-tls-verify=false", "docker://127.0.0.1:%d/%s:latest" % (port, repo),
                  "oci:%s:latest" % out)
    shutil.rmtree(out)
    return push, pull


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gantry-bin", default=os.path.join(ROOT, "build", "gantry"))
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="ecr-bench-") as workdir:
        # One image per server and run: skopeo remembers where it saw a blob and would mount it
        # instead of uploading it again.
        shapes = {"single 65 MB layer": [65 * MB],
                  "20 layers, 65 MB total": [int(65 * MB * (i + 1) / 210) for i in range(20)]}
        images = {}
        seed = 0
        for label, sizes in shapes.items():
            for server in ("gantry", "docker-registry"):
                for run in range(args.runs):
                    seed += 1
                    images[(label, server, run)] = build_random_image(
                        os.path.join(workdir, "img%d" % seed), sizes, seed=seed)
        gantry, gport = start_gantry(args.gantry_bin, workdir)
        registry, rport = start_docker_registry(workdir)
        results = {}
        try:
            for label in shapes:
                for server, port, make in (("gantry", gport, create_gantry_repo),
                                           ("docker-registry", rport, None)):
                    pushes, pulls = [], []
                    for run in range(args.runs):
                        layout = images[(label, server, run)]
                        repo = "bench/%s" % os.path.basename(layout)
                        p, q = measure(server, port, layout, repo, workdir, make)
                        pushes.append(p)
                        pulls.append(q)
                    results[(label, server)] = (statistics.median(pushes),
                                                statistics.median(pulls))
                    print("%-24s %-16s push %.3f s  pull %.3f s" % (
                        label, server, results[(label, server)][0],
                        results[(label, server)][1]), flush=True)
        finally:
            stop(gantry)
            stop(registry)

    print()
    print("| image | operation | Gantry | docker-registry 2.8 | docker-registry / Gantry |")
    print("|---|---|---|---|---|")
    for label in shapes:
        g = results[(label, "gantry")]
        d = results[(label, "docker-registry")]
        for i, op in enumerate(("push", "pull")):
            print("| %s | %s | %.3f s | %.3f s | %.2fx |" % (label, op, g[i], d[i], d[i] / g[i]))


if __name__ == "__main__":
    main()
