#pragma once
// iam::Authority over the IAM directory's policies: the evaluator of policy_evaluator.h with the
// global condition keys that AWS adds to every request.
//
//   PolicyAuthority authority(&iam_module->directory(), clock);
//   iam::AuthzResult r = authority.authorize({.principal_arn = arn, .action = "ecs:ListClusters",
//                                             .resource = "*", .account = acct, .region = rgn});

#include "core/clock.h"
#include "services/authz/policy_evaluator.h"
#include "services/iam/authority.h"
#include "services/iam/directory.h"

namespace services::authz {

class PolicyAuthority final : public iam::Authority {
 public:
  // `directory` may be null (no IAM module): then only the accounts' root users are allowed.
  PolicyAuthority(const iam::Directory* directory, const core::Clock& clock)
      : directory_(directory), clock_(clock) {}

  // Sets the directory after construction (the IAM module wants the authority first); before
  // the server serves.
  void connect(const iam::Directory* directory) { directory_ = directory; }

  iam::AuthzResult authorize(const iam::AuthzRequest& request) const override;
  iam::AuthzResult authorize_trust(const iam::RoleInfo& role,
                                   const iam::AuthzRequest& request) const override;

  // authorize() for each of `resources` in turn, reading the principal's policies and keys once
  // (DescribeServices names up to 10 services): Allow, or the first denial, with
  // request.resource set to the resource denied.
  iam::AuthzResult authorize_each(iam::AuthzRequest& request,
                                  const std::vector<std::string>& resources) const;

  // The request's keys plus the global ones AWS adds: aws:PrincipalArn, aws:PrincipalAccount,
  // aws:PrincipalTag/* (session tags in request.keys win), aws:RequestedRegion, aws:CurrentTime,
  // aws:EpochTime, aws:username (users), aws:userid.
  KeyValues context_keys(const iam::AuthzRequest& request) const;

 private:
  const iam::Directory* directory_;
  const core::Clock& clock_;
  PolicyCache cache_;
};

// "User: <arn> is not authorized to perform: <action> on resource: <resource> because no
// identity-based policy allows the <action> action" (or "with an explicit deny in an
// identity-based policy"); `kind` "permissions boundary" for a boundary's denial.
std::string denial_message(const iam::AuthzRequest& request, iam::Decision decision,
                           std::string_view kind = "identity-based policy");

}  // namespace services::authz
