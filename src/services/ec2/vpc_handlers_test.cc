#include "services/ec2/ec2_test_support.h"

namespace services::ec2 {
namespace {

namespace json = boost::json;

using VpcHandlersTest = Ec2HandlersTest;

TEST_F(VpcHandlersTest, EveryRegionStartsWithADefaultVpcAndOneDefaultSubnetPerZone) {
  json::object vpcs =
      ok("DescribeVpcs", J(R"({"Filters":[{"Name":"is-default","Values":["true"]}]})"));
  ASSERT_EQ(vpcs["Vpcs"].as_array().size(), 1u);
  json::object vpc = vpcs["Vpcs"].as_array()[0].as_object();
  EXPECT_EQ(s(vpc["CidrBlock"]), "172.31.0.0/16");
  EXPECT_EQ(s(vpc["State"]), "available");
  EXPECT_TRUE(s(vpc["VpcId"]).starts_with("vpc-"));
  EXPECT_EQ(s(vpc["VpcId"]).size(), 4u + 17u);
  json::object subnets =
      ok("DescribeSubnets",
         {{"Filters",
           json::array{json::object{{"Name", "vpc-id"}, {"Values", json::array{vpc["VpcId"]}}}}}});
  ASSERT_EQ(subnets["Subnets"].as_array().size(), 3u);
  std::set<std::string> zones;
  for (const json::value& v : subnets["Subnets"].as_array()) {
    const json::object& subnet = v.as_object();
    EXPECT_TRUE(subnet.at("DefaultForAz").as_bool());
    EXPECT_TRUE(subnet.at("MapPublicIpOnLaunch").as_bool());
    EXPECT_EQ(subnet.at("AvailableIpAddressCount").as_int64(), 4096 - 5);
    zones.insert(s(subnet.at("AvailabilityZone")));
  }
  EXPECT_EQ(zones, (std::set<std::string>{"us-east-1a", "us-east-1b", "us-east-1c"}));
  // Another region has its own.
  json::object other = ok("DescribeVpcs", json::object{}, ctx("eu-west-1"));
  ASSERT_EQ(other["Vpcs"].as_array().size(), 1u);
  EXPECT_NE(other["Vpcs"].as_array()[0].at("VpcId"), vpc["VpcId"]);
}

TEST_F(VpcHandlersTest, CreateVpcMakesItsMainRouteTableAndDefaultGroup) {
  std::string vpc = create_vpc();
  json::object tables = ok(
      "DescribeRouteTables",
      {{"Filters",
        json::array{json::object{{"Name", "vpc-id"}, {"Values", json::array{json::value(vpc)}}}}}});
  ASSERT_EQ(tables["RouteTables"].as_array().size(), 1u);
  json::object table = tables["RouteTables"].as_array()[0].as_object();
  EXPECT_TRUE(table["Associations"].as_array()[0].at("Main").as_bool());
  json::object local = table["Routes"].as_array()[0].as_object();
  EXPECT_EQ(s(local["DestinationCidrBlock"]), "10.0.0.0/16");
  EXPECT_EQ(s(local["GatewayId"]), "local");
  json::object groups =
      ok("DescribeSecurityGroups",
         {{"Filters",
           json::array{json::object{{"Name", "vpc-id"}, {"Values", json::array{json::value(vpc)}}},
                       json::object{{"Name", "group-name"}, {"Values", json::array{"default"}}}}}});
  ASSERT_EQ(groups["SecurityGroups"].as_array().size(), 1u);
  EXPECT_FALSE(table.contains("_Main"));
}

// An Amazon-provided IPv6 block, and groups in that VPC sending anywhere over IPv6 too.
TEST_F(VpcHandlersTest, AmazonProvidedIpv6BlockAndItsEgressRule) {
  json::object vpc = ok("CreateVpc", J(R"({"CidrBlock":"10.1.0.0/16",
                                           "AmazonProvidedIpv6CidrBlock":true})"))
                         .at("Vpc").as_object();
  const json::array& ipv6 = vpc.at("Ipv6CidrBlockAssociationSet").as_array();
  ASSERT_EQ(ipv6.size(), 1u);
  std::string block = s(ipv6[0].at("Ipv6CidrBlock"));
  EXPECT_TRUE(block.starts_with("2600:1f18:") && block.ends_with("00::/56")) << block;
  EXPECT_EQ(s(ipv6[0].at("Ipv6CidrBlockState").at("State")), "associated");
  std::string id = s(vpc.at("VpcId"));
  std::string group = create_group(id, "web");
  json::object g = describe_one("DescribeSecurityGroups", "GroupIds", group, "SecurityGroups");
  const json::array& egress = g.at("IpPermissionsEgress").as_array();
  ASSERT_EQ(egress.size(), 1u);
  EXPECT_EQ(egress[0].at("IpRanges"), json::parse(R"([{"CidrIp":"0.0.0.0/0"}])"));
  EXPECT_EQ(egress[0].at("Ipv6Ranges"), json::parse(R"([{"CidrIpv6":"::/0"}])"));
}

TEST_F(VpcHandlersTest, CreateVpcRejectsBlocksOutsideSlash16ToSlash28) {
  EXPECT_EQ(err("CreateVpc", R"({"CidrBlock":"10.0.0.0/8"})").code, "InvalidVpc.Range");
  EXPECT_EQ(err("CreateVpc", R"({"CidrBlock":"10.0.0.0/29"})").code, "InvalidVpc.Range");
  EXPECT_EQ(err("CreateVpc", R"({"CidrBlock":"10.0.0.300/16"})").code, "InvalidParameterValue");
}

TEST_F(VpcHandlersTest, UnknownVpcIsNotFoundWithEc2Wording) {
  protocol::AwsError e = err("DescribeVpcs", R"({"VpcIds":["vpc-123"]})");
  EXPECT_EQ(e.code, "InvalidVpcID.NotFound");
  EXPECT_EQ(e.message, "The vpc ID 'vpc-123' does not exist");
  EXPECT_EQ(err("DeleteVpc", R"({"VpcId":"vpc-123"})").code, "InvalidVpcID.NotFound");
}

TEST_F(VpcHandlersTest, DeleteVpcIsADependencyViolationWhileItHasSubnets) {
  std::string vpc = create_vpc();
  std::string subnet = create_subnet(vpc, "10.0.1.0/24");
  protocol::AwsError e = err("DeleteVpc", {{"VpcId", vpc}});
  EXPECT_EQ(e.code, "DependencyViolation");
  EXPECT_EQ(e.message, "The vpc '" + vpc + "' has dependencies and cannot be deleted.");
  ok("DeleteSubnet", {{"SubnetId", subnet}});
  ok("DeleteVpc", {{"VpcId", vpc}});
  EXPECT_EQ(err("DescribeVpcs", {{"VpcIds", json::array{json::value(vpc)}}}).code,
            "InvalidVpcID.NotFound");
  // Its main route table and default group went with it.
  json::object groups = ok(
      "DescribeSecurityGroups",
      {{"Filters",
        json::array{json::object{{"Name", "vpc-id"}, {"Values", json::array{json::value(vpc)}}}}}});
  EXPECT_TRUE(groups["SecurityGroups"].as_array().empty());
}

TEST_F(VpcHandlersTest, DeleteVpcWaitsForGatewaysAndNonDefaultGroups) {
  std::string vpc = create_vpc();
  std::string igw = s(ok("CreateInternetGateway")["InternetGateway"].at("InternetGatewayId"));
  ok("AttachInternetGateway", {{"InternetGatewayId", igw}, {"VpcId", vpc}});
  EXPECT_EQ(err("DeleteVpc", {{"VpcId", vpc}}).code, "DependencyViolation");
  ok("DetachInternetGateway", {{"InternetGatewayId", igw}, {"VpcId", vpc}});
  std::string group = create_group(vpc, "web");
  EXPECT_EQ(err("DeleteVpc", {{"VpcId", vpc}}).code, "DependencyViolation");
  ok("DeleteSecurityGroup", {{"GroupId", group}});
  ok("DeleteVpc", {{"VpcId", vpc}});
}

TEST_F(VpcHandlersTest, DnsAttributesDefaultToSupportOnHostnamesOffAndCanBeModified) {
  std::string vpc = create_vpc();
  json::object support =
      ok("DescribeVpcAttribute", {{"VpcId", vpc}, {"Attribute", "enableDnsSupport"}});
  EXPECT_TRUE(support["EnableDnsSupport"].at("Value").as_bool());
  json::object hostnames =
      ok("DescribeVpcAttribute", {{"VpcId", vpc}, {"Attribute", "enableDnsHostnames"}});
  EXPECT_FALSE(hostnames["EnableDnsHostnames"].at("Value").as_bool());
  ok("ModifyVpcAttribute", {{"VpcId", vpc}, {"EnableDnsHostnames", json::object{{"Value", true}}}});
  hostnames = ok("DescribeVpcAttribute", {{"VpcId", vpc}, {"Attribute", "enableDnsHostnames"}});
  EXPECT_TRUE(hostnames["EnableDnsHostnames"].at("Value").as_bool());
  EXPECT_EQ(err("ModifyVpcAttribute", {{"VpcId", vpc},
                                       {"EnableDnsHostnames", json::object{{"Value", true}}},
                                       {"EnableDnsSupport", json::object{{"Value", true}}}})
                .code,
            "InvalidParameterCombination");
}

TEST_F(VpcHandlersTest, FiltersMatchTagsWithWildcardsAndRejectUnknownNames) {
  ok("CreateVpc", J(R"({"CidrBlock":"10.1.0.0/16","TagSpecifications":[{"ResourceType":"vpc",
      "Tags":[{"Key":"Name","Value":"gantry-main"}]}]})"));
  create_vpc("10.2.0.0/16");
  json::object out =
      ok("DescribeVpcs", J(R"({"Filters":[{"Name":"tag:Name","Values":["gantry-*"]}]})"));
  ASSERT_EQ(out["Vpcs"].as_array().size(), 1u);
  EXPECT_EQ(s(out["Vpcs"].as_array()[0].at("CidrBlock")), "10.1.0.0/16");
  out = ok("DescribeVpcs", J(R"({"Filters":[{"Name":"cidr","Values":["10.2.0.0/16"]}]})"));
  EXPECT_EQ(out["Vpcs"].as_array().size(), 1u);
  EXPECT_EQ(err("DescribeVpcs", R"({"Filters":[{"Name":"colour","Values":["x"]}]})").message,
            "The filter 'colour' is invalid");
}

TEST_F(VpcHandlersTest, DescribePagesWithMaxResultsAndNextToken) {
  for (int i = 0; i < 6; ++i) {
    create_vpc("10." + std::to_string(i) + ".0.0/16");
  }
  json::object first = ok("DescribeVpcs", J(R"({"MaxResults":5})"));
  EXPECT_EQ(first["Vpcs"].as_array().size(), 5u);
  ASSERT_TRUE(first.contains("NextToken"));
  json::object second = ok("DescribeVpcs", {{"MaxResults", 5}, {"NextToken", first["NextToken"]}});
  EXPECT_EQ(second["Vpcs"].as_array().size(), 2u);  // 6 + the default VPC
  EXPECT_FALSE(second.contains("NextToken"));
}

TEST_F(VpcHandlersTest, DryRunAnswersDryRunOperation) {
  protocol::AwsError e = err("CreateVpc", R"({"CidrBlock":"10.0.0.0/16","DryRun":true})");
  EXPECT_EQ(e.code, "DryRunOperation");
  EXPECT_EQ(e.http_status, 412);
}

TEST_F(VpcHandlersTest, ZonesRegionsAndAccountAttributesDescribeANewAccount) {
  json::object zones = ok("DescribeAvailabilityZones");
  ASSERT_EQ(zones["AvailabilityZones"].as_array().size(), 3u);
  json::object a = zones["AvailabilityZones"].as_array()[0].as_object();
  EXPECT_EQ(s(a["ZoneName"]), "us-east-1a");
  EXPECT_EQ(s(a["ZoneId"]), "use1-az1");
  EXPECT_EQ(s(a["State"]), "available");
  EXPECT_EQ(zone_id("ap-southeast-2", "ap-southeast-2b"), "apse2-az2");
  json::object regions = ok("DescribeRegions", J(R"({"RegionNames":["eu-west-1"]})"));
  ASSERT_EQ(regions["Regions"].as_array().size(), 1u);
  EXPECT_EQ(s(regions["Regions"].as_array()[0].at("Endpoint")), "ec2.eu-west-1.amazonaws.com");
  json::object attrs = ok("DescribeAccountAttributes", J(R"({"AttributeNames":["default-vpc"]})"));
  ASSERT_EQ(attrs["AccountAttributes"].as_array().size(), 1u);
  EXPECT_TRUE(s(attrs["AccountAttributes"]
                    .as_array()[0]
                    .at("AttributeValues")
                    .as_array()[0]
                    .at("AttributeValue"))
                  .starts_with("vpc-"));
}

}  // namespace
}  // namespace services::ec2

namespace services::ec2 {
namespace {

namespace json = boost::json;

using NetworkAclTest = Ec2HandlersTest;

TEST_F(NetworkAclTest, EveryVpcHasADefaultAclAllowingAllWithEverySubnetAssociated) {
  std::string vpc = create_vpc();
  std::string a = create_subnet(vpc, "10.0.1.0/24");
  std::string b = create_subnet(vpc, "10.0.2.0/24");
  json::object out =
      ok("DescribeNetworkAcls",
         {{"Filters",
           json::array{json::object{{"Name", "vpc-id"}, {"Values", json::array{json::value(vpc)}}},
                       json::object{{"Name", "default"}, {"Values", json::array{"true"}}}}}});
  ASSERT_EQ(out["NetworkAcls"].as_array().size(), 1u);
  json::object acl = out["NetworkAcls"].as_array()[0].as_object();
  EXPECT_TRUE(s(acl["NetworkAclId"]).starts_with("acl-"));
  EXPECT_EQ(acl["Entries"].as_array().size(), 4u);
  EXPECT_EQ(s(acl["Entries"].as_array()[0].at("RuleAction")), "allow");
  ASSERT_EQ(acl["Associations"].as_array().size(), 2u);
  EXPECT_EQ(s(acl["Associations"].as_array()[0].at("SubnetId")), a);
  EXPECT_EQ(s(acl["Associations"].as_array()[1].at("SubnetId")), b);
  EXPECT_TRUE(
      s(acl["Associations"].as_array()[0].at("NetworkAclAssociationId")).starts_with("aclassoc-"));
  EXPECT_EQ(err("DescribeNetworkAcls", R"({"NetworkAclIds":["acl-0000000000000000a"]})").code,
            "InvalidNetworkAclID.NotFound");
  ok("DeleteSubnet", {{"SubnetId", a}});
  ok("DeleteSubnet", {{"SubnetId", b}});
  ok("DeleteVpc", {{"VpcId", vpc}});
  EXPECT_EQ(err("DescribeNetworkAcls", {{"NetworkAclIds", json::array{acl["NetworkAclId"]}}}).code,
            "InvalidNetworkAclID.NotFound");
}

}  // namespace
}  // namespace services::ec2
