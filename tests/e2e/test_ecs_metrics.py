"""AWS/ECS and ECS/ContainerInsights metrics from the tasks' real cgroup counters (issue 15): a
service of two tasks burning CPU reports a CPUUtilization well above an idle service's, memory
between 0 and 100 %, one sample per task per period; Container Insights metrics appear only for
the cluster that turned them on. --time-scale 60: ECS's one-minute period lasts a second, and --ecs-metrics-period 20 (high resolution) makes
that a third of a second.

Needs root, runc and skopeo; the module's server is reset and stopped at the end and no namespace
may remain.
"""
import datetime
import time

import pytest

from alb_env import (Aws, cleanup_all, make_network, own_netns, privileged, push_layout,
                     start_server, wait_until)
from conftest import client_for
from oci_images import build_busybox_image

pytestmark = privileged

TIME_SCALE = 60
PERIOD = 20  # AWS seconds: 1/3 s at TIME_SCALE
BUSY, IDLE = "busy", "idle"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    g = start_server(str(tmp_path_factory.mktemp("metrics")), time_scale=TIME_SCALE,
                     extra_args=["--ecs-metrics-period", str(PERIOD)])
    yield g
    cleanup_all(Aws(g), clusters=(BUSY, IDLE))
    g.reset()
    g.stop()
    leftover = own_netns(g.data_dir)
    assert not leftover, "namespaces left behind: %s" % leftover


def register(aws, family, image, command):
    return aws.ecs.register_task_definition(
        family=family, requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="256",
        memory="512", containerDefinitions=[{
            "name": "app", "image": image, "essential": True, "stopTimeout": 2,
            "command": command}])["taskDefinition"]["taskDefinitionArn"]


def service(aws, net, cluster, td, count):
    aws.ecs.create_service(
        cluster=cluster, serviceName=cluster, taskDefinition=td, desiredCount=count,
        launchType="FARGATE", networkConfiguration={"awsvpcConfiguration": {
            "subnets": net["subnets"], "securityGroups": [net["sg"]["web"]]}})


def running(aws, cluster):
    arns = aws.ecs.list_tasks(cluster=cluster, desiredStatus="RUNNING")["taskArns"]
    tasks = aws.ecs.describe_tasks(cluster=cluster, tasks=arns)["tasks"] if arns else []
    return [t for t in tasks if t["lastStatus"] == "RUNNING"]


def stats(cw, name, cluster, since, ns="AWS/ECS", dims=None):
    """The one-minute datapoints of name for the cluster's service since `since`, merged into one
    {Average, Maximum, Minimum, SampleCount} (the test lasts under a minute or two)."""
    dims = dims or [{"Name": "ClusterName", "Value": cluster},
                    {"Name": "ServiceName", "Value": cluster}]
    now = datetime.datetime.now(datetime.timezone.utc)
    points = cw.get_metric_statistics(
        Namespace=ns, MetricName=name, Dimensions=dims, StartTime=since,
        EndTime=now + datetime.timedelta(minutes=1), Period=60,
        Statistics=["Average", "Maximum", "Minimum", "SampleCount", "Sum"])["Datapoints"]
    if not points:
        return None
    n = sum(p["SampleCount"] for p in points)
    return {"SampleCount": n, "Average": sum(p["Sum"] for p in points) / n,
            "Maximum": max(p["Maximum"] for p in points),
            "Minimum": min(p["Minimum"] for p in points), "Unit": points[0]["Unit"]}


def test_cpu_and_memory_utilization_from_cgroups(server, tmp_path):
    aws = Aws(server)
    cw = client_for(server.endpoint, "cloudwatch")
    image = push_layout(server, build_busybox_image(tmp_path / "bb", cmd=["sh"]), "bb")
    net = make_network(aws)
    aws.ecs.create_cluster(clusterName=BUSY,
                           settings=[{"name": "containerInsights", "value": "enabled"}])
    aws.ecs.create_cluster(clusterName=IDLE)
    since = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=1)
    service(aws, net, BUSY, register(aws, BUSY, image, ["sh", "-c", "while :; do :; done"]), 2)
    service(aws, net, IDLE, register(aws, IDLE, image, ["sleep", "3600"]), 2)
    wait_until("2 busy and 2 idle tasks RUNNING",
               lambda: len(running(aws, BUSY)) == 2 and len(running(aws, IDLE)) == 2, timeout=60)

    # Each period brings one value per task: 12 more values are 6 periods, 2 s at a third of a
    # second (6 s at ECS's default minute).
    def samples():
        return (stats(cw, "CPUUtilization", BUSY, since) or {"SampleCount": 0})["SampleCount"]
    n0 = samples()
    t0 = time.monotonic()
    wait_until("12 more CPUUtilization samples", lambda: samples() >= n0 + 12, timeout=30)
    assert time.monotonic() - t0 < 4.5
    busy = wait_until("6 CPUUtilization samples of the busy service",
                      lambda: (s := stats(cw, "CPUUtilization", BUSY, since)) and
                      s["SampleCount"] >= 6 and s, timeout=30)
    idle = wait_until("6 CPUUtilization samples of the idle service",
                      lambda: (s := stats(cw, "CPUUtilization", IDLE, since)) and
                      s["SampleCount"] >= 6 and s, timeout=30)
    assert busy["Unit"] == "Percent"
    # A busy loop would keep a core busy; the task's 256 units cap it at a quarter core (100 %).
    # A sleeping task uses next to nothing. Other work on a loaded host slows the loop (under a
    # load average of 20 on 2 cores it got about half its quarter), never the idle task. The
    # quota is enforced per 100 ms CFS period, so a 333 ms window (20 AWS seconds here) may hold
    # one CFS period's quota more or less than its share: up to about 130 %, never more.
    assert busy["Average"] > 20 and busy["Maximum"] <= 135, busy
    assert idle["Maximum"] < 5, idle
    assert busy["Average"] > 10 * max(idle["Average"], 0.5), (busy, idle)

    memory = stats(cw, "MemoryUtilization", BUSY, since)
    assert memory["Unit"] == "Percent"
    assert 0 < memory["Minimum"] and memory["Maximum"] < 100, memory
    # The cluster-wide metric counts every task of the cluster.
    cluster = stats(cw, "CPUUtilization", BUSY, since,
                    dims=[{"Name": "ClusterName", "Value": BUSY}])
    assert cluster["SampleCount"] >= 6 and cluster["Average"] > 20, cluster

    # Container Insights: on for BUSY only.
    def insights(cluster):
        return {m["MetricName"] for m in cw.list_metrics(
            Namespace="ECS/ContainerInsights",
            Dimensions=[{"Name": "ClusterName", "Value": cluster}])["Metrics"]}
    wanted = {"CpuUtilized", "CpuReserved", "MemoryUtilized", "MemoryReserved", "NetworkRxBytes",
              "NetworkTxBytes", "RunningTaskCount", "DesiredTaskCount", "PendingTaskCount",
              "TaskCount", "ServiceCount"}
    wait_until("Container Insights metrics of %s" % BUSY, lambda: wanted <= insights(BUSY),
               timeout=10)
    assert insights(IDLE) == set()
    reserved = stats(cw, "CpuReserved", BUSY, since, ns="ECS/ContainerInsights",
                     dims=[{"Name": "ClusterName", "Value": BUSY},
                           {"Name": "TaskDefinitionFamily", "Value": BUSY}])
    assert reserved["Maximum"] == 256 and reserved["Unit"] == "None"
    count = stats(cw, "RunningTaskCount", BUSY, since, ns="ECS/ContainerInsights")
    assert count["Maximum"] == 2 and count["Unit"] == "Count"
    used = stats(cw, "MemoryUtilized", BUSY, since, ns="ECS/ContainerInsights")
    assert used["Unit"] == "Megabytes" and 0 < used["Maximum"] < 512
