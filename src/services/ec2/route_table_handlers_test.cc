#include "services/ec2/ec2_test_support.h"

namespace services::ec2 {
namespace {

namespace json = boost::json;

class RouteTableHandlersTest : public Ec2HandlersTest {
 protected:
  void SetUp() override {
    vpc_ = create_vpc();
    igw_ = s(ok("CreateInternetGateway")["InternetGateway"].at("InternetGatewayId"));
    ok("AttachInternetGateway", {{"InternetGatewayId", igw_}, {"VpcId", vpc_}});
    table_ = s(ok("CreateRouteTable", {{"VpcId", vpc_}})["RouteTable"].at("RouteTableId"));
  }
  json::object table(const std::string& id) {
    return describe_one("DescribeRouteTables", "RouteTableIds", id, "RouteTables");
  }
  std::string vpc_, igw_, table_;
};

TEST_F(RouteTableHandlersTest, DefaultRouteToTheInternetGateway) {
  ok("CreateRoute",
     {{"RouteTableId", table_}, {"DestinationCidrBlock", "0.0.0.0/0"}, {"GatewayId", igw_}});
  json::array routes = table(table_)["Routes"].as_array();
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(s(routes[0].at("GatewayId")), "local");
  EXPECT_EQ(s(routes[1].at("GatewayId")), igw_);
  EXPECT_EQ(s(routes[1].at("Origin")), "CreateRoute");
  EXPECT_EQ(s(routes[1].at("State")), "active");
  EXPECT_EQ(
      err("CreateRoute",
          {{"RouteTableId", table_}, {"DestinationCidrBlock", "0.0.0.0/0"}, {"GatewayId", igw_}})
          .code,
      "RouteAlreadyExists");
  json::object found =
      ok("DescribeRouteTables",
         {{"Filters", json::array{json::object{{"Name", "route.gateway-id"},
                                               {"Values", json::array{json::value(igw_)}}}}}});
  EXPECT_EQ(found["RouteTables"].as_array().size(), 1u);
}

TEST_F(RouteTableHandlersTest, RouteToAGatewayOfAnotherVpcIsRejected) {
  std::string other = s(ok("CreateInternetGateway")["InternetGateway"].at("InternetGatewayId"));
  EXPECT_EQ(
      err("CreateRoute",
          {{"RouteTableId", table_}, {"DestinationCidrBlock", "0.0.0.0/0"}, {"GatewayId", other}})
          .code,
      "InvalidParameterValue");
  EXPECT_EQ(err("CreateRoute", {{"RouteTableId", table_},
                                {"DestinationCidrBlock", "0.0.0.0/0"},
                                {"GatewayId", "igw-00000000000000000"}})
                .code,
            "InvalidInternetGatewayID.NotFound");
}

TEST_F(RouteTableHandlersTest, ReplaceAndDeleteRoutesButNeverTheLocalOne) {
  EXPECT_EQ(
      err("ReplaceRoute",
          {{"RouteTableId", table_}, {"DestinationCidrBlock", "0.0.0.0/0"}, {"GatewayId", igw_}})
          .code,
      "InvalidParameterValue");
  ok("CreateRoute",
     {{"RouteTableId", table_}, {"DestinationCidrBlock", "0.0.0.0/0"}, {"GatewayId", igw_}});
  ok("ReplaceRoute",
     {{"RouteTableId", table_}, {"DestinationCidrBlock", "0.0.0.0/0"}, {"GatewayId", igw_}});
  ok("DeleteRoute", {{"RouteTableId", table_}, {"DestinationCidrBlock", "0.0.0.0/0"}});
  EXPECT_EQ(
      err("DeleteRoute", {{"RouteTableId", table_}, {"DestinationCidrBlock", "0.0.0.0/0"}}).code,
      "InvalidRoute.NotFound");
  EXPECT_EQ(
      err("DeleteRoute", {{"RouteTableId", table_}, {"DestinationCidrBlock", "10.0.0.0/16"}}).code,
      "InvalidParameterValue");
}

TEST_F(RouteTableHandlersTest, SubnetHasOneExplicitAssociationAtATime) {
  std::string a = create_subnet(vpc_, "10.0.1.0/24");
  std::string b = create_subnet(vpc_, "10.0.2.0/24", "us-east-1b");
  json::object assoc = ok("AssociateRouteTable", {{"RouteTableId", table_}, {"SubnetId", a}});
  std::string association = s(assoc["AssociationId"]);
  EXPECT_TRUE(association.starts_with("rtbassoc-"));
  EXPECT_EQ(s(assoc["AssociationState"].at("State")), "associated");
  ok("AssociateRouteTable", {{"RouteTableId", table_}, {"SubnetId", b}});
  std::string second =
      s(ok("CreateRouteTable", {{"VpcId", vpc_}})["RouteTable"].at("RouteTableId"));
  EXPECT_EQ(err("AssociateRouteTable", {{"RouteTableId", second}, {"SubnetId", a}}).code,
            "Resource.AlreadyAssociated");
  json::object by_subnet =
      ok("DescribeRouteTables",
         {{"Filters", json::array{json::object{{"Name", "association.subnet-id"},
                                               {"Values", json::array{json::value(b)}}}}}});
  EXPECT_EQ(s(by_subnet["RouteTables"].as_array()[0].at("RouteTableId")), table_);
  EXPECT_EQ(err("DeleteRouteTable", {{"RouteTableId", table_}}).code, "DependencyViolation");
  ok("DisassociateRouteTable", {{"AssociationId", association}});
  ok("AssociateRouteTable", {{"RouteTableId", second}, {"SubnetId", a}});
}

TEST_F(RouteTableHandlersTest, MainTableCannotBeDeletedButItsAssociationCanMove) {
  json::object mains = ok(
      "DescribeRouteTables",
      {{"Filters",
        json::array{json::object{{"Name", "vpc-id"}, {"Values", json::array{json::value(vpc_)}}},
                    json::object{{"Name", "association.main"}, {"Values", json::array{"true"}}}}}});
  ASSERT_EQ(mains["RouteTables"].as_array().size(), 1u);
  json::object main = mains["RouteTables"].as_array()[0].as_object();
  std::string main_id = s(main["RouteTableId"]);
  EXPECT_EQ(err("DeleteRouteTable", {{"RouteTableId", main_id}}).code, "DependencyViolation");
  std::string association = s(main["Associations"].as_array()[0].at("RouteTableAssociationId"));
  EXPECT_EQ(err("DisassociateRouteTable", {{"AssociationId", association}}).code,
            "InvalidParameterValue");
  ok("ReplaceRouteTableAssociation", {{"AssociationId", association}, {"RouteTableId", table_}});
  EXPECT_TRUE(table(table_)["Associations"].as_array()[0].at("Main").as_bool());
  ok("DeleteRouteTable", {{"RouteTableId", main_id}});
}

}  // namespace
}  // namespace services::ec2
