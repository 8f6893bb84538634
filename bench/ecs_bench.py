#!/usr/bin/env python3
"""DescribeServices (10 per call, 100 services in the cluster) and ListTasks latency: Gantry vs
moto_server, in the same run with the same boto3 client settings.

Usage: bench/ecs_bench.py [--gantry-bin build/gantry] [--iterations 300]
Prints a Markdown table (p50/p99 in ms) for bench/RESULTS.md.
"""
import argparse
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


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nothing listening on port %d" % port)


def client(endpoint):
    cfg = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"},
                                 parameter_validation=False, connect_timeout=5, read_timeout=30)
    return boto3.client("ecs", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test", config=cfg)


def populate(ecs, network, task_network):
    ecs.create_cluster(clusterName="bench")
    ecs.register_task_definition(
        family="bench", requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="256",
        memory="512", containerDefinitions=[{"name": "app", "image": "nginx", "memory": 512,
                                             "portMappings": [{"containerPort": 80}]}])
    for i in range(SERVICES):
        ecs.create_service(cluster="bench", serviceName="svc-%03d" % i, taskDefinition="bench",
                           desiredCount=0, launchType="FARGATE", networkConfiguration=network)
    if not task_network:
        ecs.register_task_definition(family="bench-tasks", cpu="256", memory="512",
                                     containerDefinitions=[{"name": "app", "image": "nginx",
                                                            "memory": 512}])
    for _ in range(TASKS // 10):
        if task_network:
            ecs.run_task(cluster="bench", taskDefinition="bench", launchType="FARGATE",
                         count=10, networkConfiguration=network)
        else:
            ecs.run_task(cluster="bench", taskDefinition="bench-tasks", launchType="FARGATE",
                         count=10)


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


def run(endpoint, iterations, make_subnet=False):
    ecs = client(endpoint)
    subnet, sg = "subnet-0123456789abcdef0", "sg-0123456789abcdef0"
    if make_subnet:  # moto checks that the subnet exists in its EC2 backend
        ec2 = boto3.client("ec2", endpoint_url=endpoint, region_name="us-east-1",
                           aws_access_key_id="test", aws_secret_access_key="test")
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
        sg = ec2.create_security_group(GroupName="bench", Description="bench",
                                       VpcId=vpc)["GroupId"]
    # moto 5.2's awsvpc RunTask fails (NetworkInterface.private_dns_name), so moto's tasks come
    # from a bridge-mode task definition; ListTasks itself is the same request for both.
    populate(ecs, {"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [sg]}},
             task_network=not make_subnet)
    names = ["svc-%03d" % i for i in range(SERVICES)]
    batches = [names[i:i + 10] for i in range(0, SERVICES, 10)]
    state = {"i": 0}

    def describe():
        batch = batches[state["i"] % len(batches)]
        state["i"] += 1
        out = ecs.describe_services(cluster="bench", services=batch)
        assert len(out["services"]) == 10, out.get("failures")

    def list_tasks():
        out = ecs.list_tasks(cluster="bench")
        assert len(out["taskArns"]) == TASKS, len(out["taskArns"])

    raw = raw_call(endpoint)
    return {"DescribeServices (10 of 100)": measure(describe, iterations),
            "ListTasks (100 tasks)": measure(list_tasks, iterations),
            "DescribeServices, raw HTTP": measure(
                raw("DescribeServices", {"cluster": "bench", "services": batches[0]}),
                iterations),
            "ListTasks, raw HTTP": measure(raw("ListTasks", {"cluster": "bench"}), iterations)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gantry-bin", default=os.environ.get("GANTRY_BIN", "build/gantry"))
    ap.add_argument("--iterations", type=int, default=300)
    args = ap.parse_args()

    procs = []
    try:
        with tempfile.TemporaryDirectory() as d:
            gport, mport = free_port(), free_port()
            procs.append(subprocess.Popen(
                [args.gantry_bin, "--listen", "127.0.0.1:%d" % gport, "--data-dir", d,
                 "--log-level", "warn"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-p", str(mport)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            wait_listening(gport)
            wait_listening(mport)
            results = {"gantry": run("http://127.0.0.1:%d" % gport, args.iterations),
                       "moto": run("http://127.0.0.1:%d" % mport, args.iterations, True)}
    finally:
        for p in procs:
            p.terminate()
            p.wait(10)

    print("| Operation | Gantry p50 | Gantry p99 | moto p50 | moto p99 | moto p50 / Gantry p50 |")
    print("|---|---|---|---|---|---|")
    for op in results["gantry"]:
        g50, g99 = results["gantry"][op]
        m50, m99 = results["moto"][op]
        print("| %s | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.1fx |" %
              (op, g50, g99, m50, m99, m50 / g50))


if __name__ == "__main__":
    main()
