#!/usr/bin/env python3
"""DescribeServices (10 per call, 100 services in the cluster) and ListTasks latency: Gantry vs
moto_server, in the same run with the same boto3 client settings.

Usage: bench/ecs_bench.py [--gantry-bin build/gantry] [--iterations 300] [--smoke]
Prints a Markdown table (p50/p99 in ms) for bench/RESULTS.md; writes no file.

Each server first gets a VPC, a subnet and a security group through its own EC2 API, as a user
would make them: CreateService and RunTask reject a subnet that does not exist. Gantry runs with
GANTRY_TASKS=off, so its tasks stay stored rows: the bench measures the API, not containers (as
root it would otherwise try to start 100 nginx containers).

--smoke: 10 services, 10 tasks, 5 calls per operation; exits non-zero on any error. moto is
skipped, with a note, only when it is not installed.
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

SERVICES = 100
TASKS = 100
BATCH = 10  # services per DescribeServices call
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


def client(endpoint, service="ecs"):
    cfg = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"},
                                 parameter_validation=False, connect_timeout=5, read_timeout=30)
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test", config=cfg)


def make_network(endpoint):
    """A VPC with one subnet and one security group, made through the server's EC2 API."""
    ec2 = client(endpoint, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24",
                               AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    sg = ec2.create_security_group(GroupName="bench", Description="bench",
                                   VpcId=vpc)["GroupId"]
    return {"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [sg]}}


def populate(ecs, network, task_network, services, tasks):
    ecs.create_cluster(clusterName="bench")
    ecs.register_task_definition(
        family="bench", requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="256",
        memory="512", containerDefinitions=[{"name": "app", "image": "nginx", "memory": 512,
                                             "portMappings": [{"containerPort": 80}]}])
    for i in range(services):
        ecs.create_service(cluster="bench", serviceName="svc-%03d" % i, taskDefinition="bench",
                           desiredCount=0, launchType="FARGATE", networkConfiguration=network)
    if not task_network:
        ecs.register_task_definition(family="bench-tasks", cpu="256", memory="512",
                                     containerDefinitions=[{"name": "app", "image": "nginx",
                                                            "memory": 512}])
    for _ in range(tasks // 10):
        if task_network:
            out = ecs.run_task(cluster="bench", taskDefinition="bench", launchType="FARGATE",
                               count=10, networkConfiguration=network)
        else:
            out = ecs.run_task(cluster="bench", taskDefinition="bench-tasks",
                               launchType="FARGATE", count=10)
        if out.get("failures") or len(out["tasks"]) != 10:
            raise RuntimeError("RunTask: %d tasks, failures %s" % (len(out["tasks"]),
                                                                   out.get("failures")))


def measure(fn, iterations, warmup=20):
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(iterations):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


def raw_call(endpoint):
    """The same request without boto3: one keep-alive connection, SigV4 from botocore's signer
    computed once (neither server checks request freshness here), response bytes read but not
    parsed. Shows the server's share of the latency."""
    import http.client
    import json
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    host = endpoint.split("//")[1]
    conn = http.client.HTTPConnection(host)

    def call(target, body):
        data = json.dumps(body).encode()
        req = AWSRequest(method="POST", url=endpoint + "/", data=data, headers={
            "X-Amz-Target": "AmazonEC2ContainerServiceV20141113." + target,
            "Content-Type": "application/x-amz-json-1.1"})
        SigV4Auth(Credentials("test", "test"), "ecs", "us-east-1").add_auth(req)
        headers = dict(req.headers.items())

        def send():
            conn.request("POST", "/", body=data, headers=headers)
            r = conn.getresponse()
            payload = r.read()
            assert r.status == 200, payload[:200]
        return send
    return call


def run(endpoint, sizes, bridge_tasks=False):
    ecs = client(endpoint)
    network = make_network(endpoint)
    subnet = network["awsvpcConfiguration"]["subnets"][0]
    # moto 5.2's awsvpc RunTask fails (NetworkInterface.private_dns_name), so moto's tasks come
    # from a bridge-mode task definition; ListTasks itself is the same request for both.
    populate(ecs, network, not bridge_tasks, sizes["services"], sizes["tasks"])
    names = ["svc-%03d" % i for i in range(sizes["services"])]
    batches = [names[i:i + BATCH] for i in range(0, len(names), BATCH)]
    state = {"i": 0}

    def describe():
        batch = batches[state["i"] % len(batches)]
        state["i"] += 1
        out = ecs.describe_services(cluster="bench", services=batch)
        assert len(out["services"]) == len(batch), out.get("failures")
        for s in out["services"]:
            assert s["status"] == "ACTIVE", s["status"]
            assert s["networkConfiguration"]["awsvpcConfiguration"]["subnets"] == [subnet], s

    def list_tasks():
        out = ecs.list_tasks(cluster="bench")
        assert len(out["taskArns"]) == sizes["tasks"], len(out["taskArns"])

    raw = raw_call(endpoint)
    n, w = sizes["iterations"], sizes["warmup"]
    return {"DescribeServices (%d of %d)" % (BATCH, sizes["services"]): measure(describe, n, w),
            "ListTasks (%d tasks)" % sizes["tasks"]: measure(list_tasks, n, w),
            "DescribeServices, raw HTTP": measure(
                raw("DescribeServices", {"cluster": "bench", "services": batches[0]}), n, w),
            "ListTasks, raw HTTP": measure(raw("ListTasks", {"cluster": "bench"}), n, w)}


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
    ap.add_argument("--iterations", type=int, default=300)
    ap.add_argument("--smoke", action="store_true",
                    help="10 services, 10 tasks, 5 calls each; non-zero exit on any failure")
    args = ap.parse_args()
    if args.smoke:
        sizes = {"services": 10, "tasks": 10, "iterations": 5, "warmup": 1}
    else:
        sizes = {"services": SERVICES, "tasks": TASKS, "iterations": args.iterations,
                 "warmup": 20}
    with_moto = importlib.util.find_spec("moto") is not None
    if not with_moto:
        if not args.smoke:
            raise SystemExit("moto is not installed (see scripts/install-deps.sh)")
        print("note: moto is not installed; the moto comparison is skipped")

    procs = []
    results = {}
    try:
        with tempfile.TemporaryDirectory(prefix="ecs-bench-") as d:
            gport = free_port()
            gantry = subprocess.Popen(
                [args.gantry_bin, "--listen", "127.0.0.1:%d" % gport, "--data-dir", d,
                 "--log-level", "warn"], env=dict(os.environ, GANTRY_TASKS="off"),
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            procs.append(gantry)
            if with_moto:
                mport = free_port()
                moto = subprocess.Popen(
                    [sys.executable, "-m", "moto.server", "-p", str(mport)],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                procs.append(moto)
            wait_listening(gport, gantry)
            results["gantry"] = run("http://127.0.0.1:%d" % gport, sizes)
            if with_moto:
                wait_listening(mport, moto)
                results["moto"] = run("http://127.0.0.1:%d" % mport, sizes, bridge_tasks=True)
            for p in procs:
                if p.poll() is not None:
                    raise RuntimeError("%s exited with %s during the bench" % (p.args[0],
                                                                             p.returncode))
    finally:
        for p in procs:
            stop(p)

    print("| Operation | Gantry p50 | Gantry p99 | moto p50 | moto p99 | moto p50 / Gantry p50 |")
    print("|---|---|---|---|---|---|")
    for op in results["gantry"]:
        g50, g99 = results["gantry"][op]
        if "moto" in results:
            m50, m99 = results["moto"][op]
            print("| %s | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.1fx |" %
                  (op, g50, g99, m50, m99, m50 / g50))
        else:
            print("| %s | %.2f ms | %.2f ms | n/a | n/a | n/a |" % (op, g50, g99))


if __name__ == "__main__":
    main()
