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

namespace services::logs {

class FilterPattern {
 public:
  // Every event.
  FilterPattern();
  // The parsed pattern; nullopt with *error saying what is wrong when the syntax is invalid.
  static std::optional<FilterPattern> parse(std::string_view text, std::string* error);

  bool matches(std::string_view message) const;
  bool matches_all() const { return impl_ == nullptr; }

  struct Impl;

 private:
  explicit FilterPattern(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

}  // namespace services::logs
