"""The README's command 1, run the way a user runs it (issues 12, 17 and 18).

`scripts/run.sh` from the checkout with its defaults: the relative data directory `.gantry`,
the demo on. It builds (a no-op here), starts the server and deploys the seed architecture with
CloudFormation (examples/seed-architecture/deploy-cfn.sh: an ECR stack, images built and pushed,
a network stack, an app stack with an ALB, two FARGATE services and a DynamoDB table), prints the
URL, then rolls both services to v2 with a second `aws cloudformation deploy` while requests go
through the load balancer. The backend counts its /stats hits in the app stack's table. Then
Ctrl-C, a restart with `SEED_DEMO=0 scripts/run.sh` (the README's way to run only the server),
the demo's `teardown-cfn.sh` (delete-stack of each stack), and Ctrl-C again: the server must stop
cleanly each time and leave no stack, task, ENI, namespace, container, cgroup, mount, link or
process behind.

The listener ports are the README's (4566 for the API, 80 for the load balancer) unless this
machine already uses them, in which case free ones are passed through run.sh's environment.
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import urllib.request

import pytest

from alb_env import free_port, own_netns
from conftest import BINARY, ROOT, client_for, wait_for

# emulator_only: the README's own ports and data directory, and the server's log.
pytestmark = [
    pytest.mark.privileged,
    pytest.mark.emulator_only,
    pytest.mark.skipif(os.geteuid() != 0, reason="the demo's tasks are real containers: root"),
]

DATA_DIR = os.path.join(ROOT, ".gantry")
READY = "Ctrl-C stops the server."
DEMO_TIMEOUT = 900
TEARDOWN_TIMEOUT = 600


def port_in_use(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return False
        except OSError:
            return True


def open_under(path):
    """Processes that hold a file under `path` open or run there."""
    pids = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            links = [os.readlink("/proc/%s/cwd" % pid)]
            links += [os.readlink("/proc/%s/fd/%s" % (pid, fd))
                      for fd in os.listdir("/proc/%s/fd" % pid)]
        except OSError:
            continue
        if any(link == path or link.startswith(path + "/") for link in links):
            pids.append(int(pid))
    return pids


def processes_mentioning(path):
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if path in cmd and int(pid) != os.getpid():
            found.append((int(pid), cmd.strip()))
    return found


CONTAINER_ID = re.compile(r"^[0-9a-f]{32}$")


class ContainerIds:
    """Every container id the server on `data_dir` ever had on disk, found by listing its
    containers directory every 50 ms and by reading its log: the cgroups to look for at the end."""

    def __init__(self, data_dir):
        self.dir = os.path.join(data_dir, "runtime", "containers")
        self.log = os.path.join(data_dir, "gantry.log")
        self.ids = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.wait(0.05):
            self.scan()

    def scan(self):
        try:
            self.ids |= {n for n in os.listdir(self.dir) if CONTAINER_ID.match(n)}
        except FileNotFoundError:
            pass
        try:
            with open(self.log, errors="replace") as f:
                self.ids |= set(re.findall(r'"id":"([0-9a-f]{32})"', f.read()))
        except FileNotFoundError:
            pass

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join(10)
        self.scan()
        return self.ids


def host_state():
    """What a server on the checkout's data directory could leave on the host: its namespaces
    and mounts, and (other servers may run meanwhile: compared before and after) the host's
    links and the containers' cgroups."""
    links = subprocess.run(["ip", "-o", "link", "show"], capture_output=True, text=True).stdout
    with open("/proc/self/mountinfo") as f:
        mounts = {m for m in (line.split()[4] for line in f) if m.startswith(DATA_DIR)}
    cgroups = set()
    for controller in os.listdir("/sys/fs/cgroup"):
        parent = os.path.join("/sys/fs/cgroup", controller, "gantry")
        if os.path.isdir(parent):
            cgroups |= {os.path.join(parent, c) for c in os.listdir(parent)
                        if os.path.isdir(os.path.join(parent, c))}
    return {
        "netns": own_netns(DATA_DIR),
        "links": {re.split(r"[:@]", line.split(": ", 1)[1])[0] for line in links.splitlines()},
        "mounts": mounts,
        "cgroups": cgroups,
    }


class RunSh:
    """scripts/run.sh in its own process group, so that SIGINT reaches it as Ctrl-C does."""

    def __init__(self, env, out_path):
        self.out_path = out_path
        self.out = open(out_path, "wb")
        self.proc = subprocess.Popen(["scripts/run.sh"], cwd=ROOT, env=env, stdout=self.out,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     start_new_session=True)

    def text(self):
        with open(self.out_path, errors="replace") as f:
            return f.read()

    def wait_for(self, marker, timeout):
        def printed():
            text = self.text()
            if marker in text:
                return text
            if self.proc.poll() is not None:
                pytest.fail("run.sh exited with %s before '%s':\n%s" %
                            (self.proc.returncode, marker, text[-4000:]))
            return None
        return wait_for(printed, timeout, 1,
                        lambda: "'%s':\n%s" % (marker, self.text()[-4000:]))

    def server_pid(self):
        m = re.search(r"gantry is running on \S+ \(pid (\d+)", self.text())
        assert m, self.text()[-2000:]
        return int(m.group(1))

    def ctrl_c(self, timeout=60):
        os.killpg(self.proc.pid, signal.SIGINT)
        try:
            return self.proc.wait(timeout)
        finally:
            self.out.close()

    def kill(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.out.close()


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has stopped; only its parent's wait is missing.
    with open("/proc/%d/stat" % pid) as f:
        return f.read().rsplit(")", 1)[1].split()[0] != "Z"


def curl(url):
    r = subprocess.run(["curl", "-sS", "--max-time", "10", "-w", "\n%{http_code}", url],
                       capture_output=True, text=True)
    assert r.returncode == 0, "curl %s: %s" % (url, r.stderr)
    body, _, status = r.stdout.rpartition("\n")
    return int(status), body


def wipe(env):
    """After a failure: a server on the data directory removes whatever is left."""
    port_file = os.path.join(DATA_DIR, "cleanup.port")
    proc = subprocess.Popen([BINARY, "--listen", "127.0.0.1:0", "--data-dir", DATA_DIR,
                             "--port-file", port_file, "--alb-port-offset",
                             str(free_port() - 80)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: os.path.exists(port_file) and os.path.getsize(port_file), 10, 0.05,
                 "the cleanup server to listen")
        with open(port_file) as f:
            port = int(f.read())
        req = urllib.request.Request("http://127.0.0.1:%d/_gantry/reset" % port, data=b"",
                                     method="POST")
        urllib.request.urlopen(req, timeout=60).close()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)


@pytest.fixture
def checkout_data_dir():
    """The checkout's .gantry belongs to the test while it runs: an existing one is kept aside
    (unless a server uses it) and put back afterwards."""
    saved = None
    if os.path.exists(DATA_DIR):
        users = open_under(DATA_DIR)
        if users:
            pytest.fail("processes %s use %s: stop them before running this test" %
                        (users, DATA_DIR))
        saved = DATA_DIR + ".saved-by-test-%d" % os.getpid()
        os.rename(DATA_DIR, saved)
    yield DATA_DIR
    shutil.rmtree(DATA_DIR, ignore_errors=True)
    if saved:
        os.rename(saved, DATA_DIR)


def test_readme_command_1_deploys_serves_rolls_and_stops_cleanly(checkout_data_dir, tmp_path):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GANTRY_", "SEED_", "AWS_"))}
    api_port = 4566
    if port_in_use(api_port):
        api_port = free_port()
        env["GANTRY_LISTEN"] = "127.0.0.1:%d" % api_port
    if port_in_use(80):
        env["GANTRY_ALB_PORT_OFFSET"] = str(free_port() - 80)
    endpoint = "http://127.0.0.1:%d" % api_port
    before = host_state()
    ids = ContainerIds(DATA_DIR).start()

    run = RunSh(env, str(tmp_path / "run.out"))
    restart = None
    try:
        text = run.wait_for(READY, DEMO_TIMEOUT)
        assert "the demo did not deploy" not in text, text[-4000:]
        server = run.server_pid()

        # The URL deploy-cfn.sh printed, opened as the README says: curl resolves *.localhost.
        urls = re.findall(r"^(http://seed-alb-\S+)$", text, re.M)
        assert urls, text[-4000:]
        url = urls[-1]
        status, body = curl(url + "/")
        assert status == 200 and "<title>" in body, body[:500]
        status, body = curl(url + "/stats")
        assert status == 200, body[:500]
        stats = json.loads(body)
        # The backend reads its task's limits and usage from the task metadata endpoint.
        assert stats["source"] == "task-metadata-v4", stats
        assert stats["cpu"]["limitVcpu"] == 0.25 and stats["memory"]["limitMiB"] == 512, stats
        assert stats["memory"]["usageMiB"] > 0, stats

        # The three stacks deployed; the app stack was updated once, by the roll to v2.
        cfn = client_for(endpoint, "cloudformation")
        assert {s["StackName"]: s["StackStatus"] for s in cfn.describe_stacks()["Stacks"]} == {
            "seed-ecr": "CREATE_COMPLETE", "seed-network": "CREATE_COMPLETE",
            "seed-app": "UPDATE_COMPLETE"}
        app = {o["OutputKey"]: o["OutputValue"]
               for o in cfn.describe_stacks(StackName="seed-app")["Stacks"][0]["Outputs"]}
        assert url.split("//")[1].split(":")[0] == app["LoadBalancerDnsName"], (url, app)

        # Each /stats through the ALB adds one to the table's counter (UpdateItem ADD with the
        # task role's credentials), whichever of the two backend tasks answers.
        hits = []
        for _ in range(4):
            status, body = curl(url + "/stats")
            assert status == 200, body[:500]
            hits.append(json.loads(body)["hits"])
        assert all(isinstance(h, int) for h in hits), hits
        assert hits == list(range(hits[0], hits[0] + 4)), hits
        item = client_for(endpoint, "dynamodb").get_item(
            TableName=app["HitsTableName"], Key={"id": {"S": "stats"}}, ConsistentRead=True)
        assert item["Item"]["hits"] == {"N": str(hits[-1])}, item

        ecs = client_for(endpoint, "ecs")
        services = ecs.describe_services(cluster="seed", services=["seed-frontend",
                                                                   "seed-backend"])["services"]
        assert [(s["runningCount"], s["desiredCount"], len(s["deployments"]))
                for s in services] == [(2, 2, 1), (2, 2, 1)], services
        # ImageTag v2: a new task definition revision for both services.
        assert [s["taskDefinition"].rsplit("/", 1)[1] for s in services] == \
            ["seed-frontend:2", "seed-backend:2"], services
        # The tasks run in the network stack's private subnets, without public addresses, and
        # the backend's secrets are the app stack's secret and parameter.
        network = {o["OutputKey"]: o["OutputValue"]
                   for o in cfn.describe_stacks(StackName="seed-network")["Stacks"][0]["Outputs"]}
        private = set(network["PrivateSubnets"].split(","))
        tasks = ecs.list_tasks(cluster="seed", desiredStatus="RUNNING")["taskArns"]
        assert len(tasks) == 4, tasks
        for t in ecs.describe_tasks(cluster="seed", tasks=tasks)["tasks"]:
            details = {d["name"]: d["value"] for d in t["attachments"][0]["details"]}
            assert details["subnetId"] in private, details
        backend_td = ecs.describe_task_definition(taskDefinition="seed-backend")["taskDefinition"]
        secrets = {x["name"]: x["valueFrom"]
                   for x in backend_td["containerDefinitions"][0]["secrets"]}
        assert secrets == {"DB_PASSWORD": app["DbPasswordSecretArn"], "DB_USER": "/seed/db-user"}

        # The rolling update to v2 finished with every request through the ALB answered.
        m = re.search(r"during the rollout: (\d+) requests answered \((\d+) v1, (\d+) v2\), "
                      r"(\d+) failed", text)
        assert m, text[-4000:]
        answered, v1, v2, failed = map(int, m.groups())
        assert failed == 0 and answered > 0 and v2 > 0, m.group(0)
        status, body = curl(url + "/version.txt")
        assert status == 200 and body.startswith("v2"), body

        # Ctrl-C: run.sh stops the server, which exits cleanly and on its own.
        assert run.ctrl_c() == 0, run.text()[-3000:]
        assert not alive(server), "the server outlived Ctrl-C"
        with open(os.path.join(DATA_DIR, "gantry.log")) as f:
            log = f.read()
        assert re.search(r"^\S+ level=info msg=stopped$", log, re.M), log[-2000:]

        # The README's way back: the server alone re-adopts the demo, whose teardown then
        # deletes the stacks with the AWS CLI.
        restart = RunSh(dict(env, SEED_DEMO="0"), str(tmp_path / "restart.out"))
        restart.wait_for(READY, 300)
        status, _ = curl(url + "/")
        assert status == 200, "the load balancer did not come back after a restart"
        status, body = curl(url + "/stats")
        assert status == 200 and json.loads(body)["hits"] == hits[-1] + 1, body[:500]
        td = subprocess.run(["examples/seed-architecture/teardown-cfn.sh"], cwd=ROOT,
                            env=dict(env, GANTRY_ENDPOINT=endpoint), capture_output=True,
                            text=True, timeout=TEARDOWN_TIMEOUT)
        assert td.returncode == 0, td.stdout + td.stderr
        assert cfn.describe_stacks()["Stacks"] == []
        ec2 = client_for(endpoint, "ec2")
        assert ec2.describe_network_interfaces()["NetworkInterfaces"] == []
        assert [c["status"] for c in ecs.describe_clusters(clusters=["seed"])["clusters"]] \
            in ([], ["INACTIVE"])
        assert client_for(endpoint, "dynamodb").list_tables()["TableNames"] == []
        assert restart.ctrl_c() == 0, restart.text()[-3000:]
        restart = None
    finally:
        for r in (run, restart):
            if r is not None and r.proc.poll() is None:
                r.kill()

    after = host_state()
    # Servers of other tests may run meanwhile (the suite runs on two workers): a new cgroup is
    # this server's only if it is named after one of its containers.
    ours = ids.stop()
    after["cgroups"] = {c for c in after["cgroups"] if os.path.basename(c) in ours}
    leftovers = {k: sorted(after[k] - before[k]) for k in before if after[k] - before[k]}
    leftovers["processes"] = processes_mentioning(DATA_DIR)
    leftovers = {k: v for k, v in leftovers.items() if v}
    if leftovers:
        wipe(env)
    assert not leftovers, "left behind: %s" % leftovers
