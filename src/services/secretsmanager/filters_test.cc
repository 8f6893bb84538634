#include "services/secretsmanager/filters.h"

#include <gtest/gtest.h>

namespace services::secretsmanager {
namespace {

using V = std::vector<std::string>;

// "For example, entering the search term credsDatabase#892 searches for creds, Database, and 892"
TEST(FiltersTest, SearchWordsSplitAsTheConsoleDoes) {
  EXPECT_EQ(search_words("credsDatabase#892"), (V{"creds", "Database", "892"}));
  EXPECT_EQ(search_words("My_Secret"), (V{"My", "Secret"}));
  EXPECT_EQ(search_words("//"), V{});
}

TEST(FiltersTest, NegatedTagKeyMatchesSecretsWithoutSuchTag) {
  SecretRow tagged;
  tagged.name = "a";
  tagged.tags = boost::json::array{boost::json::object{{"Key", "team"}, {"Value", "x"}}};
  SecretRow bare;
  bare.name = "b";
  std::vector<Filter> f{{"tag-key", {"!te"}}};
  EXPECT_FALSE(matches(tagged, f));
  EXPECT_TRUE(matches(bare, f));
  EXPECT_TRUE(matches(tagged, {{"all", {"TEAM"}}}));
  EXPECT_FALSE(matches(bare, {{"primary-region", {"us-"}}}));
}

}  // namespace
}  // namespace services::secretsmanager
