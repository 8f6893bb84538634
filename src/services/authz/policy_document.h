#pragma once
// An IAM policy document, parsed once into plain structs: the grammar of
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
//
//   Result<PolicyDocument> doc = parse_policy(text, PolicyKind::Identity);
//   if (!doc) return malformed(doc.error().message);  // "Missing required field Effect"
//
// Parse errors are values; their messages are IAM's MalformedPolicyDocument wording.

#include <boost/system/result.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace services::authz {

enum class Effect { Allow, Deny };

// Principal / NotPrincipal: "*" or {"AWS": ..., "Service": ..., "Federated": ...}.
struct PrincipalSpec {
  bool any = false;  // "*" (also {"AWS": "*"})
  std::map<std::string, std::vector<std::string>> by_type;  // "AWS" -> {"123456789012", arn}
};

// The condition operator of one clause, split: "ForAnyValue:StringLikeIfExists" is
// {qualifier = ForAnyValue, op = StringLike, if_exists = true}.
enum class SetQualifier { None, ForAnyValue, ForAllValues };
enum class ConditionOp {
  StringEquals, StringNotEquals, StringEqualsIgnoreCase, StringNotEqualsIgnoreCase, StringLike,
  StringNotLike,
  NumericEquals, NumericNotEquals, NumericLessThan, NumericLessThanEquals, NumericGreaterThan,
  NumericGreaterThanEquals,
  DateEquals, DateNotEquals, DateLessThan, DateLessThanEquals, DateGreaterThan,
  DateGreaterThanEquals,
  Bool, BinaryEquals, IpAddress, NotIpAddress,
  ArnEquals, ArnNotEquals, ArnLike, ArnNotLike,
  Null,
};

struct ConditionClause {
  SetQualifier qualifier = SetQualifier::None;
  ConditionOp op = ConditionOp::StringEquals;
  bool if_exists = false;
  std::string key;                  // as written: "aws:PrincipalTag/team"
  std::vector<std::string> values;  // numbers and booleans as their JSON text
};

struct Statement {
  std::string sid;
  Effect effect = Effect::Allow;
  std::vector<std::string> actions;  // Action, or NotAction when not_action
  bool not_action = false;
  bool has_resource = false;           // trust policies have none
  std::vector<std::string> resources;  // Resource, or NotResource when not_resource
  bool not_resource = false;
  std::optional<PrincipalSpec> principal;  // Principal, or NotPrincipal when not_principal
  bool not_principal = false;
  std::vector<ConditionClause> conditions;  // all must hold
};

struct PolicyDocument {
  std::string version;  // "2012-10-17", "2008-10-17", or "" when absent
  std::string id;
  std::vector<Statement> statements;
};

// Which rules the document must follow: an identity policy has Resource and no Principal; a
// trust (resource) policy has Principal; Any accepts both (stored documents).
enum class PolicyKind { Identity, Trust, Any };

struct PolicyError {
  std::string message;
};

template <class T>
using PolicyResult = boost::system::result<T, PolicyError>;

PolicyResult<PolicyDocument> parse_policy(std::string_view text, PolicyKind kind = PolicyKind::Any);

// "StringLikeIfExists" -> clause fields; false when the operator is not one IAM knows.
bool parse_condition_operator(std::string_view text, ConditionClause& out);

// Found by ADL when a PolicyResult without a value is dereferenced.
[[noreturn]] void throw_exception_from_error(const PolicyError& e, const boost::source_location&);

}  // namespace services::authz
