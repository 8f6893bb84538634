#pragma once
// The Conditions section, evaluated once per stack operation over the parameters and pseudo
// parameters. A condition may name other conditions (Condition, Fn::If) but no resource.
//
// Errors (ValidationError): "Template format error: Unresolved dependencies [X]. Cannot reference
// resources in the Conditions block of the template", "Template format error: Unresolved
// condition dependencies [X] in the Conditions block of the template", "Template error: Found
// circular condition dependency: [A, B]", and the evaluator's own.

#include "protocol/aws_error.h"
#include "services/cloudformation/engine/intrinsics.h"

namespace services::cloudformation::engine {

protocol::Result<ConditionValues> evaluate_conditions(const Template& t, const StackIdentity& stack,
                                                      const ParameterValues& params);

}  // namespace services::cloudformation::engine
