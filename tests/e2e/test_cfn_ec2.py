"""CloudFormation's EC2 resource types against Gantry: a network stack (VPC, public and private
subnets, internet gateway and its attachment, route tables, routes through the gateway and a NAT
gateway, subnet associations, security groups with inline and standalone rules, an Elastic IP)
deployed with `aws cloudformation deploy`, updated in place, and deleted leaving nothing behind;
and a stack whose subnet EC2 refuses, rolled back with EC2's error as the reason."""
import json
import os
import subprocess

import pytest
from botocore.exceptions import ClientError

from conftest import CLIS, cli_env

NETWORK = """
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  PublicIpOnLaunch:
    Type: String
    Default: "true"
  AdminCidr:
    Type: String
    Default: 10.0.0.0/8
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.20.0.0/16
      EnableDnsHostnames: true
      Tags: [{Key: Name, Value: e2e-net}]
  Public:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.20.1.0/24
      AvailabilityZone: !Select [0, !GetAZs ""]
      MapPublicIpOnLaunch: !Ref PublicIpOnLaunch
  Private:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.20.2.0/24
      AvailabilityZone: !Select [1, !GetAZs ""]
  Igw:
    Type: AWS::EC2::InternetGateway
  IgwAttachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties:
      VpcId: !Ref Vpc
      InternetGatewayId: !Ref Igw
  PublicRoutes:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  PublicDefault:
    Type: AWS::EC2::Route
    DependsOn: IgwAttachment
    Properties:
      RouteTableId: !Ref PublicRoutes
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref Igw
  PublicAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref Public
      RouteTableId: !Ref PublicRoutes
  NatIp:
    Type: AWS::EC2::EIP
    DependsOn: IgwAttachment
    Properties:
      Domain: vpc
  Nat:
    Type: AWS::EC2::NatGateway
    Properties:
      SubnetId: !Ref Public
      AllocationId: !GetAtt NatIp.AllocationId
  PrivateRoutes:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  PrivateDefault:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref PrivateRoutes
      DestinationCidrBlock: 0.0.0.0/0
      NatGatewayId: !Ref Nat
  PrivateAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref Private
      RouteTableId: !Ref PrivateRoutes
  AlbSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: load balancer
      VpcId: !Ref Vpc
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 0.0.0.0/0}
  AppSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: app tasks
      VpcId: !Ref Vpc
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref AdminCidr}
      SecurityGroupEgress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}
  AppFromAlb:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !Ref AppSg
      IpProtocol: tcp
      FromPort: 8080
      ToPort: 8080
      SourceSecurityGroupId: !GetAtt AlbSg.GroupId
Outputs:
  VpcId: {Value: !Ref Vpc}
  DefaultSg: {Value: !GetAtt Vpc.DefaultSecurityGroup}
  VpcCidr: {Value: !GetAtt Vpc.CidrBlock}
  PublicSubnet: {Value: !Ref Public}
  PublicAz: {Value: !GetAtt Public.AvailabilityZone}
  PrivateSubnet: {Value: !Ref Private}
  Igw: {Value: !Ref Igw}
  Attachment: {Value: !Ref IgwAttachment}
  PublicRoutes: {Value: !Ref PublicRoutes}
  PublicDefault: {Value: !Ref PublicDefault}
  PublicAssoc: {Value: !Ref PublicAssoc}
  NatIp: {Value: !Ref NatIp}
  Nat: {Value: !Ref Nat}
  AppSg: {Value: !Ref AppSg}
  AlbSg: {Value: !GetAtt AlbSg.GroupId}
  AppFromAlb: {Value: !Ref AppFromAlb}
"""


@pytest.fixture
def cfn(make_client):
    return make_client("cloudformation")


@pytest.fixture
def ec2(make_client):
    return make_client("ec2")


def deploy(cli, endpoint, tmp_path, stack, template, *overrides):
    """`aws cloudformation deploy` as a user runs it; returns the CLI's output."""
    path = tmp_path / "template.yaml"
    path.write_text(template)
    env = cli_env(tmp_path)
    args = [cli, "--endpoint-url", endpoint, "cloudformation", "deploy", "--template-file",
            str(path), "--stack-name", stack]
    if overrides:
        args += ["--parameter-overrides"] + list(overrides)
    p = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
    return p.stdout


def outputs(cfn, stack):
    described = cfn.describe_stacks(StackName=stack)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}


def tags(resource):
    return {t["Key"]: t["Value"] for t in resource.get("Tags", [])}


def rules(ec2, group_id):
    out = ec2.describe_security_group_rules(
        Filters=[{"Name": "group-id", "Values": [group_id]}])["SecurityGroupRules"]
    return sorted(("out" if r["IsEgress"] else "in", r["IpProtocol"], r["FromPort"], r["ToPort"],
                   r.get("CidrIpv4") or r["ReferencedGroupInfo"]["GroupId"]) for r in out)


@pytest.mark.parametrize("cli", CLIS)
def test_network_stack_deploys_updates_in_place_and_deletes(cli, cfn, ec2, endpoint, tmp_path):
    deploy(cli, endpoint, tmp_path, "e2e-net", NETWORK)
    out = outputs(cfn, "e2e-net")
    vpc_id = out["VpcId"]

    vpc = ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]
    assert vpc["CidrBlock"] == out["VpcCidr"] == "10.20.0.0/16"
    assert tags(vpc)["Name"] == "e2e-net"
    assert tags(vpc)["aws:cloudformation:stack-name"] == "e2e-net"
    assert tags(vpc)["aws:cloudformation:logical-id"] == "Vpc"
    hostnames = ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute="enableDnsHostnames")
    assert hostnames["EnableDnsHostnames"]["Value"] is True
    default_sg = ec2.describe_security_groups(GroupIds=[out["DefaultSg"]])["SecurityGroups"][0]
    assert default_sg["GroupName"] == "default" and default_sg["VpcId"] == vpc_id

    public = ec2.describe_subnets(SubnetIds=[out["PublicSubnet"]])["Subnets"][0]
    assert public["VpcId"] == vpc_id and public["MapPublicIpOnLaunch"] is True
    assert public["AvailabilityZone"] == out["PublicAz"] == "us-east-1a"

    igw = ec2.describe_internet_gateways(InternetGatewayIds=[out["Igw"]])["InternetGateways"][0]
    assert igw["Attachments"] == [{"State": "available", "VpcId": vpc_id}]
    assert out["Attachment"] == "IGW|" + vpc_id

    table = ec2.describe_route_tables(RouteTableIds=[out["PublicRoutes"]])["RouteTables"][0]
    assert {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": out["Igw"]}.items() <= \
        [r for r in table["Routes"] if r["DestinationCidrBlock"] == "0.0.0.0/0"][0].items()
    assert out["PublicDefault"] == out["PublicRoutes"] + "|0.0.0.0/0"
    assert [a["SubnetId"] for a in table["Associations"]] == [out["PublicSubnet"]]
    assert table["Associations"][0]["RouteTableAssociationId"] == out["PublicAssoc"]

    nat = ec2.describe_nat_gateways(NatGatewayIds=[out["Nat"]])["NatGateways"][0]
    assert nat["State"] == "available" and nat["SubnetId"] == out["PublicSubnet"]
    assert nat["NatGatewayAddresses"][0]["PublicIp"] == out["NatIp"]
    private = ec2.describe_route_tables(
        Filters=[{"Name": "association.subnet-id", "Values": [out["PrivateSubnet"]]}])
    assert [r.get("NatGatewayId") for r in private["RouteTables"][0]["Routes"]] == \
        [None, out["Nat"]]

    app = ec2.describe_security_groups(GroupIds=[out["AppSg"]])["SecurityGroups"][0]
    assert app["GroupName"].startswith("e2e-net-AppSg-")
    assert rules(ec2, out["AppSg"]) == [
        ("in", "tcp", 22, 22, "10.0.0.0/8"), ("in", "tcp", 8080, 8080, out["AlbSg"]),
        ("out", "tcp", 443, 443, "0.0.0.0/0")]
    assert out["AppFromAlb"].startswith("sgr-")
    assert rules(ec2, out["AlbSg"]) == [
        ("in", "tcp", 80, 80, "0.0.0.0/0"), ("out", "-1", -1, -1, "0.0.0.0/0")]

    # In place: the subnet's public addressing and the group's inline rules; same ids.
    deploy(cli, endpoint, tmp_path, "e2e-net", NETWORK, "PublicIpOnLaunch=false",
           "AdminCidr=192.168.0.0/16")
    assert outputs(cfn, "e2e-net") == out
    public = ec2.describe_subnets(SubnetIds=[out["PublicSubnet"]])["Subnets"][0]
    assert public["MapPublicIpOnLaunch"] is False
    assert rules(ec2, out["AppSg"]) == [
        ("in", "tcp", 22, 22, "192.168.0.0/16"), ("in", "tcp", 8080, 8080, out["AlbSg"]),
        ("out", "tcp", 443, 443, "0.0.0.0/0")]

    cfn.delete_stack(StackName="e2e-net")
    cfn.get_waiter("stack_delete_complete").wait(StackName="e2e-net",
                                                 WaiterConfig={"Delay": 1, "MaxAttempts": 120})
    with pytest.raises(ClientError) as e:
        ec2.describe_vpcs(VpcIds=[vpc_id])
    assert e.value.response["Error"]["Code"] == "InvalidVpcID.NotFound"
    assert ec2.describe_addresses()["Addresses"] == []
    left = ec2.describe_internet_gateways(InternetGatewayIds=[])["InternetGateways"]
    assert out["Igw"] not in [g["InternetGatewayId"] for g in left]


def test_subnet_ec2_refuses_rolls_the_stack_back_with_ec2s_error(cfn, ec2):
    template = {
        "Resources": {
            "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.30.0.0/16"}},
            "Outside": {"Type": "AWS::EC2::Subnet",
                        "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.99.0.0/24"}},
        }
    }
    cfn.create_stack(StackName="e2e-bad-net", TemplateBody=json.dumps(template))
    with pytest.raises(Exception):
        cfn.get_waiter("stack_create_complete").wait(
            StackName="e2e-bad-net", WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    stack = cfn.describe_stacks(StackName="e2e-bad-net")["Stacks"][0]
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    events = cfn.describe_stack_events(StackName="e2e-bad-net")["StackEvents"]
    failed = [e for e in events if e["LogicalResourceId"] == "Outside"
              and e["ResourceStatus"] == "CREATE_FAILED"]
    assert failed and "10.99.0.0/24" in failed[0]["ResourceStatusReason"]
    # The rollback deleted the VPC it had made.
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "cidr", "Values": ["10.30.0.0/16"]}])["Vpcs"]
    assert vpcs == []


def test_drift_of_ec2_resources(cfn, ec2):
    template = {
        "Parameters": {"Public": {"Type": "String", "Default": "true"}},
        "Resources": {
            "Vpc": {"Type": "AWS::EC2::VPC",
                    "Properties": {"CidrBlock": "10.40.0.0/16", "EnableDnsHostnames": True}},
            "Subnet": {"Type": "AWS::EC2::Subnet",
                       "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.40.1.0/24",
                                      "MapPublicIpOnLaunch": {"Ref": "Public"}}},
            "Sg": {"Type": "AWS::EC2::SecurityGroup",
                   "Properties": {"GroupDescription": "drift", "VpcId": {"Ref": "Vpc"}}},
        },
    }
    cfn.create_stack(StackName="e2e-drift", TemplateBody=json.dumps(template))
    cfn.get_waiter("stack_create_complete").wait(StackName="e2e-drift",
                                                 WaiterConfig={"Delay": 1, "MaxAttempts": 60})

    def drifts():
        detection = cfn.detect_stack_drift(StackName="e2e-drift")["StackDriftDetectionId"]
        status = cfn.describe_stack_drift_detection_status(StackDriftDetectionId=detection)
        assert status["DetectionStatus"] == "DETECTION_COMPLETE"
        return {d["LogicalResourceId"]: d for d in
                cfn.describe_stack_resource_drifts(StackName="e2e-drift")["StackResourceDrifts"]}

    # Untouched, every resource is in sync (a "true" parameter against a live boolean included).
    assert {k: d["StackResourceDriftStatus"] for k, d in drifts().items()} == {
        "Vpc": "IN_SYNC", "Subnet": "IN_SYNC", "Sg": "IN_SYNC"}

    resources = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in
                 cfn.describe_stack_resources(StackName="e2e-drift")["StackResources"]}
    ec2.modify_subnet_attribute(SubnetId=resources["Subnet"], MapPublicIpOnLaunch={"Value": False})
    ec2.delete_security_group(GroupId=resources["Sg"])
    found = drifts()
    assert found["Vpc"]["StackResourceDriftStatus"] == "IN_SYNC"
    assert found["Sg"]["StackResourceDriftStatus"] == "DELETED"
    assert found["Subnet"]["StackResourceDriftStatus"] == "MODIFIED"
    diff = found["Subnet"]["PropertyDifferences"][0]
    assert diff["PropertyPath"] == "/MapPublicIpOnLaunch"
