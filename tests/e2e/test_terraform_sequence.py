"""The calls the Terraform AWS provider (5.100) makes for the seed architecture, replayed with boto3.

tests/e2e/terraform/main.tf declares the seed architecture; `terraform apply`, a second `plan`, a
tag change and `terraform destroy` against Gantry were recorded with TF_LOG=DEBUG, and this file
replays those requests in the provider's order and with its parameters (including the ones it
sends empty: ProtocolVersion="", capacityProviderStrategy=[]). Each assertion is a field a
provider waiter or reader depends on: a wrong one fails `apply` or shows up as drift in `plan`.
Terraform is not needed to run this; the .tf file is for running the same flow by hand.
"""
import pytest
from botocore.exceptions import ClientError

from conftest import client_for

FAST = {"Delay": 1, "MaxAttempts": 120}


@pytest.fixture
def aws(endpoint):
    class Clients:
        pass
    c = Clients()
    for name in ("ec2", "ecs", "ecr", "elbv2", "logs", "sts"):
        setattr(c, name, client_for(endpoint, name))
    return c


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def tag_spec(resource_type, **tags):
    return [{"ResourceType": resource_type,
             "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}]


def ec2_tags(tags):
    return {t["Key"]: t["Value"] for t in tags or []}


def elbv2_tags(elbv2, arn):
    (desc,) = elbv2.describe_tags(ResourceArns=[arn])["TagDescriptions"]
    assert desc["ResourceArn"] == arn
    return {t["Key"]: t["Value"] for t in desc["Tags"]}


def attributes(items):
    return {a["Key"]: a["Value"] for a in items}


# aws_lb's create sends every attribute the provider manages for an application load balancer,
# each at its schema default.
LB_DEFAULT_ATTRIBUTES = {
    "access_logs.s3.enabled": "false",
    "connection_logs.s3.enabled": "false",
    "deletion_protection.enabled": "false",
    "routing.http2.enabled": "true",
    "waf.fail_open.enabled": "false",
    "routing.http.xff_header_processing.mode": "append",
    "idle_timeout.timeout_seconds": "60",
    "client_keep_alive.seconds": "3600",
    "routing.http.desync_mitigation_mode": "defensive",
    "routing.http.x_amzn_tls_version_and_cipher_suite.enabled": "false",
    "zonal_shift.config.enabled": "false",
    "routing.http.drop_invalid_header_fields.enabled": "false",
    "routing.http.xff_client_port.enabled": "false",
    "routing.http.preserve_host_header.enabled": "false",
}


def create_vpc(ec2):
    """aws_vpc: create, wait available, set DNS hostnames, then the reader's attribute calls."""
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", AmazonProvidedIpv6CidrBlock=False,
                         InstanceTenancy="default",
                         TagSpecifications=tag_spec("vpc", Name="seed-vpc"))["Vpc"]["VpcId"]
    (v,) = ec2.describe_vpcs(VpcIds=[vpc])["Vpcs"]
    assert v["State"] == "available"
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    # The update waiter, then the reader.
    assert ec2.describe_vpc_attribute(VpcId=vpc, Attribute="enableDnsHostnames")[
        "EnableDnsHostnames"] == {"Value": True}
    (v,) = ec2.describe_vpcs(VpcIds=[vpc])["Vpcs"]
    assert v["CidrBlock"] == "10.0.0.0/16"
    assert v["InstanceTenancy"] == "default"
    assert v["IsDefault"] is False
    assert ec2_tags(v.get("Tags")) == {"Name": "seed-vpc"}
    assert ec2.describe_vpc_attribute(VpcId=vpc, Attribute="enableDnsHostnames")[
        "EnableDnsHostnames"] == {"Value": True}
    assert ec2.describe_vpc_attribute(VpcId=vpc, Attribute="enableDnsSupport")[
        "EnableDnsSupport"] == {"Value": True}
    assert ec2.describe_vpc_attribute(VpcId=vpc, Attribute="enableNetworkAddressUsageMetrics")[
        "EnableNetworkAddressUsageMetrics"] == {"Value": False}
    (acl,) = ec2.describe_network_acls(Filters=[
        {"Name": "default", "Values": ["true"]}, {"Name": "vpc-id", "Values": [vpc]}])["NetworkAcls"]
    assert acl["IsDefault"] is True and acl["NetworkAclId"].startswith("acl-")
    (main,) = ec2.describe_route_tables(Filters=[
        {"Name": "association.main", "Values": ["true"]},
        {"Name": "vpc-id", "Values": [vpc]}])["RouteTables"]
    assert any(a["Main"] for a in main["Associations"])
    (default_sg,) = ec2.describe_security_groups(Filters=[
        {"Name": "group-name", "Values": ["default"]},
        {"Name": "vpc-id", "Values": [vpc]}])["SecurityGroups"]
    assert default_sg["GroupId"].startswith("sg-")
    return vpc


def create_subnet(ec2, vpc, cidr, zone, name, public_ip):
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=zone,
                               TagSpecifications=tag_spec("subnet", Name=name))["Subnet"]
    assert subnet["State"] == "available"
    sid = subnet["SubnetId"]
    (s,) = ec2.describe_subnets(SubnetIds=[sid])["Subnets"]
    assert s["State"] == "available"
    if public_ip:
        ec2.modify_subnet_attribute(SubnetId=sid, MapPublicIpOnLaunch={"Value": True})
        # The provider's waiter polls until the attribute reads back as set.
    (s,) = ec2.describe_subnets(SubnetIds=[sid])["Subnets"]
    assert s["MapPublicIpOnLaunch"] is public_ip
    assert s["AvailabilityZone"] == zone and s["CidrBlock"] == cidr and s["VpcId"] == vpc
    assert s["AssignIpv6AddressOnCreation"] is False
    assert s["MapCustomerOwnedIpOnLaunch"] is False
    assert ec2_tags(s["Tags"]) == {"Name": name}
    return sid


def create_security_group(ec2, vpc, name, description):
    """aws_security_group: create, wait, revoke the default egress rules (IPv4 and IPv6)."""
    gid = ec2.create_security_group(GroupName=name, Description=description, VpcId=vpc,
                                    TagSpecifications=tag_spec("security-group", Name=name))[
        "GroupId"]
    (g,) = ec2.describe_security_groups(GroupIds=[gid])["SecurityGroups"]
    assert g["IpPermissions"] == []
    # AWS gives every new VPC group one egress rule: all traffic to 0.0.0.0/0.
    (egress,) = g["IpPermissionsEgress"]
    assert egress["IpProtocol"] == "-1"
    assert [r["CidrIp"] for r in egress["IpRanges"]] == ["0.0.0.0/0"]
    ec2.revoke_security_group_egress(GroupId=gid, IpPermissions=[{
        "FromPort": 0, "ToPort": 0, "IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    # The IPv6 default rule exists only in a VPC with IPv6; the provider ignores this error.
    with pytest.raises(ClientError) as e:
        ec2.revoke_security_group_egress(GroupId=gid, IpPermissions=[{
            "FromPort": 0, "ToPort": 0, "IpProtocol": "-1",
            "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}])
    assert error_code(e) == "InvalidPermission.NotFound"
    (g,) = ec2.describe_security_groups(GroupIds=[gid])["SecurityGroups"]
    assert g["IpPermissionsEgress"] == []
    return gid


def test_terraform_apply_plan_update_destroy(aws):
    ec2, ecs, ecr, elbv2, logs = aws.ec2, aws.ecs, aws.ecr, aws.elbv2, aws.logs
    # The provider learns the account from STS (GetCallerIdentity) to tell its own security
    # group references from another account's.
    account = aws.sts.get_caller_identity()["Account"]
    role = "arn:aws:iam::%s:role/ecsTaskExecutionRole" % account

    # --- apply: resources without dependencies -------------------------------------------------
    ecr.create_repository(repositoryName="backend", imageTagMutability="MUTABLE")
    logs.create_log_group(logGroupName="/ecs/seed", tags={"app": "seed"})
    cluster = ecs.create_cluster(clusterName="seed", settings=[
        {"name": "containerInsights", "value": "disabled"}],
        tags=[{"key": "app", "value": "seed"}])["cluster"]
    repo = ecr.create_repository(repositoryName="frontend", imageTagMutability="MUTABLE",
                                 tags=[{"Key": "app", "Value": "seed"}])["repository"]
    logs.put_retention_policy(logGroupName="/ecs/seed", retentionInDays=7)
    for name in ("backend", "frontend"):
        (r,) = ecr.describe_repositories(repositoryNames=[name])["repositories"]
        assert r["imageTagMutability"] == "MUTABLE"
        assert r["imageScanningConfiguration"] == {"scanOnPush": False}
        assert r["encryptionConfiguration"] == {"encryptionType": "AES256"}
        expected = {"app": "seed"} if name == "frontend" else {}
        assert {t["Key"]: t["Value"] for t in ecr.list_tags_for_resource(
            resourceArn=r["repositoryArn"])["tags"]} == expected
    (group,) = logs.describe_log_groups(logGroupNamePrefix="/ecs/seed")["logGroups"]
    assert group["logGroupName"] == "/ecs/seed" and group["retentionInDays"] == 7
    # The provider strips the ":*" that DescribeLogGroups puts at the end of "arn".
    group_arn = group["arn"][:-2] if group["arn"].endswith(":*") else group["arn"]
    assert group_arn == "arn:aws:logs:us-east-1:%s:log-group:/ecs/seed" % account
    assert logs.list_tags_for_resource(resourceArn=group_arn)["tags"] == {"app": "seed"}

    vpc = create_vpc(ec2)

    task_defs = {}
    for family, container, port, tags in (("seed-backend", "backend", 8080, None),
                                          ("seed-frontend", "frontend", 80, "seed")):
        definition = {"essential": True, "image": "%s:v1" % repo["repositoryUri"],
                      "name": container,
                      "portMappings": [{"containerPort": port, "protocol": "tcp"}]}
        kw = {"tags": [{"key": "app", "value": tags}]} if tags else {}
        td = ecs.register_task_definition(
            family=family, containerDefinitions=[definition], cpu="256", memory="512",
            executionRoleArn=role, networkMode="awsvpc", requiresCompatibilities=["FARGATE"],
            **kw)["taskDefinition"]
        out = ecs.describe_task_definition(taskDefinition=td["taskDefinitionArn"],
                                           include=["TAGS"])
        assert out["taskDefinition"]["status"] == "ACTIVE"
        assert out["taskDefinition"]["networkMode"] == "awsvpc"
        assert out["taskDefinition"]["requiresCompatibilities"] == ["FARGATE"]
        assert out["taskDefinition"]["cpu"] == "256" and out["taskDefinition"]["memory"] == "512"
        assert out.get("tags", []) == kw.get("tags", [])
        task_defs[container] = td["taskDefinitionArn"]

    # aws_ecs_cluster waits for ACTIVE, then reads settings and tags.
    (c,) = ecs.describe_clusters(clusters=[cluster["clusterArn"]],
                                 include=["TAGS", "CONFIGURATIONS", "SETTINGS"])["clusters"]
    assert c["status"] == "ACTIVE"
    assert c["settings"] == [{"name": "containerInsights", "value": "disabled"}]
    assert c["tags"] == [{"key": "app", "value": "seed"}]

    # --- apply: the network ----------------------------------------------------------------
    rtb = ec2.create_route_table(VpcId=vpc, ClientToken="terraform-rtb-1",
                                 TagSpecifications=tag_spec("route-table", Name="seed-public"))[
        "RouteTable"]["RouteTableId"]
    subnet_a = create_subnet(ec2, vpc, "10.0.1.0/24", "us-east-1a", "seed-public-a", True)
    igw = ec2.create_internet_gateway(
        TagSpecifications=tag_spec("internet-gateway", Name="seed-igw"))[
        "InternetGateway"]["InternetGatewayId"]
    subnet_b = create_subnet(ec2, vpc, "10.0.2.0/24", "us-east-1b", "seed-public-b", False)
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    (g,) = ec2.describe_internet_gateways(InternetGatewayIds=[igw])["InternetGateways"]
    assert g["Attachments"] == [{"State": "available", "VpcId": vpc}]
    assert ec2_tags(g["Tags"]) == {"Name": "seed-igw"}
    (t,) = ec2.describe_route_tables(RouteTableIds=[rtb])["RouteTables"]
    assert t["VpcId"] == vpc and ec2_tags(t["Tags"]) == {"Name": "seed-public"}
    assert [(r["DestinationCidrBlock"], r["GatewayId"]) for r in t["Routes"]] == [
        ("10.0.0.0/16", "local")]
    associations = []
    for subnet in (subnet_b, subnet_a):
        assoc = ec2.associate_route_table(RouteTableId=rtb, SubnetId=subnet)
        assert assoc["AssociationState"]["State"] == "associated"
        associations.append(assoc["AssociationId"])
        (t,) = ec2.describe_route_tables(Filters=[
            {"Name": "association.route-table-association-id",
             "Values": [assoc["AssociationId"]]}])["RouteTables"]
        (a,) = [a for a in t["Associations"]
                if a.get("RouteTableAssociationId") == assoc["AssociationId"]]
        assert a["SubnetId"] == subnet and a["Main"] is False
        assert a["AssociationState"]["State"] == "associated"
    ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    (t,) = ec2.describe_route_tables(RouteTableIds=[rtb])["RouteTables"]
    (route,) = [r for r in t["Routes"] if r.get("DestinationCidrBlock") == "0.0.0.0/0"]
    assert route["GatewayId"] == igw
    assert route["State"] == "active" and route["Origin"] == "CreateRoute"

    alb_sg = create_security_group(ec2, vpc, "alb-sg", "ALB open to the world")
    tasks_sg = create_security_group(ec2, vpc, "tasks-sg", "Tasks reachable only from the ALB")
    # Inline rules of aws_security_group alb-sg.
    ec2.authorize_security_group_ingress(GroupId=alb_sg, IpPermissions=[{
        "FromPort": 80, "ToPort": 80, "IpProtocol": "tcp", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    ec2.authorize_security_group_egress(GroupId=alb_sg, IpPermissions=[{
        "IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    (g,) = ec2.describe_security_groups(GroupIds=[alb_sg])["SecurityGroups"]
    (ingress,) = g["IpPermissions"]
    assert (ingress["IpProtocol"], ingress["FromPort"], ingress["ToPort"]) == ("tcp", 80, 80)
    (egress,) = g["IpPermissionsEgress"]
    assert egress["IpProtocol"] == "-1" and "FromPort" not in egress
    # aws_vpc_security_group_*_rule on tasks-sg: the rule id comes from the Authorize reply.
    rules = {}
    out = ec2.authorize_security_group_egress(GroupId=tasks_sg, IpPermissions=[{
        "IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    rules["egress"] = out["SecurityGroupRules"][0]["SecurityGroupRuleId"]
    for port, tags in ((8080, None), (80, "from-alb-80")):
        kw = {"TagSpecifications": tag_spec("security-group-rule", Name=tags)} if tags else {}
        out = ec2.authorize_security_group_ingress(GroupId=tasks_sg, IpPermissions=[{
            "FromPort": port, "ToPort": port, "IpProtocol": "tcp",
            "UserIdGroupPairs": [{"GroupId": alb_sg}]}], **kw)
        (rule,) = out["SecurityGroupRules"]
        assert rule["IsEgress"] is False
        rules[port] = rule["SecurityGroupRuleId"]
    # Their reader: a UserId equal to the provider's account gives referenced_security_group_id
    # "sg-..."; any other gives "<account>/sg-..." and shows as drift.
    for key, rid in rules.items():
        (r,) = ec2.describe_security_group_rules(SecurityGroupRuleIds=[rid])["SecurityGroupRules"]
        assert r["SecurityGroupRuleId"] == rid and r["GroupId"] == tasks_sg
        if key == "egress":
            assert (r["IsEgress"], r["IpProtocol"], r["CidrIpv4"]) == (True, "-1", "0.0.0.0/0")
            assert (r["FromPort"], r["ToPort"]) == (-1, -1)
        else:
            assert (r["IpProtocol"], r["FromPort"], r["ToPort"]) == ("tcp", key, key)
            assert r["ReferencedGroupInfo"]["GroupId"] == alb_sg
            assert r["ReferencedGroupInfo"]["UserId"] == account
            assert "CidrIpv4" not in r
            assert ec2_tags(r.get("Tags")) == ({"Name": "from-alb-80"} if key == 80 else {})

    # --- apply: target groups --------------------------------------------------------------
    target_groups = {}
    for name, port, path, threshold, tags in (("seed-backend", 8080, "/stats", 3, None),
                                              ("seed-frontend", 80, "/", 2, "seed")):
        with pytest.raises(ClientError) as e:
            elbv2.describe_target_groups(Names=[name])
        assert error_code(e) == "TargetGroupNotFound"
        kw = {"Tags": [{"Key": "app", "Value": tags}]} if tags else {}
        # ProtocolVersion="" is what the provider sends when protocol_version is not set.
        (tg,) = elbv2.create_target_group(
            Name=name, Port=port, Protocol="HTTP", ProtocolVersion="", VpcId=vpc,
            TargetType="ip", HealthCheckEnabled=True, HealthCheckIntervalSeconds=5,
            HealthCheckPath=path, HealthCheckPort="traffic-port", HealthCheckProtocol="HTTP",
            HealthCheckTimeoutSeconds=2, HealthyThresholdCount=threshold,
            UnhealthyThresholdCount=threshold, **kw)["TargetGroups"]
        arn = tg["TargetGroupArn"]
        (tg,) = elbv2.describe_target_groups(TargetGroupArns=[arn])["TargetGroups"]
        elbv2.modify_target_group_attributes(TargetGroupArn=arn, Attributes=[
            {"Key": "deregistration_delay.timeout_seconds", "Value": "5"}])
        (tg,) = elbv2.describe_target_groups(TargetGroupArns=[arn])["TargetGroups"]
        assert tg["ProtocolVersion"] == "HTTP1"
        assert tg["Matcher"] == {"HttpCode": "200"}
        assert (tg["HealthCheckPath"], tg["HealthCheckIntervalSeconds"],
                tg["HealthCheckTimeoutSeconds"], tg["HealthyThresholdCount"],
                tg["UnhealthyThresholdCount"]) == (path, 5, 2, threshold, threshold)
        assert tg["IpAddressType"] == "ipv4" and tg["TargetType"] == "ip"
        attrs = attributes(elbv2.describe_target_group_attributes(TargetGroupArn=arn)[
            "Attributes"])
        assert attrs["deregistration_delay.timeout_seconds"] == "5"
        assert attrs["stickiness.enabled"] == "false"
        assert attrs["stickiness.type"] == "lb_cookie"
        assert attrs["load_balancing.algorithm.type"] == "round_robin"
        assert attrs["slow_start.duration_seconds"] == "0"
        assert elbv2_tags(elbv2, arn) == ({"app": "seed"} if tags else {})
        target_groups[name] = arn

    # --- apply: the load balancer ------------------------------------------------------------
    with pytest.raises(ClientError) as e:
        elbv2.describe_load_balancers(Names=["seed-alb"])
    assert error_code(e) == "LoadBalancerNotFound"
    (lb,) = elbv2.create_load_balancer(
        Name="seed-alb", SecurityGroups=[alb_sg], Subnets=[subnet_b, subnet_a],
        Tags=[{"Key": "app", "Value": "seed"}], Type="application")["LoadBalancers"]
    lb_arn = lb["LoadBalancerArn"]
    assert lb["Scheme"] == "internet-facing" and lb["IpAddressType"] == "ipv4"
    elbv2.get_waiter("load_balancer_available").wait(LoadBalancerArns=[lb_arn], WaiterConfig=FAST)
    elbv2.modify_load_balancer_attributes(LoadBalancerArn=lb_arn, Attributes=[
        {"Key": k, "Value": v} for k, v in LB_DEFAULT_ATTRIBUTES.items()])
    (lb,) = elbv2.describe_load_balancers(LoadBalancerArns=[lb_arn])["LoadBalancers"]
    assert lb["State"] == {"Code": "active"}
    assert lb["VpcId"] == vpc and lb["SecurityGroups"] == [alb_sg]
    assert sorted(z["SubnetId"] for z in lb["AvailabilityZones"]) == sorted([subnet_a, subnet_b])
    assert lb["DNSName"] and lb["CanonicalHostedZoneId"]
    attrs = attributes(elbv2.describe_load_balancer_attributes(LoadBalancerArn=lb_arn)[
        "Attributes"])
    for key, value in LB_DEFAULT_ATTRIBUTES.items():
        assert attrs[key] == value, key
    for key in ("access_logs.s3.bucket", "access_logs.s3.prefix", "connection_logs.s3.bucket",
                "connection_logs.s3.prefix"):
        assert attrs[key] == "", key
    capacity = elbv2.describe_capacity_reservation(LoadBalancerArn=lb_arn)
    assert "MinimumLoadBalancerCapacity" not in capacity
    assert elbv2_tags(elbv2, lb_arn) == {"app": "seed"}

    (listener,) = elbv2.create_listener(
        LoadBalancerArn=lb_arn, Port=80, Protocol="HTTP",
        DefaultActions=[{"Type": "forward", "Order": 1,
                         "TargetGroupArn": target_groups["seed-frontend"]}],
        Tags=[{"Key": "app", "Value": "seed"}])["Listeners"]
    listener_arn = listener["ListenerArn"]
    (listener,) = elbv2.describe_listeners(ListenerArns=[listener_arn])["Listeners"]
    (action,) = listener["DefaultActions"]
    assert action["Type"] == "forward" and action["Order"] == 1
    assert action["TargetGroupArn"] == target_groups["seed-frontend"]
    assert action["ForwardConfig"]["TargetGroups"] == [
        {"TargetGroupArn": target_groups["seed-frontend"], "Weight": 1}]
    assert "SslPolicy" not in listener and "Certificates" not in listener
    listener_attrs = attributes(elbv2.describe_listener_attributes(ListenerArn=listener_arn)[
        "Attributes"])
    assert listener_attrs.get("routing.http.response.server.enabled") == "true"
    assert elbv2_tags(elbv2, listener_arn) == {"app": "seed"}

    (rule,) = elbv2.create_rule(
        ListenerArn=listener_arn, Priority=10,
        Actions=[{"Type": "forward", "Order": 1, "TargetGroupArn": target_groups["seed-backend"]}],
        Conditions=[{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/stats*"]}}],
        Tags=[{"Key": "app", "Value": "seed"}])["Rules"]
    rule_arn = rule["RuleArn"]
    (rule,) = elbv2.describe_rules(RuleArns=[rule_arn])["Rules"]
    assert rule["Priority"] == "10" and rule["IsDefault"] is False
    (cond,) = rule["Conditions"]
    assert cond["Field"] == "path-pattern"
    assert cond["PathPatternConfig"] == {"Values": ["/stats*"]}
    assert rule["Actions"][0]["TargetGroupArn"] == target_groups["seed-backend"]
    assert elbv2_tags(elbv2, rule_arn) == {"app": "seed"}

    # --- apply: the services ------------------------------------------------------------------
    services = {}
    for name, container, port, public, breaker, tags in (
            ("seed-frontend", "frontend", 80, "ENABLED", True, "seed"),
            ("seed-backend", "backend", 8080, "DISABLED", False, None)):
        deployment = {"maximumPercent": 200, "minimumHealthyPercent": 100}
        if breaker:
            deployment["deploymentCircuitBreaker"] = {"enable": True, "rollback": True}
        kw = {"tags": [{"key": "app", "value": tags}]} if tags else {}
        svc = ecs.create_service(
            availabilityZoneRebalancing="DISABLED", capacityProviderStrategy=[],
            clientToken="terraform-" + name, cluster=cluster["clusterArn"],
            deploymentConfiguration=deployment, desiredCount=2, launchType="FARGATE",
            loadBalancers=[{"containerName": container, "containerPort": port,
                            "targetGroupArn": target_groups[name]}],
            networkConfiguration={"awsvpcConfiguration": {
                "assignPublicIp": public, "securityGroups": [tasks_sg],
                "subnets": [subnet_b, subnet_a]}},
            schedulingStrategy="REPLICA", serviceName=name, taskDefinition=task_defs[container],
            vpcLatticeConfigurations=[], **kw)["service"]
        arn = svc["serviceArn"]
        (s,) = ecs.describe_services(cluster=cluster["clusterArn"], services=[arn])["services"]
        assert s["status"] == "ACTIVE"
        (s,) = ecs.describe_services(cluster=cluster["clusterArn"], services=[arn],
                                     include=["TAGS"])["services"]
        assert s["launchType"] == "FARGATE" and "capacityProviderStrategy" not in s
        assert s["desiredCount"] == 2 and s["schedulingStrategy"] == "REPLICA"
        assert s["taskDefinition"] == task_defs[container]
        assert s["platformVersion"] == "LATEST"
        assert s["loadBalancers"] == [{"targetGroupArn": target_groups[name],
                                       "containerName": container, "containerPort": port}]
        vpc_conf = s["networkConfiguration"]["awsvpcConfiguration"]
        assert vpc_conf["assignPublicIp"] == public
        assert sorted(vpc_conf["subnets"]) == sorted([subnet_a, subnet_b])
        assert vpc_conf["securityGroups"] == [tasks_sg]
        assert s["deploymentConfiguration"]["deploymentCircuitBreaker"] == {
            "enable": breaker, "rollback": breaker}
        assert s["deploymentController"] == {"type": "ECS"}
        assert s.get("tags", []) == kw.get("tags", [])
        services[name] = arn

    # --- update: tags -----------------------------------------------------------------------
    for arn in (lb_arn, listener_arn, rule_arn, target_groups["seed-frontend"]):
        elbv2.add_tags(ResourceArns=[arn], Tags=[{"Key": "env", "Value": "dev"}])
        assert elbv2_tags(elbv2, arn) == {"app": "seed", "env": "dev"}
    for arn in (cluster["clusterArn"], services["seed-frontend"], task_defs["frontend"]):
        ecs.tag_resource(resourceArn=arn, tags=[{"key": "env", "value": "dev"}])
        assert sorted((t["key"], t["value"]) for t in ecs.list_tags_for_resource(
            resourceArn=arn)["tags"]) == [("app", "seed"), ("env", "dev")]
    ecr.tag_resource(resourceArn=repo["repositoryArn"], tags=[{"Key": "env", "Value": "dev"}])
    logs.tag_resource(resourceArn=group_arn, tags={"env": "dev"})
    assert logs.list_tags_for_resource(resourceArn=group_arn)["tags"] == {
        "app": "seed", "env": "dev"}
    ec2.create_tags(Resources=[vpc], Tags=[{"Key": "env", "Value": "dev"}])
    ec2.delete_tags(Resources=[vpc], Tags=[{"Key": "env"}])
    (v,) = ec2.describe_vpcs(VpcIds=[vpc])["Vpcs"]
    assert ec2_tags(v["Tags"]) == {"Name": "seed-vpc"}

    # --- destroy, in the provider's order ---------------------------------------------------
    ec2.delete_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0")
    ec2.revoke_security_group_ingress(GroupId=tasks_sg, SecurityGroupRuleIds=[rules[80]])
    ec2.revoke_security_group_ingress(GroupId=tasks_sg, SecurityGroupRuleIds=[rules[8080]])
    ec2.revoke_security_group_egress(GroupId=tasks_sg, SecurityGroupRuleIds=[rules["egress"]])
    for assoc in associations:
        ec2.disassociate_route_table(AssociationId=assoc)
        assert ec2.describe_route_tables(Filters=[
            {"Name": "association.route-table-association-id", "Values": [assoc]}])[
            "RouteTables"] == []
    for arn in services.values():
        ecs.update_service(cluster=cluster["clusterArn"], service=arn, desiredCount=0)
    for arn in services.values():
        ecs.delete_service(cluster=cluster["clusterArn"], service=arn, force=False)
    ecs.get_waiter("services_inactive").wait(cluster=cluster["clusterArn"],
                                             services=list(services.values()),
                                             WaiterConfig=FAST)
    elbv2.delete_rule(RuleArn=rule_arn)
    for arn in task_defs.values():
        ecs.deregister_task_definition(taskDefinition=arn)
    assert ec2.describe_network_interfaces(Filters=[
        {"Name": "group-id", "Values": [tasks_sg]}])["NetworkInterfaces"] == []
    ec2.delete_security_group(GroupId=tasks_sg)
    with pytest.raises(ClientError) as e:
        ec2.describe_security_groups(GroupIds=[tasks_sg])
    assert error_code(e) == "InvalidGroup.NotFound"
    ecs.delete_cluster(cluster=cluster["clusterArn"])
    (c,) = ecs.describe_clusters(clusters=[cluster["clusterArn"]],
                                 include=["TAGS", "CONFIGURATIONS", "SETTINGS"])["clusters"]
    assert c["status"] == "INACTIVE"
    for name in ("backend", "frontend"):
        ecr.delete_repository(registryId=repo["registryId"], repositoryName=name, force=True)
        with pytest.raises(ClientError) as e:
            ecr.describe_repositories(repositoryNames=[name])
        assert error_code(e) == "RepositoryNotFoundException"
    elbv2.delete_target_group(TargetGroupArn=target_groups["seed-backend"])
    elbv2.delete_listener(ListenerArn=listener_arn)
    ec2.detach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    logs.delete_log_group(logGroupName="/ecs/seed")
    ec2.delete_route_table(RouteTableId=rtb)
    ec2.delete_internet_gateway(InternetGatewayId=igw)
    elbv2.delete_load_balancer(LoadBalancerArn=lb_arn)
    # The provider then waits for the load balancer's interfaces to go.
    for owner in ("amazon-elb", "amazon-aws"):
        enis = ec2.describe_network_interfaces(Filters=[
            {"Name": "attachment.instance-owner-id", "Values": [owner]},
            {"Name": "description", "Values": ["ELB " + lb_arn.split(":loadbalancer/")[1]]}])
        assert enis["NetworkInterfaces"] == []
    elbv2.delete_target_group(TargetGroupArn=target_groups["seed-frontend"])
    for subnet in (subnet_b, subnet_a):
        assert ec2.describe_network_interfaces(Filters=[
            {"Name": "subnet-id", "Values": [subnet]}])["NetworkInterfaces"] == []
        ec2.delete_subnet(SubnetId=subnet)
    ec2.delete_security_group(GroupId=alb_sg)
    ec2.delete_vpc(VpcId=vpc)
    with pytest.raises(ClientError) as e:
        ec2.describe_vpcs(VpcIds=[vpc])
    assert error_code(e) == "InvalidVpcID.NotFound"


# Terraform replaces an aws_ecs_service by deleting it and creating one with the same name, so the
# same ARN: the new service has only the tags it was created with.
def test_recreated_service_has_only_its_own_tags(aws):
    ecs, ec2 = aws.ecs, aws.ec2
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    ecs.create_cluster(clusterName="seed")
    ecs.register_task_definition(family="web", networkMode="awsvpc",
                                 requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
                                 containerDefinitions=[{"name": "web", "image": "busybox"}])
    kw = dict(cluster="seed", serviceName="web", taskDefinition="web", desiredCount=0,
              launchType="FARGATE", capacityProviderStrategy=[],
              networkConfiguration={"awsvpcConfiguration": {"subnets": [subnet]}})
    arn = ecs.create_service(tags=[{"key": "app", "value": "seed"}], **kw)["service"]["serviceArn"]
    ecs.tag_resource(resourceArn=arn, tags=[{"key": "env", "value": "dev"}])
    ecs.delete_service(cluster="seed", service="web")
    ecs.get_waiter("services_inactive").wait(cluster="seed", services=["web"], WaiterConfig=FAST)
    again = ecs.create_service(tags=[{"key": "app", "value": "seed"}], **kw)["service"]
    assert again["serviceArn"] == arn
    assert ecs.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "app", "value": "seed"}]
