#pragma once
// CloudWatch Logs filter patterns, as FilterLogEvents (and metric/subscription filters) take them:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
//
//  - "" or blanks: every event.
//  - Terms, case-sensitive substrings: `ERROR Exception` (all), `"INVALID ARGUMENTS"` (a phrase),
//    `ERROR -MISSING` (exclusion), `?ERROR ?WARN` (any of), `%ERROR 4[0-9]+%` (a regex).
//  - JSON: `{ $.level = "error" && $.latency > 100 }`, `{ ($.a = 1) || $.b[0].c != "x*" }`,
//    `{ $.x IS NULL }`, `{ $.x NOT EXISTS }`, `{ $.flag IS TRUE }`, `{ $.msg = %fail(ed)?% }`.
//    The event must be JSON; a string value may use `*` wildcards; numbers compare numerically.
//  - Space-delimited: `[ip, user, ..., status_code = 4*, bytes > 1000]`, fields split at spaces,
//    a "quoted" or [bracketed] run counting as one field; `...` stands for any number of fields;
//    `status_code = 404 || status_code = 410` combines conditions.
//
// A FilterPattern is immutable once parsed and may be shared between threads.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace services::logs {

class FilterMatch;

class FilterPattern {
 public:
  // Every event.
  FilterPattern();
  // The parsed pattern; nullopt with *error saying what is wrong when the syntax is invalid.
  static std::optional<FilterPattern> parse(std::string_view text, std::string* error);

  bool matches(std::string_view message) const;
  bool matches_all() const { return impl_ == nullptr; }
  // The match with the event's fields (for metric filters), or nullopt when it does not match.
  // The FilterMatch refers to `message` and this pattern: both must outlive it.
  std::optional<FilterMatch> match(std::string_view message) const;

  enum class Kind { Terms, Json, Delimited };
  Kind kind() const;
  // Whether `ref` can name a field of the events this pattern matches: "$.selector" for a JSON
  // pattern; "$name" (one of its fields) or "$N" (the Nth field) for a space-delimited one.
  bool has_field(std::string_view ref) const;

  struct Impl;

 private:
  explicit FilterPattern(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

// The fields of an event that matched a JSON or space-delimited pattern.
class FilterMatch {
 public:
  // The text of the field `ref` names (see FilterPattern::has_field): a JSON string, number or
  // boolean; nullopt when the event has no such scalar.
  std::optional<std::string> value(std::string_view ref) const;
  // What TestMetricFilter reports as extractedValues: for a space-delimited pattern every field
  // of the event, as "$name" when the pattern names it and "$N" (its position) when not; for a
  // JSON pattern the selectors the pattern uses that hold a scalar; nothing for terms.
  std::vector<std::pair<std::string, std::string>> extracted() const;

 private:
  friend class FilterPattern;
  struct Json;
  const FilterPattern::Impl* impl_ = nullptr;
  std::shared_ptr<const Json> json_;         // the parsed event, JSON patterns
  std::vector<std::string_view> tokens_;     // the event's fields, space-delimited patterns
  std::vector<int> owner_;                   // per token: the pattern field it bound to, or -1
};

}  // namespace services::logs
