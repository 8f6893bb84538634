#include "services/ec2/ec2_test_support.h"

namespace services::ec2 {
namespace {

namespace json = boost::json;

using TagHandlersTest = Ec2HandlersTest;

TEST_F(TagHandlersTest, CreateTagsReplacesValuesByKeyAndDescribeTagsFilters) {
  std::string vpc = create_vpc();
  std::string subnet = create_subnet(vpc, "10.0.1.0/24");
  ok("CreateTags", {{"Resources", json::array{json::value(vpc), json::value(subnet)}},
                    {"Tags", json::array{json::object{{"Key", "env"}, {"Value", "dev"}}}}});
  ok("CreateTags", {{"Resources", json::array{json::value(vpc)}},
                    {"Tags", json::array{json::object{{"Key", "env"}, {"Value", "prod"}}}}});
  json::object out = ok("DescribeTags", J(R"({"Filters":[{"Name":"key","Values":["env"]}]})"));
  ASSERT_EQ(out["Tags"].as_array().size(), 2u);
  json::object first = out["Tags"].as_array()[0].as_object();
  EXPECT_EQ(s(first["ResourceId"]), vpc);
  EXPECT_EQ(s(first["ResourceType"]), "vpc");
  EXPECT_EQ(s(first["Value"]), "prod");
  out = ok("DescribeTags", J(R"({"Filters":[{"Name":"resource-type","Values":["subnet"]}]})"));
  ASSERT_EQ(out["Tags"].as_array().size(), 1u);
  json::object vpcs =
      ok("DescribeVpcs", J(R"({"Filters":[{"Name":"tag:env","Values":["prod"]}]})"));
  EXPECT_EQ(vpcs["Vpcs"].as_array().size(), 1u);
}

TEST_F(TagHandlersTest, DeleteTagsWithAValueDeletesOnlyAMatchingTag) {
  std::string vpc = create_vpc();
  ok("CreateTags", {{"Resources", json::array{json::value(vpc)}},
                    {"Tags", json::array{json::object{{"Key", "a"}, {"Value", "1"}},
                                         json::object{{"Key", "b"}, {"Value", "2"}}}}});
  ok("DeleteTags", {{"Resources", json::array{json::value(vpc)}},
                    {"Tags", json::array{json::object{{"Key", "a"}, {"Value", "other"}}}}});
  EXPECT_EQ(describe_one("DescribeVpcs", "VpcIds", vpc, "Vpcs")["Tags"].as_array().size(), 2u);
  ok("DeleteTags", {{"Resources", json::array{json::value(vpc)}},
                    {"Tags", json::array{json::object{{"Key", "a"}}}}});
  json::array tags = describe_one("DescribeVpcs", "VpcIds", vpc, "Vpcs")["Tags"].as_array();
  ASSERT_EQ(tags.size(), 1u);
  EXPECT_EQ(s(tags[0].at("Key")), "b");
}

TEST_F(TagHandlersTest, TaggingAnUnknownResourceNamesItsKindsNotFound) {
  EXPECT_EQ(err("CreateTags", J(R"({"Resources":["subnet-0000000000000000a"],
                                    "Tags":[{"Key":"k","Value":"v"}]})"))
                .code,
            "InvalidSubnetID.NotFound");
  EXPECT_EQ(
      err("CreateTags", J(R"({"Resources":["bogus"],"Tags":[{"Key":"k","Value":"v"}]})")).code,
      "InvalidID");
  EXPECT_EQ(err("CreateTags", J(R"({"Resources":["vpc-0000000000000000a"],
                                    "Tags":[{"Key":"aws:x","Value":"v"}]})"))
                .code,
            "InvalidParameterValue");
}

// CloudFormation tags every resource of a stack with aws:cloudformation:stack-name,
// aws:cloudformation:logical-id and aws:cloudformation:stack-id, reserved keys a user cannot set:
// only a call CloudFormation makes in process (RequestContext::called_via) may.
TEST_F(TagHandlersTest, OnlyCloudFormationMaySetAwsKeys) {
  const char* create = R"({"CidrBlock":"10.0.0.0/16","TagSpecifications":[
      {"ResourceType":"vpc","Tags":[{"Key":"aws:cloudformation:stack-name","Value":"net"}]}]})";
  protocol::AwsError user = err("CreateVpc", J(create));
  EXPECT_EQ(user.code, "InvalidParameterValue");
  EXPECT_EQ(user.message,
            "Value ( aws:cloudformation:stack-name ) for parameter key is invalid. Tag keys "
            "starting with 'aws:' are reserved for internal use");
  protocol::RequestContext cfn = ctx();
  cfn.called_via = protocol::RequestContext::kCalledViaCloudFormation;
  std::string vpc = s(ok("CreateVpc", J(create), cfn)["Vpc"].at("VpcId"));
  json::array tags = describe_one("DescribeVpcs", "VpcIds", vpc, "Vpcs")["Tags"].as_array();
  ASSERT_EQ(tags.size(), 1u);
  EXPECT_EQ(s(tags[0].at("Key")), "aws:cloudformation:stack-name");
  json::object add{{"Resources", json::array{json::value(vpc)}},
                   {"Tags", json::array{json::object{{"Key", "aws:other"}, {"Value", "v"}}}}};
  EXPECT_EQ(err("CreateTags", add).code, "InvalidParameterValue");
  ok("CreateTags", add, cfn);
}

TEST_F(TagHandlersTest, TagSpecificationsOfAnotherResourceTypeAreRejected) {
  EXPECT_EQ(err("CreateVpc", J(R"({"CidrBlock":"10.0.0.0/16","TagSpecifications":[
      {"ResourceType":"subnet","Tags":[{"Key":"k","Value":"v"}]}]})"))
                .code,
            "InvalidParameterValue");
}

TEST_F(TagHandlersTest, InterfacesKeepTheirTagsInTagSet) {
  std::string vpc = create_vpc();
  std::string subnet = create_subnet(vpc, "10.0.1.0/24");
  std::string eni = s(ok("CreateNetworkInterface", {{"SubnetId", subnet}})["NetworkInterface"].at(
      "NetworkInterfaceId"));
  ok("CreateTags", {{"Resources", json::array{json::value(eni)}},
                    {"Tags", json::array{json::object{{"Key", "Name"}, {"Value", "x"}}}}});
  json::object view =
      describe_one("DescribeNetworkInterfaces", "NetworkInterfaceIds", eni, "NetworkInterfaces");
  EXPECT_EQ(s(view["TagSet"].as_array()[0].at("Value")), "x");
  json::object found =
      ok("DescribeNetworkInterfaces", J(R"({"Filters":[{"Name":"tag:Name","Values":["x"]}]})"));
  EXPECT_EQ(found["NetworkInterfaces"].as_array().size(), 1u);
}

}  // namespace
}  // namespace services::ec2
