// Policy simulation over the policy evaluator (iam::Authority): SimulatePrincipalPolicy and
// SimulateCustomPolicy. Registered only when an Authority is wired in.

#include <boost/json.hpp>

#include "core/json.h"
#include "services/iam/errors.h"
#include "services/iam/iam_names.h"
#include "services/iam/iam_service.h"
#include "services/iam/policy_document.h"

namespace services::iam {

namespace json = boost::json;

namespace {

std::string_view decision_name(Decision d) {
  switch (d) {
    case Decision::Allow:
      return "allowed";
    case Decision::ExplicitDeny:
      return "explicitDeny";
    case Decision::ImplicitDeny:
      return "implicitDeny";
  }
  return "implicitDeny";
}

// A PolicyText source as MatchedStatement's SourcePolicyId and SourcePolicyType.
json::object matched_statement(const std::string& source) {
  std::string id = source.substr(source.rfind('/') + 1);
  std::string type = "IAM Policy";
  if (source.starts_with("arn:aws:iam::aws:policy/")) {
    type = "aws-managed";
  } else if (source.starts_with("arn:")) {
    type = "user-managed";
  } else if (source.find('/') != std::string::npos) {
    type = source.substr(0, source.find('/'));  // user, group, role
  } else {
    id = source;  // PolicyInputList.N
  }
  return {{"SourcePolicyId", id}, {"SourcePolicyType", type}};
}

ConditionKeys context_keys(const Doc& in) {
  ConditionKeys keys;
  if (const json::array* entries = core::arr(in, "ContextEntries")) {
    for (const json::value& e : *entries) {
      const json::object& o = e.as_object();
      keys[core::str(o, "ContextKeyName")] = core::strings(o, "ContextKeyValues");
    }
  }
  return keys;
}

// in["PolicyInputList"] as policies named "PolicyInputList.N", or the first malformed one's error.
protocol::Result<std::vector<PolicyText>> input_policies(const Doc& in) {
  std::vector<PolicyText> out;
  int n = 0;
  for (const std::string& doc : core::strings(in, "PolicyInputList")) {
    if (auto ok = validate_policy(doc, PolicyKind::Identity); !ok) return ok.error();
    out.push_back({PolicyText::Kind::Inline, "PolicyInputList." + std::to_string(++n), doc});
  }
  return out;
}

}  // namespace

Reply IamService::evaluate(const Ctx& ctx, const Doc& in, const std::string& principal_arn) {
  std::vector<std::string> resources = core::strings(in, "ResourceArns");
  if (resources.empty()) resources.emplace_back("*");
  ConditionKeys keys = context_keys(in);
  json::array results;
  for (const std::string& action : core::strings(in, "ActionNames")) {
    for (const std::string& resource : resources) {
      AuthzResult r =
          authority_->authorize({principal_arn, action, resource, ctx.account, ctx.region, keys});
      json::array matched;
      for (const auto& [source, index] : r.matched) matched.push_back(matched_statement(source));
      results.push_back(json::object{{"EvalActionName", action},
                                     {"EvalResourceName", resource},
                                     {"EvalDecision", decision_name(r.decision)},
                                     {"MatchedStatements", std::move(matched)},
                                     {"MissingContextValues", json::array{}}});
    }
  }
  Doc out;
  paginate(results, in, out, "EvaluationResults");
  return out;
}

// SimulatePrincipalPolicy —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html
Reply IamService::simulate_principal_policy(const Ctx& ctx, const Doc& in) {
  std::string source = core::str(in, "PolicySourceArn");
  protocol::Result<std::vector<PolicyText>> extra = input_policies(in);
  if (!extra) return extra.error();
  bool group = source.find(":group/") != std::string::npos;
  if (!source.starts_with("arn:aws:iam::" + ctx.account + ":")) {
    return errors::invalid_input("Invalid ARN: " + source);
  }
  if (!group && extra->empty()) return evaluate(ctx, in, source);
  std::vector<PolicyText> policies =
      group ? directory_.group_policies(source) : directory_.identity_policies(source);
  policies.insert(policies.end(), extra->begin(), extra->end());
  IamDirectory::Simulation sim = directory_.simulate(ctx.account, std::move(policies));
  return evaluate(ctx, in, sim.arn());
}

// SimulateCustomPolicy —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html
Reply IamService::simulate_custom_policy(const Ctx& ctx, const Doc& in) {
  protocol::Result<std::vector<PolicyText>> policies = input_policies(in);
  if (!policies) return policies.error();
  IamDirectory::Simulation sim = directory_.simulate(ctx.account, std::move(*policies));
  return evaluate(ctx, in, sim.arn());
}

}  // namespace services::iam
