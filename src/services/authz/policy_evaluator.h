#pragma once
// Policy evaluation as AWS documents it: "An explicit deny in any policy overrides any allows";
// an Allow applies when a statement's action, resource (or, in a trust policy, principal) and
// conditions all match; otherwise the request is implicitly denied.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
//
//   PolicyCache cache;
//   std::vector<SourcedPolicy> docs{{"user/ci/p", cache.get(text)}};
//   Evaluation e = evaluate(docs, {.action = "ecs:CreateService", .resource = arn, .keys = keys});

#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "services/authz/conditions.h"
#include "services/authz/policy_document.h"
#include "services/iam/authority.h"

namespace services::authz {

// Parsed documents by their text, so that enforcing costs a lookup per request, not a parse.
// A document that does not parse is cached as null (it grants nothing). Thread-safe.
class PolicyCache {
 public:
  explicit PolicyCache(std::size_t capacity = 4096) : capacity_(capacity) {}
  std::shared_ptr<const PolicyDocument> get(const std::string& text) const;

 private:
  std::size_t capacity_;
  mutable std::shared_mutex mu_;
  mutable std::unordered_map<std::string, std::shared_ptr<const PolicyDocument>> docs_;
};

struct SourcedPolicy {
  std::string source;  // iam::PolicyText::source
  std::shared_ptr<const PolicyDocument> document;  // null: unparseable, ignored
};

struct EvalInput {
  std::string_view action;
  std::string_view resource;   // ignored when the statements have no Resource (trust policies)
  std::string_view principal;  // checked against Principal/NotPrincipal when a statement has one
  const KeyValues& keys;
};

struct Evaluation {
  iam::Decision decision = iam::Decision::ImplicitDeny;
  std::vector<std::pair<std::string, int>> matched;  // deciding statements: source, index
};

Evaluation evaluate(const std::vector<SourcedPolicy>& policies, const EvalInput& in);

// Does one statement apply to the request (action, resource, principal and every condition)?
bool statement_applies(const Statement& s, bool variables, const EvalInput& in);

// Trust-policy principal matching: "*"; an account id or arn:aws:iam::ACCT:root (any principal
// of that account); a user or role ARN; an assumed-role session matches its role's ARN;
// "Service" and "Federated" principals by name or provider ARN.
bool principal_matches(const PrincipalSpec& spec, std::string_view principal);

}  // namespace services::authz
