#include "services/cloudformation/engine/stack_plan.h"

#include "services/cloudformation/engine/conditions.h"
#include "services/cloudformation/engine/for_each.h"
#include "services/cloudformation/engine/rules.h"

namespace services::cloudformation::engine {

protocol::Result<StackPlan> plan_stack(const Template& given, const StackInputs& in) {
  StackPlan plan;
  protocol::Result<ParameterValues> params = resolve_parameters(given, in.parameters, in.ssm);
  if (!params) {
    return params.error();
  }
  plan.parameters = std::move(*params);
  protocol::Result<Template> expanded = expand_for_each(given, in.stack, plan.parameters);
  if (!expanded) {
    return expanded.error();
  }
  plan.tpl = std::move(*expanded);
  const Template& t = plan.tpl;
  protocol::Result<ConditionValues> conditions = evaluate_conditions(t, in.stack, plan.parameters);
  if (!conditions) {
    return conditions.error();
  }
  plan.conditions = std::move(*conditions);
  Evaluator eval(t, in.stack, plan.parameters, plan.conditions);
  if (protocol::Result<void> rules = evaluate_rules(eval); !rules) {
    return rules.error();
  }
  if (in.supported_type) {
    auto holds = [&](std::string_view c) {
      auto it = plan.conditions.find(c);
      return it == plan.conditions.end() || it->second;  // undeclared: the graph reports it
    };
    if (protocol::Result<void> types = check_resource_types(t, in.supported_type, holds); !types) {
      return types.error();
    }
  }
  protocol::Result<DependencyGraph> graph = build_graph(t, plan.conditions);
  if (!graph) {
    return graph.error();
  }
  plan.graph = std::move(*graph);
  return plan;
}

}  // namespace services::cloudformation::engine
