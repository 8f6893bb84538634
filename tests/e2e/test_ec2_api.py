"""EC2 networking API through boto3: the seed topology an ECS-on-Fargate stack needs, and EC2's
errors. Written to pass against real AWS as well (ids are not assumed)."""
import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def ec2(make_client):
    return make_client("ec2")


def code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def vpc_filter(vpc_id):
    return [{"Name": "vpc-id", "Values": [vpc_id]}]


# The topology the issue seeds: VPC 10.0.0.0/16, two public subnets in two AZs, an internet
# gateway, a route table sending 0.0.0.0/0 to it associated to both subnets, and two groups where
# the task group admits port 80 only from the ALB group.
def test_seed_topology(ec2):
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
    assert len(zones) >= 2
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=[
        {"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": "seed"}]}])["Vpc"]
    vpc_id = vpc["VpcId"]
    assert vpc["CidrBlock"] == "10.0.0.0/16"
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
    attr = ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute="enableDnsHostnames")
    assert attr["EnableDnsHostnames"]["Value"] is True

    subnets = []
    for i, zone in enumerate(zones[:2]):
        s = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.%d.0/24" % i, AvailabilityZone=zone)
        subnet_id = s["Subnet"]["SubnetId"]
        ec2.modify_subnet_attribute(SubnetId=subnet_id, MapPublicIpOnLaunch={"Value": True})
        subnets.append(subnet_id)
    described = ec2.describe_subnets(Filters=vpc_filter(vpc_id))["Subnets"]
    assert sorted(s["SubnetId"] for s in described) == sorted(subnets)
    assert all(s["MapPublicIpOnLaunch"] for s in described)
    assert all(s["AvailableIpAddressCount"] == 251 for s in described)
    assert {s["AvailabilityZone"] for s in described} == set(zones[:2])

    igw_id = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw_id, VpcId=vpc_id)
    rtb_id = ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=rtb_id, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw_id)
    for subnet_id in subnets:
        ec2.associate_route_table(RouteTableId=rtb_id, SubnetId=subnet_id)
    table = ec2.describe_route_tables(RouteTableIds=[rtb_id])["RouteTables"][0]
    routes = {r["DestinationCidrBlock"]: r.get("GatewayId") for r in table["Routes"]}
    assert routes == {"10.0.0.0/16": "local", "0.0.0.0/0": igw_id}
    assert sorted(a["SubnetId"] for a in table["Associations"]) == sorted(subnets)

    alb_sg = ec2.create_security_group(GroupName="alb", Description="ALB", VpcId=vpc_id)["GroupId"]
    task_sg = ec2.create_security_group(GroupName="task", Description="tasks", VpcId=vpc_id)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=alb_sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    ec2.authorize_security_group_ingress(GroupId=task_sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80,
         "UserIdGroupPairs": [{"GroupId": alb_sg}]}])
    task = ec2.describe_security_groups(GroupIds=[task_sg])["SecurityGroups"][0]
    assert task["IpPermissions"][0]["UserIdGroupPairs"][0]["GroupId"] == alb_sg
    assert task["IpPermissionsEgress"][0]["IpProtocol"] == "-1"
    found = ec2.describe_security_groups(Filters=[
        {"Name": "ip-permission.group-id", "Values": [alb_sg]}])["SecurityGroups"]
    assert [g["GroupId"] for g in found] == [task_sg]
    rules = ec2.describe_security_group_rules(
        Filters=[{"Name": "group-id", "Values": [task_sg]}])["SecurityGroupRules"]
    assert all(r["SecurityGroupRuleId"].startswith("sgr-") for r in rules)
    assert {r["IsEgress"] for r in rules} == {True, False}

    by_tag = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["se*"]}])["Vpcs"]
    assert [v["VpcId"] for v in by_tag] == [vpc_id]


def test_default_vpc_exists_with_a_default_subnet_per_zone(ec2):
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]
    assert len(vpcs) == 1
    subnets = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"]
    zones = ec2.describe_availability_zones()["AvailabilityZones"]
    assert len(subnets) == len(zones)
    assert all(s["VpcId"] == vpcs[0]["VpcId"] and s["MapPublicIpOnLaunch"] for s in subnets)


@pytest.mark.emulator_only
def test_default_vpc_is_172_31(ec2):
    vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]
    assert vpc["CidrBlock"] == "172.31.0.0/16"
    zones = ec2.describe_availability_zones()["AvailabilityZones"]
    assert [z["ZoneName"] for z in zones] == ["us-east-1a", "us-east-1b", "us-east-1c"]
    assert [z["ZoneId"] for z in zones] == ["use1-az1", "use1-az2", "use1-az3"]


def test_unknown_vpc_is_not_found(ec2):
    with pytest.raises(ClientError) as e:
        ec2.describe_vpcs(VpcIds=["vpc-123"])
    assert code(e) == "InvalidVpcID.NotFound"
    assert e.value.response["Error"]["Message"] == "The vpc ID 'vpc-123' does not exist"


def test_subnet_rules(ec2):
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    with pytest.raises(ClientError) as e:
        ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.1.0.0/24")
    assert code(e) == "InvalidSubnet.Range"
    ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.1.0/24")
    with pytest.raises(ClientError) as e:
        ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.1.0/25")
    assert code(e) == "InvalidSubnet.Conflict"
    with pytest.raises(ClientError) as e:
        ec2.delete_vpc(VpcId=vpc_id)
    assert code(e) == "DependencyViolation"


def test_security_group_errors(ec2):
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    sg = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc_id)["GroupId"]
    with pytest.raises(ClientError) as e:
        ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc_id)
    assert code(e) == "InvalidGroup.Duplicate"
    perm = [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
             "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}]
    ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=perm)
    with pytest.raises(ClientError) as e:
        ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=perm)
    assert code(e) == "InvalidPermission.Duplicate"
    ec2.revoke_security_group_ingress(GroupId=sg, IpPermissions=perm)
    with pytest.raises(ClientError) as e:
        ec2.revoke_security_group_ingress(GroupId=sg, IpPermissions=perm)
    assert code(e) == "InvalidPermission.NotFound"
    other = ec2.create_security_group(GroupName="ref", Description="ref", VpcId=vpc_id)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=other, IpPermissions=[
        {"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": sg}]}])
    with pytest.raises(ClientError) as e:
        ec2.delete_security_group(GroupId=sg)
    assert code(e) == "DependencyViolation"


def test_gateways_and_addresses(ec2):
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
    igw_id = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    with pytest.raises(ClientError) as e:
        ec2.detach_internet_gateway(InternetGatewayId=igw_id, VpcId=vpc_id)
    assert code(e) == "Gateway.NotAttached"
    ec2.attach_internet_gateway(InternetGatewayId=igw_id, VpcId=vpc_id)
    with pytest.raises(ClientError) as e:
        ec2.attach_internet_gateway(InternetGatewayId=igw_id, VpcId=vpc_id)
    assert code(e) == "Resource.AlreadyAssociated"
    alloc = ec2.allocate_address(Domain="vpc")
    nat = ec2.create_nat_gateway(SubnetId=subnet_id, AllocationId=alloc["AllocationId"])["NatGateway"]
    ec2.get_waiter("nat_gateway_available").wait(NatGatewayIds=[nat["NatGatewayId"]],
                                                 WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    addresses = ec2.describe_addresses(AllocationIds=[alloc["AllocationId"]])["Addresses"]
    assert addresses[0]["PublicIp"] == alloc["PublicIp"]
    assert addresses[0]["NetworkInterfaceId"].startswith("eni-")
    enis = ec2.describe_network_interfaces(Filters=[{"Name": "subnet-id", "Values": [subnet_id]}])
    assert [n["NetworkInterfaceId"] for n in enis["NetworkInterfaces"]] == \
        [addresses[0]["NetworkInterfaceId"]]


def test_tags(ec2):
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.create_tags(Resources=[vpc_id], Tags=[{"Key": "team", "Value": "core"}])
    tags = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [vpc_id]}])["Tags"]
    assert tags == [{"Key": "team", "ResourceId": vpc_id, "ResourceType": "vpc", "Value": "core"}]
    ec2.delete_tags(Resources=[vpc_id], Tags=[{"Key": "team"}])
    assert ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [vpc_id]}])["Tags"] == []


def test_paginator_walks_every_vpc(ec2):
    for i in range(6):
        ec2.create_vpc(CidrBlock="10.%d.0.0/16" % i)
    pages = ec2.get_paginator("describe_vpcs").paginate(PaginationConfig={"PageSize": 5})
    ids = [v["VpcId"] for page in pages for v in page["Vpcs"]]
    assert len(ids) == len(set(ids)) == 7


def test_new_vpc_has_default_network_acl_main_route_table_and_default_group(ec2):
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
    acls = ec2.describe_network_acls(Filters=vpc_filter(vpc_id) + [
        {"Name": "default", "Values": ["true"]}])["NetworkAcls"]
    assert len(acls) == 1
    assert [a["SubnetId"] for a in acls[0]["Associations"]] == [subnet_id]
    mains = ec2.describe_route_tables(Filters=vpc_filter(vpc_id) + [
        {"Name": "association.main", "Values": ["true"]}])["RouteTables"]
    assert len(mains) == 1
    assert mains[0]["Routes"][0]["GatewayId"] == "local"
    groups = ec2.describe_security_groups(Filters=vpc_filter(vpc_id) + [
        {"Name": "group-name", "Values": ["default"]}])["SecurityGroups"]
    assert len(groups) == 1


def test_waiters(ec2):
    fast = {"Delay": 1, "MaxAttempts": 5}
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.get_waiter("vpc_exists").wait(VpcIds=[vpc_id], WaiterConfig=fast)
    ec2.get_waiter("vpc_available").wait(VpcIds=[vpc_id], WaiterConfig=fast)
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
    ec2.get_waiter("subnet_available").wait(SubnetIds=[subnet_id], WaiterConfig=fast)
    sg = ec2.create_security_group(GroupName="w", Description="w", VpcId=vpc_id)["GroupId"]
    ec2.get_waiter("security_group_exists").wait(GroupIds=[sg], WaiterConfig=fast)
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.get_waiter("internet_gateway_exists").wait(InternetGatewayIds=[igw], WaiterConfig=fast)
    alloc = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=subnet_id, AllocationId=alloc)["NatGateway"]["NatGatewayId"]
    ec2.delete_nat_gateway(NatGatewayId=nat)
    ec2.get_waiter("nat_gateway_deleted").wait(NatGatewayIds=[nat], WaiterConfig=fast)
    ec2.release_address(AllocationId=alloc)
