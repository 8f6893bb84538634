// preview_changes (change_set_preview.h).

#include "services/cloudformation/change_set_preview.h"

#include <boost/json.hpp>
#include <set>

#include "services/cloudformation/engine/diff.h"
#include "services/cloudformation/resources/service_client.h"
#include "services/cloudformation/stack_store.h"

namespace services::cloudformation {

namespace json = boost::json;

namespace {

constexpr const char* kUnknown = "{{changeSet:KNOWN_AFTER_APPLY}}";

json::object change(const std::string& action, const std::string& logical,
                    const std::string& type, const std::string& physical) {
  json::object c{{"Action", action},
                 {"LogicalResourceId", logical},
                 {"ResourceType", type},
                 {"Scope", json::array{}},
                 {"Details", json::array{}}};
  if (!physical.empty()) c["PhysicalResourceId"] = physical;
  return c;
}

json::value wrap(json::object c) {
  return json::object{{"Type", "Resource"}, {"ResourceChange", std::move(c)}};
}

// A Modify entry, or nullopt when nothing changed.
std::optional<json::object> modification(const StackResource& row, const engine::ResourceDecl& d,
                                         const json::value& props, const StackWorker& worker) {
  json::object c = change("Modify", d.logical_id, d.type, row.physical_id);
  const engine::ResourceProvider* p = worker.providers().find(d.type);
  bool replace = row.type != d.type;
  const json::object& after_props = resources::properties(props);
  json::array details;
  for (const std::string& k : engine::changed_properties(row.properties, props)) {
    const json::value* after = after_props.if_contains(k);
    bool unknown = after && json::serialize(*after).find(kUnknown) != std::string::npos;
    bool recreate = p && p->update_behavior(k) == engine::UpdateBehavior::Replacement;
    replace = replace || recreate;
    details.push_back(json::object{
        {"Target", json::object{{"Attribute", "Properties"},
                                {"Name", k},
                                {"RequiresRecreation", recreate ? "Always" : "Never"}}},
        {"Evaluation", unknown ? "Dynamic" : "Static"},
        {"ChangeSource", unknown ? "ResourceAttribute" : "DirectModification"}});
  }
  if (details.empty() && row.type == d.type) return std::nullopt;
  c["Replacement"] = replace ? "True" : "False";
  c["Scope"] = json::array{"Properties"};
  c["Details"] = std::move(details);
  return c;
}

}  // namespace

json::array preview_changes(store::Transaction& tx, const Ctx& ctx, const CheckedTemplate& next,
                            const Stack* previous, const StackWorker& worker) {
  json::array out;
  const auto& present = next.plan.graph.resources;
  if (!previous) {
    for (const std::string& id : present) {
      out.push_back(wrap(change("Add", id, next.plan.tpl.find_resource(id)->type, "")));
    }
    return out;
  }
  StackStore store(tx);
  std::vector<StackResource> rows = store.resources(previous->stack_id);
  std::map<std::string, engine::ResourceValues, std::less<>> values;
  for (const StackResource& r : rows) {
    if (!r.physical_id.empty()) values[r.logical_id] = {r.physical_id, r.attributes};
  }
  engine::EvalHooks hooks;
  hooks.resource = [&](std::string_view id) -> const engine::ResourceValues* {
    auto it = values.find(id);
    return it == values.end() ? nullptr : &it->second;
  };
  hooks.import_value = [&](std::string_view name) -> protocol::Result<std::string> {
    if (auto e = store.find_export(ctx.account, ctx.region, name)) return e->value;
    return protocol::AwsError{"ValidationError", "No export named " + std::string(name) + " found."};
  };
  hooks.availability_zones = worker.environment().availability_zones;
  engine::Evaluator eval(next.plan.tpl,
                         {ctx.account, ctx.region, previous->name, previous->stack_id},
                         next.plan.parameters, next.plan.conditions, hooks);
  eval.unresolved_as = kUnknown;
  for (const std::string& id : present) {
    const engine::ResourceDecl& d = *next.plan.tpl.find_resource(id);
    auto row = std::find_if(rows.begin(), rows.end(), [&](const StackResource& r) {
      return r.logical_id == id && !r.physical_id.empty();
    });
    if (row == rows.end()) {
      out.push_back(wrap(change("Add", id, d.type, "")));
      continue;
    }
    auto props = eval.try_resolve(d.properties);
    json::value resolved = props ? *props : json::value(kUnknown);
    if (auto m = modification(*row, d, resolved, worker)) out.push_back(wrap(std::move(*m)));
  }
  for (const StackResource& r : rows) {
    if (r.physical_id.empty()) continue;
    if (std::find(present.begin(), present.end(), r.logical_id) != present.end()) continue;
    json::object c = change("Remove", r.logical_id, r.type, r.physical_id);
    c["PolicyAction"] = "Delete";
    out.push_back(wrap(std::move(c)));
  }
  return out;
}

}  // namespace services::cloudformation
