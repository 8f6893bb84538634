"""ELBv2 control plane with boto3: the seeds' topology, waiters, AWS's defaults and errors."""
import pytest
from botocore.exceptions import ClientError

FAST = {"Delay": 1, "MaxAttempts": 60}


@pytest.fixture
def elbv2(make_client):
    return make_client("elbv2")


@pytest.fixture
def ec2(make_client):
    return make_client("ec2")


@pytest.fixture
def network(ec2):
    """A VPC with two public subnets in two AZs and a security group for the ALB."""
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]][:2]
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.%d.0/24" % (i + 1),
                                 AvailabilityZone=z)["Subnet"]["SubnetId"]
               for i, z in enumerate(zones)]
    sg = ec2.create_security_group(GroupName="alb", Description="ALB", VpcId=vpc)["GroupId"]
    return {"vpc": vpc, "subnets": subnets, "sg": sg, "zones": zones}


def make_tg(elbv2, name, vpc, **kw):
    return elbv2.create_target_group(Name=name, Protocol="HTTP", Port=8080, VpcId=vpc,
                                     TargetType="ip", **kw)["TargetGroups"][0]


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


# The seeds' topology: an internet-facing ALB in two subnets, a listener on :80 whose default
# action forwards to the frontend group, and a rule sending /stats* to the backend group.
def test_seed_topology(elbv2, network):
    lb = elbv2.create_load_balancer(Name="seed-alb", Subnets=network["subnets"],
                                    SecurityGroups=[network["sg"]], Scheme="internet-facing",
                                    Type="application")["LoadBalancers"][0]
    assert lb["State"]["Code"] == "provisioning"
    assert lb["DNSName"].startswith("seed-alb-")
    # Gantry's names resolve on this machine (*.localhost); AWS's are under amazonaws.com.
    assert lb["DNSName"].endswith((".us-east-1.elb.localhost", ".us-east-1.elb.amazonaws.com"))
    assert lb["CanonicalHostedZoneId"] == "Z35SXDOTRQ7X7K"
    assert lb["VpcId"] == network["vpc"]
    assert lb["SecurityGroups"] == [network["sg"]]
    assert sorted(z["ZoneName"] for z in lb["AvailabilityZones"]) == sorted(network["zones"])
    arn = lb["LoadBalancerArn"]
    elbv2.get_waiter("load_balancer_available").wait(LoadBalancerArns=[arn], WaiterConfig=FAST)
    assert elbv2.describe_load_balancers(Names=["seed-alb"])["LoadBalancers"][0]["State"] == {
        "Code": "active"}

    frontend = make_tg(elbv2, "frontend", network["vpc"])
    backend = make_tg(elbv2, "backend", network["vpc"], HealthCheckPath="/stats")
    assert frontend["HealthCheckPath"] == "/"
    assert (frontend["HealthCheckIntervalSeconds"], frontend["HealthCheckTimeoutSeconds"],
            frontend["HealthyThresholdCount"], frontend["UnhealthyThresholdCount"]) == (30, 5, 5, 2)
    assert frontend["Matcher"] == {"HttpCode": "200"}

    listener = elbv2.create_listener(
        LoadBalancerArn=arn, Protocol="HTTP", Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": frontend["TargetGroupArn"]}],
    )["Listeners"][0]
    rule = elbv2.create_rule(
        ListenerArn=listener["ListenerArn"], Priority=10,
        Conditions=[{"Field": "path-pattern", "Values": ["/stats*"]}],
        Actions=[{"Type": "forward", "TargetGroupArn": backend["TargetGroupArn"]}],
    )["Rules"][0]
    assert rule["Priority"] == "10"

    rules = elbv2.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"]
    assert [r["Priority"] for r in rules] == ["10", "default"]
    assert rules[1]["IsDefault"] is True
    assert rules[0]["Conditions"][0]["Values"] == ["/stats*"]
    assert rules[1]["Actions"][0]["TargetGroupArn"] == frontend["TargetGroupArn"]

    groups = elbv2.describe_target_groups(LoadBalancerArn=arn)["TargetGroups"]
    assert sorted(g["TargetGroupName"] for g in groups) == ["backend", "frontend"]
    assert all(g["LoadBalancerArns"] == [arn] for g in groups)
    listeners = elbv2.describe_listeners(LoadBalancerArn=arn)["Listeners"]
    assert [(l["Port"], l["Protocol"]) for l in listeners] == [(80, "HTTP")]


def test_target_registration_and_deregistration(elbv2, network):
    lb = elbv2.create_load_balancer(Name="alb", Subnets=network["subnets"])["LoadBalancers"][0]
    tg = make_tg(elbv2, "web", network["vpc"])["TargetGroupArn"]
    target = {"Id": "10.0.1.50", "Port": 8080}

    elbv2.register_targets(TargetGroupArn=tg, Targets=[target])
    health = elbv2.describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"]
    assert health[0]["TargetHealth"]["State"] == "unused"
    assert health[0]["TargetHealth"]["Reason"] == "Target.NotInUse"

    elbv2.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80,
                          DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])
    health = elbv2.describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"]
    assert health[0]["Target"] == target
    assert health[0]["HealthCheckPort"] == "8080"
    assert health[0]["TargetHealth"]["State"] == "initial"
    assert health[0]["TargetHealth"]["Reason"] == "Elb.RegistrationInProgress"

    elbv2.modify_target_group_attributes(
        TargetGroupArn=tg,
        Attributes=[{"Key": "deregistration_delay.timeout_seconds", "Value": "1"}])
    elbv2.deregister_targets(TargetGroupArn=tg, Targets=[target])
    health = elbv2.describe_target_health(TargetGroupArn=tg, Targets=[target])
    assert health["TargetHealthDescriptions"][0]["TargetHealth"]["State"] == "draining"
    assert health["TargetHealthDescriptions"][0]["TargetHealth"]["Reason"] == \
        "Target.DeregistrationInProgress"
    elbv2.get_waiter("target_deregistered").wait(TargetGroupArn=tg, Targets=[target],
                                                 WaiterConfig=FAST)
    after = elbv2.describe_target_health(TargetGroupArn=tg, Targets=[target])
    assert after["TargetHealthDescriptions"][0]["TargetHealth"]["Reason"] == "Target.NotRegistered"


def test_load_balancer_needs_two_availability_zones(elbv2, network):
    with pytest.raises(ClientError) as e:
        elbv2.create_load_balancer(Name="one-az", Subnets=network["subnets"][:1])
    assert error_code(e) == "ValidationError"
    assert e.value.response["Error"]["Message"] == \
        "At least two subnets in two different Availability Zones must be specified"
    with pytest.raises(ClientError) as e:
        elbv2.create_load_balancer(Name="nope", Subnets=["subnet-00000000000000000",
                                                         network["subnets"][0]])
    assert error_code(e) == "SubnetNotFound"


def test_default_security_group_and_attributes(elbv2, ec2, network):
    lb = elbv2.create_load_balancer(Name="alb", Subnets=network["subnets"])["LoadBalancers"][0]
    default = ec2.describe_security_groups(Filters=[
        {"Name": "vpc-id", "Values": [network["vpc"]]},
        {"Name": "group-name", "Values": ["default"]}])["SecurityGroups"][0]["GroupId"]
    assert lb["SecurityGroups"] == [default]
    attrs = {a["Key"]: a["Value"] for a in elbv2.describe_load_balancer_attributes(
        LoadBalancerArn=lb["LoadBalancerArn"])["Attributes"]}
    assert attrs["idle_timeout.timeout_seconds"] == "60"
    assert attrs["deletion_protection.enabled"] == "false"

    elbv2.modify_load_balancer_attributes(
        LoadBalancerArn=lb["LoadBalancerArn"],
        Attributes=[{"Key": "deletion_protection.enabled", "Value": "true"}])
    with pytest.raises(ClientError) as e:
        elbv2.delete_load_balancer(LoadBalancerArn=lb["LoadBalancerArn"])
    assert error_code(e) == "OperationNotPermitted"

    out = elbv2.set_security_groups(LoadBalancerArn=lb["LoadBalancerArn"],
                                    SecurityGroups=[network["sg"]])
    assert out["SecurityGroupIds"] == [network["sg"]]


def test_errors_use_aws_codes(elbv2, network):
    lb = elbv2.create_load_balancer(Name="alb", Subnets=network["subnets"])["LoadBalancers"][0]
    tg = make_tg(elbv2, "web", network["vpc"])["TargetGroupArn"]
    listener = elbv2.create_listener(
        LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])["Listeners"][0]

    with pytest.raises(ClientError) as e:
        make_tg(elbv2, "web", network["vpc"], HealthCheckPath="/other")
    assert error_code(e) == "DuplicateTargetGroupName"
    with pytest.raises(ClientError) as e:
        elbv2.delete_target_group(TargetGroupArn=tg)
    assert error_code(e) == "ResourceInUse"
    with pytest.raises(ClientError) as e:
        elbv2.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80,
                              DefaultActions=[{"Type": "fixed-response", "FixedResponseConfig": {
                                  "StatusCode": "404"}}])
    assert error_code(e) == "DuplicateListener"

    cond = [{"Field": "host-header", "Values": ["api.example.com"]}]
    fixed = [{"Type": "fixed-response",
              "FixedResponseConfig": {"StatusCode": "200", "ContentType": "text/plain",
                                      "MessageBody": "ok"}}]
    elbv2.create_rule(ListenerArn=listener["ListenerArn"], Priority=5, Conditions=cond,
                      Actions=fixed)
    with pytest.raises(ClientError) as e:
        elbv2.create_rule(ListenerArn=listener["ListenerArn"], Priority=5, Conditions=cond,
                          Actions=fixed)
    assert error_code(e) == "PriorityInUse"

    bogus = lb["LoadBalancerArn"][:-4] + "0000"
    with pytest.raises(ClientError) as e:
        elbv2.describe_load_balancers(LoadBalancerArns=[bogus])
    assert error_code(e) == "LoadBalancerNotFound"
    with pytest.raises(ClientError) as e:
        elbv2.describe_listeners(ListenerArns=[listener["ListenerArn"][:-4] + "0000"])
    assert error_code(e) == "ListenerNotFound"
    with pytest.raises(ClientError) as e:
        elbv2.describe_target_health(TargetGroupArn=tg[:-4] + "0000")
    assert error_code(e) == "TargetGroupNotFound"


def test_tags_limits_and_ssl_policies(elbv2, network):
    lb = elbv2.create_load_balancer(Name="alb", Subnets=network["subnets"],
                                    Tags=[{"Key": "env", "Value": "dev"}])["LoadBalancers"][0]
    arn = lb["LoadBalancerArn"]
    elbv2.add_tags(ResourceArns=[arn], Tags=[{"Key": "team", "Value": "web"}])
    tags = elbv2.describe_tags(ResourceArns=[arn])["TagDescriptions"][0]["Tags"]
    assert tags == [{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "web"}]
    elbv2.remove_tags(ResourceArns=[arn], TagKeys=["env"])
    assert elbv2.describe_tags(ResourceArns=[arn])["TagDescriptions"][0]["Tags"] == [
        {"Key": "team", "Value": "web"}]
    limits = {l["Name"]: l["Max"] for l in elbv2.describe_account_limits()["Limits"]}
    assert limits["application-load-balancers"] == "50"
    names = [p["Name"] for p in elbv2.describe_ssl_policies()["SslPolicies"]]
    assert "ELBSecurityPolicy-2016-08" in names


def test_paginators_walk_every_load_balancer(elbv2, network):
    for i in range(3):
        elbv2.create_load_balancer(Name="alb-%d" % i, Subnets=network["subnets"])
    pages = elbv2.get_paginator("describe_load_balancers").paginate(
        PaginationConfig={"PageSize": 2})
    names = [lb["LoadBalancerName"] for page in pages for lb in page["LoadBalancers"]]
    assert names == ["alb-0", "alb-1", "alb-2"]
