"""The ALB data plane for real (issue 7), with tasks started by RunTask and registered by hand:
listener rules route by path, fixed responses and redirects, 503 without targets, security groups
admit the load balancer and nobody else, active health checks move targets between states with
AWS's reason codes, and deregistered targets drain. Needs root, runc and skopeo; the module's
server is reset and stopped at the end and no namespace may remain.
"""
import base64
import hashlib
import os
import re
import signal
import socket
import subprocess
import sys
import time

import pytest

from alb_env import (AlbClient, HeldRequest, alb_get, alb_interface_ips, alb_netns,
                     fast_target_group, hostname_of, make_alb, privileged, probe_from,
                     register_web, run_task, target_health, task_ip, task_netns,
                     wait_target_state, wait_task, wait_until)
from alb_env import alb_images, alb_server, aws, clean, net  # noqa: F401  (fixtures)

pytestmark = privileged + [pytest.mark.usefixtures("clean")]


def start_web(aws, net, image, subnet=0, groups=None):
    """RunTask of one web task; returns (task arn, its IP) once it is RUNNING."""
    arn = run_task(aws, register_web(aws, "web", image), net["subnets"][subnet],
                   groups or [net["sg"]["web"]])
    return arn, task_ip(wait_task(aws, arn, "RUNNING"))


def register(aws, tg, ip):
    aws.elbv2.register_targets(TargetGroupArn=tg, Targets=[{"Id": ip, "Port": 8080}])
    return (ip, 8080)


def test_path_rule_sends_stats_to_its_group_and_the_rest_to_the_default(aws, net,
                                                                        alb_server, alb_images):
    _, front_ip = start_web(aws, net, alb_images["v1"], subnet=0)
    _, back_ip = start_web(aws, net, alb_images["back"], subnet=1)
    front = fast_target_group(aws, "front", net["vpc"])
    back = fast_target_group(aws, "back", net["vpc"])
    lb, listener = make_alb(aws, net, "paths", default_tg=front)
    aws.elbv2.create_rule(ListenerArn=listener["ListenerArn"], Priority=10,
                          Conditions=[{"Field": "path-pattern", "Values": ["/stats*"]}],
                          Actions=[{"Type": "forward", "TargetGroupArn": back}])
    wait_target_state(aws, front, register(aws, front, front_ip), "healthy")
    wait_target_state(aws, back, register(aws, back, back_ip), "healthy")

    c = AlbClient(alb_server, lb["DNSName"])
    assert c.get("/")[::2] == (200, "v1\n")
    assert c.get("/stats")[::2] == (200, "stats back\n")
    assert c.get("/stats?x=1")[::2] == (200, "stats back\n")
    assert c.get("/health")[::2] == (200, "ok\n")
    status, _, seen = c.get("/cgi-bin/headers.sh", {"X-Forwarded-For": "203.0.113.9"})
    assert status == 200, seen
    fields = dict(re.findall(r"(\w+)=(.*?)(?= \w+=|$)", seen))
    assert fields["xff"] == "203.0.113.9, 127.0.0.1", seen
    assert (fields["proto"], fields["port"], fields["host"]) == ("http", "80", lb["DNSName"])
    assert fields["trace"].startswith("Root=1-"), seen
    c.close()


def test_response_delimited_by_close_reaches_the_client_whole(aws, net, alb_server, alb_images):
    """busybox httpd answers 404 (and CGI output) with neither Content-Length nor chunked
    encoding, ending the body by closing: the client must still see where the body ends."""
    _, ip = start_web(aws, net, alb_images["v1"])
    tg = fast_target_group(aws, "close", net["vpc"])
    lb, _ = make_alb(aws, net, "close", default_tg=tg)
    wait_target_state(aws, tg, register(aws, tg, ip), "healthy")
    c = AlbClient(alb_server, lb["DNSName"], timeout=5)
    status, _, body = c.get("/missing")
    assert status == 404 and "404 Not Found" in body, body
    assert c.get("/cgi-bin/slow.sh?0")[::2] == (200, "slow v1\n")
    assert c.get("/")[::2] == (200, "v1\n")
    c.close()


def test_fixed_response_redirect_and_503_without_targets(aws, net, alb_server):
    empty = fast_target_group(aws, "empty", net["vpc"])
    lb, listener = make_alb(aws, net, "actions", default_actions=[{
        "Type": "fixed-response", "FixedResponseConfig": {
            "StatusCode": "404", "ContentType": "text/plain", "MessageBody": "no route"}}])
    arn = listener["ListenerArn"]
    aws.elbv2.create_rule(ListenerArn=arn, Priority=5,
                          Conditions=[{"Field": "path-pattern", "Values": ["/old*"]}],
                          Actions=[{"Type": "redirect", "RedirectConfig": {
                              "Protocol": "HTTPS", "Port": "8443", "Host": "example.com",
                              "Path": "/new", "StatusCode": "HTTP_301"}}])
    aws.elbv2.create_rule(ListenerArn=arn, Priority=6,
                          Conditions=[{"Field": "path-pattern", "Values": ["/ping"]}],
                          Actions=[{"Type": "fixed-response", "FixedResponseConfig": {
                              "StatusCode": "200", "ContentType": "application/json",
                              "MessageBody": '{"pong":true}'}}])
    aws.elbv2.create_rule(ListenerArn=arn, Priority=7,
                          Conditions=[{"Field": "path-pattern", "Values": ["/app*"]}],
                          Actions=[{"Type": "forward", "TargetGroupArn": empty}])

    status, headers, body = alb_get(alb_server, lb["DNSName"], "/ping")
    assert (status, body) == (200, '{"pong":true}')
    assert headers["content-type"].startswith("application/json")
    status, headers, _ = alb_get(alb_server, lb["DNSName"], "/old/page?a=1")
    assert status == 301
    # The query is kept (#{query} by default); the other components are the configured ones.
    assert headers["location"] == "https://example.com:8443/new?a=1"
    assert alb_get(alb_server, lb["DNSName"], "/elsewhere")[::2] == (404, "no route")
    status, headers, body = alb_get(alb_server, lb["DNSName"], "/app")
    assert status == 503, body
    assert headers.get("server") == "awselb/2.0"


def ensure_third_subnet(aws, net):
    """A subnet where the load balancers have no interface (10.0.3.0/24): a target there is
    across subnets from every node."""
    found = aws.ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [net["vpc"]]},
                                              {"Name": "cidr-block",
                                               "Values": ["10.0.3.0/24"]}])["Subnets"]
    if found:
        return found[0]["SubnetId"]
    return aws.ec2.create_subnet(VpcId=net["vpc"], CidrBlock="10.0.3.0/24",
                                 AvailabilityZone="us-east-1c")["Subnet"]["SubnetId"]


def test_load_balancer_groups_hold_in_both_directions_in_and_across_subnets(aws, net,
                                                                           alb_server,
                                                                           alb_images):
    """The load balancer's own security group, both ways. Outbound, a target is reached only
    when its group admits the load balancer's and the load balancer's egress allows it: the
    health checks (made from the node's addresses) and a connection from inside the node's
    namespace agree, for a target in a subnet of the node and one in a third subnet. Inbound,
    a client inside the VPC reaches the listener on the node's address only from a group the
    load balancer's admits, from the same subnet and from another."""
    ec2 = aws.ec2
    third = ensure_third_subnet(aws, net)
    # 'closed': the second load balancer's group; it admits 80 only from 'web' and may send
    # nothing. web admits it on 8080, so only its egress can stop it.
    closed = ec2.create_security_group(GroupName="closed", Description="closed",
                                       VpcId=net["vpc"])["GroupId"]
    ec2.revoke_security_group_egress(GroupId=closed, IpPermissions=[
        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    ec2.authorize_security_group_ingress(GroupId=closed, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80,
         "UserIdGroupPairs": [{"GroupId": net["sg"]["web"]}]}])
    ec2.authorize_security_group_ingress(GroupId=net["sg"]["web"], IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080,
         "UserIdGroupPairs": [{"GroupId": closed}]}])

    td = register_web(aws, "web", alb_images["v1"])
    placed = {}
    for group in ("web", "other"):
        for where, subnet in (("same", net["subnets"][0]), ("across", third)):
            placed[group, where] = run_task(aws, td, subnet, [net["sg"][group]])
    ips = {k: task_ip(wait_task(aws, arn, "RUNNING")) for k, arn in placed.items()}

    tg = fast_target_group(aws, "sg-open", net["vpc"])
    lb, _ = make_alb(aws, net, "sg-open", default_tg=tg)
    tg2 = fast_target_group(aws, "sg-closed", net["vpc"])
    lb2 = aws.elbv2.create_load_balancer(Name="sg-closed", Subnets=net["subnets"],
                                         SecurityGroups=[closed], Scheme="internet-facing",
                                         Type="application")["LoadBalancers"][0]
    aws.elbv2.get_waiter("load_balancer_available").wait(
        LoadBalancerArns=[lb2["LoadBalancerArn"]], WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    listener2 = aws.elbv2.create_listener(
        LoadBalancerArn=lb2["LoadBalancerArn"], Protocol="HTTP", Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg2}])["Listeners"][0]
    aws.elbv2.create_rule(ListenerArn=listener2["ListenerArn"], Priority=1,
                          Conditions=[{"Field": "path-pattern", "Values": ["/ping"]}],
                          Actions=[{"Type": "fixed-response", "FixedResponseConfig": {
                              "StatusCode": "200", "ContentType": "text/plain",
                              "MessageBody": "pong"}}])
    for k in placed:
        register(aws, tg, ips[k])
    for where in ("same", "across"):
        register(aws, tg2, ips["web", where])

    # Outbound from the open load balancer: web admits it, other does not.
    for where in ("same", "across"):
        wait_target_state(aws, tg, (ips["web", where], 8080), "healthy")
        assert wait_target_state(aws, tg, (ips["other", where], 8080), "unhealthy") == \
            ("unhealthy", "Target.Timeout"), where
        # Outbound from the closed one: web admits it, but its egress is closed.
        assert wait_target_state(aws, tg2, (ips["web", where], 8080), "unhealthy") == \
            ("unhealthy", "Target.Timeout"), where
    node, node2 = (alb_netns(alb_server.data_dir, x["LoadBalancerArn"]) for x in (lb, lb2))
    seen = {}
    for where in ("same", "across"):
        for group in ("web", "other"):
            seen["open->" + group, where] = probe_from(node, ips[group, where], 8080)[0]
        seen["closed->web", where] = probe_from(node2, ips["web", where], 8080)[0]
    # Only the healthy targets get requests.
    c = AlbClient(alb_server, lb["DNSName"])
    assert {c.get("/")[::2] for _ in range(6)} == {(200, "v1\n")}
    c.close()

    # Inbound to the closed load balancer's address in the first subnet: web may, other not.
    node_ip = alb_interface_ips(aws, lb2)[net["subnets"][0]]
    ping = b"GET /ping HTTP/1.0\r\nHost: x\r\n\r\n"
    for group in ("web", "other"):
        for where in ("same", "across"):
            kind, reply = probe_from(task_netns(alb_server.data_dir, placed[group, where]),
                                     node_ip, 80, ping)
            seen["%s->closed" % group, where] = kind
            assert kind != "ok" or reply.rstrip().endswith("pong"), reply
    want = {}
    for where in ("same", "across"):
        want.update({("open->web", where): "ok", ("open->other", where): "timeout",
                     ("closed->web", where): "timeout", ("web->closed", where): "ok",
                     ("other->closed", where): "timeout"})
    assert seen == want


def test_health_moves_to_unhealthy_with_aws_reasons_and_back_to_healthy(aws, net, alb_server,
                                                                        alb_images):
    web, ip = start_web(aws, net, alb_images["v1"])
    tg = fast_target_group(aws, "health", net["vpc"])
    lb, _ = make_alb(aws, net, "health", default_tg=tg)
    target = register(aws, tg, ip)
    assert target_health(aws, tg)[target] == ("initial", "Elb.RegistrationInProgress")
    wait_target_state(aws, tg, target, "healthy")

    aws.elbv2.modify_target_group(TargetGroupArn=tg, HealthCheckPath="/missing")
    assert wait_target_state(aws, tg, target, "unhealthy") == \
        ("unhealthy", "Target.ResponseCodeMismatch")
    desc = aws.elbv2.describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"][0]
    assert desc["TargetHealth"]["Description"] == "Health checks failed with these codes: [404]"
    # Every target unhealthy: the load balancer fails open and still routes to them.
    assert alb_get(alb_server, lb["DNSName"], "/")[::2] == (200, "v1\n")

    aws.elbv2.modify_target_group(TargetGroupArn=tg, HealthCheckPath="/health")
    wait_target_state(aws, tg, target, "healthy")

    # The httpd goes away with its task: nothing answers at the target any more.
    aws.ecs.stop_task(cluster="alb", task=web)
    state = wait_target_state(aws, tg, target, "unhealthy", timeout=40)
    assert state[1] in ("Target.Timeout", "Target.FailedHealthChecks"), state


def test_deregistered_target_drains_then_leaves(aws, net, alb_server, alb_images):
    _, ip1 = start_web(aws, net, alb_images["v1"], subnet=0)
    _, ip2 = start_web(aws, net, alb_images["v2"], subnet=1)
    tg = fast_target_group(aws, "drain", net["vpc"], delay=30)  # 3 s at the time scale
    lb, _ = make_alb(aws, net, "drain", default_tg=tg)
    t1, t2 = register(aws, tg, ip1), register(aws, tg, ip2)
    wait_target_state(aws, tg, t1, "healthy")
    wait_target_state(aws, tg, t2, "healthy")
    c = AlbClient(alb_server, lb["DNSName"])
    assert {c.get("/")[2] for _ in range(6)} == {"v1\n", "v2\n"}  # round robin over both

    # Requests in flight on both targets while v2 is deregistered: v2's finishes. Each is in
    # flight once its headers have arrived; the body follows 2 s later (the delay is 3 s).
    held = {}
    for _ in range(10):
        h = HeldRequest(alb_server, lb["DNSName"], "/cgi-bin/hold.sh?2")
        if h.served_by in held:
            h.conn.close()
            continue
        held[h.served_by] = h
        if len(held) == 2:
            break
    assert set(held) == {hostname_of(ip1), hostname_of(ip2)}, list(held)
    aws.elbv2.deregister_targets(TargetGroupArn=tg, Targets=[{"Id": ip2, "Port": 8080}])
    assert target_health(aws, tg)[t2] == ("draining", "Target.DeregistrationInProgress")
    # No new request reaches a draining target.
    assert {c.get("/")[2] for _ in range(6)} == {"v1\n"}
    assert target_health(aws, tg)[t2][0] == "draining"
    for host, h in held.items():
        assert h.finish() == (200, "held %s\n" % host)
    aws.elbv2.get_waiter("target_deregistered").wait(
        TargetGroupArn=tg, Targets=[{"Id": ip2, "Port": 8080}],
        WaiterConfig={"Delay": 0.2, "MaxAttempts": 50})
    assert t2 not in target_health(aws, tg)
    assert {c.get("/")[2] for _ in range(4)} == {"v1\n"}
    c.close()


# --- WebSocket, stickiness and slow start through a real load balancer ---------------------

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC11B65"

# A WebSocket echo server (RFC 6455) on 0.0.0.0:8080, run inside a task's namespace: GET /health
# answers 200; GET /ws with Upgrade: websocket answers 101 and then echoes each text frame back
# as "echo:<text>".
WS_SERVER = r"""
import base64, hashlib, socket, struct, sys, threading
GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC11B65"

def read_exact(c, n):
    b = b""
    while len(b) < n:
        x = c.recv(n - len(b))
        if not x:
            raise EOFError
        b += x
    return b

def serve(c):
    try:
        head = b""
        while b"\r\n\r\n" not in head:
            x = c.recv(4096)
            if not x:
                return
            head += x
        lines = head.split(b"\r\n\r\n")[0].decode().split("\r\n")
        h = {k.strip().lower(): v.strip() for k, v in
             (l.split(":", 1) for l in lines[1:] if ":" in l)}
        if lines[0].startswith("GET /ws ") and h.get("upgrade", "").lower() == "websocket":
            accept = base64.b64encode(hashlib.sha1(
                (h["sec-websocket-key"] + GUID).encode()).digest()).decode()
            c.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                       "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n"
                       % accept).encode())
            while True:
                b0, b1 = read_exact(c, 2)
                n = b1 & 0x7f
                if n == 126:
                    n = struct.unpack(">H", read_exact(c, 2))[0]
                mask = read_exact(c, 4)
                data = bytes(x ^ mask[i % 4] for i, x in enumerate(read_exact(c, n)))
                if b0 & 0x0f == 8:
                    return
                out = b"echo:" + data
                c.sendall(bytes([0x81, len(out)]) + out)
        body = b"ok\n"
        c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\n" + body)
    except (EOFError, OSError):
        pass
    finally:
        c.close()

s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 8080))
s.listen(16)
print("listening", flush=True)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
"""


@pytest.fixture
def ws_target(aws, net, alb_server, alb_images):
    """A task in 'web' whose namespace runs WS_SERVER; yields its IP. The server process is
    this test's and is ended by its pid."""
    td = register_web(aws, "idle", alb_images["tools"], command=["sleep", "600"])
    arn = run_task(aws, td, net["subnets"][0], [net["sg"]["web"]])
    ip = task_ip(wait_task(aws, arn, "RUNNING"))
    proc = subprocess.Popen(["ip", "netns", "exec", task_netns(alb_server.data_dir, arn),
                             sys.executable, "-c", WS_SERVER], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        assert proc.stdout.readline().strip() == "listening"
        yield ip
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)


def ws_frame(text):
    """A masked client text frame (RFC 6455 5.2); payloads under 126 bytes."""
    data = text.encode()
    mask = os.urandom(4)
    return bytes([0x81, 0x80 | len(data)]) + mask + bytes(
        b ^ mask[i % 4] for i, b in enumerate(data))


def test_websocket_upgrade_is_tunnelled_to_the_target(aws, net, alb_server, ws_target):
    tg = fast_target_group(aws, "ws", net["vpc"])
    lb, _ = make_alb(aws, net, "ws", default_tg=tg)
    wait_target_state(aws, tg, register(aws, tg, ws_target), "healthy")

    key = base64.b64encode(os.urandom(16)).decode()
    s = socket.create_connection(("127.0.0.1", alb_server.alb_port()), timeout=10)
    try:
        s.sendall(("GET /ws HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\n"
                   "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
                   "Sec-WebSocket-Version: 13\r\n\r\n" % (lb["DNSName"], key)).encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = s.recv(4096)
            assert chunk, head
            head += chunk
        head, _, rest = head.partition(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        assert lines[0].startswith("HTTP/1.1 101"), lines
        headers = {k.strip().lower(): v.strip() for k, v in
                   (l.split(":", 1) for l in lines[1:])}
        assert headers["upgrade"].lower() == "websocket", headers
        assert headers["sec-websocket-accept"] == base64.b64encode(
            hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        for text in ("hello", "second message"):
            s.sendall(ws_frame(text))
            want = b"\x81" + bytes([len("echo:" + text)]) + ("echo:" + text).encode()
            while len(rest) < len(want):
                chunk = s.recv(4096)
                assert chunk, rest
                rest += chunk
            assert rest[:len(want)] == want, rest
            rest = rest[len(want):]
    finally:
        s.close()


def two_web_targets(aws, net, alb_server, alb_images, name, **attributes):
    """v1 and v2 tasks registered and healthy in a target group with `attributes`, behind a
    load balancer; returns (lb, tg, {hostname: version})."""
    _, ip1 = start_web(aws, net, alb_images["v1"], subnet=0)
    _, ip2 = start_web(aws, net, alb_images["v2"], subnet=1)
    tg = fast_target_group(aws, name, net["vpc"])
    aws.elbv2.modify_target_group_attributes(TargetGroupArn=tg, Attributes=[
        {"Key": k, "Value": v} for k, v in attributes.items()])
    lb, _ = make_alb(aws, net, name, default_tg=tg)
    wait_target_state(aws, tg, register(aws, tg, ip1), "healthy")
    wait_target_state(aws, tg, register(aws, tg, ip2), "healthy")
    return lb, tg, {hostname_of(ip1): "v1", hostname_of(ip2): "v2"}


def cookies_of(headers):
    """{name: value} of the Set-Cookie headers of a response (http.client joins them)."""
    out = {}
    for part in re.split(r",\s*(?=[A-Za-z0-9_-]+=)", headers.get("set-cookie", "")):
        name, _, rest = part.partition("=")
        if name:
            out[name.strip()] = rest.split(";", 1)[0]
    return out


def test_lb_cookie_pins_a_client_to_its_target(aws, net, alb_server, alb_images):
    lb, _, _ = two_web_targets(aws, net, alb_server, alb_images, "lbcookie",
                               **{"stickiness.enabled": "true",
                                  "stickiness.type": "lb_cookie"})
    c = AlbClient(alb_server, lb["DNSName"])
    first = [c.get("/") for _ in range(6)]
    # Without a cookie: round robin over both.
    assert {body for _, _, body in first} == {"v1\n", "v2\n"}
    for want in ("v1\n", "v2\n"):
        _, headers, _ = next(r for r in first if r[2] == want)
        cookie = cookies_of(headers)
        assert "AWSALB" in cookie and "AWSALBCORS" in cookie, headers
        sticky = {c.get("/", {"Cookie": "AWSALB=" + cookie["AWSALB"]})[2] for _ in range(8)}
        assert sticky == {want}
        cors = {c.get("/", {"Cookie": "AWSALBCORS=" + cookie["AWSALBCORS"]})[2]
                for _ in range(4)}
        assert cors == {want}
    c.close()


def test_app_cookie_pins_a_client_once_the_application_sets_its_cookie(aws, net, alb_server,
                                                                       alb_images):
    lb, _, hosts = two_web_targets(aws, net, alb_server, alb_images, "appcookie",
                                   **{"stickiness.enabled": "true",
                                      "stickiness.type": "app_cookie",
                                      "stickiness.app_cookie.cookie_name": "APPSESSION"})
    c = AlbClient(alb_server, lb["DNSName"])
    # A response without the application's cookie gets no stickiness cookie.
    _, headers, _ = c.get("/")
    assert "AWSALBAPP-0" not in cookies_of(headers), headers
    replies = [c.get("/cgi-bin/cookie.sh") for _ in range(4)]
    assert {body for _, _, body in replies} == set(hosts), replies
    for _, headers, served_by in replies[:2]:
        cookie = cookies_of(headers)
        assert cookie["APPSESSION"] == served_by, headers
        assert "AWSALBAPP-0" in cookie, headers
        jar = "APPSESSION=%s; AWSALBAPP-0=%s" % (served_by, cookie["AWSALBAPP-0"])
        assert {c.get("/cgi-bin/cookie.sh", {"Cookie": jar})[2] for _ in range(8)} == \
            {served_by}
        # The application's cookie alone does not pin: ALB's names the target.
        alone = {c.get("/cgi-bin/cookie.sh", {"Cookie": "APPSESSION=" + served_by})[2]
                 for _ in range(6)}
        assert alone == set(hosts)
    c.close()


def test_slow_start_ramps_a_new_target_up(aws, net, alb_server, alb_images):
    """slow_start.duration_seconds 120 (12 s at the time scale): a target that turns healthy
    next to a healthy peer gets a small share of requests at first, an equal share after."""
    _, ip1 = start_web(aws, net, alb_images["v1"], subnet=0)
    _, ip2 = start_web(aws, net, alb_images["v2"], subnet=1)
    tg = fast_target_group(aws, "slowstart", net["vpc"])
    aws.elbv2.modify_target_group_attributes(TargetGroupArn=tg, Attributes=[
        {"Key": "slow_start.duration_seconds", "Value": "120"}])
    lb, _ = make_alb(aws, net, "slowstart", default_tg=tg)
    wait_target_state(aws, tg, register(aws, tg, ip1), "healthy")
    c = AlbClient(alb_server, lb["DNSName"])
    assert {c.get("/")[2] for _ in range(4)} == {"v1\n"}
    register(aws, tg, ip2)
    # The ramp starts when the proxy learns v2 is healthy: from its first request to v2 on,
    # within ~1.5 s of the 12 s ramp, v2 weighs under 1/8 against v1's 1 (a weighted draw):
    # about 11 % of the requests, 4.4 of 40 (12 or more: p < 0.001); without slow start, half.
    wait_until("a first request to v2", lambda: c.get("/")[2] == "v2\n", timeout=30,
               interval=0)
    t0 = time.monotonic()
    early = [c.get("/")[2] for _ in range(40)]
    share = early.count("v2\n") / len(early)
    assert share < 0.3, (share, "%.2f s" % (time.monotonic() - t0))
    # Once the ramp is over, both get an equal share. (The 6 s are the thing under test, so
    # the wait is on the ramp's end: the share measured in successive rounds.)
    def even():
        late = [c.get("/")[2] for _ in range(40)]
        return late.count("v2\n") >= 16 and late
    wait_until("an even share after the ramp", even, timeout=40, interval=0.5)
    c.close()
