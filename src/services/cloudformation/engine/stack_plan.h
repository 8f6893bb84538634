#pragma once
// Everything CloudFormation checks before it creates, updates or previews anything
// (CreateStack, UpdateStack, CreateChangeSet): parameter values, conditions, rules, resource
// types, references and cycles. A failure here leaves no stack behind; CloudFormation answers it
// as the operation's ValidationError.
//
//   StackPlan plan = plan_stack(tpl, inputs).value();
//   Evaluator eval(plan.tpl, inputs.stack, plan.parameters, plan.conditions, hooks);
//   for (const auto& wave : plan.graph.creation_waves()) { ... }

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "protocol/aws_error.h"
#include "services/cloudformation/engine/graph.h"
#include "services/cloudformation/engine/intrinsics.h"
#include "services/cloudformation/engine/parameters.h"
#include "services/cloudformation/engine/template.h"

namespace services::cloudformation::engine {

struct StackInputs {
  StackIdentity stack;
  std::map<std::string, std::string, std::less<>> parameters;  // ParameterKey → ParameterValue
  SsmParameterLookup ssm;                                      // AWS::SSM::Parameter::Value<...>
  std::function<bool(std::string_view type)> supported_type;   // empty: every type
};

struct StackPlan {
  Template tpl;  // the template run: the one given, with its Fn::ForEach loops expanded
  ParameterValues parameters;
  ConditionValues conditions;
  DependencyGraph graph;
};

// In CloudFormation's order: parameters, the AWS::LanguageExtensions loops (for_each.h),
// conditions, rules, resource types (of the resources present), then references and cycles.
protocol::Result<StackPlan> plan_stack(const Template& t, const StackInputs& in);

}  // namespace services::cloudformation::engine
