#include "services/ec2/ec2_test_support.h"

namespace services::ec2 {
namespace {

namespace json = boost::json;

using AddressHandlersTest = Ec2HandlersTest;

TEST_F(AddressHandlersTest, ElasticIpsAreLimitedToFivePerRegion) {
  for (int i = 0; i < 5; ++i) {
    ok("AllocateAddress", J(R"({"Domain":"vpc"})"));
  }
  EXPECT_EQ(err("AllocateAddress", R"({"Domain":"vpc"})").code, "AddressLimitExceeded");
}

TEST_F(AddressHandlersTest, AssociateAddressMapsAnElasticIpToAnInterface) {
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
