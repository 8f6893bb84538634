// A stack's events, resources, exports and imports (cloudformation_service.h).

#include <boost/json.hpp>

#include "core/json.h"
#include "services/cloudformation/cloudformation_json.h"
#include "services/cloudformation/cloudformation_service.h"
#include "services/cloudformation/errors.h"
#include "services/cloudformation/stack_store.h"

namespace services::cloudformation {

namespace json = boost::json;

Output CloudFormationService::describe_stack_events(const Ctx& ctx, const Input& in) {
  store::Transaction tx = db_.read();
  Stack s = find_stack(tx, ctx, core::str(in, "StackName"));
  json::array out;
  for (const StackEvent& e : StackStore(tx).events(s.stack_id)) out.push_back(event_json(s, e));
  return json::object{{"StackEvents", std::move(out)}};
}

Output CloudFormationService::describe_stack_resource(const Ctx& ctx, const Input& in) {
  store::Transaction tx = db_.read();
  Stack s = find_stack(tx, ctx, core::str(in, "StackName"));
  std::string logical = core::str(in, "LogicalResourceId");
  std::optional<StackResource> r = StackStore(tx).resource(s.stack_id, logical);
  if (!r) return errors::validation("Resource " + logical + " does not exist for stack " + s.name);
  return json::object{{"StackResourceDetail", resource_detail_json(s, *r)}};
}

// By StackName, or by PhysicalResourceId (the stack that owns that resource).
Output CloudFormationService::describe_stack_resources(const Ctx& ctx, const Input& in) {
  store::Transaction tx = db_.read();
  StackStore store(tx);
  std::optional<Stack> s;
  if (auto name = core::opt_str(in, "StackName")) {
    s = find_stack(tx, ctx, *name);
  } else if (auto physical = core::opt_str(in, "PhysicalResourceId")) {
    for (const Stack& candidate : store.list(ctx.account, ctx.region)) {
      if (candidate.status == status::kDeleteComplete) continue;
      for (const StackResource& r : store.resources(candidate.stack_id)) {
        if (r.physical_id == *physical) s = candidate;
      }
    }
    if (!s) return errors::validation("Stack for " + *physical + " does not exist");
  } else {
    return errors::validation("Either StackName or PhysicalResourceId must be specified.");
  }
  std::string logical = core::str(in, "LogicalResourceId");
  json::array out;
  for (const StackResource& r : store.resources(s->stack_id)) {
    if (!logical.empty() && r.logical_id != logical) continue;
    out.push_back(resource_json(*s, r));
  }
  return json::object{{"StackResources", std::move(out)}};
}

Output CloudFormationService::list_stack_resources(const Ctx& ctx, const Input& in) {
  store::Transaction tx = db_.read();
  Stack s = find_stack(tx, ctx, core::str(in, "StackName"));
  json::array out;
  for (const StackResource& r : StackStore(tx).resources(s.stack_id)) {
    if (r.status == status::kDeleteComplete && s.status != status::kDeleteComplete) continue;
    out.push_back(resource_summary_json(r));
  }
  return json::object{{"StackResourceSummaries", std::move(out)}};
}

Output CloudFormationService::list_exports(const Ctx& ctx, const Input& in) {
  (void)in;
  store::Transaction tx = db_.read();
  json::array out;
  for (const Export& e : StackStore(tx).exports(ctx.account, ctx.region)) {
    out.push_back(json::object{{"ExportingStackId", e.stack_id}, {"Name", e.name}, {"Value", e.value}});
  }
  return json::object{{"Exports", std::move(out)}};
}

Output CloudFormationService::list_imports(const Ctx& ctx, const Input& in) {
  std::string name = core::str(in, "ExportName");
  store::Transaction tx = db_.read();
  StackStore store(tx);
  json::array out;
  for (const std::string& id : store.importers(ctx.account, ctx.region, name)) {
    if (std::optional<Stack> s = store.find_by_id(id)) out.push_back(json::value(s->name));
  }
  if (out.empty()) return errors::validation("Export '" + name + "' is not imported by any stack.");
  return json::object{{"Imports", std::move(out)}};
}

}  // namespace services::cloudformation
