#pragma once
// ECR lifecycle policies: parsing the policy text and deciding, as a pure function of the images
// and the time, which images the policy expires.
// https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html
//
// Evaluation, as ECR documents it:
//  - Rules run in rulePriority order, lowest first. An image that matches the tag selection of a
//    rule is claimed by that rule and never considered by a later one, expired or not.
//  - tagStatus "tagged" selects images with at least one tag matching the rule: with
//    tagPrefixList ["prod", "beta"] an image needs a tag starting with "prod" AND one starting
//    with "beta"; tagPatternList works the same with '*' wildcards. "untagged" selects images
//    without tags; "any" selects all and must be the rule with the highest rulePriority.
//  - imageCountMoreThan N keeps the N most recently pushed selected images and expires the rest
//    (with 5 selected images and N = 3, the two oldest expire). sinceImagePushed N days expires
//    selected images pushed more than N days before now.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace services::ecr {

struct LifecycleRule {
  enum class TagStatus { Tagged, Untagged, Any };
  enum class CountType { ImageCountMoreThan, SinceImagePushed };
  int64_t priority = 0;
  std::string description;
  TagStatus tag_status = TagStatus::Any;
  std::vector<std::string> tag_prefixes;
  std::vector<std::string> tag_patterns;
  CountType count_type = CountType::ImageCountMoreThan;
  int64_t count_number = 0;  // images, or days
};

struct LifecyclePolicy {
  std::vector<LifecycleRule> rules;  // sorted by priority
};

// The policy, or nullopt with *error set to ECR's validation message.
std::optional<LifecyclePolicy> parse_lifecycle_policy(std::string_view text, std::string* error);

struct LifecycleCandidate {
  std::string digest;
  std::vector<std::string> tags;
  core::TimePoint pushed_at;
};

struct LifecycleExpiry {
  std::string digest;
  std::vector<std::string> tags;
  core::TimePoint pushed_at;
  int64_t rule_priority = 0;
};

std::vector<LifecycleExpiry> evaluate_lifecycle_policy(const LifecyclePolicy& policy,
                                                       std::vector<LifecycleCandidate> images,
                                                       core::TimePoint now);

// '*' matches any run of characters (tagPatternList).
bool tag_pattern_matches(std::string_view pattern, std::string_view tag);

}  // namespace services::ecr
