#pragma once
// Policy evaluation as AWS documents it, in process: "explicit Deny > Allow > implicit deny" over
// the identity-based policies that iam::Directory returns for a principal, and over a role's
// trust policy for sts:AssumeRole*. Implemented in services/authz (AuthzModule::authority()).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
//
//   iam::AuthzRequest r{.principal_arn = task_exec_role_arn, .action = "ecr:GetDownloadUrlForLayer",
//                       .resource = repo_arn, .account = acct, .region = region};
//   iam::AuthzResult d = authority.authorize(r);
//   if (!d.allowed()) fail(d.message);   // AWS's words, see below
//
// Thread-safe.

#include <map>
#include <string>
#include <vector>

#include "services/iam/directory.h"

namespace services::iam {

// Condition keys of one request: "aws:SourceIp" -> {"127.0.0.1"}, "ecs:cluster" -> {arn}, ...
// Keys are compared case-insensitively, as IAM does.
using ConditionKeys = std::map<std::string, std::vector<std::string>>;

struct AuthzRequest {
  std::string principal_arn;  // as RequestContext::caller_arn, or a role ARN
  std::string action;         // "ecs:CreateService"
  std::string resource;       // an ARN, or "*"
  std::string account;        // the account the request is made in
  std::string region;
  ConditionKeys keys;  // request-specific keys; the authority adds aws:PrincipalArn,
                       // aws:PrincipalAccount, aws:PrincipalTag/*, aws:RequestedRegion,
                       // aws:CurrentTime, aws:EpochTime when absent
};

enum class Decision { Allow, ExplicitDeny, ImplicitDeny };

struct AuthzResult {
  Decision decision = Decision::ImplicitDeny;
  // For a denial, the sentence AWS puts in AccessDenied, e.g.
  //   "User: arn:aws:iam::000000000000:user/ci is not authorized to perform: ecs:CreateService on
  //   resource: arn:aws:ecs:us-east-1:000000000000:service/web/api because no identity-based
  //   policy allows the ecs:CreateService action"
  // or "... with an explicit deny in an identity-based policy". Empty when allowed.
  std::string message;
  // The statements that decided (SimulatePrincipalPolicy's MatchedStatements): the
  // PolicyText::source and the statement's index.
  std::vector<std::pair<std::string, int>> matched;
  bool allowed() const { return decision == Decision::Allow; }
};

class Authority {
 public:
  virtual ~Authority() = default;

  // The root user of the request's account is always allowed; any other principal by its
  // identity-based policies (Directory::identity_policies).
  virtual AuthzResult authorize(const AuthzRequest& request) const = 0;

  // May `request.principal_arn` perform `request.action` (sts:AssumeRole,
  // sts:AssumeRoleWithWebIdentity, sts:TagSession) on `role`? Evaluates the role's trust policy
  // (its Principal/NotPrincipal, including "Federated" OIDC providers and "Service" principals
  // such as ecs-tasks.amazonaws.com) with request.keys (e.g. "token.actions.githubusercontent.com:sub").
  virtual AuthzResult authorize_trust(const RoleInfo& role, const AuthzRequest& request) const = 0;
};

}  // namespace services::iam
