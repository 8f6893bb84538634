"""AWS/ApplicationELB metrics published by the ALB data plane (issue 15): requests sent through a
real load balancer to a real task show up in GetMetricStatistics as RequestCount,
HTTPCode_Target_2XX_Count, TargetResponseTime and RequestCountPerTarget, the health checker's
verdicts as HealthyHostCount, and the load balancer's own 503s as HTTPCode_ELB_5XX_Count. The
server runs at --time-scale 60, so the data plane publishes every second. Needs root, runc and
skopeo.
"""
import datetime

import pytest

from alb_env import (AlbClient, fast_target_group, make_alb, module_server, privileged,
                     register_web, run_task, task_ip, wait_target_state, wait_task, wait_until)
from alb_env import alb_images, aws, clean, net  # noqa: F401  (fixtures)
from conftest import client_for

pytestmark = privileged + [pytest.mark.usefixtures("clean")]

TIME_SCALE = 60


@pytest.fixture(scope="module")
def alb_server(tmp_path_factory):
    """alb_env's server, at the time scale where a metrics minute lasts one second."""
    yield from module_server(tmp_path_factory, "alb-metrics", time_scale=TIME_SCALE)


def lb_dimension(lb):
    return lb["LoadBalancerArn"].split(":loadbalancer/", 1)[1]


def tg_dimension(tg_arn):
    return tg_arn.rsplit(":", 1)[1]


def statistics(cw, name, dims, stats=("Sum",), extended=()):
    """Every datapoint of the last few minutes (real time: the time scale shortens periods, it
    does not move the clock), with `stats` or else the `extended` statistics."""
    now = datetime.datetime.now(datetime.timezone.utc)
    kw = {"ExtendedStatistics": list(extended)} if extended else {"Statistics": list(stats)}
    return cw.get_metric_statistics(
        Namespace="AWS/ApplicationELB", MetricName=name,
        Dimensions=[{"Name": k, "Value": v} for k, v in dims],
        StartTime=now - datetime.timedelta(minutes=10),
        EndTime=now + datetime.timedelta(minutes=10), Period=60, **kw)["Datapoints"]


def total(cw, name, dims):
    return sum(d["Sum"] for d in statistics(cw, name, dims))


def test_requests_through_the_alb_become_its_cloudwatch_metrics(aws, net, alb_server,
                                                                 alb_images):
    cw = client_for(alb_server.endpoint, "cloudwatch")
    task = run_task(aws, register_web(aws, "web", alb_images["v1"]), net["subnets"][0],
                    [net["sg"]["web"]])
    ip = task_ip(wait_task(aws, task, "RUNNING"))
    tg = fast_target_group(aws, "metrics", net["vpc"])
    empty = fast_target_group(aws, "nobody", net["vpc"])
    lb, listener = make_alb(aws, net, "metrics", default_tg=tg)
    aws.elbv2.create_rule(ListenerArn=listener["ListenerArn"], Priority=5,
                          Conditions=[{"Field": "path-pattern", "Values": ["/empty*"]}],
                          Actions=[{"Type": "forward", "TargetGroupArn": empty}])
    aws.elbv2.register_targets(TargetGroupArn=tg, Targets=[{"Id": ip, "Port": 8080}])
    wait_target_state(aws, tg, (ip, 8080), "healthy")

    n, failed = 25, 3
    c = AlbClient(alb_server, lb["DNSName"])
    for _ in range(n):
        assert c.get("/")[::2] == (200, "v1\n")
    for _ in range(failed):
        assert c.get("/empty")[0] == 503  # no registered target: the load balancer answers
    c.close()

    lb_dims = [("LoadBalancer", lb_dimension(lb))]
    tg_dims = [("TargetGroup", tg_dimension(tg)), ("LoadBalancer", lb_dimension(lb))]
    wait_until("RequestCount %d for the load balancer" % n,
               lambda: total(cw, "RequestCount", lb_dims) == n, timeout=20, interval=0.3)
    wait_until("HTTPCode_ELB_5XX_Count %d" % failed,
               lambda: total(cw, "HTTPCode_ELB_5XX_Count", lb_dims) == failed, timeout=10,
               interval=0.3)
    # The 503s chose no target, so RequestCount counts only the n forwarded requests.
    assert total(cw, "RequestCount", lb_dims) == n
    assert total(cw, "RequestCount", tg_dims) == n
    assert total(cw, "HTTPCode_Target_2XX_Count", lb_dims) == n
    assert total(cw, "HTTPCode_Target_2XX_Count", tg_dims) == n
    assert total(cw, "HTTPCode_ELB_503_Count", lb_dims) == failed
    assert statistics(cw, "HTTPCode_Target_5XX_Count", lb_dims) == []  # only when nonzero
    # One healthy target: every request of the group counts for it.
    assert total(cw, "RequestCountPerTarget", tg_dims) == n
    assert total(cw, "RequestCountPerTarget", [tg_dims[0]]) == n

    times = statistics(cw, "TargetResponseTime", tg_dims, ("SampleCount", "Average", "Maximum"))
    assert sum(d["SampleCount"] for d in times) == n, times
    assert all(d["Unit"] == "Seconds" for d in times), times
    assert all(0 < d["Average"] <= d["Maximum"] < 5 for d in times), times
    p99 = statistics(cw, "TargetResponseTime", tg_dims, extended=("p99",))
    assert p99 and all(0 < d["ExtendedStatistics"]["p99"] < 5 for d in p99), p99

    healthy = statistics(cw, "HealthyHostCount", tg_dims, ("Maximum", "Minimum"))
    assert max(d["Maximum"] for d in healthy) == 1, healthy
    unhealthy = statistics(cw, "UnHealthyHostCount", tg_dims, ("Maximum",))
    assert unhealthy and max(d["Maximum"] for d in unhealthy) == 0, unhealthy

    # The load balancer's metrics are listed like any others.
    names = {m["MetricName"] for m in cw.list_metrics(
        Namespace="AWS/ApplicationELB",
        Dimensions=[{"Name": "LoadBalancer", "Value": lb_dimension(lb)}])["Metrics"]}
    assert {"RequestCount", "HTTPCode_Target_2XX_Count", "TargetResponseTime",
            "HTTPCode_ELB_5XX_Count", "HealthyHostCount"} <= names, names
