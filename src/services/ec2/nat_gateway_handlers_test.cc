#include "services/ec2/ec2_test_support.h"

namespace services::ec2 {
namespace {

namespace json = boost::json;

using NatGatewayHandlersTest = Ec2HandlersTest;

TEST_F(NatGatewayHandlersTest, NatGatewayIsAvailableWithItsElasticIpAndInterface) {
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

}  // namespace
}  // namespace services::ec2
