// AWS::EC2::VPC, Subnet, InternetGateway, VPCGatewayAttachment, RouteTable, Route and
// SubnetRouteTableAssociation against the real EC2 handlers.

#include "services/cloudformation/resources/ec2_providers_test_support.h"

namespace services::cloudformation::resources {
namespace {

namespace json = boost::json;
using engine::UpdateBehavior;
using NetworkProvidersTest = Ec2ProvidersTest;

TEST_F(NetworkProvidersTest, VpcLifecycleWithDnsAttributesTagsAndDefaults) {
  engine::ResourceProvider& p = provider("AWS::EC2::VPC");
  auto req = request("AWS::EC2::VPC", "Vpc",
                     json::parse(R"({"CidrBlock":"10.1.0.0/16","EnableDnsHostnames":"true",
                                     "Tags":[{"Key":"Name","Value":"main"}]})"));
  engine::ProvisionResult vpc = value(p.create(req));
  ASSERT_TRUE(vpc.physical_id.starts_with("vpc-"));
  EXPECT_EQ(text(vpc.attributes.at("VpcId")), vpc.physical_id);
  EXPECT_EQ(text(vpc.attributes.at("CidrBlock")), "10.1.0.0/16");
  EXPECT_EQ(vpc.attributes.at("Ipv6CidrBlocks"), json::array());
  EXPECT_EQ(vpc.attributes.at("CidrBlockAssociations").as_array().size(), 1u);
  // The defaults EC2 made with the VPC.
  json::object group = describe("DescribeSecurityGroups", "GroupIds",
                                std::string(vpc.attributes.at("DefaultSecurityGroup").as_string()),
                                "SecurityGroups");
  EXPECT_EQ(text(group["GroupName"]), "default");
  EXPECT_EQ(text(group["VpcId"]), vpc.physical_id);
  json::object acl =
      describe("DescribeNetworkAcls", "NetworkAclIds",
               std::string(vpc.attributes.at("DefaultNetworkAcl").as_string()), "NetworkAcls");
  EXPECT_EQ(text(acl["VpcId"]), vpc.physical_id);

  json::object live = describe("DescribeVpcs", "VpcIds", vpc.physical_id, "Vpcs");
  EXPECT_EQ(tag(live, "Name"), "main");
  EXPECT_EQ(tag(live, "aws:cloudformation:stack-name"), "net");
  EXPECT_EQ(tag(live, "aws:cloudformation:logical-id"), "Vpc");
  EXPECT_EQ(tag(live, "aws:cloudformation:stack-id"), stack_.stack_id);
  auto attribute = [&](std::string_view name, std::string_view member) {
    return ok("DescribeVpcAttribute", {{"VpcId", vpc.physical_id}, {"Attribute", name}})[member]
        .at("Value")
        .as_bool();
  };
  EXPECT_TRUE(attribute("enableDnsSupport", "EnableDnsSupport"));
  EXPECT_TRUE(attribute("enableDnsHostnames", "EnableDnsHostnames"));

  // In place: DNS attributes and tags.
  auto next =
      updated(req, vpc, json::parse(R"({"CidrBlock":"10.1.0.0/16","EnableDnsHostnames":false,
                                      "EnableDnsSupport":false,
                                      "Tags":[{"Key":"Team","Value":"net"}]})"));
  EXPECT_EQ(p.update_behavior("EnableDnsSupport"), UpdateBehavior::NoInterruption);
  EXPECT_EQ(p.update_behavior("EnableDnsHostnames"), UpdateBehavior::NoInterruption);
  EXPECT_EQ(p.update_behavior("Tags"), UpdateBehavior::NoInterruption);
  EXPECT_EQ(p.update_behavior("CidrBlock"), UpdateBehavior::Replacement);
  EXPECT_EQ(p.update_behavior("Ipv4NetmaskLength"), UpdateBehavior::Replacement);
  EXPECT_EQ(value(p.update(next)).physical_id, vpc.physical_id);
  EXPECT_FALSE(attribute("enableDnsSupport", "EnableDnsSupport"));
  EXPECT_FALSE(attribute("enableDnsHostnames", "EnableDnsHostnames"));
  live = describe("DescribeVpcs", "VpcIds", vpc.physical_id, "Vpcs");
  EXPECT_EQ(tag(live, "Name"), "");
  EXPECT_EQ(tag(live, "Team"), "net");
  EXPECT_EQ(tag(live, "aws:cloudformation:stack-name"), "net");

  EXPECT_EQ(text(value(p.read(next)).attributes.at("CidrBlock")), "10.1.0.0/16");
  // Deleting takes the default security group and route table with it; again is a no-op.
  expect_deleted(p, next, "InvalidVpcID.NotFound");
  EXPECT_EQ(err("DescribeSecurityGroups",
                {{"GroupIds", json::array{vpc.attributes.at("DefaultSecurityGroup")}}})
                .code,
            "InvalidGroup.NotFound");
}

TEST_F(NetworkProvidersTest, VpcWithoutCidrBlockFailsSchemaValidation) {
  auto r = provider("AWS::EC2::VPC").create(request("AWS::EC2::VPC", "Vpc", json::object{}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "ValidationError");
  EXPECT_NE(r.error().message.find("required key [CidrBlock] not found"), std::string::npos);
}

TEST_F(NetworkProvidersTest, SubnetLifecycleUpdatesMapPublicIpOnLaunchInPlace) {
  std::string vpc = make_vpc();
  engine::ResourceProvider& p = provider("AWS::EC2::Subnet");
  json::object props{{"VpcId", vpc},
                     {"CidrBlock", "10.0.1.0/24"},
                     {"AvailabilityZone", "us-east-1b"},
                     {"MapPublicIpOnLaunch", true}};
  auto req = request("AWS::EC2::Subnet", "Public", props);
  engine::ProvisionResult subnet = value(p.create(req));
  ASSERT_TRUE(subnet.physical_id.starts_with("subnet-"));
  EXPECT_EQ(text(subnet.attributes.at("SubnetId")), subnet.physical_id);
  EXPECT_EQ(text(subnet.attributes.at("VpcId")), vpc);
  EXPECT_EQ(text(subnet.attributes.at("CidrBlock")), "10.0.1.0/24");
  EXPECT_EQ(text(subnet.attributes.at("AvailabilityZone")), "us-east-1b");
  EXPECT_EQ(text(subnet.attributes.at("AvailabilityZoneId")), "use1-az2");
  EXPECT_EQ(subnet.attributes.at("Ipv6CidrBlocks"), json::array());
  EXPECT_TRUE(subnet.attributes.at("NetworkAclAssociationId").as_string().starts_with("aclassoc-"));
  json::object live = describe("DescribeSubnets", "SubnetIds", subnet.physical_id, "Subnets");
  EXPECT_EQ(live["MapPublicIpOnLaunch"], true);
  EXPECT_EQ(tag(live, "aws:cloudformation:logical-id"), "Public");

  props["MapPublicIpOnLaunch"] = "false";
  EXPECT_EQ(p.update_behavior("MapPublicIpOnLaunch"), UpdateBehavior::NoInterruption);
  EXPECT_EQ(p.update_behavior("CidrBlock"), UpdateBehavior::Replacement);
  EXPECT_EQ(p.update_behavior("AvailabilityZone"), UpdateBehavior::Replacement);
  EXPECT_EQ(p.update_behavior("VpcId"), UpdateBehavior::Replacement);
  auto next = updated(req, subnet, props);
  EXPECT_EQ(value(p.update(next)).physical_id, subnet.physical_id);
  live = describe("DescribeSubnets", "SubnetIds", subnet.physical_id, "Subnets");
  EXPECT_EQ(live["MapPublicIpOnLaunch"], false);

  EXPECT_EQ(text(value(p.read(next)).attributes.at("CidrBlock")), "10.0.1.0/24");
  expect_deleted(p, next, "InvalidSubnetID.NotFound");
  // The subnet gone, its VPC can go.
  EXPECT_TRUE(provider("AWS::EC2::VPC").remove(request("AWS::EC2::VPC", "V", nullptr, vpc)));
}

TEST_F(NetworkProvidersTest, InternetGatewayAttachmentRefNamesTypeAndVpcAndMovesInPlace) {
  std::string vpc = make_vpc();
  engine::ResourceProvider& igws = provider("AWS::EC2::InternetGateway");
  auto igw_req = request("AWS::EC2::InternetGateway", "Igw",
                         json::parse(R"({"Tags":[{"Key":"Name","Value":"gw"}]})"));
  engine::ProvisionResult igw = value(igws.create(igw_req));
  ASSERT_TRUE(igw.physical_id.starts_with("igw-"));
  EXPECT_EQ(text(igw.attributes.at("InternetGatewayId")), igw.physical_id);
  EXPECT_EQ(tag(describe("DescribeInternetGateways", "InternetGatewayIds", igw.physical_id,
                         "InternetGateways"),
                "Name"),
            "gw");
  engine::ProvisionResult igw2 = create("AWS::EC2::InternetGateway", "Igw2", "{}");

  engine::ResourceProvider& p = provider("AWS::EC2::VPCGatewayAttachment");
  json::object props{{"VpcId", vpc}, {"InternetGatewayId", igw.physical_id}};
  auto req = request("AWS::EC2::VPCGatewayAttachment", "Attach", props);
  engine::ProvisionResult attachment = value(p.create(req));
  EXPECT_EQ(attachment.physical_id, "IGW|" + vpc);
  EXPECT_EQ(text(attachment.attributes.at("AttachmentType")), "IGW");
  EXPECT_EQ(text(attachment.attributes.at("VpcId")), vpc);
  auto attached_to = [&](const std::string& id) {
    json::object g =
        describe("DescribeInternetGateways", "InternetGatewayIds", id, "InternetGateways");
    const json::array& a = g["Attachments"].as_array();
    return a.empty() ? std::string() : std::string(a[0].at("VpcId").as_string());
  };
  EXPECT_EQ(attached_to(igw.physical_id), vpc);
  // A gateway still attached cannot be deleted: the attachment goes first.
  EXPECT_EQ(error_code(igws.remove(existing(igw_req, igw))), "DependencyViolation");

  // Another gateway: detach the old one, attach the new one, same attachment
  // id.
  EXPECT_EQ(p.update_behavior("InternetGatewayId"), UpdateBehavior::NoInterruption);
  EXPECT_EQ(p.update_behavior("VpcId"), UpdateBehavior::Replacement);
  props["InternetGatewayId"] = igw2.physical_id;
  auto next = updated(req, attachment, props);
  EXPECT_EQ(value(p.update(next)).physical_id, attachment.physical_id);
  EXPECT_EQ(attached_to(igw.physical_id), "");
  EXPECT_EQ(attached_to(igw2.physical_id), vpc);

  EXPECT_EQ(text(value(p.read(next)).attributes.at("VpcId")), vpc);
  EXPECT_TRUE(p.remove(next));
  EXPECT_TRUE(p.remove(next));
  EXPECT_EQ(attached_to(igw2.physical_id), "");
  EXPECT_EQ(error_code(p.read(next)), "InvalidAttachment.NotFound");

  EXPECT_EQ(igws.update_behavior("Tags"), UpdateBehavior::NoInterruption);
  auto igw_next = updated(igw_req, igw, json::parse(R"({"Tags":[{"Key":"Name","Value":"gw2"}]})"));
  EXPECT_EQ(value(igws.update(igw_next)).physical_id, igw.physical_id);
  EXPECT_EQ(tag(describe("DescribeInternetGateways", "InternetGatewayIds", igw.physical_id,
                         "InternetGateways"),
                "Name"),
            "gw2");
  EXPECT_EQ(text(value(igws.read(igw_next)).attributes.at("InternetGatewayId")), igw.physical_id);
  expect_deleted(igws, igw_next, "InvalidInternetGatewayID.NotFound");
}

TEST_F(NetworkProvidersTest, RouteTableRouteAndAssociationLifecycle) {
  std::string vpc = make_vpc();
  std::string subnet = make_subnet(vpc, "10.0.1.0/24");
  engine::ProvisionResult igw = create("AWS::EC2::InternetGateway", "Igw", "{}");
  ok("AttachInternetGateway", {{"VpcId", vpc}, {"InternetGatewayId", igw.physical_id}});

  engine::ResourceProvider& tables = provider("AWS::EC2::RouteTable");
  auto table_req = request("AWS::EC2::RouteTable", "Public", json::object{{"VpcId", vpc}});
  engine::ProvisionResult table = value(tables.create(table_req));
  ASSERT_TRUE(table.physical_id.starts_with("rtb-"));
  EXPECT_EQ(text(table.attributes.at("RouteTableId")), table.physical_id);
  EXPECT_EQ(tables.update_behavior("VpcId"), UpdateBehavior::Replacement);
  EXPECT_EQ(tables.update_behavior("Tags"), UpdateBehavior::NoInterruption);

  // A default route through the gateway; Ref is "<table>|<destination>".
  engine::ResourceProvider& routes = provider("AWS::EC2::Route");
  json::object route_props{{"RouteTableId", table.physical_id},
                           {"DestinationCidrBlock", "0.0.0.0/0"},
                           {"GatewayId", igw.physical_id}};
  auto route_req = request("AWS::EC2::Route", "Default", route_props);
  engine::ProvisionResult route = value(routes.create(route_req));
  EXPECT_EQ(route.physical_id, table.physical_id + "|0.0.0.0/0");
  EXPECT_EQ(text(route.attributes.at("CidrBlock")), "0.0.0.0/0");
  json::object live =
      describe("DescribeRouteTables", "RouteTableIds", table.physical_id, "RouteTables");
  ASSERT_EQ(live["Routes"].as_array().size(), 2u);
  EXPECT_EQ(text(live["Routes"].as_array()[1].at("GatewayId")), igw.physical_id);
  EXPECT_EQ(value(routes.read(existing(route_req, route))).physical_id, route.physical_id);
  EXPECT_EQ(routes.update_behavior("GatewayId"), UpdateBehavior::NoInterruption);
  EXPECT_EQ(routes.update_behavior("NatGatewayId"), UpdateBehavior::NoInterruption);
  EXPECT_EQ(routes.update_behavior("DestinationCidrBlock"), UpdateBehavior::Replacement);
  EXPECT_EQ(routes.update_behavior("RouteTableId"), UpdateBehavior::Replacement);

  engine::ResourceProvider& assocs = provider("AWS::EC2::SubnetRouteTableAssociation");
  auto assoc_req = request("AWS::EC2::SubnetRouteTableAssociation", "Assoc",
                           json::object{{"RouteTableId", table.physical_id}, {"SubnetId", subnet}});
  engine::ProvisionResult assoc = value(assocs.create(assoc_req));
  ASSERT_TRUE(assoc.physical_id.starts_with("rtbassoc-"));
  EXPECT_EQ(text(assoc.attributes.at("Id")), assoc.physical_id);
  EXPECT_EQ(assocs.update_behavior("RouteTableId"), UpdateBehavior::Replacement);
  EXPECT_EQ(assocs.update_behavior("SubnetId"), UpdateBehavior::Replacement);
  auto assoc_now = existing(assoc_req, assoc);
  EXPECT_EQ(text(value(assocs.read(assoc_now)).attributes.at("Id")), assoc.physical_id);
  // A table with an association cannot go first.
  EXPECT_EQ(error_code(tables.remove(existing(table_req, table))), "DependencyViolation");

  // Delete in the stack's reverse order, each twice.
  expect_deleted(assocs, assoc_now, "InvalidAssociationID.NotFound");
  auto route_now = existing(route_req, route);
  expect_deleted(routes, route_now, "InvalidRoute.NotFound");
  auto table_next = updated(
      table_req, table,
      json::parse(R"({"VpcId":")" + vpc + R"(","Tags":[{"Key":"Tier","Value":"public"}]})"));
  EXPECT_EQ(value(tables.update(table_next)).physical_id, table.physical_id);
  EXPECT_EQ(tag(describe("DescribeRouteTables", "RouteTableIds", table.physical_id, "RouteTables"),
                "Tier"),
            "public");
  expect_deleted(tables, table_next, "InvalidRouteTableID.NotFound");
  // A route whose table is gone is gone too.
  EXPECT_TRUE(routes.remove(route_now));
}

TEST_F(NetworkProvidersTest, RouteTargetChangeIsReplaceRoute) {
  std::string vpc = make_vpc();
  std::string subnet = make_subnet(vpc, "10.0.1.0/24");
  engine::ProvisionResult igw = create("AWS::EC2::InternetGateway", "Igw", "{}");
  ok("AttachInternetGateway", {{"VpcId", vpc}, {"InternetGatewayId", igw.physical_id}});
  std::string allocation = std::string(ok("AllocateAddress", "{}")["AllocationId"].as_string());
  std::string nat = std::string(
      ok("CreateNatGateway", {{"SubnetId", subnet}, {"AllocationId", allocation}})["NatGateway"]
          .at("NatGatewayId")
          .as_string());
  std::string table = std::string(
      ok("CreateRouteTable", {{"VpcId", vpc}})["RouteTable"].at("RouteTableId").as_string());

  engine::ResourceProvider& routes = provider("AWS::EC2::Route");
  json::object props{{"RouteTableId", table},
                     {"DestinationCidrBlock", "0.0.0.0/0"},
                     {"GatewayId", igw.physical_id}};
  auto req = request("AWS::EC2::Route", "Default", props);
  engine::ProvisionResult route = value(routes.create(req));
  props.erase("GatewayId");
  props["NatGatewayId"] = nat;
  EXPECT_EQ(value(routes.update(updated(req, route, props))).physical_id, route.physical_id);
  json::object live = describe("DescribeRouteTables", "RouteTableIds", table, "RouteTables");
  EXPECT_EQ(text(live["Routes"].as_array()[1].at("NatGatewayId")), nat);
  EXPECT_FALSE(live["Routes"].as_array()[1].as_object().contains("GatewayId"));
}

}  // namespace
}  // namespace services::cloudformation::resources
