#include "services/ec2/ec2_test_support.h"

namespace services::ec2 {
namespace {

namespace json = boost::json;

using SubnetHandlersTest = Ec2HandlersTest;

TEST_F(SubnetHandlersTest, SubnetMustLieInsideItsVpc) {
  std::string vpc = create_vpc();
  protocol::AwsError e = err("CreateSubnet", {{"VpcId", vpc}, {"CidrBlock", "10.1.0.0/24"}});
  EXPECT_EQ(e.code, "InvalidSubnet.Range");
  EXPECT_EQ(e.message, "The CIDR '10.1.0.0/24' is invalid.");
  EXPECT_EQ(err("CreateSubnet", {{"VpcId", vpc}, {"CidrBlock", "10.0.0.0/29"}}).code,
            "InvalidSubnet.Range");
}

TEST_F(SubnetHandlersTest, OverlappingSubnetsConflict) {
  std::string vpc = create_vpc();
  create_subnet(vpc, "10.0.1.0/24");
  protocol::AwsError e = err("CreateSubnet", {{"VpcId", vpc}, {"CidrBlock", "10.0.1.128/25"}});
  EXPECT_EQ(e.code, "InvalidSubnet.Conflict");
  EXPECT_EQ(e.message, "The CIDR '10.0.1.128/25' conflicts with another subnet");
  create_subnet(vpc, "10.0.2.0/24");
}

TEST_F(SubnetHandlersTest, UnknownVpcOrZoneIsRejected) {
  EXPECT_EQ(err("CreateSubnet", R"({"VpcId":"vpc-404","CidrBlock":"10.0.0.0/24"})").code,
            "InvalidVpcID.NotFound");
  std::string vpc = create_vpc();
  protocol::AwsError e =
      err("CreateSubnet",
          {{"VpcId", vpc}, {"CidrBlock", "10.0.0.0/24"}, {"AvailabilityZone", "us-east-1z"}});
  EXPECT_EQ(e.code, "InvalidParameterValue");
  EXPECT_NE(e.message.find("us-east-1a, us-east-1b, us-east-1c"), std::string::npos);
}

TEST_F(SubnetHandlersTest, ShowsZoneIdAndAvailableAddressesAfterTheFiveReserved) {
  std::string vpc = create_vpc();
  std::string subnet = create_subnet(vpc, "10.0.1.0/24", "us-east-1b");
  json::object view = describe_one("DescribeSubnets", "SubnetIds", subnet, "Subnets");
  EXPECT_EQ(view["AvailableIpAddressCount"].as_int64(), 251);
  EXPECT_EQ(s(view["AvailabilityZoneId"]), "use1-az2");
  EXPECT_FALSE(view["MapPublicIpOnLaunch"].as_bool());
  EXPECT_FALSE(view["DefaultForAz"].as_bool());
}

TEST_F(SubnetHandlersTest, AvailableAddressesDropAsInterfacesAreAllocated) {
  std::string vpc = create_vpc();
  std::string subnet = create_subnet(vpc, "10.0.1.0/28");
  EniRequest request{"123456789012", "us-east-1", subnet};
  auto first = directory_.allocate_eni(request);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->private_ip, "10.0.1.4");
  EXPECT_EQ(first->gateway_ip, "10.0.1.1");
  EXPECT_EQ(first->prefix_length, 28);
  EXPECT_EQ(
      describe_one("DescribeSubnets", "SubnetIds", subnet, "Subnets")["AvailableIpAddressCount"]
          .as_int64(),
      10);
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(directory_.allocate_eni(request));
  }
  auto full = directory_.allocate_eni(request);
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, "InsufficientFreeAddressesInSubnet");
  directory_.release_eni(first->eni_id);
  auto again = directory_.allocate_eni(request);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->private_ip, "10.0.1.4");
}

TEST_F(SubnetHandlersTest, ModifySubnetAttributeSetsMapPublicIpOnLaunch) {
  std::string vpc = create_vpc();
  std::string subnet = create_subnet(vpc, "10.0.1.0/24");
  ok("ModifySubnetAttribute",
     {{"SubnetId", subnet}, {"MapPublicIpOnLaunch", json::object{{"Value", true}}}});
  EXPECT_TRUE(describe_one("DescribeSubnets", "SubnetIds", subnet, "Subnets")["MapPublicIpOnLaunch"]
                  .as_bool());
  json::object filtered =
      ok("DescribeSubnets", J(R"({"Filters":[{"Name":"map-public-ip-on-launch","Values":["true"]},
                                              {"Name":"cidr-block","Values":["10.0.*"]}]})"));
  EXPECT_EQ(filtered["Subnets"].as_array().size(), 1u);
}

TEST_F(SubnetHandlersTest, DeleteSubnetWithAnInterfaceIsADependencyViolation) {
  std::string vpc = create_vpc();
  std::string subnet = create_subnet(vpc, "10.0.1.0/24");
  auto eni = directory_.allocate_eni({"123456789012", "us-east-1", subnet});
  ASSERT_TRUE(eni);
  EXPECT_EQ(err("DeleteSubnet", {{"SubnetId", subnet}}).code, "DependencyViolation");
  directory_.release_eni(eni->eni_id);
  ok("DeleteSubnet", {{"SubnetId", subnet}});
  EXPECT_EQ(err("DeleteSubnet", {{"SubnetId", subnet}}).code, "InvalidSubnetID.NotFound");
}

}  // namespace
}  // namespace services::ec2
