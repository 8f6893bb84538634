"""The README's flags, each as a user sets it: on the command line or as GANTRY_<FLAG>."""
import http.client
import json
import os
import socket
import urllib.request

import pytest

from alb_env import (Aws, AlbGantry, make_alb, make_network, own_netns, privileged,
                     wait_until)
from conftest import GantryProcess, client_for

# Servers of its own, started with Gantry's flags.
pytestmark = pytest.mark.emulator_only


def test_account_flag_from_the_environment_is_the_default_account(tmp_path):
    env = dict(os.environ, GANTRY_ACCOUNT="210987654321", GANTRY_TASKS="off")
    g = GantryProcess(str(tmp_path), env=env).start()
    try:
        sts = client_for(g.endpoint, "sts")
        assert sts.get_caller_identity()["Account"] == "210987654321"
        # A 12-digit access key id still selects its own account.
        sts = client_for(g.endpoint, "sts", key="123456789012")
        assert sts.get_caller_identity()["Account"] == "123456789012"
    finally:
        g.stop()


@pytest.mark.emulator_only
def test_region_flag_is_the_region_of_unsigned_requests(tmp_path):
    """In the default auth mode an unsigned request is accepted and lands in --region; a signed
    one keeps the region of its signature."""
    g = GantryProcess(str(tmp_path), ["--region", "eu-west-1"],
                      env=dict(os.environ, GANTRY_TASKS="off")).start()
    try:
        req = urllib.request.Request(
            g.endpoint + "/", data=b'{"clusterName":"unsigned"}', method="POST",
            headers={"X-Amz-Target": "AmazonEC2ContainerServiceV20141113.CreateCluster",
                     "Content-Type": "application/x-amz-json-1.1"})
        with urllib.request.urlopen(req, timeout=10) as r:
            arn = json.load(r)["cluster"]["clusterArn"]
        assert arn == "arn:aws:ecs:eu-west-1:000000000000:cluster/unsigned"
        ecs = client_for(g.endpoint, "ecs", region="ap-south-1")
        arn = ecs.create_cluster(clusterName="signed")["cluster"]["clusterArn"]
        assert arn.startswith("arn:aws:ecs:ap-south-1:")
    finally:
        g.stop()


def served(address, port, host):
    try:
        c = http.client.HTTPConnection(address, port, timeout=5)
        c.request("GET", "/", headers={"Host": host})
        r = c.getresponse()
        return r.status, r.read().decode()
    except (ConnectionRefusedError, socket.timeout):
        return None
    finally:
        c.close()


def test_alb_address_moves_internet_facing_listeners(tmp_path):
    g = AlbGantry(str(tmp_path), extra_args=["--alb-address", "127.0.0.2"]).start()
    try:
        aws = Aws(g)
        net = make_network(aws)
        lb, _ = make_alb(aws, net, "moved", default_actions=[{
            "Type": "fixed-response", "FixedResponseConfig": {
                "StatusCode": "200", "ContentType": "text/plain", "MessageBody": "here"}}])
        port = g.alb_port()
        # The listener opens on the host within a second or so of CreateListener.
        wait_until("the listener on 127.0.0.2",
                   lambda: served("127.0.0.2", port, lb["DNSName"]), timeout=15)
        assert served("127.0.0.2", port, lb["DNSName"]) == (200, "here")
        assert served("127.0.0.1", port, lb["DNSName"]) is None
    finally:
        g.reset()
        g.stop()
    assert not own_netns(g.data_dir)


for _mark in privileged:
    test_alb_address_moves_internet_facing_listeners = _mark(
        test_alb_address_moves_internet_facing_listeners)


def test_load_balancers_are_served_without_runc(tmp_path):
    """The load balancers' data plane stands on the host network, not on the task runtime: a
    root server that cannot run tasks (no runc on its PATH) still serves an internet-facing ALB
    through its node, and the node's health checks reach into the VPC (here, to an address
    nothing answers on)."""
    env = dict(os.environ, PATH=str(tmp_path / "no-runc-here"))
    g = AlbGantry(str(tmp_path), extra_args=[])
    g.env = env
    g.start()
    try:
        assert "tasks will not run" in g.read_log()
        aws = Aws(g)
        net = make_network(aws)
        tg = aws.elbv2.create_target_group(
            Name="silent", Protocol="HTTP", Port=8080, VpcId=net["vpc"], TargetType="ip",
            HealthCheckIntervalSeconds=5, HealthCheckTimeoutSeconds=2,
            HealthyThresholdCount=2, UnhealthyThresholdCount=2)["TargetGroups"][0]["TargetGroupArn"]
        lb, listener = make_alb(aws, net, "norunc", default_actions=[{
            "Type": "fixed-response", "FixedResponseConfig": {
                "StatusCode": "200", "ContentType": "text/plain", "MessageBody": "no runc"}}])
        aws.elbv2.create_rule(ListenerArn=listener["ListenerArn"], Priority=1,
                              Conditions=[{"Field": "path-pattern", "Values": ["/app*"]}],
                              Actions=[{"Type": "forward", "TargetGroupArn": tg}])
        aws.elbv2.register_targets(TargetGroupArn=tg, Targets=[{"Id": "10.0.1.200",
                                                                "Port": 8080}])
        port = g.alb_port()
        wait_until("the listener", lambda: served("127.0.0.1", port, lb["DNSName"]), timeout=15)
        assert served("127.0.0.1", port, lb["DNSName"]) == (200, "no runc")

        def unhealthy():
            d = aws.elbv2.describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"]
            return d and d[0]["TargetHealth"]["State"] == "unhealthy" and d[0]["TargetHealth"]
        health = wait_until("the silent target unhealthy", unhealthy, timeout=30)
        assert health["Reason"] in ("Target.Timeout", "Target.FailedHealthChecks"), health
    finally:
        g.reset()
        g.stop()
    assert not own_netns(g.data_dir)


for _mark in privileged:
    test_load_balancers_are_served_without_runc = _mark(
        test_load_balancers_are_served_without_runc)
