#pragma once
// The pieces of policy evaluation below a statement: the request's condition keys, policy
// variables (${aws:username}), wildcard and ARN matching, and the condition operators.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "services/authz/policy_document.h"
#include "services/iam/authority.h"

namespace services::authz {

// The request context's keys, looked up case-insensitively as IAM does.
class KeyValues {
 public:
  KeyValues() = default;
  explicit KeyValues(const iam::ConditionKeys& keys);
  // nullptr when the request has no such key.
  const std::vector<std::string>* find(std::string_view key) const;
  void set(std::string_view key, std::vector<std::string> values);
  void set_if_absent(std::string_view key, std::vector<std::string> values);

 private:
  std::unordered_map<std::string, std::vector<std::string>> keys_;  // lower-case names
};

// A pattern from a policy with its ${...} variables replaced. Characters that came from a
// variable's value (or from ${*}, ${?}, ${$}) are literal: never wildcards.
struct Pattern {
  std::string text;
  std::vector<bool> literal;  // one per character of text
};

// Replaces ${key} and ${key, 'default'} with the key's value, ${*} ${?} ${$} with the character.
// nullopt when a variable names a key that the request lacks and has no default: "If there is no
// value for the key, the policy element that holds the variable does not match."
std::optional<Pattern> expand(std::string_view text, const KeyValues& keys, bool variables = true);

// `*` matches any run of characters, `?` one; case-insensitive for actions.
bool wildcard_match(const Pattern& pattern, std::string_view text, bool case_insensitive = false);
// Resource and Arn* matching: "Each of the six colon-delimited components of the ARN is checked
// separately"; "*" alone matches any resource.
bool arn_match(const Pattern& pattern, std::string_view arn);

// One condition clause against the request's keys.
bool condition_holds(const ConditionClause& clause, const KeyValues& keys);

// Parses an ISO 8601 date or date-time ("2026-12-07", "2026-12-07T13:00:00Z", with fractional
// seconds or a +hh:mm offset) or epoch seconds, to epoch seconds.
std::optional<double> parse_date(std::string_view text);

// The account field of an ARN ("arn:aws:iam::123456789012:user/x" -> "123456789012"); empty
// when `arn` has fewer than five colons.
std::string_view arn_account(std::string_view arn);

// Is `ip` inside `cidr` ("203.0.113.0/24", "2001:db8::/32", or one address)?
bool ip_in_cidr(std::string_view ip, std::string_view cidr);

}  // namespace services::authz
