"""The ALB data plane for real (issue 7), with tasks started by RunTask and registered by hand:
listener rules route by path, fixed responses and redirects, 503 without targets, security groups
admit the load balancer and nobody else, active health checks move targets between states with
AWS's reason codes, and deregistered targets drain. Needs root, runc and skopeo; the module's
server is reset and stopped at the end and no namespace may remain.
"""
import re
import threading
import time

import pytest

from alb_env import (AlbClient, alb_get, fast_target_group, make_alb, privileged, register_web,
                     run_task, target_health, task_ip, wait_target_state, wait_task)
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


def test_task_answers_the_alb_and_not_a_task_outside_its_group(aws, net, alb_server,
                                                                alb_images):
    _, ip = start_web(aws, net, alb_images["v1"])
    tg = fast_target_group(aws, "web", net["vpc"])
    lb, _ = make_alb(aws, net, "isolation", default_tg=tg)
    wait_target_state(aws, tg, register(aws, tg, ip), "healthy")
    assert alb_get(alb_server, lb["DNSName"], "/")[::2] == (200, "v1\n")

    fetch = ["sh", "-c", "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 %s 8080 | grep -q '^v1'"
             % ip]
    td = register_web(aws, "fetch", alb_images["tools"], command=fetch)
    outside = run_task(aws, td, net["subnets"][0], [net["sg"]["other"]])
    inside = run_task(aws, td, net["subnets"][1], [net["sg"]["alb"]])
    o = wait_task(aws, outside, "STOPPED")
    i = wait_task(aws, inside, "STOPPED")
    assert i["containers"][0]["exitCode"] == 0, i
    assert o["containers"][0]["exitCode"] != 0, o


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

    # Slow requests in flight on both targets while v2 is deregistered: its request finishes.
    results = []

    def slow():
        results.append(alb_get(alb_server, lb["DNSName"], "/cgi-bin/slow.sh?2")[::2])
    threads = [threading.Thread(target=slow) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.5)  # both requests reached their targets (each sleeps 2 s there)
    aws.elbv2.deregister_targets(TargetGroupArn=tg, Targets=[{"Id": ip2, "Port": 8080}])
    assert target_health(aws, tg)[t2] == ("draining", "Target.DeregistrationInProgress")
    # No new request reaches a draining target.
    assert {c.get("/")[2] for _ in range(6)} == {"v1\n"}
    for t in threads:
        t.join(10)
    assert sorted(results) == [(200, "slow v1\n"), (200, "slow v2\n")]
    aws.elbv2.get_waiter("target_deregistered").wait(
        TargetGroupArn=tg, Targets=[{"Id": ip2, "Port": 8080}],
        WaiterConfig={"Delay": 0.2, "MaxAttempts": 50})
    assert t2 not in target_health(aws, tg)
    assert {c.get("/")[2] for _ in range(4)} == {"v1\n"}
    c.close()
