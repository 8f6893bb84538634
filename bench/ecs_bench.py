#!/usr/bin/env python3
"""DescribeServices (10 per call, 100 services in the cluster) and ListTasks latency: Gantry vs
moto_server, in the same run with the same boto3 client settings.

Usage: bench/ecs_bench.py [--gantry-bin build/gantry] [--iterations 300] [--rounds 3]
                          [--tasks-on] [--smoke]
Prints a Markdown table (p50/p99 in ms) for bench/RESULTS.md; writes no file.

Each server first gets a VPC, a subnet and a security group through its own EC2 API, as a user
would make them: CreateService and RunTask reject a subnet that does not exist. By default Gantry
runs with GANTRY_TASKS=off, so its tasks stay stored rows; with --tasks-on (root) it pushes a
busybox httpd image to its own ECR and its 100 tasks run as real containers, all RUNNING before
the first call. The servers take turns round by round, so a change in the host's load hits both.

--smoke: 10 services, 10 tasks, 5 calls per operation; exits non-zero on any error. moto is
skipped, with a note, only when it is not installed.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

import boto3
import botocore.config

from bench_servers import check_running, moto_available, start_gantry_and_moto, stop

SERVICES = 100
TASKS = 100
BATCH = 10  # services per DescribeServices call
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def client(endpoint, service="ecs"):
    cfg = botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"},
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


def populate(ecs, network, task_network, services, tasks, image="nginx"):
    ecs.create_cluster(clusterName="bench")
    ecs.register_task_definition(
        family="bench", requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="256",
        memory="512", containerDefinitions=[{"name": "app", "image": image, "memory": 512,
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
    """Latencies in ms of `iterations` calls after `warmup` uncounted ones."""
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


def print_comparison(samples):
    """The Markdown table of {"gantry"|"moto": {operation: latencies}}, moto when measured."""
    print("| Operation | Gantry p50 | Gantry p99 | moto p50 | moto p99 | moto p50 / Gantry p50 |")
    print("|---|---|---|---|---|---|")
    for op in samples["gantry"]:
        g50, g99 = p50_p99(samples["gantry"][op])
        if "moto" in samples:
            m50, m99 = p50_p99(samples["moto"][op])
            print("| %s | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.1fx |" %
                  (op, g50, g99, m50, m99, m50 / g50))
        else:
            print("| %s | %.2f ms | %.2f ms | n/a | n/a | n/a |" % (op, g50, g99))


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


def prepare(endpoint, sizes, bridge_tasks=False, image="nginx"):
    """Populates the server; returns {operation label: a function making one call}."""
    ecs = client(endpoint)
    network = make_network(endpoint)
    subnet = network["awsvpcConfiguration"]["subnets"][0]
    # moto 5.2's awsvpc RunTask fails (NetworkInterface.private_dns_name), so moto's tasks come
    # from a bridge-mode task definition; ListTasks itself is the same request for both.
    populate(ecs, network, not bridge_tasks, sizes["services"], sizes["tasks"], image)
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
    return {"DescribeServices (%d of %d)" % (BATCH, sizes["services"]): describe,
            "ListTasks (%d tasks)" % sizes["tasks"]: list_tasks,
            "DescribeServices, raw HTTP": raw("DescribeServices",
                                              {"cluster": "bench", "services": batches[0]}),
            "ListTasks, raw HTTP": raw("ListTasks", {"cluster": "bench"})}


def push_task_image(endpoint, workdir):
    """A busybox httpd image in the server's ECR (tests/e2e/oci_images.py); its image URI."""
    sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
    from oci_images import build_busybox_image
    layout = build_busybox_image(os.path.join(workdir, "img"), cmd=["httpd", "-f", "-p", "80"])
    repo = client(endpoint, "ecr").create_repository(repositoryName="bench-web")["repository"]
    registry = endpoint.split("//")[1]  # the registry is on the API's host and port
    subprocess.run(["skopeo", "--insecure-policy", "copy", "--dest-tls-verify=false",
                    "oci:%s:latest" % layout, "docker://%s/bench-web:latest" % registry],
                   check=True, capture_output=True)
    return repo["repositoryUri"] + ":latest"


def wait_all_running(endpoint, count, timeout=300):
    ecs = client(endpoint)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        arns = ecs.list_tasks(cluster="bench")["taskArns"]
        tasks = []
        for i in range(0, len(arns), 100):
            tasks += ecs.describe_tasks(cluster="bench", tasks=arns[i:i + 100])["tasks"]
        status = [t["lastStatus"] for t in tasks]
        if status.count("RUNNING") == count:
            return
        if "STOPPED" in status:
            raise RuntimeError("a bench task stopped: %s" % [t.get("stoppedReason")
                                                             for t in tasks])
        time.sleep(0.5)
    raise RuntimeError("the bench tasks did not all reach RUNNING")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gantry-bin", default=os.environ.get("GANTRY_BIN",
                                                              os.path.join(ROOT, "build", "gantry")))
    ap.add_argument("--iterations", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=3,
                    help="the servers take turns; each round makes iterations/rounds calls")
    ap.add_argument("--tasks-on", action="store_true",
                    help="Gantry runs its tasks as real containers (root, runc, skopeo)")
    ap.add_argument("--smoke", action="store_true",
                    help="10 services, 10 tasks, 5 calls each; non-zero exit on any failure")
    args = ap.parse_args()
    if args.smoke:
        sizes = {"services": 10, "tasks": 10, "iterations": 5, "warmup": 1}
        args.rounds = 1
    else:
        sizes = {"services": SERVICES, "tasks": TASKS, "iterations": args.iterations,
                 "warmup": 20}
    with_moto = moto_available(args.smoke)

    started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    load_start = " ".join(open("/proc/loadavg").read().split()[:3])
    procs = []
    samples = {}
    try:
        with tempfile.TemporaryDirectory(prefix="ecs-bench-") as d:
            endpoints = start_gantry_and_moto(args.gantry_bin, os.path.join(d, "data"),
                                              with_moto, procs, tasks_off=not args.tasks_on)
            gendpoint = endpoints["gantry"]
            image = push_task_image(gendpoint, d) if args.tasks_on else "nginx"
            calls = {"gantry": prepare(gendpoint, sizes, image=image)}
            if args.tasks_on:
                wait_all_running(gendpoint, sizes["tasks"])
            if "moto" in endpoints:
                calls["moto"] = prepare(endpoints["moto"], sizes, bridge_tasks=True)
            per_round = max(1, sizes["iterations"] // args.rounds)
            for r in range(args.rounds):
                for server, ops in calls.items():
                    for op, fn in ops.items():
                        samples.setdefault(server, {}).setdefault(op, []).extend(
                            measure(fn, per_round, sizes["warmup"] if r == 0 else 0))
            check_running(procs)
            if args.tasks_on:
                urllib.request.urlopen(urllib.request.Request(
                    gendpoint + "/_gantry/reset", method="POST", data=b""), timeout=120)
    finally:
        for p in procs:
            stop(p)

    print("%s UTC; load average %s at the start, %s at the end; Gantry tasks %s; %d rounds, "
          "servers in turn\n" % (started, load_start,
                                 " ".join(open("/proc/loadavg").read().split()[:3]),
                                 "running as containers" if args.tasks_on else "off",
                                 args.rounds))
    print_comparison(samples)


if __name__ == "__main__":
    main()
