"""Application Auto Scaling over ECS services (issue 15): scalable targets, target tracking and
step policies whose CloudWatch alarms really change desiredCount through the service scheduler,
scaling activities in AWS's words, cooldowns, scheduled actions. boto3 (json 1.1) and the AWS
CLI v1 on PATH.

The acting tests run a server of their own with --time-scale 60 (a minute of alarm evaluation is
a second; a 300 s cooldown is 5 s) and GANTRY_TASKS=off (services are rows; the scheduler still
sets desiredCount and writes its events). Nothing here depends on the cgroup CPU metrics: AWS/
namespaces are closed to PutMetricData (as on AWS), so the predefined CPU policy's AlarmHigh is
driven with SetAlarmState (AWS's own way of testing alarm actions), and the readings that drive
the cooldown and scale-in stories go to a customized metric (CPUUtilization with the service's
dimensions in a namespace of the test's own).
"""
import datetime
import json
import shutil
import subprocess

import pytest
from botocore.exceptions import ClientError
from conftest import client_for, wait_for
from alb_env import (Aws, make_network, own_netns, privileged, push_layout, start_server,
                     web_layout)

CLUSTER = "scale"
DIM = "ecs:service:DesiredCount"
NS = "E2E/ECS"  # the customized metric's namespace


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


class Env:
    """Clients of one server, a cluster and a task definition 'web' of `image`; `network` is an
    awsvpcConfiguration (default: a new VPC, subnet and security group)."""

    def __init__(self, endpoint, network=None, image="busybox"):
        self.endpoint = endpoint
        self.ecs = client_for(endpoint, "ecs")
        self.ec2 = client_for(endpoint, "ec2")
        self.cw = client_for(endpoint, "cloudwatch")
        self.aas = client_for(endpoint, "application-autoscaling")
        if network is None:
            vpc = self.ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
            subnet = self.ec2.create_subnet(VpcId=vpc,
                                            CidrBlock="10.9.1.0/24")["Subnet"]["SubnetId"]
            sg = self.ec2.create_security_group(GroupName="e2e", Description="e2e",
                                                VpcId=vpc)["GroupId"]
            network = {"subnets": [subnet], "securityGroups": [sg]}
        self.network = {"awsvpcConfiguration": network}
        self.ecs.create_cluster(clusterName=CLUSTER)
        self.ecs.register_task_definition(
            family="web", requiresCompatibilities=["FARGATE"], networkMode="awsvpc",
            cpu="256", memory="512",
            containerDefinitions=[{"name": "app", "image": image, "essential": True,
                                   "stopTimeout": 2}])

    def service(self, name, desired):
        self.ecs.create_service(cluster=CLUSTER, serviceName=name, taskDefinition="web",
                                desiredCount=desired, launchType="FARGATE",
                                networkConfiguration=self.network)
        return "service/%s/%s" % (CLUSTER, name)

    def desired(self, name):
        return self.ecs.describe_services(cluster=CLUSTER,
                                          services=[name])["services"][0]["desiredCount"]

    def register(self, resource_id, lo, hi, **kw):
        return self.aas.register_scalable_target(
            ServiceNamespace="ecs", ResourceId=resource_id, ScalableDimension=DIM,
            MinCapacity=lo, MaxCapacity=hi, **kw)

    def cpu_policy(self, resource_id, name="cpu70", target=70.0, custom=False, **cfg):
        service = resource_id.split("/")[2]
        metric = {"CustomizedMetricSpecification": {
            "Namespace": NS, "MetricName": "CPUUtilization", "Statistic": "Average",
            "Dimensions": [{"Name": "ClusterName", "Value": CLUSTER},
                           {"Name": "ServiceName", "Value": service}]}} if custom else {
            "PredefinedMetricSpecification": {
                "PredefinedMetricType": "ECSServiceAverageCPUUtilization"}}
        cfg = dict({"TargetValue": target}, **metric, **cfg)
        return self.aas.put_scaling_policy(
            PolicyName=name, ServiceNamespace="ecs", ResourceId=resource_id,
            ScalableDimension=DIM, PolicyType="TargetTrackingScaling",
            TargetTrackingScalingPolicyConfiguration=cfg)

    def put_cpu(self, service, values, ahead=20):
        """CPUUtilization readings for the service, one per minute of AWS time: at
        --time-scale 60 an alarm period of a minute lasts a second, so one datapoint per second,
        the last `ahead` seconds from now, so that the alarm keeps seeing them that long."""
        end = utcnow().replace(microsecond=0) + datetime.timedelta(seconds=ahead + 1)
        data = [{"MetricName": "CPUUtilization", "Value": v, "Unit": "Percent",
                 "Timestamp": end - datetime.timedelta(seconds=len(values) - i),
                 "Dimensions": [{"Name": "ClusterName", "Value": CLUSTER},
                                {"Name": "ServiceName", "Value": service}]}
                for i, v in enumerate(values)]
        self.cw.put_metric_data(Namespace=NS, MetricData=data)

    def activities(self, resource_id):
        return self.aas.describe_scaling_activities(
            ServiceNamespace="ecs", ResourceId=resource_id)["ScalingActivities"]


@pytest.fixture
def env(tmp_gantry):
    return Env(tmp_gantry("--time-scale", "60").endpoint)


@pytest.fixture
def aas(make_client):
    return make_client("application-autoscaling")


def test_register_describe_deregister_and_errors(aas, make_client):
    ecs = make_client("ecs")
    with pytest.raises(ClientError) as e:
        aas.register_scalable_target(ServiceNamespace="ecs", ResourceId="service/none/web",
                                     ScalableDimension=DIM, MinCapacity=1, MaxCapacity=2)
    assert e.value.response["Error"]["Code"] == "ValidationException"
    assert "ECS service doesn't exist: service/none/web" in e.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as e:
        aas.deregister_scalable_target(ServiceNamespace="ecs", ResourceId="service/none/web",
                                       ScalableDimension=DIM)
    assert e.value.response["Error"]["Code"] == "ObjectNotFoundException"
    with pytest.raises(ClientError) as e:
        aas.describe_scalable_targets(ServiceNamespace="nope")
    assert e.value.response["Error"]["Code"] == "ValidationException"
    assert aas.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"] == []
    assert ecs.list_clusters()["clusterArns"] == []


@pytest.mark.emulator_only  # --time-scale: the alarm evaluates every second
def test_target_tracking_scales_out_and_back_in(env):
    web = env.service("web", 1)
    arn = env.register(web, 1, 3)["ScalableTargetARN"]
    assert arn.startswith("arn:aws:application-autoscaling:us-east-1:")
    target = env.aas.describe_scalable_targets(ServiceNamespace="ecs",
                                               ResourceIds=[web])["ScalableTargets"][0]
    assert target["RoleARN"].endswith(
        ":role/aws-service-role/ecs.application-autoscaling.amazonaws.com/"
        "AWSServiceRoleForApplicationAutoScaling_ECSService")
    assert target["SuspendedState"] == {"DynamicScalingInSuspended": False,
                                        "DynamicScalingOutSuspended": False,
                                        "ScheduledScalingSuspended": False}

    policy = env.cpu_policy(web)
    high, low = [a["AlarmName"] for a in policy["Alarms"]]
    assert high.startswith("TargetTracking-service/scale/web-AlarmHigh-")
    assert low.startswith("TargetTracking-service/scale/web-AlarmLow-")
    alarms = {a["AlarmName"]: a for a in env.cw.describe_alarms(
        AlarmNamePrefix="TargetTracking-service/scale/web-")["MetricAlarms"]}
    assert set(alarms) == {high, low}
    h, lo = alarms[high], alarms[low]
    assert (h["Namespace"], h["MetricName"], h["Statistic"], h["Period"]) == \
        ("AWS/ECS", "CPUUtilization", "Average", 60)
    assert h["Dimensions"] == [{"Name": "ClusterName", "Value": CLUSTER},
                               {"Name": "ServiceName", "Value": "web"}]
    assert (h["EvaluationPeriods"], h["DatapointsToAlarm"], h["Threshold"],
            h["ComparisonOperator"]) == (3, 3, 70.0, "GreaterThanThreshold")
    assert (lo["EvaluationPeriods"], lo["DatapointsToAlarm"], lo["Threshold"],
            lo["ComparisonOperator"]) == (15, 15, 63.0, "LessThanThreshold")
    assert h["AlarmActions"] == [policy["PolicyARN"]]
    assert h["AlarmDescription"] == \
        "DO NOT EDIT OR DELETE. For TargetTrackingScaling policy " + policy["PolicyARN"]

    # AlarmHigh in ALARM with 95 % (set as the alarm's evaluation would): 1 task ->
    # ceil(1 * 95 / 70) = 2, through ECS's UpdateService.
    env.cw.set_alarm_state(AlarmName=high, StateValue="ALARM", StateReason="e2e",
                           StateReasonData=json.dumps({"recentDatapoints": [95.0, 95.0, 95.0],
                                                       "threshold": 70.0}))
    wait_for(lambda: env.desired("web") == 2, timeout=15, what="scale out to 2")
    act = env.activities(web)[0]
    assert act["Description"] == "Setting desired count to 2."
    assert act["Cause"] == "monitor alarm %s in state ALARM triggered policy cpu70" % high
    assert act["StatusCode"] == "Successful"
    assert act["StatusMessage"] == \
        "Successfully set desired count to 2. Change successfully fulfilled by ecs."
    history = env.cw.describe_alarm_history(AlarmName=high, HistoryItemType="Action")
    assert any(policy["PolicyARN"] in i["HistorySummary"]
               for i in history["AlarmHistoryItems"])

    # Real readings: three minutes at 95 % keep AlarmHigh in ALARM, and CloudWatch invokes the
    # policy at every evaluation; 1 -> 2, then after the 300 s (5 s scaled) cooldown
    # ceil(2 * 95 / 70) = 3, the maximum.
    api = env.service("api", 1)
    env.register(api, 1, 3)
    api_high = env.cpu_policy(api, custom=True)["Alarms"][0]["AlarmName"]
    env.put_cpu("api", [95.0] * 25)
    wait_for(lambda: env.desired("api") == 2, timeout=15, what="scale out to 2")
    wait_for(lambda: env.desired("api") == 3, timeout=20, what="scale out to 3")
    acts = env.activities(api)
    assert [a["Description"] for a in acts] == ["Setting desired count to 3.",
                                                "Setting desired count to 2."]
    for a in acts:
        assert a["Cause"] == "monitor alarm %s in state ALARM triggered policy cpu70" % api_high
    gap = (acts[0]["StartTime"] - acts[1]["StartTime"]).total_seconds()
    assert gap >= 5.0, "scale-outs %.2f s apart, inside the scaled 300 s cooldown" % gap
    service = env.ecs.describe_services(cluster=CLUSTER, services=["api"])["services"][0]
    assert any("desiredCount" in e["message"] or "has started" in e["message"]
               for e in service["events"]) or service["desiredCount"] == 3

    # Fifteen minutes at 10 % fire AlarmLow, but these services' tasks are rows that never run,
    # so their first deployment stays IN_PROGRESS, and Application Auto Scaling does not scale
    # in during a deployment: the policy is invoked (the alarm's Action items) and leaves the
    # service at 3. (test_scale_in_to_minimum_with_real_tasks shows the scale-in itself.)
    worker = env.service("worker", 3)
    env.register(worker, 1, 5)
    worker_low = env.cpu_policy(worker, custom=True)["Alarms"][1]["AlarmName"]
    env.put_cpu("worker", [10.0] * 35)
    wait_for(lambda: len(env.cw.describe_alarm_history(
        AlarmName=worker_low, HistoryItemType="Action")["AlarmHistoryItems"]) >= 3,
        timeout=20, what="three invocations of the scale-in policy")
    assert env.desired("worker") == 3
    assert env.activities(worker) == []

    # Deregistering deletes the policies and their alarms.
    env.aas.deregister_scalable_target(ServiceNamespace="ecs", ResourceId=web,
                                       ScalableDimension=DIM)
    assert env.aas.describe_scaling_policies(ServiceNamespace="ecs",
                                             ResourceId=web)["ScalingPolicies"] == []
    assert env.cw.describe_alarms(
        AlarmNamePrefix="TargetTracking-service/scale/web-")["MetricAlarms"] == []


@pytest.mark.emulator_only  # --time-scale
def test_scheduled_action_changes_min_and_max_at_its_time(env):
    web = env.service("web", 1)
    env.register(web, 1, 3)
    at = (utcnow() + datetime.timedelta(seconds=3)).strftime("%Y-%m-%dT%H:%M:%S")
    env.aas.put_scheduled_action(
        ServiceNamespace="ecs", ResourceId=web, ScalableDimension=DIM,
        ScheduledActionName="peak", Schedule="at(%s)" % at,
        ScalableTargetAction={"MinCapacity": 2, "MaxCapacity": 5})
    actions = env.aas.describe_scheduled_actions(ServiceNamespace="ecs")["ScheduledActions"]
    assert [(a["ScheduledActionName"], a["Schedule"]) for a in actions] == [("peak",
                                                                             "at(%s)" % at)]
    wait_for(lambda: env.desired("web") == 2, timeout=15, what="desired count raised to 2")
    t = env.aas.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"][0]
    assert (t["MinCapacity"], t["MaxCapacity"]) == (2, 5)
    acts = env.activities(web)
    assert acts[-1]["Description"] == "Setting min capacity to 2 and max capacity to 5"
    assert acts[-1]["Cause"] == "scheduled action name peak was triggered"
    with pytest.raises(ClientError) as e:
        env.aas.put_scheduled_action(
            ServiceNamespace="ecs", ResourceId=web, ScalableDimension=DIM,
            ScheduledActionName="bad", Schedule="rate(5 weeks)")
    assert e.value.response["Error"]["Code"] == "ValidationException"


@pytest.mark.emulator_only  # a server of its own
def test_cli_describes_scalable_targets(env):
    aws = shutil.which("aws")
    if not aws:
        pytest.skip("no aws CLI on PATH")
    web = env.service("web", 1)
    env.register(web, 1, 4)
    out = subprocess.run(
        [aws, "--endpoint-url", env.endpoint, "--region", "us-east-1",
         "application-autoscaling", "describe-scalable-targets", "--service-namespace", "ecs"],
        check=True, capture_output=True, text=True,
        env={"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
             "PATH": "/usr/bin:/bin", "HOME": "/tmp"}).stdout
    targets = json.loads(out)["ScalableTargets"]
    assert [(t["ResourceId"], t["MinCapacity"], t["MaxCapacity"]) for t in targets] == \
        [(web, 1, 4)]


@pytest.fixture(scope="module")
def task_server(tmp_path_factory):
    """A server that runs real tasks, with --time-scale 60; reset and stopped at the end, and no
    network namespace it made may remain."""
    g = start_server(str(tmp_path_factory.mktemp("aas")), time_scale=60)
    yield g
    g.reset()
    g.stop()
    assert not own_netns(g.data_dir), "namespaces left behind"


def marked(marks):
    def apply(f):
        for m in marks:
            f = m(f)
        return f
    return apply


@marked(privileged)
def test_scale_in_to_minimum_with_real_tasks(task_server, tmp_path):
    image = push_layout(task_server, web_layout(tmp_path / "v1", "v1"), "web", "v1")
    net = make_network(Aws(task_server))
    env = Env(task_server.endpoint, image=image,
              network={"subnets": net["subnets"], "securityGroups": [net["sg"]["web"]]})
    worker = env.service("worker", 3)
    env.ecs.get_waiter("services_stable").wait(cluster=CLUSTER, services=["worker"],
                                               WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    env.register(worker, 1, 5)
    low = env.cpu_policy(worker, custom=True)["Alarms"][1]["AlarmName"]
    # Fifteen minutes at 10 % of a 70 % target: 3 -> 2 -> 1 (the minimum), a task at a time,
    # the second after the 300 s (5 s scaled) scale-in cooldown.
    env.put_cpu("worker", [10.0] * 35)
    wait_for(lambda: env.desired("worker") == 1, timeout=40, what="scale in to 1")
    acts = env.activities(worker)
    assert [a["Description"] for a in acts] == ["Setting desired count to 1.",
                                                "Setting desired count to 2."]
    assert acts[0]["Cause"] == "monitor alarm %s in state ALARM triggered policy cpu70" % low
    assert (acts[0]["StartTime"] - acts[1]["StartTime"]).total_seconds() >= 5.0
    wait_for(lambda: env.ecs.describe_services(
        cluster=CLUSTER, services=["worker"])["services"][0]["runningCount"] == 1,
        timeout=30, what="the scheduler to stop two tasks")
