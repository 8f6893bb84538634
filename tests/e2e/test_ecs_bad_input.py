"""Bad input on purpose (boto3 parameter validation off): each operation family answers with the
ECS error code and HTTP status that ECS sends."""
import pytest
from botocore.exceptions import ClientError

NETWORK = {"awsvpcConfiguration": {"subnets": ["subnet-0123456789abcdef0"]}}


@pytest.fixture
def ecs(make_client):
    return make_client("ecs")


def fails(call, code, status=400, message=None, **kw):
    with pytest.raises(ClientError) as e:
        call(**kw)
    err = e.value.response
    assert err["Error"]["Code"] == code, err
    assert err["ResponseMetadata"]["HTTPStatusCode"] == status
    if message is not None:
        assert err["Error"]["Message"] == message
    return err


def fargate(family="bad", cpu="256", memory="512", **kw):
    args = dict(family=family, requiresCompatibilities=["FARGATE"], networkMode="awsvpc",
                cpu=cpu, memory=memory,
                containerDefinitions=[{"name": "app", "image": "nginx"}])
    args.update(kw)
    return args


# A JSON value of the wrong type never reaches ECS's validation: the JSON protocol front end
# answers SerializationException.
def test_wrong_types_are_rejected(ecs):
    fails(ecs.create_cluster, "SerializationException", clusterName=123)
    fails(ecs.list_clusters, "SerializationException", maxResults="ten")
    fails(ecs.run_task, "SerializationException", taskDefinition="x", count="two")


def test_missing_required_members(ecs):
    fails(ecs.register_task_definition, "InvalidParameterException", family="x")
    fails(ecs.describe_task_definition, "InvalidParameterException")
    fails(ecs.stop_task, "InvalidParameterException")


def test_unknown_cluster_everywhere(ecs):
    for call, kw in [
        (ecs.list_services, {}),
        (ecs.list_tasks, {}),
        (ecs.describe_services, {"services": ["a"]}),
        (ecs.describe_tasks, {"tasks": ["a"]}),
        (ecs.update_service, {"service": "a"}),
        (ecs.delete_service, {"service": "a"}),
        (ecs.delete_cluster, {}),
        (ecs.stop_task, {"task": "a"}),
        (ecs.update_cluster_settings, {"settings": [{"name": "containerInsights",
                                                     "value": "enabled"}]}),
    ]:
        fails(call, "ClusterNotFoundException", cluster="no-such-cluster", **kw)


def test_bad_fargate_sizes(ecs):
    fails(ecs.register_task_definition, "ClientException",
          message="No Fargate configuration exists for given values: 256 CPU, 4096 memory. "
                  "See the Amazon ECS documentation for the valid values.",
          **fargate(memory="4096"))
    fails(ecs.register_task_definition, "ClientException", **fargate(cpu="8192", memory="17408"))
    fails(ecs.register_task_definition, "ClientException", **fargate(networkMode="bridge"))
    fails(ecs.register_task_definition, "InvalidParameterException", **fargate(cpu="lots"))


def test_host_port_must_match_in_awsvpc(ecs):
    args = fargate()
    args["containerDefinitions"][0]["portMappings"] = [{"containerPort": 80, "hostPort": 8080}]
    fails(ecs.register_task_definition, "ClientException",
          message="When networkMode=awsvpc, the host ports and container ports in port "
                  "mappings must match.", **args)


def test_unknown_task_definition(ecs):
    fails(ecs.describe_task_definition, "ClientException", taskDefinition="nope-nope:1",
          message="Unable to describe task definition.")
    fails(ecs.deregister_task_definition, "ClientException", taskDefinition="nope-nope:1")


def test_service_errors(ecs):
    ecs.create_cluster(clusterName="bad-svc")
    ecs.register_task_definition(**fargate(family="svc"))
    fails(ecs.create_service, "InvalidParameterException", cluster="bad-svc", serviceName="s",
          taskDefinition="svc", launchType="FARGATE",
          message="Network Configuration must be provided when networkMode 'awsvpc' is "
                  "specified.")
    fails(ecs.create_service, "InvalidParameterException", cluster="bad-svc", serviceName="s",
          taskDefinition="svc", launchType="FARGATE", networkConfiguration=NETWORK,
          capacityProviderStrategy=[{"capacityProvider": "FARGATE"}])
    fails(ecs.create_service, "InvalidParameterException", cluster="bad-svc", serviceName="s",
          taskDefinition="svc", launchType="FARGATE", networkConfiguration=NETWORK,
          loadBalancers=[{"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:"
                          "123456789012:targetgroup/t/0123456789abcdef",
                          "containerName": "app", "containerPort": 8080}])
    fails(ecs.update_service, "ServiceNotFoundException", cluster="bad-svc", service="none",
          desiredCount=1)
    fails(ecs.describe_services, "InvalidParameterException", cluster="bad-svc",
          services=["s%d" % i for i in range(11)])


def test_task_errors(ecs):
    ecs.create_cluster(clusterName="bad-task")
    ecs.register_task_definition(**fargate(family="tsk"))
    fails(ecs.run_task, "InvalidParameterException", cluster="bad-task", taskDefinition="tsk",
          launchType="FARGATE")
    fails(ecs.run_task, "InvalidParameterException", cluster="bad-task", taskDefinition="tsk",
          launchType="FARGATE", networkConfiguration=NETWORK, count=11)
    fails(ecs.stop_task, "InvalidParameterException", cluster="bad-task", task="0" * 32,
          message="The referenced task was not found.")


def test_pagination_errors(ecs):
    fails(ecs.list_clusters, "InvalidParameterException", nextToken="!!not-a-token!!")
    fails(ecs.list_task_definitions, "InvalidParameterException", maxResults=1000)


def test_tag_errors(ecs, make_client):
    account = make_client("sts").get_caller_identity()["Account"]
    fails(ecs.list_tags_for_resource, "InvalidParameterException", resourceArn="nope")
    fails(ecs.tag_resource, "ClusterNotFoundException",
          resourceArn="arn:aws:ecs:us-east-1:%s:cluster/no-such-cluster" % account,
          tags=[{"key": "a", "value": "b"}])


def test_account_setting_errors(ecs):
    fails(ecs.put_account_setting, "InvalidParameterException", name="awsvpcTrunking",
          value="maybe")
    fails(ecs.put_account_setting, "InvalidParameterException", name="nonsense", value="enabled")


def test_unknown_operation(make_client, endpoint):
    import json
    import urllib.request
    req = urllib.request.Request(
        endpoint + "/", method="POST", data=json.dumps({}).encode(),
        headers={"X-Amz-Target": "AmazonEC2ContainerServiceV20141113.NoSuchThing",
                 "Content-Type": "application/x-amz-json-1.1"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, timeout=10)
    assert e.value.code == 400
