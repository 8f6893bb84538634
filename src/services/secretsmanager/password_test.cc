#include "services/secretsmanager/password.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

namespace services::secretsmanager {
namespace {

bool any_of(const std::string& s, int (*pred)(int)) {
  return std::any_of(s.begin(), s.end(),
                     [&](char c) { return pred(static_cast<unsigned char>(c)); });
}

TEST(PasswordTest, DefaultsTo32CharactersOfEveryType) {
  for (int i = 0; i < 50; ++i) {
    std::string p = *random_password({});
    ASSERT_EQ(p.size(), 32u);
    EXPECT_TRUE(any_of(p, std::islower) && any_of(p, std::isupper) && any_of(p, std::isdigit));
    EXPECT_TRUE(std::any_of(p.begin(), p.end(),
                            [](char c) { return kPunctuation.find(c) != std::string_view::npos; }));
    EXPECT_EQ(p.find(' '), std::string::npos);
  }
}

TEST(PasswordTest, ExclusionsAreHonoured) {
  PasswordRules r{.length = 200,
                  .exclude_characters = "abc",
                  .exclude_punctuation = true,
                  .exclude_uppercase = true};
  std::string p = *random_password(r);
  EXPECT_EQ(p.find_first_of("abc"), std::string::npos);
  EXPECT_FALSE(any_of(p, std::isupper) || any_of(p, std::ispunct));
  r = PasswordRules{.length = 300,
                    .exclude_numbers = true,
                    .exclude_punctuation = true,
                    .exclude_uppercase = true,
                    .exclude_lowercase = true,
                    .include_space = true};
  EXPECT_EQ(*random_password(r), std::string(300, ' '));
}

TEST(PasswordTest, ImpossibleRulesAreInvalidParameters) {
  PasswordRules none{.exclude_numbers = true,
                     .exclude_punctuation = true,
                     .exclude_uppercase = true,
                     .exclude_lowercase = true};
  EXPECT_EQ(random_password(none).error().code, "InvalidParameterException");
  EXPECT_EQ(random_password({.length = 3}).error().code, "InvalidParameterException");
  EXPECT_EQ(random_password({.length = 3, .require_each_included_type = false})->size(), 3u);
}

}  // namespace
}  // namespace services::secretsmanager
