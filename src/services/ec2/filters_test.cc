#include "services/ec2/filters.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace services::ec2 {
namespace {

namespace json = boost::json;

json::object vpc() {
  return json::parse(R"({"VpcId": "vpc-0abc", "CidrBlock": "10.0.0.0/16", "IsDefault": false,
    "CidrBlockAssociationSet": [{"CidrBlock": "10.0.0.0/16"}, {"CidrBlock": "10.1.0.0/16"}],
    "Tags": [{"Key": "Name", "Value": "main"}, {"Key": "env", "Value": "prod"}]})")
      .as_object();
}

FilterTable vpc_table() {
  FilterTable t;
  t.names = {{"vpc-id", path("VpcId")},
             {"is-default", path("IsDefault")},
             {"cidr-block-association.cidr-block", path("CidrBlockAssociationSet.CidrBlock")}};
  return t;
}

std::vector<Filter> parse(std::string_view filters) {
  json::object in{{"Filters", json::parse(filters)}};
  auto r = parse_filters(in, vpc_table());
  EXPECT_TRUE(r.has_value());
  return r.has_value() ? *r : std::vector<Filter>{};
}

TEST(FiltersTest, WildcardsMatchRunsAndSingleCharacters) {
  EXPECT_TRUE(wildcard_match("*", ""));
  EXPECT_TRUE(wildcard_match("vpc-*", "vpc-0abc"));
  EXPECT_TRUE(wildcard_match("vpc-?abc", "vpc-0abc"));
  EXPECT_FALSE(wildcard_match("vpc-?", "vpc-0abc"));
  EXPECT_TRUE(wildcard_match("*a*c", "vpc-0abc"));
  EXPECT_FALSE(wildcard_match("*a*d", "vpc-0abc"));
  EXPECT_TRUE(wildcard_match("a**b", "ab"));
  EXPECT_FALSE(wildcard_match("Main", "main"));
}

TEST(FiltersTest, ValuesAreOredAndFiltersAreAnded) {
  EXPECT_TRUE(matches(vpc(), parse(R"([{"Name": "vpc-id", "Values": ["vpc-1", "vpc-0abc"]}])"),
                      vpc_table()));
  EXPECT_FALSE(matches(vpc(), parse(R"([{"Name": "vpc-id", "Values": ["vpc-0abc"]},
                                 {"Name": "is-default", "Values": ["true"]}])"),
                       vpc_table()));
  EXPECT_TRUE(
      matches(vpc(), parse(R"([{"Name": "is-default", "Values": ["false"]}])"), vpc_table()));
}

TEST(FiltersTest, PathsFlattenArrays) {
  EXPECT_TRUE(matches(
      vpc(), parse(R"([{"Name": "cidr-block-association.cidr-block", "Values": ["10.1.*"]}])"),
      vpc_table()));
}

TEST(FiltersTest, TagFiltersMatchKeysAndValues) {
  EXPECT_TRUE(matches(vpc(), parse(R"([{"Name": "tag:Name", "Values": ["ma*"]}])"), vpc_table()));
  EXPECT_FALSE(matches(vpc(), parse(R"([{"Name": "tag:Name", "Values": ["prod"]}])"), vpc_table()));
  EXPECT_TRUE(matches(vpc(), parse(R"([{"Name": "tag-key", "Values": ["env"]}])"), vpc_table()));
  EXPECT_FALSE(matches(vpc(), parse(R"([{"Name": "tag:Missing", "Values": ["*"]}])"), vpc_table()));
}

TEST(FiltersTest, UnknownFilterNameIsInvalidParameterValue) {
  json::object in{{"Filters", json::parse(R"([{"Name": "colour", "Values": ["red"]}])")}};
  auto r = parse_filters(in, vpc_table());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "InvalidParameterValue");
  EXPECT_EQ(r.error().message, "The filter 'colour' is invalid");
}

}  // namespace
}  // namespace services::ec2
