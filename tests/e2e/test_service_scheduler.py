"""ECS services behind a real ALB (issue 7): the scheduler keeps desiredCount tasks registered in
the target group, replaces a stopped task, rolls to a new task definition without failing a
request, trips the deployment circuit breaker and rolls back, gets out of the seeds' first-run
trap with --force-new-deployment, drains on DeleteService --force, agrees with `aws ecs wait
services-stable`, and converges after a restart in the middle of a rollout. Needs root, runc and
skopeo; the module's server is reset and stopped at the end and no namespace may remain.
"""
import os
import subprocess

import pytest

from conftest import client_for
from alb_env import (CLUSTER, AlbClient, Aws, HeldRequest, Load, alb_get, fast_target_group,
                     hostname_of, make_alb, make_network, own_netns, privileged, push_layout,
                     register_web, run_task, start_server, target_health, task_ip, wait_task,
                     wait_until, web_layout)
from alb_env import alb_images, alb_server, aws, clean, net  # noqa: F401  (fixtures)

pytestmark = privileged + [pytest.mark.usefixtures("clean")]

FAST = {"Delay": 1, "MaxAttempts": 60}


def create_service(aws, net, tg, td, name, desired=2, rollback=True, **kw):
    aws.ecs.create_cluster(clusterName=CLUSTER)
    return aws.ecs.create_service(
        cluster=CLUSTER, serviceName=name, taskDefinition=td, desiredCount=desired,
        launchType="FARGATE",
        networkConfiguration={"awsvpcConfiguration": {
            "subnets": net["subnets"], "securityGroups": [net["sg"]["web"]],
            "assignPublicIp": "DISABLED"}},
        loadBalancers=[{"targetGroupArn": tg, "containerName": "app", "containerPort": 8080}],
        deploymentConfiguration={
            "minimumHealthyPercent": 100, "maximumPercent": 200,
            "deploymentCircuitBreaker": {"enable": True, "rollback": rollback}},
        **kw)["service"]


def describe(aws, name):
    return aws.ecs.describe_services(cluster=CLUSTER, services=[name])["services"][0]


def wait_stable(aws, name):
    aws.ecs.get_waiter("services_stable").wait(cluster=CLUSTER, services=[name],
                                               WaiterConfig=FAST)
    return describe(aws, name)


def running_tasks(aws, name):
    arns = aws.ecs.list_tasks(cluster=CLUSTER, serviceName=name,
                              desiredStatus="RUNNING")["taskArns"]
    if not arns:
        return []
    return [t for t in aws.ecs.describe_tasks(cluster=CLUSTER, tasks=arns)["tasks"]
            if t["lastStatus"] == "RUNNING"]


def stopped_tasks(aws, name):
    arns = aws.ecs.list_tasks(cluster=CLUSTER, serviceName=name,
                              desiredStatus="STOPPED")["taskArns"]
    return aws.ecs.describe_tasks(cluster=CLUSTER, tasks=arns)["tasks"] if arns else []


def healthy_ips(aws, tg):
    return {ip for (ip, _), (state, _) in target_health(aws, tg).items() if state == "healthy"}


def messages(service):
    return [e["message"] for e in service["events"]]


def setup_web(aws, net, alb_images, name, desired=2, image="v1", delay=5, **kw):
    """A target group (deregistration delay `delay` AWS seconds), an ALB forwarding to it and a
    service `name` of `desired` tasks, waited stable; returns (lb, tg, td, service). Each test
    names its own service: stopped tasks of another test's service would otherwise show up in
    its listings, as they do on ECS."""
    tg = fast_target_group(aws, name, net["vpc"], delay=delay)
    lb, _ = make_alb(aws, net, name, default_tg=tg)
    td = register_web(aws, "web", alb_images[image])
    create_service(aws, net, tg, td, name, desired=desired, **kw)
    wait_stable(aws, name)
    # services-stable holds as soon as the tasks run; the deployment completes once their
    # targets are healthy, and only a COMPLETED deployment is one to roll back to.
    s, _ = watch_deployments(aws, name, lambda s: s["deployments"][0]["rolloutState"] ==
                             "COMPLETED", timeout=60)
    return lb, tg, td, s


def watch_deployments(aws, name, until, timeout=90):
    """Polls DescribeServices until until(service) holds; returns every distinct
    (id, status, taskDefinition, rolloutState) seen on the way, in order."""
    seen = []
    last = {}

    def check():
        s = last["s"] = describe(aws, name)
        for d in s["deployments"]:
            key = (d["id"], d["status"], d["taskDefinition"], d.get("rolloutState"))
            if key not in seen:
                seen.append(key)
        return s if until(s) else None

    def failure():
        s = last["s"]
        return "deployments of %s to settle: running %s, deployments %s, seen %s, events " \
            "(newest first):\n%s" % (
                name, s["runningCount"],
                [(d["id"], d["status"], d["taskDefinition"].rsplit("/", 1)[1],
                  d.get("rolloutState"), d["runningCount"], d.get("failedTasks"))
                 for d in s["deployments"]], seen, "\n".join(messages(s)[:20]))
    return wait_until(failure, check, timeout, 0.2), seen


def test_service_keeps_desired_count_and_replaces_a_stopped_task(aws, net, alb_server,
                                                                  alb_images):
    tg = fast_target_group(aws, "keep", net["vpc"])
    lb, _ = make_alb(aws, net, "keep", default_tg=tg)
    td = register_web(aws, "web", alb_images["v1"])
    created = create_service(aws, net, tg, td, "keep")
    assert created["desiredCount"] == 2 and created["status"] == "ACTIVE"

    wait_stable(aws, "keep")
    # The AWS CLI's waiter agrees (its first poll passes: no 15 s delay): one deployment and
    # runningCount == desiredCount.
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
               AWS_DEFAULT_REGION="us-east-1")
    r = subprocess.run(["aws", "--endpoint-url", alb_server.endpoint, "ecs", "wait",
                        "services-stable", "--cluster", CLUSTER, "--services", "keep"],
                       env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    s = describe(aws, "keep")
    assert (s["runningCount"], s["pendingCount"], len(s["deployments"])) == (2, 0, 1), s
    # The deployment completes once the targets are healthy too (services-stable does not wait
    # for that, on ECS either).
    s, _ = watch_deployments(aws, "keep", lambda s: s["deployments"][0]["rolloutState"] ==
                             "COMPLETED", timeout=30)
    tasks = running_tasks(aws, "keep")
    ips = {task_ip(t) for t in tasks}
    assert len(ips) == 2
    # Spread over the service's two subnets (one per AZ).
    assert {t["availabilityZone"] for t in tasks} == {"us-east-1a", "us-east-1b"}
    wait_until("both tasks healthy in the target group", lambda: healthy_ips(aws, tg) == ips)
    assert alb_get(alb_server, lb["DNSName"], "/")[::2] == (200, "v1\n")
    text = "\n".join(messages(s))
    assert "(service keep) has started 2 tasks:" in text, text
    assert "(service keep) has reached a steady state." in text, text
    assert "registered 2 targets in (target-group %s)" % tg in text or \
        "registered 1 targets in (target-group %s)" % tg in text, text

    victim = tasks[0]["taskArn"]
    aws.ecs.stop_task(cluster=CLUSTER, task=victim, reason="chaos")

    def replaced():
        now = running_tasks(aws, "keep")
        arns = {t["taskArn"] for t in now}
        return now if len(now) == 2 and victim not in arns else None
    now = wait_until("a replacement task", replaced, timeout=60)
    new_ips = {task_ip(t) for t in now}
    wait_until("the replacement healthy and the stopped task gone from the group",
               lambda: healthy_ips(aws, tg) == new_ips and
               set(ip for ip, _ in target_health(aws, tg)) == new_ips, timeout=60)
    assert "(service keep) has started 1 tasks:" in "\n".join(messages(wait_stable(aws, "keep")))

    # Scaling to zero stops every task and empties the target group.
    aws.ecs.update_service(cluster=CLUSTER, service="keep", desiredCount=0)
    s = wait_stable(aws, "keep")
    assert s["runningCount"] == 0
    wait_until("the target group empty", lambda: not target_health(aws, tg), timeout=60)


def test_rolling_update_fails_no_request(aws, net, alb_server, alb_images):
    lb, tg, td1, _ = setup_web(aws, net, alb_images, "roll")
    td2 = register_web(aws, "web", alb_images["v2"])
    load = Load(alb_server, lb["DNSName"], threads=2).start()
    try:
        wait_until("the load under way", lambda: load.count() >= 20)
        aws.ecs.update_service(cluster=CLUSTER, service="roll", taskDefinition=td2)
        s, seen = watch_deployments(
            aws, "roll", lambda s: len(s["deployments"]) == 1 and s["runningCount"] == 2 and
            s["deployments"][0]["rolloutState"] == "COMPLETED")
        # Requests after the rollout, all of which must reach v2.
        after = load.count()
        wait_until("20 requests after the rollout", lambda: load.count() >= after + 40)
    finally:
        load.stop()
    assert s["taskDefinition"] == td2
    assert s["deployments"][0]["taskDefinition"] == td2
    statuses = {(st, t) for _, st, t, _ in seen}
    assert ("PRIMARY", td2) in statuses and ("ACTIVE", td1) in statuses, seen
    assert any(st == "PRIMARY" and r == "IN_PROGRESS" for _, st, _, r in seen), seen
    assert not load.failures, load.failures[:10]
    bodies = [r[3] for r in load.results]
    assert len(bodies) > 50 and "v1\n" in bodies and "v2\n" in bodies
    assert set(bodies[-20:]) == {"v2\n"}
    assert {task_ip(t) for t in running_tasks(aws, "roll")} == healthy_ips(aws, tg)
    assert all(t["taskDefinitionArn"] == td2 for t in running_tasks(aws, "roll"))
    d = s["deployments"][0]
    assert d["rolloutStateReason"] == "ECS deployment %s completed." % d["id"]


def test_circuit_breaker_rolls_back_a_deployment_whose_tasks_cannot_start(aws, net, alb_server,
                                                                          alb_images):
    lb, tg, td1, _ = setup_web(aws, net, alb_images, "breaker")
    bad = register_web(aws, "web", alb_images["v1"].rsplit(":", 1)[0] + ":no-such-tag")
    load = Load(alb_server, lb["DNSName"]).start()
    try:
        aws.ecs.update_service(cluster=CLUSTER, service="breaker", taskDefinition=bad)
        s, seen = watch_deployments(
            aws, "breaker",
            lambda s: len(s["deployments"]) == 1 and s["taskDefinition"] == td1 and
            s["deployments"][0]["rolloutState"] == "COMPLETED" and s["runningCount"] == 2,
            timeout=120)
    finally:
        load.stop()
    failed = [k for k in seen if k[2] == bad and k[3] == "FAILED"]
    assert failed, seen
    assert s["deployments"][0]["taskDefinition"] == td1
    bad_tasks = [t for t in stopped_tasks(aws, "breaker") if t["taskDefinitionArn"] == bad]
    pulls = [t for t in bad_tasks if t["stoppedReason"].startswith("CannotPullContainerError")]
    # The threshold: half of 2, but at least 3 (a launch still pulling may be stopped by the
    # rollback instead).
    assert len(pulls) >= 3, [t["stoppedReason"] for t in bad_tasks]
    text = "\n".join(messages(s))
    assert "deployment failed: tasks failed to start." in text, text
    assert "rolling back to deployment" in text, text
    # The old tasks kept serving: minimumHealthyPercent 100 never stopped one.
    assert not load.failures, load.failures[:10]
    assert {r[3] for r in load.results} == {"v1\n"}


def test_first_run_trap_fails_then_force_new_deployment_recovers(aws, net, alb_server, tmp_path):
    """The seeds' first run: the service exists before its image is pushed."""
    tg = fast_target_group(aws, "trap", net["vpc"])
    lb, _ = make_alb(aws, net, "trap", default_tg=tg)
    repo = client_for(alb_server.endpoint, "ecr").create_repository(
        repositoryName="late")["repository"]["repositoryUri"]
    td = register_web(aws, "late", repo + ":latest")
    create_service(aws, net, tg, td, "trap", desired=1)
    s, _ = watch_deployments(
        aws, "trap", lambda s: s["deployments"][0].get("rolloutState") == "FAILED", timeout=90)
    d = s["deployments"][0]
    assert d["rolloutStateReason"].startswith("ECS deployment circuit breaker"), d
    stopped = stopped_tasks(aws, "trap")
    assert stopped and all(t["stoppedReason"].startswith("CannotPullContainerError")
                           for t in stopped), stopped
    assert alb_get(alb_server, lb["DNSName"], "/")[0] == 503

    push_layout(alb_server, web_layout(tmp_path / "late", "late"), "late")
    aws.ecs.update_service(cluster=CLUSTER, service="trap", forceNewDeployment=True)
    s = wait_stable(aws, "trap")
    assert s["runningCount"] == 1 and s["deployments"][0]["rolloutState"] == "COMPLETED", s
    ip = task_ip(running_tasks(aws, "trap")[0])
    wait_until("the task healthy", lambda: healthy_ips(aws, tg) == {ip}, timeout=30)
    assert alb_get(alb_server, lb["DNSName"], "/")[::2] == (200, "late\n")


def test_task_failing_elb_health_checks_is_replaced(aws, net, alb_server, alb_images):
    """A target that turns unhealthy gets its task stopped ("Task failed ELB health checks")
    and replaced; once the checks pass again the service is steady."""
    lb, tg, _, _ = setup_web(aws, net, alb_images, "unhealthy", desired=1)
    first = running_tasks(aws, "unhealthy")[0]["taskArn"]
    aws.elbv2.modify_target_group(TargetGroupArn=tg, HealthCheckPath="/missing")

    def stopped_for_health():
        return [t for t in stopped_tasks(aws, "unhealthy") if t["taskArn"] == first and
                t.get("stoppedReason") == "Task failed ELB health checks in (target-group %s)" %
                tg]
    wait_until("the unhealthy task stopped", stopped_for_health, timeout=60)
    text = "\n".join(messages(describe(aws, "unhealthy")))
    assert "is unhealthy in (target-group %s)" % tg in text, text

    aws.elbv2.modify_target_group(TargetGroupArn=tg, HealthCheckPath="/health")
    s, _ = watch_deployments(aws, "unhealthy", lambda s: s["runningCount"] == 1 and
                             healthy_ips(aws, tg) == {task_ip(t) for t in
                                                      running_tasks(aws, "unhealthy")})
    assert first not in {t["taskArn"] for t in running_tasks(aws, "unhealthy")}
    assert alb_get(alb_server, lb["DNSName"], "/")[::2] == (200, "v1\n")


def test_delete_service_force_drains_then_stops_the_tasks(aws, net, alb_server, alb_images):
    """DeleteService --force drains the service's targets: requests in flight on them (6 s
    each, in a 10 s deregistration delay) complete, and while they drain every new request
    goes to the group's other target, a task outside the service."""
    lb, tg, _, _ = setup_web(aws, net, alb_images, "delete", delay=100)  # 10 s at the scale
    tasks = running_tasks(aws, "delete")
    ips = {task_ip(t) for t in tasks}
    wait_until("both targets healthy", lambda: healthy_ips(aws, tg) == ips)
    other = run_task(aws, register_web(aws, "web", alb_images["v2"]), net["subnets"][1],
                     [net["sg"]["web"]])
    other_ip = task_ip(wait_task(aws, other, "RUNNING"))
    aws.elbv2.register_targets(TargetGroupArn=tg, Targets=[{"Id": other_ip, "Port": 8080}])
    wait_until("the outside target healthy", lambda: other_ip in healthy_ips(aws, tg))

    # One request in flight on each of the service's targets (its headers have arrived).
    held = {}
    for _ in range(20):
        h = HeldRequest(alb_server, lb["DNSName"], "/cgi-bin/hold.sh?6")
        if h.served_by in held or h.served_by == hostname_of(other_ip):
            h.conn.close()
            continue
        held[h.served_by] = h
        if len(held) == 2:
            break
    assert set(held) == {hostname_of(ip) for ip in ips}, list(held)
    s = aws.ecs.delete_service(cluster=CLUSTER, service="delete", force=True)["service"]
    assert s["status"] == "DRAINING" and s["desiredCount"] == 0, s
    wait_until("the service's targets draining", lambda: {
        ip for (ip, _), (state, _) in target_health(aws, tg).items()
        if state == "draining"} == ips, timeout=10)
    c = AlbClient(alb_server, lb["DNSName"])
    assert [c.get("/")[2] for _ in range(10)] == ["v2\n"] * 10
    c.close()
    assert {ip for (ip, _), (state, _) in target_health(aws, tg).items()
            if state == "draining"} == ips, "the drain ended before the requests did"
    for host, h in held.items():
        assert h.finish() == (200, "held %s\n" % host)

    wait_until("every task stopped",
               lambda: all(x["lastStatus"] == "STOPPED" for x in aws.ecs.describe_tasks(
                   cluster=CLUSTER, tasks=[y["taskArn"] for y in tasks])["tasks"]), timeout=60)
    wait_until("only the outside target left",
               lambda: set(target_health(aws, tg)) == {(other_ip, 8080)}, timeout=30)
    wait_until("the service INACTIVE",
               lambda: describe(aws, "delete")["status"] == "INACTIVE", timeout=30)
    assert alb_get(alb_server, lb["DNSName"], "/")[::2] == (200, "v2\n")


def test_restart_in_the_middle_of_a_rollout_converges(aws, net, alb_server, alb_images):
    """SIGTERM while a rolling update is under way, then a new server on the same data dir: the
    rollout finishes, with only the new task definition running and registered."""
    lb, tg, _, _ = setup_web(aws, net, alb_images, "restart")
    td2 = register_web(aws, "web", alb_images["v2"])
    aws.ecs.update_service(cluster=CLUSTER, service="restart", taskDefinition=td2)
    wait_until("a v2 task started",
               lambda: any(t["taskDefinitionArn"] == td2 for t in running_tasks(aws, "restart")),
               timeout=60)
    assert len(describe(aws, "restart")["deployments"]) == 2
    alb_server.restart()
    aws = Aws(alb_server)

    s = wait_stable(aws, "restart")
    assert s["deployments"][0]["taskDefinition"] == td2
    assert s["deployments"][0]["rolloutState"] == "COMPLETED"
    tasks = running_tasks(aws, "restart")
    assert len(tasks) == 2 and all(t["taskDefinitionArn"] == td2 for t in tasks), tasks
    ips = {task_ip(t) for t in tasks}
    wait_until("exactly the v2 tasks registered and healthy",
               lambda: healthy_ips(aws, tg) == ips and
               {ip for ip, _ in target_health(aws, tg)} == ips, timeout=60)
    assert {alb_get(alb_server, lb["DNSName"], "/")[2] for _ in range(4)} == {"v2\n"}


def test_reset_while_a_service_runs_leaves_no_namespace(tmp_path, alb_images):
    """POST /_gantry/reset with a 4-task service behind an ALB still running (its own server:
    the module's must keep its images): nothing of the VPC may remain, even though the
    scheduler sees its tasks stop during the reset and starts replacements. (Under heavy host
    load bench/rolling_bench.py saw a replacement launched mid-reset recreate the VPC
    namespace; this test has not caught that race yet.)"""
    (tmp_path / "data").mkdir()
    g = start_server(str(tmp_path / "data"))
    try:
        a = Aws(g)
        image = push_layout(g, web_layout(tmp_path / "img", "v1"), "web", "v1")
        n = make_network(a)
        tg = fast_target_group(a, "reset", n["vpc"])
        make_alb(a, n, "reset", default_tg=tg)
        create_service(a, n, tg, register_web(a, "web", image), "reset", desired=4)
        wait_stable(a, "reset")
        g.reset()
        # The reset returns once every controller has stopped what it owned; nothing may be
        # left (a launch racing the reset would leave its VPC's namespace).
        left = own_netns(g.data_dir)
        assert not left, "after the reset: %s" % left
    finally:
        if g.proc.poll() is None:
            g.reset()
        g.stop()
        for ns in own_netns(g.data_dir):  # what a failed run left: ours to remove
            subprocess.run(["ip", "netns", "delete", ns], check=False)
