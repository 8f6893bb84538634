#include "services/authz/policy_evaluator.h"

#include <algorithm>

namespace services::authz {
namespace {

// "arn:aws:sts::A:assumed-role/R/S" -> the role name R; empty for any other ARN.
std::string_view assumed_role_name(std::string_view arn) {
  std::size_t p = arn.find(":assumed-role/");
  if (!arn.starts_with("arn:aws:sts::") || p == std::string_view::npos) return {};
  std::string_view rest = arn.substr(p + 14);
  return rest.substr(0, rest.find('/'));
}

bool aws_principal_matches(std::string_view id, std::string_view principal) {
  if (id == "*") return true;
  std::string_view account = arn_account(principal);
  if (id.size() == 12 && std::all_of(id.begin(), id.end(), ::isdigit)) return id == account;
  if (id.starts_with("arn:aws:iam::") && id.ends_with(":root")) {
    return !account.empty() && arn_account(id) == account;
  }
  if (id == principal) return true;
  // An assumed-role session is its role: arn:aws:iam::A:role[/path]/R.
  std::string_view role = assumed_role_name(principal);
  if (!role.empty() && id.starts_with("arn:aws:iam::") && arn_account(id) == account) {
    std::size_t r = id.find(":role/");
    return r != std::string_view::npos && id.substr(id.rfind('/') + 1) == role;
  }
  return false;
}

bool any_matches(const std::vector<std::string>& patterns, bool variables, const KeyValues& keys,
                 bool is_action, std::string_view value) {
  for (const std::string& p : patterns) {
    std::optional<Pattern> pat = expand(p, keys, variables && !is_action);
    if (!pat) continue;
    if (is_action ? wildcard_match(*pat, value, true) : arn_match(*pat, value)) return true;
  }
  return false;
}

}  // namespace

std::shared_ptr<const PolicyDocument> PolicyCache::get(const std::string& text) const {
  {
    std::shared_lock lock(mu_);
    if (auto it = docs_.find(text); it != docs_.end()) return it->second;
  }
  std::shared_ptr<const PolicyDocument> doc;
  if (PolicyResult<PolicyDocument> r = parse_policy(text, PolicyKind::Any)) {
    doc = std::make_shared<const PolicyDocument>(std::move(*r));
  }
  std::unique_lock lock(mu_);
  if (docs_.size() >= capacity_) docs_.clear();  // a crude bound: documents are few and small
  docs_.emplace(text, doc);
  return doc;
}

bool principal_matches(const PrincipalSpec& spec, std::string_view principal) {
  if (spec.any) return true;
  for (const auto& [type, ids] : spec.by_type) {
    for (const std::string& id : ids) {
      if (type == "AWS" ? aws_principal_matches(id, principal) : id == principal) return true;
    }
  }
  return false;
}

bool statement_applies(const Statement& s, bool variables, const EvalInput& in) {
  if (any_matches(s.actions, variables, in.keys, true, in.action) == s.not_action) return false;
  if (s.has_resource &&
      any_matches(s.resources, variables, in.keys, false, in.resource) == s.not_resource) {
    return false;
  }
  if (s.principal && principal_matches(*s.principal, in.principal) == s.not_principal) {
    return false;
  }
  return std::all_of(s.conditions.begin(), s.conditions.end(),
                     [&](const ConditionClause& c) { return condition_holds(c, in.keys); });
}

Evaluation evaluate(const std::vector<SourcedPolicy>& policies, const EvalInput& in) {
  Evaluation allow{iam::Decision::Allow, {}};
  Evaluation deny{iam::Decision::ExplicitDeny, {}};
  for (const SourcedPolicy& p : policies) {
    if (!p.document) continue;
    // Policy variables exist from version 2012-10-17 on; before it "${" is literal text.
    const bool variables = p.document->version == "2012-10-17";
    for (std::size_t i = 0; i < p.document->statements.size(); ++i) {
      const Statement& s = p.document->statements[i];
      if (!statement_applies(s, variables, in)) continue;
      Evaluation& e = s.effect == Effect::Deny ? deny : allow;
      e.matched.emplace_back(p.source, static_cast<int>(i));
    }
  }
  if (!deny.matched.empty()) return deny;
  if (!allow.matched.empty()) return allow;
  return {};
}

}  // namespace services::authz
