#include "services/authz/policy_document.h"

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <stdexcept>
#include <utility>

namespace services::authz {
namespace {

namespace json = boost::json;

PolicyError syntax() { return {"Syntax errors in policy."}; }

// A string or a list of strings ("Action": "ecs:*" or ["ecs:*", "ecr:*"]).
std::optional<std::vector<std::string>> string_list(const json::value& v) {
  std::vector<std::string> out;
  if (v.is_string()) {
    out.emplace_back(v.get_string());
    return out;
  }
  if (!v.is_array()) return std::nullopt;
  for (const json::value& e : v.get_array()) {
    if (!e.is_string()) return std::nullopt;
    out.emplace_back(e.get_string());
  }
  return out;
}

// A condition value: strings as they are, numbers and booleans as their JSON text.
std::optional<std::string> scalar_text(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_bool()) return std::string(v.get_bool() ? "true" : "false");
  if (v.is_number()) return json::serialize(v);
  return std::nullopt;
}

PolicyResult<PrincipalSpec> parse_principal(const json::value& v) {
  PrincipalSpec spec;
  if (v.is_string()) {
    if (v.get_string() != "*") return PolicyError{"Invalid principal in policy"};
    spec.any = true;
    return spec;
  }
  if (!v.is_object()) return PolicyError{"Invalid principal in policy"};
  for (const auto& [type, ids] : v.get_object()) {
    if (type != "AWS" && type != "Service" && type != "Federated" && type != "CanonicalUser") {
      return PolicyError{"Invalid principal in policy: \"" + std::string(type) + "\""};
    }
    std::optional<std::vector<std::string>> list = string_list(ids);
    if (!list || list->empty()) return PolicyError{"Invalid principal in policy"};
    for (const std::string& id : *list) {
      if (type == "AWS" && id == "*") spec.any = true;
    }
    spec.by_type[std::string(type)] = std::move(*list);
  }
  return spec;
}

struct OpName {
  std::string_view name;
  ConditionOp op;
};

constexpr std::array kOps{
    OpName{"StringEquals", ConditionOp::StringEquals},
    OpName{"StringNotEquals", ConditionOp::StringNotEquals},
    OpName{"StringEqualsIgnoreCase", ConditionOp::StringEqualsIgnoreCase},
    OpName{"StringNotEqualsIgnoreCase", ConditionOp::StringNotEqualsIgnoreCase},
    OpName{"StringLike", ConditionOp::StringLike},
    OpName{"StringNotLike", ConditionOp::StringNotLike},
    OpName{"NumericEquals", ConditionOp::NumericEquals},
    OpName{"NumericNotEquals", ConditionOp::NumericNotEquals},
    OpName{"NumericLessThan", ConditionOp::NumericLessThan},
    OpName{"NumericLessThanEquals", ConditionOp::NumericLessThanEquals},
    OpName{"NumericGreaterThan", ConditionOp::NumericGreaterThan},
    OpName{"NumericGreaterThanEquals", ConditionOp::NumericGreaterThanEquals},
    OpName{"DateEquals", ConditionOp::DateEquals},
    OpName{"DateNotEquals", ConditionOp::DateNotEquals},
    OpName{"DateLessThan", ConditionOp::DateLessThan},
    OpName{"DateLessThanEquals", ConditionOp::DateLessThanEquals},
    OpName{"DateGreaterThan", ConditionOp::DateGreaterThan},
    OpName{"DateGreaterThanEquals", ConditionOp::DateGreaterThanEquals},
    OpName{"Bool", ConditionOp::Bool},
    OpName{"BinaryEquals", ConditionOp::BinaryEquals},
    OpName{"IpAddress", ConditionOp::IpAddress},
    OpName{"NotIpAddress", ConditionOp::NotIpAddress},
    OpName{"ArnEquals", ConditionOp::ArnEquals},
    OpName{"ArnNotEquals", ConditionOp::ArnNotEquals},
    OpName{"ArnLike", ConditionOp::ArnLike},
    OpName{"ArnNotLike", ConditionOp::ArnNotLike},
    OpName{"Null", ConditionOp::Null},
};

PolicyResult<std::vector<ConditionClause>> parse_conditions(const json::value& v) {
  if (!v.is_object()) return syntax();
  std::vector<ConditionClause> out;
  for (const auto& [op_text, block] : v.get_object()) {
    ConditionClause proto;
    if (!parse_condition_operator(op_text, proto)) {
      return PolicyError{"Invalid Condition type : " + std::string(op_text)};
    }
    if (!block.is_object()) return syntax();
    for (const auto& [key, values] : block.get_object()) {
      ConditionClause clause = proto;
      clause.key = std::string(key);
      if (values.is_array()) {
        for (const json::value& e : values.get_array()) {
          std::optional<std::string> s = scalar_text(e);
          if (!s) return syntax();
          clause.values.push_back(std::move(*s));
        }
      } else if (std::optional<std::string> s = scalar_text(values)) {
        clause.values.push_back(std::move(*s));
      } else {
        return syntax();
      }
      out.push_back(std::move(clause));
    }
  }
  return out;
}

// One of a pair of mutually exclusive elements ("Action"/"NotAction"): which one is present.
PolicyResult<const json::value*> one_of(const json::object& st, std::string_view a,
                                        std::string_view not_a, bool& negated) {
  const json::value* pos = st.if_contains(a);
  const json::value* neg = st.if_contains(not_a);
  if (pos && neg) return syntax();
  negated = neg != nullptr;
  return pos ? pos : neg;
}

PolicyResult<void> parse_targets(const json::object& st, PolicyKind kind, Statement& s) {
  auto action = one_of(st, "Action", "NotAction", s.not_action);
  if (!action) return action.error();
  if (!*action) return PolicyError{"Missing required field Action"};
  auto actions = string_list(**action);
  if (!actions) return syntax();
  s.actions = std::move(*actions);

  auto resource = one_of(st, "Resource", "NotResource", s.not_resource);
  if (!resource) return resource.error();
  if (*resource) {
    if (kind == PolicyKind::Trust) return PolicyError{"Has prohibited field Resource"};
    auto resources = string_list(**resource);
    if (!resources) return syntax();
    s.resources = std::move(*resources);
    s.has_resource = true;
  } else if (kind == PolicyKind::Identity) {
    return PolicyError{"Policy statement must contain resources."};
  }
  return {};
}

PolicyResult<Statement> parse_statement(const json::value& v, PolicyKind kind) {
  if (!v.is_object()) return syntax();
  const json::object& st = v.get_object();
  static constexpr std::array kKnown{"Sid",         "Effect",   "Action",       "NotAction",
                                     "Resource",    "NotResource", "Principal", "NotPrincipal",
                                     "Condition"};
  for (const auto& [k, _] : st) {
    if (std::find(kKnown.begin(), kKnown.end(), k) == kKnown.end()) {
      return PolicyError{"Syntax errors in policy. Unknown field " + std::string(k)};
    }
  }
  Statement s;
  if (const json::value* sid = st.if_contains("Sid")) {
    if (!sid->is_string()) return syntax();
    s.sid = std::string(sid->get_string());
  }
  const json::value* effect = st.if_contains("Effect");
  if (!effect) return PolicyError{"Missing required field Effect"};
  if (!effect->is_string() || (effect->get_string() != "Allow" && effect->get_string() != "Deny")) {
    return PolicyError{"Invalid effect: " + (effect->is_string()
                                                  ? std::string(effect->get_string())
                                                  : json::serialize(*effect))};
  }
  s.effect = effect->get_string() == "Allow" ? Effect::Allow : Effect::Deny;
  if (auto r = parse_targets(st, kind, s); !r) return r.error();

  auto principal = one_of(st, "Principal", "NotPrincipal", s.not_principal);
  if (!principal) return principal.error();
  if (*principal) {
    if (kind == PolicyKind::Identity) {
      return PolicyError{"Policy document should not specify a principal."};
    }
    auto spec = parse_principal(**principal);
    if (!spec) return spec.error();
    s.principal = std::move(*spec);
  } else if (kind == PolicyKind::Trust) {
    return PolicyError{"Missing required field Principal"};
  }
  if (const json::value* cond = st.if_contains("Condition")) {
    auto clauses = parse_conditions(*cond);
    if (!clauses) return clauses.error();
    s.conditions = std::move(*clauses);
  }
  return s;
}

}  // namespace

void throw_exception_from_error(const PolicyError& e, const boost::source_location&) {
  throw std::runtime_error(e.message);
}

bool parse_condition_operator(std::string_view text, ConditionClause& out) {
  out.qualifier = SetQualifier::None;
  if (text.starts_with("ForAnyValue:")) {
    out.qualifier = SetQualifier::ForAnyValue;
    text.remove_prefix(12);
  } else if (text.starts_with("ForAllValues:")) {
    out.qualifier = SetQualifier::ForAllValues;
    text.remove_prefix(13);
  }
  out.if_exists = text.ends_with("IfExists");
  if (out.if_exists) text.remove_suffix(8);
  for (const OpName& o : kOps) {
    if (o.name == text) {
      out.op = o.op;
      // "You cannot use the ...IfExists suffix with the Null condition operator."
      return !(o.op == ConditionOp::Null && out.if_exists);
    }
  }
  return false;
}

PolicyResult<PolicyDocument> parse_policy(std::string_view text, PolicyKind kind) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return syntax();
  const json::object& root = v.get_object();
  PolicyDocument doc;
  for (const auto& [k, val] : root) {
    if (k == "Version") {
      if (!val.is_string()) return syntax();
      doc.version = std::string(val.get_string());
      if (doc.version != "2012-10-17" && doc.version != "2008-10-17") {
        return PolicyError{"The policy failed legacy parsing"};
      }
    } else if (k == "Id") {
      if (!val.is_string()) return syntax();
      doc.id = std::string(val.get_string());
    } else if (k != "Statement") {
      return PolicyError{"Syntax errors in policy. Unknown field " + std::string(k)};
    }
  }
  const json::value* statements = root.if_contains("Statement");
  if (!statements) return PolicyError{"Missing required field Statement"};
  if (statements->is_object()) {
    auto s = parse_statement(*statements, kind);
    if (!s) return s.error();
    doc.statements.push_back(std::move(*s));
  } else if (statements->is_array()) {
    for (const json::value& e : statements->get_array()) {
      auto s = parse_statement(e, kind);
      if (!s) return s.error();
      doc.statements.push_back(std::move(*s));
    }
  } else {
    return syntax();
  }
  return doc;
}

}  // namespace services::authz
