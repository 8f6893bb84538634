#include "services/ssm/public_parameters.h"

#include <gtest/gtest.h>

#include "services/ssm/ssm_test_support.h"

namespace services::ssm {
namespace {

TEST(PublicParametersTest, AmiIdsAreStablePerRegionAndShapedLikeAmis) {
  std::string name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
  std::optional<PublicParameter> east = find_public("us-east-1", name);
  ASSERT_TRUE(east);
  EXPECT_EQ(east->value.size(), 21u);
  EXPECT_TRUE(east->value.starts_with("ami-0"));
  EXPECT_EQ(east->data_type, "aws:ec2:image");
  EXPECT_EQ(find_public("us-east-1", name)->value, east->value);
  EXPECT_NE(find_public("eu-west-1", name)->value, east->value);
  EXPECT_FALSE(find_public("us-east-1", "/aws/service/nothing-here"));
}

TEST_F(SsmHandlersTest, PublicParametersReadLikeAnyOther) {
  object p = get("/aws/service/global-infrastructure/regions/eu-west-1");
  EXPECT_EQ(p.at("Value").as_string(), "eu-west-1");
  EXPECT_EQ(p.at("ARN").as_string(),
            "arn:aws:ssm:us-east-1::parameter/aws/service/global-infrastructure/regions/eu-west-1");
  EXPECT_EQ(value_of("/aws/service/global-infrastructure/regions/us-east-1/longName"),
            "US East (N. Virginia)");
  // The ECS-optimized AMI's JSON names the same image as its image_id child.
  std::string json_value = value_of("/aws/service/ecs/optimized-ami/amazon-linux-2/recommended");
  std::string image =
      value_of("/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id");
  EXPECT_NE(json_value.find("\"image_id\":\"" + image + "\""), std::string::npos);
  object many = ok("GetParameters", J(R"({"Names":[
      "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2",
      "/aws/service/global-infrastructure/regions/mars-1"]})"));
  EXPECT_EQ(many.at("Parameters").as_array().size(), 1u);
  EXPECT_EQ(many.at("InvalidParameters"),
            (array{"/aws/service/global-infrastructure/regions/mars-1"}));
}

TEST_F(SsmHandlersTest, RegionsByPathPageThroughEveryRegion) {
  std::vector<std::string> regions;
  object page =
      ok("GetParametersByPath", J(R"({"Path":"/aws/service/global-infrastructure/regions"})"));
  while (true) {
    for (const auto& p : page.at("Parameters").as_array())
      regions.emplace_back(p.at("Value").as_string());
    if (!page.contains("NextToken")) break;
    page = ok("GetParametersByPath", object{{"Path", "/aws/service/global-infrastructure/regions"},
                                            {"NextToken", page.at("NextToken")}});
  }
  EXPECT_EQ(regions.size(), public_regions().size());
  EXPECT_NE(std::find(regions.begin(), regions.end(), "us-east-1"), regions.end());
}

TEST_F(SsmHandlersTest, PublicParametersCannotBeWritten) {
  protocol::AwsError e =
      err("PutParameter", J(R"({"Name":"/aws/service/global-infrastructure/regions/x",
                                                   "Value":"v","Type":"String","Overwrite":true})"));
  EXPECT_EQ(e.code, "AccessDeniedException");
  EXPECT_EQ(e.message,
            "No access to reserved parameter name: /aws/service/global-infrastructure/regions/x.");
  EXPECT_EQ(err("DeleteParameter",
                J(R"({"Name":"/aws/service/global-infrastructure/regions/us-east-1"})"))
                .code,
            "ParameterNotFound");
}

}  // namespace
}  // namespace services::ssm
