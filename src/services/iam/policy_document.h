#pragma once
// The grammar checks IAM applies to a policy document before it stores it, with IAM's
// MalformedPolicyDocument messages.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
//
//   Identity policies (CreatePolicy, Put*Policy): no Principal/NotPrincipal ("Policy document
//   should not specify a principal."), Action and Resource required.
//   Trust policies (CreateRole, UpdateAssumeRolePolicy): Principal required ("Missing required
//   field Principal"), no Resource ("Has prohibited field Resource."), principals well formed
//   ("Invalid principal in policy: \"SERVICE\":\"lambda\"").
// A missing Version is IAM's legacy default (2008-10-17); any other value than the two IAM
// knows is "The policy failed legacy parsing".

#include <string_view>

#include "protocol/aws_error.h"

namespace services::iam {

enum class PolicyKind { Identity, Trust };

protocol::Result<void> validate_policy(std::string_view text, PolicyKind kind);

}  // namespace services::iam
