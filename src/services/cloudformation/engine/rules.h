#pragma once
// The Rules section: each rule whose RuleCondition holds (or that has none) must have every
// Assert evaluate to true, or the stack operation is refused before anything changes. The
// message is the assertion's AssertDescription, as CloudFormation answers it; CDK's
// CheckBootstrapVersion is the common case:
//   "CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a recent version of
//    the CDK CLI."
// Rules may use Fn::And, Fn::Or, Fn::Not, Fn::Equals, Fn::Contains, Fn::EachMemberEquals,
// Fn::EachMemberIn and Ref (parameters and pseudo parameters). Fn::RefAll, Fn::ValueOf and
// Fn::ValueOfAll, which read the account's EC2 resources, are refused as unsupported.

#include "protocol/aws_error.h"
#include "services/cloudformation/engine/intrinsics.h"

namespace services::cloudformation::engine {

// `eval` carries the template, the parameters and the pseudo parameters.
protocol::Result<void> evaluate_rules(const Evaluator& eval);

}  // namespace services::cloudformation::engine
