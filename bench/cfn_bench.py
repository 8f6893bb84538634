#!/usr/bin/env python3
"""The seed architecture through CloudFormation against the same resources made by direct API
calls: how long each path takes from its first call until both ECS services serve.

Usage: python3 bench/cfn_bench.py [--gantry-bin PATH] [--time-scales 10,1] [--runs 1]
       [--no-direct] [--no-write] [--smoke]
Needs root, runc and skopeo. For each time scale (1: AWS's own timers) and each path it starts
its own Gantry (tasks on, --time-scale, ALB listeners on loopback through --alb-port-offset) with
a temporary data directory and pushes the demo's images (examples/seed-architecture/
build-images.sh frontend:v1 backend:v1; not timed). Then:

  cloudformation  CreateStack of examples/seed-architecture/cloudformation/network.yaml, polled
                  (DescribeStacks every 0.2 s) to CREATE_COMPLETE; CreateStack of app.yaml
                  (tasks in the private subnets behind the NAT gateway) polled the same way.
                  CloudFormation completes an AWS::ECS::Service only once the service is stable.
                  Then DeleteStack of both, polled to DELETE_COMPLETE.
  direct          examples/seed-architecture/deploy.sh --no-update (the AWS CLI, one call per
                  resource), timed from its VPC step (its IAM roles and image push come first and
                  are not counted) until both services are stable, as a poller sees it
                  (DescribeServices every 0.2 s: one COMPLETED deployment, running = desired);
                  then teardown.sh.

For the CloudFormation path it also sums, from the stacks' events, how long each resource took
(its CREATE_IN_PROGRESS to CREATE_COMPLETE, the provider's API calls and its wait to stabilize),
which is what making the same resources one call at a time, directly, would cost, and names the
slowest resources of create and delete.

Both paths end when the ALB answers GET / and GET /stats with 200 from the host. Prints a
Markdown table and, unless --no-write, replaces the "CloudFormation: the seed stacks" section of
bench/RESULTS.md. Leaves the host as it found it: each server is reset then stopped and no
network namespace it made may remain.

--smoke: time scale 10, CloudFormation path only, one run; never writes bench/RESULTS.md; exits
non-zero when a stack fails or a namespace is left behind. Not root: prints a skip and exits 0.
"""
import argparse
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
# conftest imports pytest: Debian's, appended last as scripts/pytest.sh does (newer boto3 wins).
sys.path.append("/usr/lib/python3/dist-packages")

import conftest  # noqa: E402
import alb_env  # noqa: E402
import results_md  # noqa: E402

SECTION = "## CloudFormation: the seed stacks"
SEED = os.path.join(ROOT, "examples", "seed-architecture")
TEMPLATES = os.path.join(SEED, "cloudformation")
SERVICES = ["seed-frontend", "seed-backend"]
POLL = 0.2


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def read(path):
    with open(path) as f:
        return f.read()


class Run:
    """One server at one time scale, its images pushed."""

    def __init__(self, tmp, time_scale):
        self.tmp = tmp
        self.data = os.path.join(tmp, "data")
        os.makedirs(self.data)
        self.server = alb_env.start_server(self.data, time_scale=time_scale)
        self.env = dict(os.environ, GANTRY_ENDPOINT=self.server.endpoint,
                        GANTRY_ALB_PORT_OFFSET=str(self.server.alb_offset),
                        SEED_OUT=os.path.join(tmp, "images"), AWS_ACCESS_KEY_ID="test",
                        AWS_SECRET_ACCESS_KEY="test",
                        AWS_CONFIG_FILE=os.path.join(tmp, "aws-config"))
        self.env.pop("AWS_PROFILE", None)
        self.env.pop("AWS_SESSION_TOKEN", None)
        self.script("build-images.sh", "frontend:v1", "backend:v1")
        c = conftest.client_for
        self.cfn = c(self.server.endpoint, "cloudformation")
        self.ecs = c(self.server.endpoint, "ecs")
        self.ecr = c(self.server.endpoint, "ecr")

    def script(self, name, *args, stderr=subprocess.PIPE):
        p = subprocess.run([os.path.join(SEED, name)] + list(args), env=self.env, text=True,
                           stdout=subprocess.PIPE, stderr=stderr, timeout=900)
        if p.returncode != 0:
            raise RuntimeError("%s failed (%d):\n%s" % (name, p.returncode,
                                                        (p.stderr or "")[-3000:]))
        return p.stdout

    def serving(self, dns):
        """Until GET / and /stats through the ALB both answer 200 (bounded)."""
        def ok():
            return all(alb_env.alb_get(self.server, dns, path)[0] == 200
                       for path in ("/", "/stats"))
        alb_env.wait_until("the ALB to serve / and /stats", ok, timeout=120, interval=POLL)

    def wait_stack(self, name, goal):
        def status():
            try:
                s = self.cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]
            except self.cfn.exceptions.ClientError as e:
                if goal == "DELETE_COMPLETE" and "does not exist" in str(e):
                    return goal
                raise
            if s == goal:
                return s
            if s.endswith("FAILED") or "ROLLBACK" in s:
                events = self.cfn.describe_stack_events(StackName=name)["StackEvents"]
                reasons = ["%s %s: %s" % (e["LogicalResourceId"], e["ResourceStatus"],
                                          e.get("ResourceStatusReason", "")) for e in events
                           if "FAILED" in e["ResourceStatus"]][:8]
                raise RuntimeError("stack %s is %s:\n  %s" % (name, s, "\n  ".join(reasons)))
            return None
        alb_env.wait_until("stack %s %s" % (name, goal), status, timeout=900, interval=POLL)

    def resource_times(self, name, phase):
        """{logical id: seconds} from each resource's <phase>_IN_PROGRESS to <phase>_COMPLETE."""
        started, took = {}, {}
        pages = self.cfn.get_paginator("describe_stack_events").paginate(StackName=name)
        # Newest first: reversed, so that a stable sort keeps an IN_PROGRESS before the
        # COMPLETE that shares its millisecond.
        events = [e for page in pages for e in page["StackEvents"]][::-1]
        for e in sorted(events, key=lambda e: e["Timestamp"]):
            if e["ResourceType"] == "AWS::CloudFormation::Stack":
                continue
            if e["ResourceStatus"] == phase + "_IN_PROGRESS":
                started.setdefault(e["LogicalResourceId"], e["Timestamp"])
            elif e["ResourceStatus"] == phase + "_COMPLETE" and e["LogicalResourceId"] in started:
                took[e["LogicalResourceId"]] = (
                    e["Timestamp"] - started[e["LogicalResourceId"]]).total_seconds()
        return took

    def cloudformation(self):
        repo = {r["repositoryName"]: r["repositoryUri"]
                for r in self.ecr.describe_repositories()["repositories"]}
        t0 = time.monotonic()
        self.cfn.create_stack(StackName="seed-network", TemplateBody=read(
            os.path.join(TEMPLATES, "network.yaml")))
        self.wait_stack("seed-network", "CREATE_COMPLETE")
        t_network = time.monotonic() - t0
        self.cfn.create_stack(
            StackName="seed-app", TemplateBody=read(os.path.join(TEMPLATES, "app.yaml")),
            Capabilities=["CAPABILITY_IAM"],
            Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in (
                ("FrontendImage", repo["frontend"]), ("BackendImage", repo["backend"]))])
        self.wait_stack("seed-app", "CREATE_COMPLETE")
        t_app = time.monotonic() - t0 - t_network
        outputs = self.cfn.describe_stacks(StackName="seed-app")["Stacks"][0]["Outputs"]
        dns = next(o["OutputValue"] for o in outputs if o["OutputKey"] == "LoadBalancerDnsName")
        self.serving(dns)
        t_serving = time.monotonic() - t0
        created = {}
        for stack in ("seed-network", "seed-app"):
            created.update(self.resource_times(stack, "CREATE"))
        ids = {}
        for stack in ("seed-app", "seed-network"):
            ids[stack] = self.cfn.describe_stacks(StackName=stack)["Stacks"][0]["StackId"]
        t1 = time.monotonic()
        for stack in ("seed-app", "seed-network"):
            self.cfn.delete_stack(StackName=stack)
            self.wait_stack(stack, "DELETE_COMPLETE")
        t_delete = time.monotonic() - t1
        deleted = {}
        for stack in ("seed-app", "seed-network"):
            deleted.update(self.resource_times(ids[stack], "DELETE"))
        return {"network": t_network, "app": t_app, "serving": t_serving, "delete": t_delete,
                "resources": len(created), "sum": sum(created.values()),
                "slowest": slowest(created), "delete_sum": sum(deleted.values()),
                "delete_slowest": slowest(deleted)}

    def stable(self):
        try:
            found = self.ecs.describe_services(cluster="seed", services=SERVICES)["services"]
        except self.ecs.exceptions.ClusterNotFoundException:
            return False
        return len(found) == 2 and all(
            s["status"] == "ACTIVE" and len(s["deployments"]) == 1 and
            s["deployments"][0].get("rolloutState") == "COMPLETED" and
            s["runningCount"] == s["desiredCount"] > 0 for s in found)

    def direct(self):
        """deploy.sh --no-update, timed from its VPC step to both services stable."""
        marks = {}
        proc = subprocess.Popen([os.path.join(SEED, "deploy.sh"), "--no-update"], env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        err = []

        def watch():
            for line in proc.stderr:
                err.append(line)
                if "VPC 10.0.0.0/16" in line and "vpc" not in marks:
                    marks["vpc"] = time.monotonic()
        reader = threading.Thread(target=watch, daemon=True)
        reader.start()
        try:
            alb_env.wait_until("deploy.sh's VPC step", lambda: "vpc" in marks or
                               proc.poll() is not None, timeout=300, interval=0.05)
            alb_env.wait_until("both services stable", lambda: self.stable() or
                               proc.poll() not in (None, 0), timeout=900, interval=POLL)
            t_stable = time.monotonic() - marks["vpc"]
            out, _ = proc.communicate(timeout=900)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        reader.join(10)
        if proc.returncode != 0 or "vpc" not in marks:
            raise RuntimeError("deploy.sh failed (%s):\n%s" % (proc.returncode,
                                                            "".join(err)[-3000:]))
        t_script = time.monotonic() - marks["vpc"]
        dns = out.strip().splitlines()[-1].split("//", 1)[1].split(":")[0]
        self.serving(dns)
        t_serving = time.monotonic() - marks["vpc"]
        t1 = time.monotonic()
        self.script("teardown.sh")
        return {"stable": t_stable, "script": t_script, "serving": t_serving,
                "delete": time.monotonic() - t1}

    def finish(self):
        if self.server.proc.poll() is not None:
            sys.stderr.write("gantry exited with %s; its log ends:\n%s\n" % (
                self.server.proc.returncode, self.server.read_log()[-3000:]))
            self.server.start()
        self.server.reset()
        self.server.stop()
        leftover = alb_env.own_netns(self.data)
        if leftover:
            shutil.copy(os.path.join(self.data, "gantry.log"), "/tmp/cfn-bench.log")
            raise RuntimeError("namespaces left behind: %s (log: /tmp/cfn-bench.log)" % leftover)


def slowest(took, n=3):
    """The `n` slowest resources, "Name 12.3 s, ..."."""
    top = sorted(took.items(), key=lambda kv: -kv[1])[:n]
    return ", ".join("%s %.1f s" % kv for kv in top)


def measure(path, time_scale):
    with tempfile.TemporaryDirectory(prefix="gantry-cfn-bench-") as tmp:
        r = Run(tmp, time_scale)
        try:
            return getattr(r, path)()
        except BaseException:
            sys.stderr.write(r.server.read_log()[-4000:])
            raise
        finally:
            r.finish()


def fmt(values):
    if len(values) == 1:
        return "%.1f s" % values[0]
    return "%.1f s (median of %d: %s)" % (statistics.median(values), len(values),
                                          ", ".join("%.1f" % v for v in values))


def report(results, args, load_start, load_end):
    rows = []
    for scale in args.time_scales:
        cfn = results.get(("cloudformation", scale))
        if cfn:
            rows.append((scale, "CloudFormation: network stack CreateStack → CREATE_COMPLETE",
                         fmt([r["network"] for r in cfn])))
            rows.append((scale, "CloudFormation: app stack CreateStack → CREATE_COMPLETE",
                         fmt([r["app"] for r in cfn])))
            rows.append((scale, "CloudFormation: first CreateStack → ALB serves / and /stats",
                         fmt([r["serving"] for r in cfn])))
            rows.append((scale, "CloudFormation: sum of the %d resources' own times (their API "
                         "calls and waits, one after another: the direct cost)" % cfn[0]["resources"],
                         fmt([r["sum"] for r in cfn])))
            rows.append((scale, "CloudFormation: slowest resources to create",
                         cfn[-1]["slowest"]))
            rows.append((scale, "CloudFormation: DeleteStack app + network → DELETE_COMPLETE",
                         fmt([r["delete"] for r in cfn])))
            rows.append((scale, "CloudFormation: sum of the resources' delete times",
                         fmt([r["delete_sum"] for r in cfn])))
            rows.append((scale, "CloudFormation: slowest resources to delete",
                         cfn[-1]["delete_slowest"]))
        direct = results.get(("direct", scale))
        if direct:
            rows.append((scale, "direct (deploy.sh): VPC step → both services stable",
                         fmt([r["stable"] for r in direct])))
            rows.append((scale, "direct (deploy.sh): VPC step → ALB serves / and /stats",
                         fmt([r["serving"] for r in direct])))
            rows.append((scale, "direct (deploy.sh): VPC step → script done (its waiters)",
                         fmt([r["script"] for r in direct])))
            rows.append((scale, "direct: teardown.sh", fmt([r["delete"] for r in direct])))
    intro = (
        "`python3 bench/cfn_bench.py --gantry-bin %s --time-scales %s --runs %d` (%s; %s, %s, %d "
        "cores shared with other agents' builds and tests: load average %s at the start and %s "
        "at the end). The seed architecture (VPC, 4 subnets, internet and NAT gateways; "
        "cluster, roles, secret and parameter, two task definitions, ALB, two target groups, "
        "listener and rule, two FARGATE services of 2 tasks in the private subnets, target "
        "tracking) from examples/seed-architecture/cloudformation, polled every 0.2 s, next to "
        "deploy.sh --no-update making the same system with one AWS CLI call per resource (its "
        "tasks in the public subnets, no NAT gateway). Each path on a fresh server with the "
        "images already pushed. Time scale 1 is AWS's own timers (health checks every 5 s, 2 "
        "to turn healthy). The sum of the resources' own times comes from the stacks' events "
        "(each resource's IN_PROGRESS to COMPLETE: its provider's in-process API calls and its "
        "wait to stabilize), what the same calls made one after another would take; "
        "CloudFormation runs independent resources in parallel." % (
            os.path.relpath(args.gantry_bin, ROOT), ",".join("%g" % s for s in args.time_scales),
            args.runs, datetime.date.today().isoformat(), platform.machine(),
            platform.release(), os.cpu_count(), load_start, load_end))
    lines = [SECTION, ""] + textwrap.wrap(intro, 100, break_on_hyphens=False) + [
        "", "| time scale | measure | result |", "|---|---|---|"]
    lines += ["| %g | %s | %s |" % row for row in rows]
    return "\n".join(lines) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--gantry-bin", default=conftest.BINARY)
    p.add_argument("--time-scales", default="10,1",
                   help="comma-separated --time-scale values (1: AWS's timers)")
    p.add_argument("--runs", type=int, default=1)
    p.add_argument("--no-direct", action="store_true", help="CloudFormation path only")
    p.add_argument("--no-write", action="store_true")
    p.add_argument("--smoke", action="store_true",
                   help="time scale 10, CloudFormation only, one run, no file written")
    args = p.parse_args()
    args.gantry_bin = os.path.abspath(args.gantry_bin)
    conftest.BINARY = args.gantry_bin
    args.time_scales = [float(s) for s in args.time_scales.split(",")]
    if args.smoke:
        args.time_scales, args.runs, args.no_direct, args.no_write = [10.0], 1, True, True
        if os.geteuid() != 0:
            print("skip: cfn_bench needs root (namespaces, runc)")
            return
    if os.geteuid() != 0 or not all(shutil.which(x) for x in ("runc", "skopeo", "aws")):
        sys.exit("needs root, runc, skopeo and the AWS CLI")
    paths = ["cloudformation"] + ([] if args.no_direct else ["direct"])
    load_start = loadavg()
    results = {}
    for scale in args.time_scales:
        for path in paths:
            for _ in range(args.runs):
                r = measure(path, scale)
                print("%s, time scale %g: %s" % (path, scale, ", ".join(
                    "%s %s" % (k, "%.1f s" % v if isinstance(v, float) else v)
                    for k, v in r.items())), flush=True)
                results.setdefault((path, scale), []).append(r)
    text = report(results, args, load_start, loadavg())
    print(text)
    if not args.no_write:
        results_md.write_section(SECTION, text)


if __name__ == "__main__":
    main()
