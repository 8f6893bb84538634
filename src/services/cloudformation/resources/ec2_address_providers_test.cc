// AWS::EC2::EIP and AWS::EC2::NatGateway against the real EC2 handlers.

#include "services/cloudformation/resources/ec2_providers_test_support.h"

namespace services::cloudformation::resources {
namespace {

namespace json = boost::json;
using engine::UpdateBehavior;
using AddressProvidersTest = Ec2ProvidersTest;

TEST_F(AddressProvidersTest, EipRefIsTheAddressAndGetAttTheAllocation) {
  engine::ResourceProvider& p = provider("AWS::EC2::EIP");
  auto req = request("AWS::EC2::EIP", "NatIp",
                     json::parse(R"({"Domain":"vpc","Tags":[{"Key":"Name","Value":"nat"}]})"));
  engine::ProvisionResult eip = value(p.create(req));
  EXPECT_EQ(text(eip.attributes.at("PublicIp")), eip.physical_id);
  std::string allocation(eip.attributes.at("AllocationId").as_string());
  ASSERT_TRUE(allocation.starts_with("eipalloc-"));
  json::object live = describe("DescribeAddresses", "AllocationIds", allocation, "Addresses");
  EXPECT_EQ(text(live["PublicIp"]), eip.physical_id);
  EXPECT_EQ(tag(live, "Name"), "nat");
  EXPECT_EQ(tag(live, "aws:cloudformation:logical-id"), "NatIp");

  EXPECT_EQ(p.update_behavior("Tags"), UpdateBehavior::NoInterruption);
  EXPECT_EQ(p.update_behavior("Domain"), UpdateBehavior::Replacement);
  EXPECT_EQ(p.update_behavior("PublicIpv4Pool"), UpdateBehavior::Replacement);
  auto next = updated(req, eip, json::parse(R"({"Domain":"vpc"})"));
  EXPECT_EQ(value(p.update(next)).physical_id, eip.physical_id);
  EXPECT_EQ(tag(describe("DescribeAddresses", "AllocationIds", allocation, "Addresses"), "Name"),
            "");

  EXPECT_EQ(text(value(p.read(next)).attributes.at("AllocationId")), allocation);
  expect_deleted(p, next, "InvalidAddress.NotFound");
}

TEST_F(AddressProvidersTest, NatGatewayStabilizesWhenAvailableAndReleasesItsAddressOnDelete) {
  std::string vpc = make_vpc();
  std::string subnet = make_subnet(vpc, "10.0.1.0/24");
  engine::ProvisionResult eip = create("AWS::EC2::EIP", "NatIp", R"({"Domain":"vpc"})");
  engine::ResourceProvider& p = provider("AWS::EC2::NatGateway");
  auto req = request("AWS::EC2::NatGateway", "Nat",
                     json::object{{"SubnetId", subnet},
                                  {"AllocationId", eip.attributes.at("AllocationId")},
                                  {"Tags", json::parse(R"([{"Key":"Name","Value":"a"}])")}});
  engine::ProvisionResult nat = value(p.create(req));
  ASSERT_TRUE(nat.physical_id.starts_with("nat-"));
  EXPECT_EQ(text(nat.attributes.at("NatGatewayId")), nat.physical_id);
  auto now = existing(req, nat);
  EXPECT_EQ(value(p.stabilize(now)), engine::Progress::Done);
  json::object live =
      describe("DescribeNatGateways", "NatGatewayIds", nat.physical_id, "NatGateways");
  EXPECT_EQ(text(live["State"]), "available");
  EXPECT_EQ(text(live["NatGatewayAddresses"].as_array()[0].at("PublicIp")), eip.physical_id);
  EXPECT_EQ(tag(live, "aws:cloudformation:stack-name"), "net");

  EXPECT_EQ(p.update_behavior("Tags"), UpdateBehavior::NoInterruption);
  EXPECT_EQ(p.update_behavior("SubnetId"), UpdateBehavior::Replacement);
  EXPECT_EQ(p.update_behavior("AllocationId"), UpdateBehavior::Replacement);
  EXPECT_EQ(p.update_behavior("ConnectivityType"), UpdateBehavior::Replacement);
  json::object props = req.properties.as_object();
  props["Tags"] = json::parse(R"([{"Key":"Name","Value":"b"}])");
  auto next = updated(req, nat, props);
  EXPECT_EQ(value(p.update(next)).physical_id, nat.physical_id);
  EXPECT_EQ(
      tag(describe("DescribeNatGateways", "NatGatewayIds", nat.physical_id, "NatGateways"), "Name"),
      "b");
  // The address is in use while the gateway holds it.
  auto eip_now =
      existing(request("AWS::EC2::EIP", "NatIp", json::parse(R"({"Domain":"vpc"})")), eip);
  EXPECT_EQ(error_code(provider("AWS::EC2::EIP").remove(eip_now)), "InvalidIPAddress.InUse");

  EXPECT_EQ(value(p.read(next)).physical_id, nat.physical_id);
  EXPECT_TRUE(p.remove(next));
  EXPECT_TRUE(p.remove(next));
  // A deleted gateway stays visible as "deleted" for a while; to CloudFormation it is gone.
  EXPECT_EQ(error_code(p.read(next)), "NatGatewayNotFound");
  EXPECT_EQ(error_code(p.stabilize(next)), "NatGatewayNotFound");
  EXPECT_TRUE(provider("AWS::EC2::EIP").remove(eip_now));
  // Its subnet and VPC can go now.
  EXPECT_TRUE(
      provider("AWS::EC2::Subnet").remove(request("AWS::EC2::Subnet", "S", nullptr, subnet)));
  EXPECT_TRUE(provider("AWS::EC2::VPC").remove(request("AWS::EC2::VPC", "V", nullptr, vpc)));
}

TEST_F(AddressProvidersTest, NatGatewayWithoutSubnetFailsSchemaValidation) {
  auto r = provider("AWS::EC2::NatGateway")
               .create(request("AWS::EC2::NatGateway", "Nat", json::object{}));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("[SubnetId]"), std::string::npos);
}

}  // namespace
}  // namespace services::cloudformation::resources
