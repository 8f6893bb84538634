#include "services/ec2/ec2_test_support.h"

namespace services::ec2 {
namespace {

namespace json = boost::json;

class InternetGatewayHandlersTest : public Ec2HandlersTest {
 protected:
  std::string create_igw() {
    return s(ok("CreateInternetGateway")["InternetGateway"].at("InternetGatewayId"));
  }
};

TEST_F(InternetGatewayHandlersTest, InternetGatewayAttachesToOneVpcAtATime) {
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

TEST_F(InternetGatewayHandlersTest, AttachmentFilterFindsTheVpcsGateway) {
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

}  // namespace
}  // namespace services::ec2
