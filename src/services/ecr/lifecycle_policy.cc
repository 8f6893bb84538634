#include "services/ecr/lifecycle_policy.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <set>

#include "core/glob.h"

namespace services::ecr {
namespace {

namespace json = boost::json;

constexpr std::string_view kPrefix = "Lifecycle policy validation failure: ";

bool fail(std::string* error, std::string message) {
  *error = std::string(kPrefix) + std::move(message);
  return false;
}

std::optional<int64_t> integer(const json::value* v) {
  if (!v) {
    return std::nullopt;
  }
  if (v->is_int64()) {
    return v->get_int64();
  }
  if (v->is_uint64() && v->get_uint64() < (1ull << 62)) {
    return static_cast<int64_t>(v->get_uint64());
  }
  return std::nullopt;
}

bool string_list(const json::value* v, std::vector<std::string>* out) {
  if (!v) {
    return true;
  }
  if (!v->is_array()) {
    return false;
  }
  for (const json::value& item : v->get_array()) {
    if (!item.is_string() || item.get_string().empty()) {
      return false;
    }
    out->emplace_back(item.get_string());
  }
  return true;
}

// selection.tagStatus with tagPrefixList or tagPatternList, which only "tagged" takes (and needs).
bool parse_tag_selection(const json::object& s, LifecycleRule* rule, std::string* error) {
  const json::value* status = s.if_contains("tagStatus");
  if (!status || !status->is_string()) {
    return fail(error, "selection.tagStatus is required");
  }
  std::string_view st = status->get_string();
  if (st == "tagged") {
    rule->tag_status = LifecycleRule::TagStatus::Tagged;
  } else if (st == "untagged") {
    rule->tag_status = LifecycleRule::TagStatus::Untagged;
  } else if (st == "any") {
    rule->tag_status = LifecycleRule::TagStatus::Any;
  } else {
    return fail(error, "instance value (\"" + std::string(st) +
                           "\") not found in enum (possible values: [\"tagged\",\"untagged\","
                           "\"any\"])");
  }
  if (!string_list(s.if_contains("tagPrefixList"), &rule->tag_prefixes) ||
      !string_list(s.if_contains("tagPatternList"), &rule->tag_patterns)) {
    return fail(error, "tagPrefixList and tagPatternList must be lists of non-empty strings");
  }
  if (rule->tag_status == LifecycleRule::TagStatus::Tagged && rule->tag_prefixes.empty() &&
      rule->tag_patterns.empty()) {
    return fail(error, "tagPrefixList or tagPatternList is required when tagStatus is 'tagged'");
  }
  if (!rule->tag_prefixes.empty() && !rule->tag_patterns.empty()) {
    return fail(error, "tagPrefixList and tagPatternList cannot be used together");
  }
  if (rule->tag_status != LifecycleRule::TagStatus::Tagged &&
      (!rule->tag_prefixes.empty() || !rule->tag_patterns.empty())) {
    return fail(error, "tagPrefixList and tagPatternList are allowed only with tagStatus 'tagged'");
  }
  return true;
}

// selection.countType with countNumber, and countUnit "days" for sinceImagePushed only.
bool parse_count(const json::object& s, LifecycleRule* rule, std::string* error) {
  const json::value* type = s.if_contains("countType");
  if (!type || !type->is_string()) {
    return fail(error, "selection.countType is required");
  }
  std::optional<int64_t> number = integer(s.if_contains("countNumber"));
  if (!number || *number < 1) {
    return fail(error, "selection.countNumber must be an integer of at least 1");
  }
  rule->count_number = *number;
  if (type->get_string() == "imageCountMoreThan") {
    rule->count_type = LifecycleRule::CountType::ImageCountMoreThan;
    if (s.contains("countUnit")) {
      return fail(error, "countUnit is not allowed with countType 'imageCountMoreThan'");
    }
  } else if (type->get_string() == "sinceImagePushed") {
    rule->count_type = LifecycleRule::CountType::SinceImagePushed;
    const json::value* unit = s.if_contains("countUnit");
    if (!unit || !unit->is_string() || unit->get_string() != "days") {
      return fail(error, "countUnit must be 'days' with countType 'sinceImagePushed'");
    }
  } else {
    return fail(error, "countType must be 'imageCountMoreThan' or 'sinceImagePushed'");
  }
  return true;
}

bool parse_rule(const json::value& v, LifecycleRule* rule, std::string* error) {
  const json::object* o = v.if_object();
  if (!o) {
    return fail(error, "each rule must be an object");
  }
  std::optional<int64_t> priority = integer(o->if_contains("rulePriority"));
  if (!priority || *priority < 1 || *priority > 999) {
    return fail(error, "rulePriority must be an integer between 1 and 999");
  }
  rule->priority = *priority;
  if (const json::value* d = o->if_contains("description"); d && d->is_string()) {
    rule->description = std::string(d->get_string());
  }
  const json::value* sel = o->if_contains("selection");
  if (!sel || !sel->is_object()) {
    return fail(error, "object has missing required properties ([\"selection\"])");
  }
  const json::object& s = sel->get_object();
  if (!parse_tag_selection(s, rule, error) || !parse_count(s, rule, error)) {
    return false;
  }
  const json::value* action = o->if_contains("action");
  const json::value* action_type =
      action && action->is_object() ? action->get_object().if_contains("type") : nullptr;
  if (!action_type || !action_type->is_string() || action_type->get_string() != "expire") {
    return fail(error, "action.type must be 'expire'");
  }
  return true;
}

bool selects(const LifecycleRule& rule, const LifecycleCandidate& image) {
  switch (rule.tag_status) {
    case LifecycleRule::TagStatus::Any:
      return true;
    case LifecycleRule::TagStatus::Untagged:
      return image.tags.empty();
    case LifecycleRule::TagStatus::Tagged:
      break;
  }
  auto any_tag = [&](auto&& match) {
    return std::any_of(image.tags.begin(), image.tags.end(), match);
  };
  for (const std::string& prefix : rule.tag_prefixes) {
    if (!any_tag([&](const std::string& t) { return t.starts_with(prefix); })) {
      return false;
    }
  }
  for (const std::string& pattern : rule.tag_patterns) {
    if (!any_tag([&](const std::string& t) { return tag_pattern_matches(pattern, t); })) {
      return false;
    }
  }
  return !image.tags.empty();
}

}  // namespace

bool tag_pattern_matches(std::string_view pattern, std::string_view tag) {
  return core::glob_match(pattern, tag);
}

std::optional<LifecyclePolicy> parse_lifecycle_policy(std::string_view text, std::string* error) {
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  if (ec || !doc.is_object()) {
    fail(error, "the policy is not a JSON object");
    return std::nullopt;
  }
  const json::value* rules = doc.get_object().if_contains("rules");
  if (!rules || !rules->is_array() || rules->get_array().empty()) {
    fail(error, "object has missing required properties ([\"rules\"])");
    return std::nullopt;
  }
  LifecyclePolicy policy;
  std::set<int64_t> priorities;
  for (const json::value& v : rules->get_array()) {
    LifecycleRule rule;
    if (!parse_rule(v, &rule, error)) {
      return std::nullopt;
    }
    if (!priorities.insert(rule.priority).second) {
      fail(error, "rulePriority " + std::to_string(rule.priority) + " is used more than once");
      return std::nullopt;
    }
    policy.rules.push_back(std::move(rule));
  }
  std::sort(policy.rules.begin(), policy.rules.end(),
            [](const LifecycleRule& a, const LifecycleRule& b) { return a.priority < b.priority; });
  for (std::size_t i = 0; i + 1 < policy.rules.size(); ++i) {
    if (policy.rules[i].tag_status == LifecycleRule::TagStatus::Any) {
      fail(error, "a rule with tagStatus 'any' must have the highest rulePriority");
      return std::nullopt;
    }
  }
  return policy;
}

std::vector<LifecycleExpiry> evaluate_lifecycle_policy(const LifecyclePolicy& policy,
                                                       std::vector<LifecycleCandidate> images,
                                                       core::TimePoint now) {
  // Newest first, so that imageCountMoreThan keeps a prefix.
  std::stable_sort(images.begin(), images.end(),
                   [](const LifecycleCandidate& a, const LifecycleCandidate& b) {
                     return a.pushed_at > b.pushed_at;
                   });
  std::vector<bool> claimed(images.size(), false);
  std::vector<LifecycleExpiry> out;
  for (const LifecycleRule& rule : policy.rules) {
    int64_t kept = 0;
    for (std::size_t i = 0; i < images.size(); ++i) {
      if (claimed[i] || !selects(rule, images[i])) {
        continue;
      }
      claimed[i] = true;
      bool expire = false;
      if (rule.count_type == LifecycleRule::CountType::ImageCountMoreThan) {
        expire = ++kept > rule.count_number;
      } else {
        expire = now - images[i].pushed_at > std::chrono::hours(24) * rule.count_number;
      }
      if (expire) {
        out.push_back({images[i].digest, images[i].tags, images[i].pushed_at, rule.priority});
      }
    }
  }
  return out;
}

}  // namespace services::ecr
