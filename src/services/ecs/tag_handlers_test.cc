#include "services/ecs/ecs_test_support.h"

namespace services::ecs {
namespace {

namespace json = boost::json;

class TagHandlersTest : public EcsHandlersTest {};

TEST_F(TagHandlersTest, TagUntagAndListOnCluster) {
  std::string arn = S(ok("CreateCluster", R"({"clusterName":"a"})")["cluster"].at("clusterArn"));
  ok("TagResource", json::object{{"resourceArn", arn},
                                 {"tags", json::parse(R"([{"key":"a","value":"1"},
                                                          {"key":"b","value":"2"}])")}});
  ok("TagResource", json::object{{"resourceArn", arn},
                                 {"tags", json::parse(R"([{"key":"a","value":"3"}])")}});
  EXPECT_EQ(ok("ListTagsForResource", json::object{{"resourceArn", arn}})["tags"],
            json::parse(R"([{"key":"a","value":"3"},{"key":"b","value":"2"}])"));
  ok("UntagResource", json::object{{"resourceArn", arn}, {"tagKeys", json::array{"a"}}});
  EXPECT_EQ(ok("ListTagsForResource", json::object{{"resourceArn", arn}})["tags"],
            json::parse(R"([{"key":"b","value":"2"}])"));
}

TEST_F(TagHandlersTest, UnknownOrMalformedResource) {
  EXPECT_EQ(err("ListTagsForResource",
                R"({"resourceArn":"arn:aws:ecs:us-east-1:123456789012:cluster/nope"})").code,
            "ClusterNotFoundException");
  EXPECT_EQ(err("ListTagsForResource", R"({"resourceArn":"not-an-arn"})").code,
            "InvalidParameterException");
  EXPECT_EQ(err("TagResource", R"({"resourceArn":"arn:aws:ecs:us-east-1:123456789012:cluster/x",
      "tags":[{"key":"aws:x","value":"1"}]})").code, "InvalidParameterException");
}

class AccountSettingHandlersTest : public EcsHandlersTest {};

TEST_F(AccountSettingHandlersTest, EffectiveSettingsHaveAwsDefaults) {
  json::array s = ok("ListAccountSettings", R"({"effectiveSettings":true,
      "name":"taskLongArnFormat"})")["settings"].as_array();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].at("value"), "enabled");
  EXPECT_TRUE(ok("ListAccountSettings", "{}")["settings"].as_array().empty());
}

TEST_F(AccountSettingHandlersTest, PutListDelete) {
  ok("PutAccountSetting", R"({"name":"awsvpcTrunking","value":"enabled"})");
  json::array s = ok("ListAccountSettings", "{}")["settings"].as_array();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].at("principalArn"), "arn:aws:iam::123456789012:root");
  ok("DeleteAccountSetting", R"({"name":"awsvpcTrunking"})");
  EXPECT_TRUE(ok("ListAccountSettings", "{}")["settings"].as_array().empty());
  EXPECT_EQ(err("PutAccountSetting", R"({"name":"awsvpcTrunking","value":"maybe"})").code,
            "InvalidParameterException");
}

TEST_F(AccountSettingHandlersTest, ContainerInsightsDefaultAppliesToNewClusters) {
  ok("PutAccountSettingDefault", R"({"name":"containerInsights","value":"enabled"})");
  json::object c = ok("CreateCluster", R"({"clusterName":"x"})")["cluster"].as_object();
  EXPECT_EQ(c["settings"].as_array()[0].at("value"), "enabled");
}

class CapacityProviderHandlersTest : public EcsHandlersTest {};

TEST_F(CapacityProviderHandlersTest, FargateProvidersAlwaysExist) {
  json::array cps = ok("DescribeCapacityProviders", "{}")["capacityProviders"].as_array();
  ASSERT_EQ(cps.size(), 2u);
  EXPECT_EQ(cps[0].at("capacityProviderArn"),
            "arn:aws:ecs:us-east-1:123456789012:capacity-provider/FARGATE");
}

TEST_F(CapacityProviderHandlersTest, CreateDescribeDelete) {
  ok("CreateCapacityProvider", R"({"name":"mine","autoScalingGroupProvider":
      {"autoScalingGroupArn":"arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:x"}})");
  EXPECT_EQ(err("CreateCapacityProvider", R"({"name":"mine","autoScalingGroupProvider":
      {"autoScalingGroupArn":"x"}})").code, "ClientException");
  EXPECT_EQ(err("CreateCapacityProvider", R"({"name":"fargate-x","autoScalingGroupProvider":
      {"autoScalingGroupArn":"x"}})").code, "ClientException");
  EXPECT_EQ(ok("DescribeCapacityProviders", R"({"capacityProviders":["mine","gone"]})")
                ["failures"].as_array().size(), 1u);
  EXPECT_EQ(ok("DeleteCapacityProvider", R"({"capacityProvider":"mine"})")["capacityProvider"]
                .at("status"), "INACTIVE");
  EXPECT_EQ(err("DeleteCapacityProvider", R"({"capacityProvider":"FARGATE"})").code,
            "ClientException");
}

}  // namespace
}  // namespace services::ecs
