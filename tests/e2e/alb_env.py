"""Shared setup of the issue-7 end-to-end tests (test_alb_*.py, test_service_*.py) and of
bench/rolling_bench.py: a Gantry server that runs real tasks and serves its ALB listeners, busybox
images in its ECR, the seeds' network and small HTTP helpers that reach a load balancer.

The server serves every listener port P on 127.0.0.1:(P + offset) (--alb-port-offset) and tells
load balancers apart by Host (their DNSName), so a request through an ALB is

    status, headers, body = alb_get(server, lb["DNSName"], "/stats")

AWS timers run `TIME_SCALE` times faster (--time-scale): a 5 s health-check interval is 0.5 s.
"""
import http.client
import os
import shutil
import socket
import subprocess
import sys
import threading
import time

import pytest

from conftest import GantryProcess, client_for, wait_for
from oci_images import build_busybox_image

ACCOUNT = "000000000000"
CLUSTER = "alb"
TIME_SCALE = 10
LISTENER_PORT = 80

# The modules that use these run their own server with a time scale and read its data directory
# (namespaces), so they are emulator_only too.
privileged = [
    pytest.mark.privileged,
    pytest.mark.emulator_only,
    pytest.mark.skipif(os.geteuid() != 0, reason="needs root"),
    pytest.mark.skipif(shutil.which("runc") is None or shutil.which("skopeo") is None,
                       reason="needs runc and skopeo"),
]


def netns_names():
    try:
        return set(os.listdir("/run/netns"))
    except FileNotFoundError:
        return set()


def instance_prefix(data_dir):
    """The prefix of every namespace a server on `data_dir` makes (src/netplane/instance_names.cc
    InstanceNames::for_data_dir: "gx" + the first 6 hex digits of FNV-1a 64 of the path, which
    the server made canonical at start-up)."""
    h = 14695981039346656037
    for c in os.path.realpath(data_dir).encode():
        h = ((h ^ c) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return "gx" + ("%016x" % h)[:6]


def own_netns(data_dir):
    """Namespaces of the server on `data_dir` (other servers may run on this host meanwhile)."""
    prefix = instance_prefix(data_dir) + "-"
    return {n for n in netns_names() if n.startswith(prefix)}


def task_netns(data_dir, task_arn):
    """The network namespace of a task (InstanceNames::endpoint_netns of the task id)."""
    return "%s-e-%s" % (instance_prefix(data_dir), task_arn.rsplit("/", 1)[1])


def alb_netns(data_dir, lb_arn):
    """The network namespace of a load balancer's node (LoadBalancerNodes::endpoint_id)."""
    return "%s-e-alb-%s" % (instance_prefix(data_dir), lb_arn.rsplit("/", 1)[1])


_PROBE = r"""
import socket, sys
ip, port, timeout, payload = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
s = socket.socket()
s.settimeout(timeout)
try:
    s.connect((ip, port))
except socket.timeout:
    print("timeout"); sys.exit(0)
except ConnectionRefusedError:
    print("refused"); sys.exit(0)
except OSError as e:
    print("error %s" % e); sys.exit(0)
s.sendall(bytes.fromhex(payload))
data = b""
try:
    while True:
        b = s.recv(65536)
        if not b:
            break
        data += b
except socket.timeout:
    pass
print("ok " + data.decode(errors="replace"))
"""


def probe_from(netns, ip, port, payload=b"GET / HTTP/1.0\r\n\r\n", timeout=2):
    """Connects from inside `netns` (a namespace this test's server made: never the host's) to
    ip:port, sends `payload` and reads until the peer closes. Returns ("ok", reply),
    ("timeout", "") when nothing answered (a security group dropped it), ("refused", "") or
    ("error", message)."""
    r = subprocess.run(["ip", "netns", "exec", netns, sys.executable, "-c", _PROBE, ip, str(port),
                        str(timeout), payload.hex()], capture_output=True, text=True,
                       timeout=timeout * 3 + 10)
    assert r.returncode == 0, r.stderr
    kind, _, rest = r.stdout.partition(" ")
    return kind.strip(), rest


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AlbGantry(GantryProcess):
    """A GantryProcess with tasks on, ALB listeners on loopback and fast AWS timers. restart()
    keeps the data dir and the listener offset (the API port changes: read .endpoint again)."""

    def __init__(self, data_dir, time_scale=TIME_SCALE, extra_args=()):
        self.alb_offset = free_port() - LISTENER_PORT
        super().__init__(data_dir, ["--time-scale", str(time_scale),
                                    "--alb-port-offset", str(self.alb_offset)] + list(extra_args))

    def alb_port(self, listener_port=LISTENER_PORT):
        return listener_port + self.alb_offset

    def restart(self):
        self.stop()
        return self.start()


def start_server(data_dir, **kw):
    return AlbGantry(data_dir, **kw).start()


def push_layout(server, layout, repo, tag="latest", layout_tag="latest"):
    """skopeo copy of an OCI layout into the server's ECR (creates the repository if needed);
    returns the image URI."""
    ecr = client_for(server.endpoint, "ecr")
    try:
        uri = ecr.create_repository(repositoryName=repo)["repository"]["repositoryUri"]
    except ecr.exceptions.RepositoryAlreadyExistsException:
        uri = ecr.describe_repositories(repositoryNames=[repo])["repositories"][0]["repositoryUri"]
    dest = "docker://127.0.0.1:%d/%s:%s" % (server.port, repo, tag)
    r = subprocess.run(["skopeo", "--insecure-policy", "copy", "--dest-tls-verify=false",
                        "oci:%s:%s" % (layout, layout_tag), dest], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return "%s:%s" % (uri, tag)


# The request headers ALB adds, as the target saw them.
HEADERS_CGI = """#!/bin/sh
body="xff=$HTTP_X_FORWARDED_FOR proto=$HTTP_X_FORWARDED_PROTO port=$HTTP_X_FORWARDED_PORT \
trace=$HTTP_X_AMZN_TRACE_ID host=$HTTP_HOST"
printf 'Content-Type: text/plain\\r\\nContent-Length: %d\\r\\n\\r\\n%s' "${#body}" "$body"
"""


# The status line and headers at once (X-Served-By: the task's hostname), the body N seconds
# later: a client that has read the headers knows its request is in flight at that target.
HOLD_CGI = """#!/bin/sh
body="held $(cat /www/host)"
printf 'Content-Type: text/plain\\r\\nX-Served-By: %s\\r\\n' "$(cat /www/host)"
printf 'Content-Length: %d\\r\\n\\r\\n' "$((${#body} + 1))"
sleep ${QUERY_STRING:-1}
echo "$body"
"""

# Sets the application cookie APPSESSION (app_cookie stickiness) and answers the task's hostname.
COOKIE_CGI = """#!/bin/sh
body="$(cat /www/host)"
printf 'Content-Type: text/plain\\r\\nSet-Cookie: APPSESSION=%s; Path=/\\r\\n' "$body"
printf 'Content-Length: %d\\r\\n\\r\\n%s' "${#body}" "$body"
"""


# CPU: QUERY_STRING shell loop turns (the task's cgroup quota caps them), then the task's
# hostname. The autoscaling tests and bench/scaling_bench.py load tasks with it.
BURN_CGI = """#!/bin/sh
i=0
n=${QUERY_STRING:-20000}
while [ "$i" -lt "$n" ]; do i=$((i + 1)); done
body="burned $(cat /www/host)"
printf 'Content-Type: text/plain\\r\\nContent-Length: %d\\r\\n\\r\\n%s' "${#body}" "$body"
"""

def web_layout(dest, version, extra_files=None):
    """busybox httpd on 8080: / answers '<version>', /health 'ok', /host the task's hostname
    (written at start), /stats 'stats <version>', /cgi-bin/slow.sh?N 'slow <version>' after N
    seconds (a request kept in flight), /cgi-bin/hold.sh?N the headers at once and 'held
    <hostname>' N seconds later, /cgi-bin/cookie.sh the hostname with Set-Cookie APPSESSION,
    /cgi-bin/headers.sh the X-Forwarded-* headers."""
    files = {"/www/index.html": "%s\n" % version, "/www/health": "ok\n",
             "/www/stats": "stats %s\n" % version,
             # CRLF and a Content-Length, so that the response is framed without the close.
             "/www/cgi-bin/slow.sh": "#!/bin/sh\nsleep ${QUERY_STRING:-1}\n"
                                     "printf 'Content-Type: text/plain\\r\\n"
                                     "Content-Length: %d\\r\\n\\r\\n'\n"
                                     "echo 'slow %s'\n" % (len("slow %s\n" % version), version),
             "/www/cgi-bin/headers.sh": HEADERS_CGI, "/www/cgi-bin/hold.sh": HOLD_CGI,
             "/www/cgi-bin/cookie.sh": COOKIE_CGI}
    files.update(extra_files or {})
    return build_busybox_image(
        dest, cmd=["sh", "-c", "hostname > /www/host; exec httpd -f -p 8080 -h /www"],
        extra_files=files)


def tools_layout(dest):
    return build_busybox_image(dest, cmd=["sh"])


class Aws:
    def __init__(self, server):
        self.server = server
        self.ec2 = client_for(server.endpoint, "ec2")
        self.ecs = client_for(server.endpoint, "ecs")
        self.elbv2 = client_for(server.endpoint, "elbv2")
        self.logs = client_for(server.endpoint, "logs")


def make_network(aws, cidr="10.0"):
    """The seeds' network: a VPC with two subnets in two AZs; security groups 'alb' (the load
    balancer's, open on 80), 'web' (8080 only from 'alb') and 'other' (nothing in)."""
    v = aws.ec2.create_vpc(CidrBlock="%s.0.0/16" % cidr)["Vpc"]["VpcId"]
    subnets = [aws.ec2.create_subnet(VpcId=v, CidrBlock="%s.%d.0/24" % (cidr, i + 1),
                                     AvailabilityZone=z)["Subnet"]["SubnetId"]
               for i, z in enumerate(["us-east-1a", "us-east-1b"])]
    sg = {}
    for name in ("alb", "web", "other"):
        sg[name] = aws.ec2.create_security_group(GroupName=name, Description=name,
                                                 VpcId=v)["GroupId"]
    aws.ec2.authorize_security_group_ingress(
        GroupId=sg["alb"], IpPermissions=[{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80,
                                           "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    aws.ec2.authorize_security_group_ingress(
        GroupId=sg["web"], IpPermissions=[{"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080,
                                           "UserIdGroupPairs": [{"GroupId": sg["alb"]}]}])
    return {"vpc": v, "subnets": subnets, "sg": sg}


def fast_target_group(aws, name, vpc, health_path="/health", delay=5, **kw):
    """A target group with the fastest health checks AWS allows (5 s interval, 2/2 thresholds)
    and a short deregistration delay (AWS seconds; divided by the time scale)."""
    tg = aws.elbv2.create_target_group(
        Name=name, Protocol="HTTP", Port=8080, VpcId=vpc, TargetType="ip",
        HealthCheckPath=health_path, HealthCheckIntervalSeconds=5, HealthCheckTimeoutSeconds=4,
        HealthyThresholdCount=2, UnhealthyThresholdCount=2, **kw)["TargetGroups"][0]
    aws.elbv2.modify_target_group_attributes(
        TargetGroupArn=tg["TargetGroupArn"],
        Attributes=[{"Key": "deregistration_delay.timeout_seconds", "Value": str(delay)}])
    return tg["TargetGroupArn"]


def make_alb(aws, net, name, default_tg=None, default_actions=None):
    """An internet-facing ALB in both subnets with an HTTP :80 listener; returns (lb, listener)."""
    lb = aws.elbv2.create_load_balancer(Name=name, Subnets=net["subnets"],
                                        SecurityGroups=[net["sg"]["alb"]],
                                        Scheme="internet-facing",
                                        Type="application")["LoadBalancers"][0]
    aws.elbv2.get_waiter("load_balancer_available").wait(
        LoadBalancerArns=[lb["LoadBalancerArn"]], WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    actions = default_actions or [{"Type": "forward", "TargetGroupArn": default_tg}]
    listener = aws.elbv2.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP",
                                         Port=LISTENER_PORT,
                                         DefaultActions=actions)["Listeners"][0]
    return lb, listener


def register_web(aws, family, image, extra=None, **container_kw):
    """A FARGATE awsvpc task definition of one essential container 'app' on 8080."""
    container = {"name": "app", "image": image, "essential": True, "stopTimeout": 2,
                 "portMappings": [{"containerPort": 8080, "protocol": "tcp"}],
                 "logConfiguration": {"logDriver": "awslogs", "options": {
                     "awslogs-group": "/ecs/" + family, "awslogs-region": "us-east-1",
                     "awslogs-stream-prefix": "ecs", "awslogs-create-group": "true"}}}
    container.update(container_kw)
    return aws.ecs.register_task_definition(
        family=family, requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="256",
        memory="512", executionRoleArn="arn:aws:iam::%s:role/ecsTaskExecutionRole" % ACCOUNT,
        containerDefinitions=[container], **(extra or {}))["taskDefinition"]["taskDefinitionArn"]


def run_task(aws, td, subnet, groups, cluster=CLUSTER):
    aws.ecs.create_cluster(clusterName=cluster)
    out = aws.ecs.run_task(cluster=cluster, taskDefinition=td, launchType="FARGATE",
                           networkConfiguration={"awsvpcConfiguration": {
                               "subnets": [subnet], "securityGroups": groups}})
    assert not out["failures"], out
    return out["tasks"][0]["taskArn"]


def wait_until(what, fn, timeout=30, interval=0.1):
    """conftest.wait_for with the description first."""
    return wait_for(fn, timeout, interval, what)


def describe_task(aws, arn, cluster=CLUSTER):
    return aws.ecs.describe_tasks(cluster=cluster, tasks=[arn])["tasks"][0]


def wait_task(aws, arn, status, timeout=30, cluster=CLUSTER):
    def check():
        t = describe_task(aws, arn, cluster)
        if status == "RUNNING" and t["lastStatus"] == "STOPPED":
            pytest.fail("task stopped: %s" % t.get("stoppedReason"))
        return t if t["lastStatus"] == status else None
    return wait_until("task %s %s" % (arn.rsplit("/", 1)[1], status), check, timeout)


def task_ip(task):
    for a in task.get("attachments", []):
        for d in a["details"]:
            if d["name"] == "privateIPv4Address":
                return d["value"]
    return None


def target_health(aws, tg):
    """{(ip, port): (state, reason)} of a target group."""
    out = {}
    for d in aws.elbv2.describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"]:
        h = d["TargetHealth"]
        out[(d["Target"]["Id"], d["Target"]["Port"])] = (h["State"], h.get("Reason"))
    return out


def wait_target_state(aws, tg, target, state, timeout=30):
    """Waits until `target` ((ip, port)) is in `state` ("gone": not listed at all)."""
    def check():
        h = target_health(aws, tg)
        if state == "gone":
            return target not in h
        return h.get(target) if h.get(target, (None,))[0] == state else None
    return wait_until("target %s:%s %s in %s" % (target + (state, tg.rsplit("/", 2)[1])),
                      check, timeout)


class AlbClient:
    """Keep-alive HTTP/1.1 client of one load balancer on the loopback listener port."""

    def __init__(self, server, dns_name, listener_port=LISTENER_PORT, timeout=10):
        self.host = dns_name
        self.port = server.alb_port(listener_port)
        self.timeout = timeout
        self.conn = None

    def get(self, path="/", headers=None, retry=True):
        """(status, headers dict with lower-case names (a repeated header's values joined by
        ", "), body str); with `retry`, reconnects once
        when a kept-alive connection was closed by the proxy between requests."""
        for attempt in ((0, 1) if retry else (1,)):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                                       timeout=self.timeout)
            try:
                h = {"Host": self.host}
                h.update(headers or {})
                self.conn.request("GET", path, headers=h)
                r = self.conn.getresponse()
                body = r.read().decode(errors="replace")
                headers = {}
                for k, v in r.getheaders():  # repeated ones (Set-Cookie) joined by ", "
                    k = k.lower()
                    headers[k] = headers[k] + ", " + v if k in headers else v
                out = (r.status, headers, body)
                if r.will_close:
                    self.close()
                return out
            except (http.client.RemoteDisconnected, BrokenPipeError,
                    ConnectionResetError) as e:
                # A pooled connection the proxy closed while idle: a fresh request on a new
                # connection is what any client (and ALB's clients) do.
                self.close()
                if attempt == 1:
                    raise e
        raise AssertionError("unreachable")

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class HeldRequest:
    """A GET through a load balancer on its own connection, returned once the response headers
    have arrived and before the body has: the request is then in flight at its target
    (/cgi-bin/hold.sh?N names the target in X-Served-By and answers the body N seconds later)."""

    def __init__(self, server, dns_name, path, timeout=60):
        self.conn = http.client.HTTPConnection("127.0.0.1", server.alb_port(), timeout=timeout)
        self.conn.request("GET", path, headers={"Host": dns_name})
        self.response = self.conn.getresponse()
        self.status = self.response.status
        self.served_by = self.response.getheader("X-Served-By")

    def finish(self):
        """(status, body) once the whole body has arrived."""
        try:
            return self.status, self.response.read().decode(errors="replace")
        finally:
            self.conn.close()


def hostname_of(ip):
    """The hostname Fargate gives a task of that IP (/www/host in web_layout)."""
    return "ip-%s.ec2.internal" % ip.replace(".", "-")


def alb_interface_ips(aws, lb):
    """{subnet id: private IP} of a load balancer's network interfaces."""
    desc = "ELB app/%s/%s" % (lb["LoadBalancerName"], lb["LoadBalancerArn"].rsplit("/", 1)[1])
    enis = aws.ec2.describe_network_interfaces(Filters=[
        {"Name": "description", "Values": [desc]}])["NetworkInterfaces"]
    return {e["SubnetId"]: e["PrivateIpAddress"] for e in enis}


def alb_get(server, dns_name, path="/", headers=None):
    c = AlbClient(server, dns_name)
    try:
        return c.get(path, headers)
    finally:
        c.close()


class Load:
    """`threads` client threads, each with one keep-alive connection to a load balancer, issuing
    GET `path` back to back until stop(). Every request is recorded as (start, seconds, status,
    body); a connection error is status 0 with the error as body."""

    def __init__(self, server, dns_name, path="/", threads=1):
        self.server, self.dns_name, self.path = server, dns_name, path
        self.results = []
        self._count = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]

    def _run(self):
        c = AlbClient(self.server, self.dns_name)
        mine = []
        while not self._stop.is_set():
            t0 = time.monotonic()
            try:
                status, _, body = c.get(self.path, retry=False)  # a closed connection fails
            except Exception as e:  # noqa: BLE001  (any failure is a failed request)
                c.close()
                status, body = 0, "%s: %s" % (type(e).__name__, e)
            mine.append((t0, time.monotonic() - t0, status, body))
            with self._lock:
                self._count += 1
        c.close()
        with self._lock:
            self.results.extend(mine)

    def count(self):
        """Requests answered so far (while running)."""
        with self._lock:
            return self._count

    def start(self):
        for t in self._threads:
            t.start()
        return self

    def stop(self):
        self._stop.set()
        for t in self._threads:
            t.join(30)
        self.results.sort()
        return self

    @property
    def failures(self):
        return [r for r in self.results if r[2] != 200]


def cleanup_all(aws, clusters=(CLUSTER,)):
    """Stops what a test started so the next starts clean: services deleted with force, tasks
    stopped and waited for, listeners, load balancers and target groups deleted."""
    for cluster in clusters:
        try:
            services = aws.ecs.list_services(cluster=cluster)["serviceArns"]
        except aws.ecs.exceptions.ClusterNotFoundException:
            continue
        for s in services:
            try:
                aws.ecs.delete_service(cluster=cluster, service=s, force=True)
            except aws.ecs.exceptions.ServiceNotActiveException:
                pass  # already DRAINING
        arns = aws.ecs.list_tasks(cluster=cluster)["taskArns"]
        for t in arns:
            aws.ecs.stop_task(cluster=cluster, task=t, reason="test cleanup")

        def all_stopped():
            # A service's tasks may start between the listing and DeleteService: list again.
            live = aws.ecs.list_tasks(cluster=cluster)["taskArns"]
            for t in set(live) - set(arns):
                aws.ecs.stop_task(cluster=cluster, task=t, reason="test cleanup")
                arns.append(t)
            if not arns:
                return True
            tasks = []
            for i in range(0, len(arns), 100):
                tasks += aws.ecs.describe_tasks(cluster=cluster, tasks=arns[i:i + 100])["tasks"]
            return all(t["lastStatus"] == "STOPPED" for t in tasks)
        wait_until("every task of %s stopped" % cluster, all_stopped, timeout=60, interval=0.2)

        def all_inactive():
            if not services:
                return True
            found = aws.ecs.describe_services(cluster=cluster, services=services)["services"]
            return all(x["status"] == "INACTIVE" for x in found)
        wait_until("every service of %s INACTIVE" % cluster, all_inactive, timeout=60,
                   interval=0.2)
    for lb in aws.elbv2.describe_load_balancers()["LoadBalancers"]:
        aws.elbv2.delete_load_balancer(LoadBalancerArn=lb["LoadBalancerArn"])
    for tg in aws.elbv2.describe_target_groups()["TargetGroups"]:
        aws.elbv2.delete_target_group(TargetGroupArn=tg["TargetGroupArn"])


# ---------------------------------------------------------------------------------------------
# pytest fixtures: `from alb_env import alb_server, alb_images, aws, net, clean` in a test module

def module_server(tmp_path_factory, name="alb", **kw):
    """The body of a module's `alb_server` fixture (start_server's `kw`, e.g. time_scale): yields
    the server; at the end it is reset and stopped, and no network namespace it made may remain."""
    g = start_server(str(tmp_path_factory.mktemp(name)), **kw)
    yield g
    if g.proc.poll() is not None:
        # It died during the module: a new server on the same data dir cleans up after it.
        g.start()
    g.reset()
    g.stop()
    leftover = own_netns(g.data_dir)
    assert not leftover, "namespaces left behind: %s" % leftover


@pytest.fixture(scope="module")
def alb_server(tmp_path_factory):
    """One server per test module (module_server)."""
    yield from module_server(tmp_path_factory)


@pytest.fixture(scope="module")
def alb_images(alb_server, tmp_path_factory):
    """Image URIs: web:v1 and web:v2 (web_layout), back (a /stats backend) and tools (sh)."""
    d = tmp_path_factory.mktemp("images")
    return {
        "v1": push_layout(alb_server, web_layout(d / "v1", "v1"), "web", "v1"),
        "v2": push_layout(alb_server, web_layout(d / "v2", "v2"), "web", "v2"),
        "back": push_layout(alb_server, web_layout(d / "back", "back"), "back"),
        "tools": push_layout(alb_server, tools_layout(d / "tools"), "tools"),
    }


@pytest.fixture
def aws(alb_server, alb_images):
    return Aws(alb_server)


@pytest.fixture(scope="module")
def net(alb_server, alb_images):
    return make_network(Aws(alb_server))


@pytest.fixture
def clean(alb_server, net):
    yield
    if alb_server.proc.poll() is not None:
        code = alb_server.proc.returncode
        log = alb_server.read_log()[-3000:]
        alb_server.start()  # the next tests get a server again (it re-adopts the tasks)
        cleanup_all(Aws(alb_server))
        pytest.fail("the server exited with %s during the test; its log ends:\n%s" % (code, log))
    cleanup_all(Aws(alb_server))
