"""Autoscaling that really scales (issue 15), end to end with real load: a service behind a real
ALB with a target tracking policy; a load generator drives the tasks' CPU (a CPU-burning CGI),
their memory (a CGI that holds memory), or the request count per target through the ALB; the
AWS/ECS or AWS/ApplicationELB metric rises, the policy's AlarmHigh fires, Application Auto
Scaling raises desiredCount, ECS starts tasks that become healthy targets and serve requests;
when the load stops, the AlarmLow fires and the service scales back in. The scaling activities
and the alarm history tell the story.

The server runs at --time-scale 60: an AWS minute (one metric period) lasts one second, the
AlarmHigh's 3 datapoints 3 s, the AlarmLow's 15 datapoints 15 s. Needs root, runc and skopeo.
"""
import time

import pytest

from conftest import client_for
from alb_env import (BURN_CGI, CLUSTER, Aws, Load, alb_get, cleanup_all, fast_target_group,
                     make_alb, make_network, own_netns, privileged, push_layout, register_web,
                     start_server, target_health, wait_until, web_layout)

pytestmark = privileged

TIME_SCALE = 60

# Memory: starts a process that holds a 256 MiB string for QUERY_STRING seconds, answers at once.
HOG_CGI = """#!/bin/sh
busybox awk -v secs="${QUERY_STRING:-30}" 'BEGIN { s = "x"; while (length(s) < 134217728) s = s s
  system("sleep " secs) }' </dev/null >/dev/null 2>&1 &
body="hogging $(cat /www/host)"
printf 'Content-Type: text/plain\\r\\nContent-Length: %d\\r\\n\\r\\n%s' "${#body}" "$body"
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    g = start_server(str(tmp_path_factory.mktemp("scale")), time_scale=TIME_SCALE)
    yield g
    if g.proc.poll() is not None:
        g.start()
    g.reset()
    g.stop()
    assert not own_netns(g.data_dir), "namespaces left behind"


@pytest.fixture(scope="module")
def image(server, tmp_path_factory):
    d = tmp_path_factory.mktemp("images")
    layout = web_layout(d / "scale", "scale", extra_files={"/www/cgi-bin/burn.sh": BURN_CGI,
                                                           "/www/cgi-bin/hog.sh": HOG_CGI})
    return push_layout(server, layout, "scale")


@pytest.fixture(scope="module")
def net(server, image):
    return make_network(Aws(server))


@pytest.fixture
def aws(server, image, net):
    a = Aws(server)
    a.aas = client_for(server.endpoint, "application-autoscaling")
    a.cw = client_for(server.endpoint, "cloudwatch")
    yield a
    for t in a.aas.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]:
        a.aas.deregister_scalable_target(ServiceNamespace="ecs", ResourceId=t["ResourceId"],
                                         ScalableDimension=t["ScalableDimension"])
    cleanup_all(a)


def scaled_service(aws, net, image, name, policy):
    """A service of one task behind its own ALB, registered as a scalable target (1..3) with the
    target tracking policy `policy(lb, tg)` (a TargetTrackingScalingPolicyConfiguration);
    returns (lb, tg, resource id, {alarm name: alarm})."""
    tg = fast_target_group(aws, name, net["vpc"], delay=5)
    lb, _ = make_alb(aws, net, name, default_tg=tg)
    td = register_web(aws, name, image)
    aws.ecs.create_cluster(clusterName=CLUSTER)
    aws.ecs.create_service(
        cluster=CLUSTER, serviceName=name, taskDefinition=td, desiredCount=1,
        launchType="FARGATE",
        networkConfiguration={"awsvpcConfiguration": {
            "subnets": net["subnets"], "securityGroups": [net["sg"]["web"]]}},
        loadBalancers=[{"targetGroupArn": tg, "containerName": "app", "containerPort": 8080}])
    wait_until("%s serving" % name, lambda: healthy(aws, tg) == 1, timeout=60)
    resource = "service/%s/%s" % (CLUSTER, name)
    aws.aas.register_scalable_target(ServiceNamespace="ecs", ResourceId=resource,
                                     ScalableDimension="ecs:service:DesiredCount",
                                     MinCapacity=1, MaxCapacity=3)
    policy = policy(lb, tg)
    # One AWS minute of cooldown each way: a second here.
    policy.setdefault("ScaleOutCooldown", 60)
    policy.setdefault("ScaleInCooldown", 60)
    out = aws.aas.put_scaling_policy(
        PolicyName=name + "-policy", ServiceNamespace="ecs", ResourceId=resource,
        ScalableDimension="ecs:service:DesiredCount", PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration=policy)
    alarms = {a["AlarmName"]: a for a in out["Alarms"]}
    assert len(alarms) == 2, out
    return lb, tg, resource, alarms


def healthy(aws, tg):
    return sum(1 for state, _ in target_health(aws, tg).values() if state == "healthy")


def desired(aws, name):
    return aws.ecs.describe_services(cluster=CLUSTER, services=[name])["services"][0][
        "desiredCount"]


def scale_out_and_in(aws, server, lb, tg, name, resource, alarms, load):
    """Runs `load` until the service has scaled out and a new task serves through the ALB,
    stops it, waits for the scale-in back to one task; checks the story the APIs tell."""
    load.start()
    try:
        wait_until("%s scaled out (desiredCount > 1)" % name, lambda: desired(aws, name) > 1,
                   timeout=90, interval=0.2)
        wait_until("a second healthy target", lambda: healthy(aws, tg) >= 2, timeout=60,
                   interval=0.2)
        served_by = set()

        def two_tasks_serve():
            served_by.add(alb_get(server, lb["DNSName"], "/host")[2].strip())
            return len(served_by) >= 2
        wait_until("requests answered by two tasks", two_tasks_serve, timeout=30)
    finally:
        load.stop()
    wait_until("%s scaled back in to 1" % name, lambda: desired(aws, name) == 1, timeout=120,
               interval=0.5)
    wait_until("one healthy target", lambda: healthy(aws, tg) == 1, timeout=60, interval=0.2)

    activities = aws.aas.describe_scaling_activities(
        ServiceNamespace="ecs", ResourceId=resource)["ScalingActivities"]
    assert all(a["StatusCode"] == "Successful" for a in activities), activities
    high = [n for n in alarms if "-AlarmHigh-" in n][0]
    low = [n for n in alarms if "-AlarmLow-" in n][0]
    causes = " ".join(a["Cause"] for a in activities)
    assert "monitor alarm %s in state ALARM triggered policy %s-policy" % (high, name) in causes
    assert "monitor alarm %s in state ALARM triggered policy %s-policy" % (low, name) in causes
    assert any(a["Description"].startswith("Setting desired count to ") for a in activities)
    history = aws.cw.describe_alarm_history(AlarmName=high, HistoryItemType="StateUpdate")
    assert any("to ALARM" in h["HistorySummary"] for h in history["AlarmHistoryItems"]), history
    events = aws.ecs.describe_services(cluster=CLUSTER, services=[name])["services"][0]["events"]
    assert any("has started" in e["message"] for e in events)


def test_cpu_target_tracking_scales_out_and_in(aws, server, net, image):
    lb, tg, resource, alarms = scaled_service(aws, net, image, "cpu", lambda lb, tg: {
        "TargetValue": 70.0,
        "PredefinedMetricSpecification": {"PredefinedMetricType":
                                          "ECSServiceAverageCPUUtilization"}})
    load = Load(server, lb["DNSName"], "/cgi-bin/burn.sh?100000", threads=4)
    scale_out_and_in(aws, server, lb, tg, "cpu", resource, alarms, load)
    # The metric that drove it came from the tasks' cgroups.
    stats = aws.cw.get_metric_statistics(
        Namespace="AWS/ECS", MetricName="CPUUtilization", Period=60, Statistics=["Maximum"],
        Dimensions=[{"Name": "ClusterName", "Value": CLUSTER}, {"Name": "ServiceName",
                                                                  "Value": "cpu"}],
        StartTime=time.time() - 600, EndTime=time.time() + 60)["Datapoints"]
    assert max(d["Maximum"] for d in stats) > 70, stats


def test_memory_target_tracking_scales_out_and_in(aws, server, net, image):
    # 128 MiB held of the task's 512: 25 %, over a target of 20 %. (Doubling a string to 256 MiB
    # peaked past the 512 MiB limit at times: the cgroup's OOM killer took the hog.)
    lb, tg, resource, alarms = scaled_service(aws, net, image, "mem", lambda lb, tg: {
        "TargetValue": 20.0,
        "PredefinedMetricSpecification": {"PredefinedMetricType":
                                          "ECSServiceAverageMemoryUtilization"}})

    class Hog:  # one request starts the hog in the only task; it lets go after 20 s
        def start(self):
            assert alb_get(server, lb["DNSName"], "/cgi-bin/hog.sh?20")[0] == 200

        def stop(self):
            pass
    scale_out_and_in(aws, server, lb, tg, "mem", resource, alarms, Hog())


def test_alb_request_count_per_target_scales_out_and_in(aws, server, net, image):
    # 30 requests per target per AWS minute (a second here); four clients send far more.
    def policy(lb, tg):
        label = "%s/%s" % (lb["LoadBalancerArn"].split(":loadbalancer/", 1)[1],
                           tg.split(":", 5)[5])
        return {"TargetValue": 30.0,
                "PredefinedMetricSpecification": {"PredefinedMetricType":
                                                  "ALBRequestCountPerTarget",
                                                  "ResourceLabel": label}}
    lb, tg, resource, alarms = scaled_service(aws, net, image, "reqs", policy)
    high = aws.cw.describe_alarms(AlarmNames=[n for n in alarms if "-AlarmHigh-" in n])
    metric = high["MetricAlarms"][0]
    assert (metric["Namespace"], metric["MetricName"]) == ("AWS/ApplicationELB",
                                                           "RequestCountPerTarget")
    load = Load(server, lb["DNSName"], "/", threads=4)
    scale_out_and_in(aws, server, lb, tg, "reqs", resource, alarms, load)
