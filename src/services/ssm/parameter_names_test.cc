#include "services/ssm/parameter_names.h"

#include <gtest/gtest.h>

namespace services::ssm {
namespace {

TEST(ParameterNamesTest, SelectorsSplitVersionsLabelsAndArns) {
  std::optional<Selector> s = parse_selector("/app/db:3");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->name, "/app/db");
  EXPECT_EQ(s->version, 3);
  EXPECT_EQ(s->suffix, ":3");
  s = parse_selector("db:prod");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->name, "db");
  EXPECT_EQ(s->label, "prod");
  s = parse_selector("arn:aws:ssm:eu-west-1:111122223333:parameter/app/db:2");
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->by_arn);
  EXPECT_EQ(s->name, "/app/db");
  EXPECT_EQ(s->account, "111122223333");
  EXPECT_EQ(s->region, "eu-west-1");
  EXPECT_EQ(s->version, 2);
  s = parse_selector("arn:aws:ssm:eu-west-1:111122223333:parameter/flat");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->name, "flat");
  EXPECT_FALSE(parse_selector("arn:aws:s3:::bucket"));
  EXPECT_FALSE(parse_selector("a:b:c"));
  EXPECT_FALSE(parse_selector(":3"));
}

TEST(ParameterNamesTest, KeysAndArnsIgnoreTheLeadingSlash) {
  EXPECT_EQ(name_key("/db"), name_key("db"));
  EXPECT_EQ(parameter_arn("1", "r", "/a/b"), "arn:aws:ssm:r:1:parameter/a/b");
  EXPECT_EQ(parameter_arn("1", "r", "db"), "arn:aws:ssm:r:1:parameter/db");
}

TEST(ParameterNamesTest, PathsMustBeRootedAndPlain) {
  EXPECT_TRUE(check_path("/"));
  EXPECT_TRUE(check_path("/app/"));
  EXPECT_TRUE(check_path("/app/db"));
  EXPECT_FALSE(check_path("app"));
  EXPECT_FALSE(check_path("/a//b"));
  EXPECT_FALSE(check_path("/a b"));
}

}  // namespace
}  // namespace services::ssm
