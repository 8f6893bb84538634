#!/usr/bin/env python3
"""IAM policy evaluation cost per request: ECS DescribeServices (10 services per call, so 10
service ARNs authorized per call) through boto3, signed by an IAM user whose policy allows it,
against one Gantry in --auth enforce and one in --auth strict, in the same run.

Usage: bench/iam_bench.py [--gantry-bin build/gantry] [--iterations 600] [--rounds 3]
                          [--no-write] [--smoke]
Prints a Markdown table (p50/p99 in ms) and, unless --no-write or --smoke, replaces the "IAM
policy enforcement" section of bench/RESULTS.md. Target: enforce p50 within 10 % of strict.

Both servers get the same root key (--credentials), the same IAM user with the same policies
(an inline one allowing ecs:Describe* and ecs:List* on the cluster's services under a condition,
and a managed one with a few statements that do not apply), the same cluster of 10 services;
both sign every call with that user's access key, so the only difference is the evaluation.
A third row shows enforce mode with the root key (no evaluation: the root user is allowed
everything). The servers take turns round by round, so a change in the host's load hits both.

--smoke: 5 calls per server, no RESULTS.md; exits non-zero on any error or if the enforce
server lets the user call an operation its policy does not allow.
"""
import argparse
import json
import os
import sys
import tempfile
import time

import boto3
import botocore.config
from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_servers import (check_running, free_port, start_gantry, stop,  # noqa: E402
                           wait_listening)
from ecs_bench import measure, p50_p99  # noqa: E402
import results_md  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT_KEY = ("AKIDBENCHROOT", "benchrootsecret")
SECTION = "## IAM policy enforcement (issue 16)"
SERVICES = 10


def client(endpoint, service, key):
    cfg = botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"},
                                 parameter_validation=False, connect_timeout=5, read_timeout=30)
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id=key[0], aws_secret_access_key=key[1], config=cfg)


def user_policy(account):
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "Read", "Effect": "Allow", "Action": ["ecs:Describe*", "ecs:List*"],
         "Resource": "arn:aws:ecs:*:%s:service/bench/*" % account,
         "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}},
        {"Effect": "Deny", "Action": "ecs:DeleteCluster", "Resource": "*"}]})


OTHER_POLICY = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "logs:*", "Resource": "arn:aws:logs:*:*:log-group:/app/*"},
    {"Effect": "Allow", "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
     "Resource": "*"},
    {"Effect": "Deny", "NotAction": ["ecs:*", "logs:*", "ecr:*"], "Resource": "*",
     "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]})


def prepare(endpoint):
    """Network, cluster, services and the IAM user; returns (user key, call function)."""
    ec2 = client(endpoint, "ec2", ROOT_KEY)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24",
                               AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    network = {"awsvpcConfiguration": {"subnets": [subnet]}}
    ecs = client(endpoint, "ecs", ROOT_KEY)
    ecs.create_cluster(clusterName="bench")
    ecs.register_task_definition(
        family="bench", requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="256",
        memory="512", containerDefinitions=[{"name": "app", "image": "nginx", "memory": 512}])
    names = ["svc-%02d" % i for i in range(SERVICES)]
    for n in names:
        ecs.create_service(cluster="bench", serviceName=n, taskDefinition="bench",
                           desiredCount=0, launchType="FARGATE", networkConfiguration=network)
    account = client(endpoint, "sts", ROOT_KEY).get_caller_identity()["Account"]
    iam = client(endpoint, "iam", ROOT_KEY)
    iam.create_user(UserName="bench")
    iam.put_user_policy(UserName="bench", PolicyName="read", PolicyDocument=user_policy(account))
    arn = iam.create_policy(PolicyName="other", PolicyDocument=OTHER_POLICY)["Policy"]["Arn"]
    iam.attach_user_policy(UserName="bench", PolicyArn=arn)
    k = iam.create_access_key(UserName="bench")["AccessKey"]
    key = (k["AccessKeyId"], k["SecretAccessKey"])

    def call_as(who):
        c = client(endpoint, "ecs", who)

        def describe():
            out = c.describe_services(cluster="bench", services=names)
            assert len(out["services"]) == SERVICES, out.get("failures")
        return describe
    return key, call_as


def check_enforced(endpoint, key):
    """The enforce server must refuse what the user's policy does not allow."""
    try:
        client(endpoint, "ecs", key).create_cluster(clusterName="nope")
    except ClientError as e:
        assert e.response["Error"]["Code"] == "AccessDeniedException", e.response
        return
    raise RuntimeError("enforce mode let the bench user call ecs:CreateCluster")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gantry-bin", default=os.environ.get("GANTRY_BIN",
                                                              os.path.join(ROOT, "build", "gantry")))
    ap.add_argument("--iterations", type=int, default=600)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()
    iterations, warmup = (5, 1) if args.smoke else (args.iterations, 30)
    rounds = 1 if args.smoke else args.rounds

    started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    load_start = " ".join(open("/proc/loadavg").read().split()[:3])
    procs, calls, samples = [], {}, {}
    try:
        with tempfile.TemporaryDirectory(prefix="iam-bench-") as d:
            endpoints = {}
            for mode in ("strict", "enforce"):
                port = free_port()
                p = start_gantry(args.gantry_bin, os.path.join(d, mode), port,
                                 ["--auth", mode, "--credentials", "%s:%s" % ROOT_KEY])
                procs.append(p)
                wait_listening(port, p)
                endpoints[mode] = "http://127.0.0.1:%d" % port
            for mode, endpoint in endpoints.items():
                key, call_as = prepare(endpoint)
                calls["%s, IAM user" % mode] = call_as(key)
                if mode == "enforce":
                    check_enforced(endpoint, key)
                    calls["enforce, root key"] = call_as(ROOT_KEY)
            per_round = max(1, iterations // rounds)
            for r in range(rounds):
                for label, fn in calls.items():
                    samples.setdefault(label, []).extend(
                        measure(fn, per_round, warmup if r == 0 else 0))
            check_running(procs)
    finally:
        for p in procs:
            stop(p)

    base50, base99 = p50_p99(samples["strict, IAM user"])
    lines = ["%s UTC; load average %s at the start, %s at the end; %d calls per row in %d "
             "rounds, servers in turn; DescribeServices of %d services (%d ARNs authorized per "
             "call)\n" % (started, load_start, " ".join(open("/proc/loadavg").read().split()[:3]),
                          per_round * rounds, rounds, SERVICES, SERVICES),
             "| Server, caller | p50 | p99 | p50 vs strict |", "|---|---|---|---|"]
    for label, s in samples.items():
        p50, p99 = p50_p99(s)
        lines.append("| %s | %.2f ms | %.2f ms | %+.1f %% |" % (label, p50, p99,
                                                             (p50 / base50 - 1) * 100))
    table = "\n".join(lines)
    print(table)
    if not args.smoke and not args.no_write:
        results_md.write_section(SECTION, SECTION + "\n\n`bench/iam_bench.py`: " +
                                 "--auth enforce vs --auth strict, the same IAM user's keys.\n\n" +
                                 table + "\n")


if __name__ == "__main__":
    main()
