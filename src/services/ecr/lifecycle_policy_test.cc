#include "services/ecr/lifecycle_policy.h"

#include <gtest/gtest.h>

namespace services::ecr {
namespace {

using namespace std::chrono_literals;

const core::TimePoint kNow = core::TimePoint(std::chrono::seconds(1700000000));

LifecycleCandidate image(std::string digest, std::vector<std::string> tags, core::Duration age) {
  return {std::move(digest), std::move(tags), kNow - age};
}

std::vector<std::string> digests(const std::vector<LifecycleExpiry>& e) {
  std::vector<std::string> out;
  for (const auto& x : e) out.push_back(x.digest);
  return out;
}

LifecyclePolicy parse(std::string_view text) {
  std::string error;
  auto p = parse_lifecycle_policy(text, &error);
  EXPECT_TRUE(p) << error;
  return p.value_or(LifecyclePolicy{});
}

TEST(LifecyclePolicyTest, ImageCountMoreThanKeepsTheNewestImages) {
  LifecyclePolicy p = parse(R"({"rules":[{"rulePriority":1,"selection":{"tagStatus":"any",
      "countType":"imageCountMoreThan","countNumber":2},"action":{"type":"expire"}}]})");
  // Five images, keep two: the three oldest expire.
  auto out = evaluate_lifecycle_policy(
      p, {image("d1", {"a"}, 5h), image("d2", {}, 4h), image("d3", {"c"}, 3h),
          image("d4", {"d"}, 2h), image("d5", {}, 1h)},
      kNow);
  EXPECT_EQ(digests(out), (std::vector<std::string>{"d3", "d2", "d1"}));
  EXPECT_EQ(out[0].rule_priority, 1);
}

TEST(LifecyclePolicyTest, SinceImagePushedExpiresOnlyOldUntaggedImages) {
  LifecyclePolicy p = parse(R"({"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged",
      "countType":"sinceImagePushed","countUnit":"days","countNumber":14},
      "action":{"type":"expire"}}]})");
  auto out = evaluate_lifecycle_policy(
      p, {image("old-untagged", {}, 15 * 24h), image("new-untagged", {}, 13 * 24h),
          image("old-tagged", {"v1"}, 30 * 24h)},
      kNow);
  EXPECT_EQ(digests(out), (std::vector<std::string>{"old-untagged"}));
}

TEST(LifecyclePolicyTest, TagPrefixListNeedsEveryPrefixMatched) {
  LifecyclePolicy p = parse(R"({"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged",
      "tagPrefixList":["prod","beta"],"countType":"imageCountMoreThan","countNumber":1},
      "action":{"type":"expire"}}]})");
  auto out = evaluate_lifecycle_policy(
      p, {image("both-old", {"prod1", "beta1"}, 3h), image("both-new", {"prod2", "beta2"}, 1h),
          image("prod-only", {"prod3"}, 5h)},
      kNow);
  EXPECT_EQ(digests(out), (std::vector<std::string>{"both-old"}));
}

TEST(LifecyclePolicyTest, AnImageClaimedByAnEarlierRuleIsNeverExpiredByALaterOne) {
  // Rule 1 keeps the newest "release" image and claims both release images; rule 2 (any, keep
  // one) then sees only the other images.
  LifecyclePolicy p = parse(R"({"rules":[
      {"rulePriority":2,"selection":{"tagStatus":"any","countType":"imageCountMoreThan",
       "countNumber":1},"action":{"type":"expire"}},
      {"rulePriority":1,"selection":{"tagStatus":"tagged","tagPatternList":["release-*"],
       "countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]})");
  auto out = evaluate_lifecycle_policy(
      p, {image("r-old", {"release-1"}, 4h), image("r-new", {"release-2"}, 1h),
          image("x-old", {"dev"}, 3h), image("x-new", {}, 2h)},
      kNow);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].digest, "r-old");
  EXPECT_EQ(out[0].rule_priority, 1);
  EXPECT_EQ(out[1].digest, "x-old");
  EXPECT_EQ(out[1].rule_priority, 2);
}

TEST(LifecyclePolicyTest, RejectsInvalidPolicies) {
  std::string error;
  EXPECT_FALSE(parse_lifecycle_policy("nope", &error));
  EXPECT_FALSE(parse_lifecycle_policy(R"({"rules":[]})", &error));
  // tagged without a prefix or pattern list
  EXPECT_FALSE(parse_lifecycle_policy(R"({"rules":[{"rulePriority":1,"selection":{
      "tagStatus":"tagged","countType":"imageCountMoreThan","countNumber":1},
      "action":{"type":"expire"}}]})", &error));
  // sinceImagePushed without countUnit
  EXPECT_FALSE(parse_lifecycle_policy(R"({"rules":[{"rulePriority":1,"selection":{
      "tagStatus":"any","countType":"sinceImagePushed","countNumber":1},
      "action":{"type":"expire"}}]})", &error));
  // duplicate priority
  EXPECT_FALSE(parse_lifecycle_policy(R"({"rules":[
      {"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan",
       "countNumber":1},"action":{"type":"expire"}},
      {"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan",
       "countNumber":2},"action":{"type":"expire"}}]})", &error));
  // "any" not last
  EXPECT_FALSE(parse_lifecycle_policy(R"({"rules":[
      {"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan",
       "countNumber":1},"action":{"type":"expire"}},
      {"rulePriority":2,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan",
       "countNumber":2},"action":{"type":"expire"}}]})", &error));
  EXPECT_TRUE(error.starts_with("Lifecycle policy validation failure: "));
}

TEST(LifecyclePolicyTest, TagPatternsMatchWithWildcards) {
  EXPECT_TRUE(tag_pattern_matches("prod*", "prod-1"));
  EXPECT_TRUE(tag_pattern_matches("*-rc*", "v1-rc2"));
  EXPECT_TRUE(tag_pattern_matches("*", "anything"));
  EXPECT_FALSE(tag_pattern_matches("prod*", "dev-prod"));
  EXPECT_FALSE(tag_pattern_matches("v1", "v10"));
}

}  // namespace
}  // namespace services::ecr
