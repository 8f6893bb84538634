#include "services/ec2/ec2_test_support.h"

namespace services::ec2 {
namespace {

namespace json = boost::json;

class GatewayHandlersTest : public Ec2HandlersTest {
 protected:
  std::string create_igw() {
    return s(ok("CreateInternetGateway")["InternetGateway"].at("InternetGatewayId"));
  }
};

TEST_F(GatewayHandlersTest, InternetGatewayAttachesToOneVpcAtATime) {
  std::string vpc = create_vpc();
  std::string igw = create_igw();
  EXPECT_TRUE(igw.starts_with("igw-"));
  ok("AttachInternetGateway", {{"InternetGatewayId", igw}, {"VpcId", vpc}});
  json::object view =
      describe_one("DescribeInternetGateways", "InternetGatewayIds", igw, "InternetGateways");
  EXPECT_EQ(s(view["Attachments"].as_array()[0].at("VpcId")), vpc);
  EXPECT_EQ(s(view["Attachments"].as_array()[0].at("State")), "available");
  EXPECT_EQ(err("AttachInternetGateway", {{"InternetGatewayId", igw}, {"VpcId", vpc}}).code,
            "Resource.AlreadyAssociated");
  EXPECT_EQ(
      err("AttachInternetGateway", {{"InternetGatewayId", create_igw()}, {"VpcId", vpc}}).code,
      "Resource.AlreadyAssociated");
  EXPECT_EQ(err("DeleteInternetGateway", {{"InternetGatewayId", igw}}).code, "DependencyViolation");
  ok("DetachInternetGateway", {{"InternetGatewayId", igw}, {"VpcId", vpc}});
  protocol::AwsError e = err("DetachInternetGateway", {{"InternetGatewayId", igw}, {"VpcId", vpc}});
  EXPECT_EQ(e.code, "Gateway.NotAttached");
  ok("DeleteInternetGateway", {{"InternetGatewayId", igw}});
  EXPECT_EQ(err("DeleteInternetGateway", {{"InternetGatewayId", igw}}).code,
            "InvalidInternetGatewayID.NotFound");
}

TEST_F(GatewayHandlersTest, AttachmentFilterFindsTheVpcsGateway) {
  std::string vpc = create_vpc();
  std::string igw = create_igw();
  create_igw();
  ok("AttachInternetGateway", {{"InternetGatewayId", igw}, {"VpcId", vpc}});
  json::object out =
      ok("DescribeInternetGateways",
         {{"Filters", json::array{json::object{{"Name", "attachment.vpc-id"},
                                               {"Values", json::array{json::value(vpc)}}}}}});
  ASSERT_EQ(out["InternetGateways"].as_array().size(), 1u);
  EXPECT_EQ(s(out["InternetGateways"].as_array()[0].at("InternetGatewayId")), igw);
}

TEST_F(GatewayHandlersTest, NatGatewayIsAvailableWithItsElasticIpAndInterface) {
  std::string vpc = create_vpc();
  std::string subnet = create_subnet(vpc, "10.0.1.0/24");
  json::object eip = ok("AllocateAddress", J(R"({"Domain":"vpc"})"));
  std::string allocation = s(eip["AllocationId"]);
  EXPECT_TRUE(allocation.starts_with("eipalloc-"));
  json::object nat =
      ok("CreateNatGateway", {{"SubnetId", subnet}, {"AllocationId", allocation}})["NatGateway"]
          .as_object();
  std::string nat_id = s(nat["NatGatewayId"]);
  EXPECT_TRUE(nat_id.starts_with("nat-"));
  EXPECT_EQ(s(nat["State"]), "available");
  json::object address = nat["NatGatewayAddresses"].as_array()[0].as_object();
  EXPECT_EQ(address["PublicIp"], eip["PublicIp"]);
  EXPECT_EQ(s(address["PrivateIp"]), "10.0.1.4");
  json::object described =
      ok("DescribeAddresses", {{"AllocationIds", json::array{json::value(allocation)}}});
  EXPECT_EQ(described["Addresses"].as_array()[0].at("NetworkInterfaceId"),
            address["NetworkInterfaceId"]);
  EXPECT_EQ(err("ReleaseAddress", {{"AllocationId", allocation}}).code, "InvalidIPAddress.InUse");
  EXPECT_EQ(err("DeleteSubnet", {{"SubnetId", subnet}}).code, "DependencyViolation");
  json::object filtered = ok(
      "DescribeNatGateways",
      {{"Filter",
        json::array{json::object{{"Name", "vpc-id"}, {"Values", json::array{json::value(vpc)}}}}}});
  EXPECT_EQ(filtered["NatGateways"].as_array().size(), 1u);
  ok("DeleteNatGateway", {{"NatGatewayId", nat_id}});
  EXPECT_EQ(s(describe_one("DescribeNatGateways", "NatGatewayIds", nat_id, "NatGateways")["State"]),
            "deleted");
  ok("ReleaseAddress", {{"AllocationId", allocation}});
  ok("DeleteSubnet", {{"SubnetId", subnet}});
}

TEST_F(GatewayHandlersTest, ElasticIpsAreLimitedToFivePerRegion) {
  for (int i = 0; i < 5; ++i) {
    ok("AllocateAddress", J(R"({"Domain":"vpc"})"));
  }
  EXPECT_EQ(err("AllocateAddress", R"({"Domain":"vpc"})").code, "AddressLimitExceeded");
}

TEST_F(GatewayHandlersTest, AssociateAddressMapsAnElasticIpToAnInterface) {
  std::string vpc = s(ok("DescribeVpcs")["Vpcs"].as_array()[0].at("VpcId"));  // default VPC
  json::object subnets = ok("DescribeSubnets");
  std::string subnet = s(subnets["Subnets"].as_array()[0].at("SubnetId"));
  std::string eni = s(ok("CreateNetworkInterface", {{"SubnetId", subnet}})["NetworkInterface"].at(
      "NetworkInterfaceId"));
  json::object eip = ok("AllocateAddress", J(R"({"Domain":"vpc"})"));
  std::string association =
      s(ok("AssociateAddress",
           {{"AllocationId", eip["AllocationId"]}, {"NetworkInterfaceId", eni}})["AssociationId"]);
  EXPECT_TRUE(association.starts_with("eipassoc-"));
  json::object view =
      describe_one("DescribeNetworkInterfaces", "NetworkInterfaceIds", eni, "NetworkInterfaces");
  EXPECT_EQ(view["Association"].at("PublicIp"), eip["PublicIp"]);
  ok("DisassociateAddress", {{"AssociationId", association}});
  view = describe_one("DescribeNetworkInterfaces", "NetworkInterfaceIds", eni, "NetworkInterfaces");
  EXPECT_FALSE(view.contains("Association"));
  EXPECT_EQ(err("DisassociateAddress", {{"AssociationId", association}}).code,
            "InvalidAssociationID.NotFound");
  ok("DeleteNetworkInterface", {{"NetworkInterfaceId", eni}});
  (void)vpc;
}

}  // namespace
}  // namespace services::ec2
