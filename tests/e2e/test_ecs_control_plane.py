"""ECS control plane through boto3: clusters, task definitions, services, tasks, tags, settings.

Written to pass against real AWS too (set ECS_E2E_SUBNET/ECS_E2E_SG to real ids there); behaviour
only Gantry has without a task runtime is marked emulator_only.
"""
import os
import uuid

import pytest
from botocore.exceptions import ClientError

SUBNET = os.environ.get("ECS_E2E_SUBNET", "subnet-0123456789abcdef0")
SG = os.environ.get("ECS_E2E_SG", "sg-0123456789abcdef0")
NETWORK = {"awsvpcConfiguration": {"subnets": [SUBNET], "securityGroups": [SG]}}


@pytest.fixture(autouse=True)
def network(make_client):
    """A real subnet and security group (ECS checks that they exist, in EC2), unless the
    ECS_E2E_* ids of a real account are given."""
    if "ECS_E2E_SUBNET" in os.environ:
        return
    ec2 = make_client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.1.0/24")["Subnet"]["SubnetId"]
    sg = ec2.create_security_group(GroupName="e2e", Description="e2e", VpcId=vpc)["GroupId"]
    NETWORK["awsvpcConfiguration"]["subnets"] = [subnet]
    NETWORK["awsvpcConfiguration"]["securityGroups"] = [sg]


@pytest.fixture
def ecs(make_client):
    return make_client("ecs")


@pytest.fixture
def cluster(ecs):
    name = "e2e-" + uuid.uuid4().hex[:8]
    ecs.create_cluster(clusterName=name)
    yield name


def register_web(ecs, family="web", **kw):
    args = dict(
        family=family, requiresCompatibilities=["FARGATE"], networkMode="awsvpc",
        cpu="256", memory="512",
        containerDefinitions=[{"name": "app", "image": "nginx:alpine",
                               "portMappings": [{"containerPort": 80}]}])
    args.update(kw)
    return ecs.register_task_definition(**args)["taskDefinition"]


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


# Cluster -----------------------------------------------------------------------------------------

def test_create_describe_list_delete_cluster(ecs):
    c = ecs.create_cluster(clusterName="alpha", tags=[{"key": "team", "value": "core"}],
                           settings=[{"name": "containerInsights", "value": "enabled"}])["cluster"]
    assert c["clusterArn"].endswith(":cluster/alpha")
    assert c["status"] == "ACTIVE"
    assert c["tags"] == [{"key": "team", "value": "core"}]
    described = ecs.describe_clusters(clusters=["alpha"], include=["SETTINGS", "TAGS"])
    assert described["failures"] == []
    d = described["clusters"][0]
    assert d["settings"] == [{"name": "containerInsights", "value": "enabled"}]
    assert d["activeServicesCount"] == 0 and d["runningTasksCount"] == 0
    assert c["clusterArn"] in ecs.list_clusters()["clusterArns"]
    assert ecs.delete_cluster(cluster="alpha")["cluster"]["status"] == "INACTIVE"
    assert c["clusterArn"] not in ecs.list_clusters()["clusterArns"]


def test_describe_unknown_cluster_is_missing(ecs):
    out = ecs.describe_clusters(clusters=["no-such-cluster-x"])
    assert out["clusters"] == []
    assert out["failures"][0]["reason"] == "MISSING"
    assert out["failures"][0]["arn"].endswith(":cluster/no-such-cluster-x")


def test_list_clusters_paginator(ecs):
    names = ["pg-%d" % i for i in range(5)]
    for n in names:
        ecs.create_cluster(clusterName=n)
    pages = list(ecs.get_paginator("list_clusters").paginate(PaginationConfig={"PageSize": 2}))
    arns = [a for p in pages for a in p["clusterArns"]]
    assert len(pages) >= 3
    assert all(any(a.endswith("/" + n) for a in arns) for n in names)


@pytest.mark.emulator_only  # a fresh account's state
def test_clusters_are_isolated_by_region(make_client):
    eu = make_client("ecs", region="eu-west-1")
    us = make_client("ecs")
    eu.create_cluster(clusterName="regional")
    assert us.describe_clusters(clusters=["regional"])["failures"][0]["reason"] == "MISSING"
    assert eu.describe_clusters(clusters=["regional"])["clusters"][0]["clusterArn"] \
        .startswith("arn:aws:ecs:eu-west-1:")


# Task definitions ---------------------------------------------------------------------------------

def test_register_and_describe_task_definition_echoes_fields(ecs):
    td = register_web(ecs, family="echo",
                      runtimePlatform={"cpuArchitecture": "X86_64",
                                       "operatingSystemFamily": "LINUX"},
                      ephemeralStorage={"sizeInGiB": 25},
                      tags=[{"key": "a", "value": "b"}])
    assert td["taskDefinitionArn"].endswith(":task-definition/echo:1")
    assert td["revision"] == 1 and td["status"] == "ACTIVE"
    assert td["runtimePlatform"]["cpuArchitecture"] == "X86_64"
    assert td["ephemeralStorage"] == {"sizeInGiB": 25}
    assert "FARGATE" in td["compatibilities"]
    assert td["containerDefinitions"][0]["portMappings"][0]["hostPort"] == 80
    out = ecs.describe_task_definition(taskDefinition="echo", include=["TAGS"])
    assert out["taskDefinition"]["taskDefinitionArn"] == td["taskDefinitionArn"]
    assert out["tags"] == [{"key": "a", "value": "b"}]
    assert register_web(ecs, family="echo")["revision"] == 2


def test_task_definition_lifecycle(ecs):
    register_web(ecs, family="life")
    ecs.deregister_task_definition(taskDefinition="life:1")
    assert ecs.describe_task_definition(taskDefinition="life:1")["taskDefinition"]["status"] == "INACTIVE"
    inactive = ecs.list_task_definitions(familyPrefix="life", status="INACTIVE")["taskDefinitionArns"]
    assert len(inactive) == 1
    out = ecs.delete_task_definitions(taskDefinitions=["life:1"])
    assert out["taskDefinitions"][0]["status"] == "DELETE_IN_PROGRESS"


def test_list_task_definitions_sorted(ecs):
    for fam in ["zz-b", "zz-a", "zz-b"]:
        register_web(ecs, family=fam)
    asc = [a.split("/")[-1] for a in ecs.list_task_definitions()["taskDefinitionArns"]
           if "/zz-" in a]
    assert asc == ["zz-a:1", "zz-b:1", "zz-b:2"]
    desc = [a.split("/")[-1] for a in ecs.list_task_definitions(sort="DESC")["taskDefinitionArns"]
            if "/zz-" in a]
    assert desc == list(reversed(asc))
    fams = ecs.list_task_definition_families(familyPrefix="zz-")["families"]
    assert fams == ["zz-a", "zz-b"]


# Services ----------------------------------------------------------------------------------------

def test_create_and_describe_service(ecs, cluster):
    register_web(ecs)
    s = ecs.create_service(cluster=cluster, serviceName="web", taskDefinition="web",
                           desiredCount=2, launchType="FARGATE",
                           networkConfiguration=NETWORK)["service"]
    assert s["serviceArn"].endswith(":service/%s/web" % cluster)
    assert s["status"] == "ACTIVE"
    assert s["deploymentConfiguration"]["maximumPercent"] == 200
    assert s["deploymentConfiguration"]["minimumHealthyPercent"] == 100
    assert s["deploymentConfiguration"]["deploymentCircuitBreaker"] == {"enable": False,
                                                                        "rollback": False}
    [d] = s["deployments"]
    assert d["status"] == "PRIMARY" and d["id"].startswith("ecs-svc/")
    assert d["rolloutState"] == "IN_PROGRESS"
    out = ecs.describe_services(cluster=cluster, services=["web", "nope"])
    assert out["services"][0]["serviceName"] == "web"
    assert out["failures"][0]["reason"] == "MISSING"
    assert ecs.list_services(cluster=cluster)["serviceArns"] == [s["serviceArn"]]


def test_update_service_new_deployment(ecs, cluster):
    register_web(ecs)
    ecs.create_service(cluster=cluster, serviceName="web", taskDefinition="web", desiredCount=1,
                       launchType="FARGATE", networkConfiguration=NETWORK)
    register_web(ecs)
    s = ecs.update_service(cluster=cluster, service="web", taskDefinition="web:2")["service"]
    assert [d["status"] for d in s["deployments"]] == ["PRIMARY", "ACTIVE"]
    assert s["deployments"][0]["taskDefinition"].endswith("web:2")


def test_service_not_idempotent(ecs, cluster):
    register_web(ecs)
    kw = dict(cluster=cluster, serviceName="dup", taskDefinition="web", desiredCount=0,
              launchType="FARGATE", networkConfiguration=NETWORK)
    ecs.create_service(clientToken="t1", **kw)
    ecs.create_service(clientToken="t1", **kw)  # same token: same service
    with pytest.raises(ClientError) as e:
        ecs.create_service(clientToken="t2", **kw)
    assert error_code(e) == "InvalidParameterException"
    assert "Creation of service was not idempotent" in str(e.value)


def test_delete_service_needs_scale_to_zero(ecs, cluster):
    register_web(ecs)
    ecs.create_service(cluster=cluster, serviceName="web", taskDefinition="web", desiredCount=1,
                       launchType="FARGATE", networkConfiguration=NETWORK)
    with pytest.raises(ClientError) as e:
        ecs.delete_service(cluster=cluster, service="web")
    assert error_code(e) == "InvalidParameterException"
    s = ecs.delete_service(cluster=cluster, service="web", force=True)["service"]
    assert s["status"] == "DRAINING"


@pytest.mark.emulator_only  # no tasks to drain, so INACTIVE at once
def test_deleted_service_is_inactive(ecs, cluster):
    register_web(ecs)
    ecs.create_service(cluster=cluster, serviceName="web", taskDefinition="web", desiredCount=0,
                       launchType="FARGATE", networkConfiguration=NETWORK)
    ecs.delete_service(cluster=cluster, service="web")
    ecs.get_waiter("services_inactive").wait(cluster=cluster, services=["web"],
                                               WaiterConfig={"Delay": 1, "MaxAttempts": 5})
    with pytest.raises(ClientError) as e:
        ecs.update_service(cluster=cluster, service="web", desiredCount=1)
    assert error_code(e) == "ServiceNotActiveException"


def test_list_services_default_page_is_ten(ecs, cluster):
    register_web(ecs)
    for i in range(12):
        ecs.create_service(cluster=cluster, serviceName="s%02d" % i, taskDefinition="web",
                           desiredCount=0, launchType="FARGATE", networkConfiguration=NETWORK)
    first = ecs.list_services(cluster=cluster)
    assert len(first["serviceArns"]) == 10 and "nextToken" in first
    rest = ecs.list_services(cluster=cluster, nextToken=first["nextToken"])
    assert len(rest["serviceArns"]) == 2 and "nextToken" not in rest


# Tasks -------------------------------------------------------------------------------------------

def test_run_describe_list_stop_task(ecs, cluster):
    register_web(ecs)
    out = ecs.run_task(cluster=cluster, taskDefinition="web", launchType="FARGATE", count=2,
                       startedBy="e2e", networkConfiguration=NETWORK)
    assert out["failures"] == []
    arns = [t["taskArn"] for t in out["tasks"]]
    for a in arns:
        assert a.startswith("arn:aws:ecs:us-east-1:") and ("/%s/" % cluster) in a
        assert len(a.split("/")[-1]) == 32
    t = out["tasks"][0]
    assert t["desiredStatus"] == "RUNNING"
    assert t["lastStatus"] in ("PROVISIONING", "PENDING", "RUNNING")
    listed = ecs.list_tasks(cluster=cluster, startedBy="e2e")["taskArns"]
    assert sorted(listed) == sorted(arns)
    stopped = ecs.stop_task(cluster=cluster, task=arns[0], reason="e2e done")["task"]
    assert stopped["desiredStatus"] == "STOPPED"
    assert stopped["stoppedReason"] == "e2e done"
    assert stopped["stopCode"] == "UserInitiated"
    described = ecs.describe_tasks(cluster=cluster, tasks=arns[:1] + ["0" * 32])
    assert described["tasks"][0]["desiredStatus"] == "STOPPED"
    assert described["failures"][0]["reason"] == "MISSING"
    assert arns[0] in ecs.list_tasks(cluster=cluster, desiredStatus="STOPPED")["taskArns"]


@pytest.mark.emulator_only  # without a runtime, a stopped task is STOPPED at once
def test_stop_task_without_runtime_is_stopped(ecs, cluster):
    register_web(ecs)
    arn = ecs.run_task(cluster=cluster, taskDefinition="web", launchType="FARGATE",
                       networkConfiguration=NETWORK)["tasks"][0]["taskArn"]
    ecs.stop_task(cluster=cluster, task=arn)
    ecs.get_waiter("tasks_stopped").wait(cluster=cluster, tasks=[arn],
                                         WaiterConfig={"Delay": 1, "MaxAttempts": 5})
    t = ecs.describe_tasks(cluster=cluster, tasks=[arn])["tasks"][0]
    assert "stoppedAt" in t and "executionStoppedAt" in t


# Tags and settings -------------------------------------------------------------------------------

def test_tag_untag_list(ecs, cluster):
    arn = ecs.describe_clusters(clusters=[cluster])["clusters"][0]["clusterArn"]
    ecs.tag_resource(resourceArn=arn, tags=[{"key": "a", "value": "1"}, {"key": "b", "value": "2"}])
    ecs.untag_resource(resourceArn=arn, tagKeys=["a"])
    assert ecs.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "b", "value": "2"}]


def test_account_settings_effective(ecs):
    out = ecs.list_account_settings(effectiveSettings=True, name="serviceLongArnFormat")
    assert out["settings"][0]["value"] == "enabled"


def test_capacity_providers_fargate_present(ecs):
    names = [c["name"] for c in ecs.describe_capacity_providers(
        capacityProviders=["FARGATE", "FARGATE_SPOT"])["capacityProviders"]]
    assert names == ["FARGATE", "FARGATE_SPOT"]
