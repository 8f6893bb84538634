#pragma once
// The resources of one stack operation and what each needs first: edges from Ref, Fn::GetAtt,
// Fn::Sub variables (in Properties, Metadata and UpdatePolicy) and DependsOn. A resource whose
// Condition is false is absent; naming it (outside an Fn::If branch not taken) is an error, as on
// AWS.
//
//   DependencyGraph g = build_graph(t, conditions).value();
//   for (const auto& wave : g.creation_waves()) { /* create each wave's resources in parallel */ }

#include <map>
#include <set>
#include <string>
#include <vector>

#include "protocol/aws_error.h"
#include "services/cloudformation/engine/intrinsics.h"

namespace services::cloudformation::engine {

struct DependencyGraph {
  std::vector<std::string> resources;  // the resources present, in template order
  std::map<std::string, std::set<std::string>, std::less<>> needs;  // id → ids it needs first

  // Waves of resources whose dependencies are all in earlier waves, each in template order: the
  // resources of one wave can be created in parallel.
  std::vector<std::vector<std::string>> creation_waves() const;
  // Deletion: a resource goes only after every resource that needs it is gone.
  std::vector<std::vector<std::string>> deletion_waves() const;
  // The resources that need `id`, directly or not (what an update replacing `id` touches).
  std::set<std::string> dependents_of(const std::string& id) const;
};

// Errors (ValidationError), in CloudFormation's words:
//   "Template format error: Unresolved resource dependencies [X] in the Resources block of the
//    template" (Ref or DependsOn naming no parameter or present resource)
//   "Template error: instance of Fn::GetAtt references undefined resource X"
//   "Template format error: Unresolved resource dependencies [X] in the Outputs block of the
//    template"
//   "Circular dependency between resources: [A, B]" (every resource left unordered, template
//    order: those on a cycle and those that need them)
//   "Template format error: Unresolved condition dependencies [C] in the Resources block of the
//    template" (a resource's Condition or an Fn::If naming no condition)
protocol::Result<DependencyGraph> build_graph(const Template& t, const ConditionValues& conditions);

// Whether the resource is present under `conditions` (no Condition, or a true one).
bool resource_present(const ResourceDecl& r, const ConditionValues& conditions);

}  // namespace services::cloudformation::engine
