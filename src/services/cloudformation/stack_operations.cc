// StackRun's operations (stack_run.h): create, update and delete, with their rollbacks, in
// CloudFormation's order of statuses and events.

#include <boost/json.hpp>
#include <algorithm>

#include "core/log.h"
#include "services/cloudformation/stack_parameters.h"
#include "services/cloudformation/stack_run.h"
#include "services/cloudformation/stack_store.h"

namespace services::cloudformation {

namespace json = boost::json;

namespace {

std::string id_list(const std::vector<std::string>& ids) {
  std::string out = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? ", " : "") + ids[i];
  return out + "]";
}

}  // namespace

// Logical ids whose resources are kept on delete (DeletionPolicy Retain; Snapshot has nothing to
// snapshot here, so the resource is deleted: only Retain is kept).
std::set<std::string> retained_ids(const engine::Template& t, bool on_create_rollback) {
  std::set<std::string> out;
  for (const engine::ResourceDecl& d : t.resources) {
    if (d.deletion_policy == "Retain" ||
        (d.deletion_policy == "RetainExceptOnCreate" && !on_create_rollback)) {
      out.insert(d.logical_id);
    }
  }
  return out;
}

namespace {

std::string as_output_text(const json::value& v) {
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_array()) {
    std::string out;
    for (const json::value& e : v.as_array()) {
      if (!out.empty()) out += ",";
      out += as_output_text(e);
    }
    return out;
  }
  return json::serialize(v);
}

}  // namespace

void StackRun::create() {
  Stack s = load();
  auto ps = plan(s.template_body, s.parameters);
  std::vector<std::string> failed;
  std::string reason;
  bool ok = false;
  if (!ps) {
    reason = ps.error().message;
  } else {
    ok = create_all(*ps, failed);
    if (ok) {
      if (auto clash = finish_outputs(*ps, s)) {
        ok = false;
        reason = *clash;
      }
    } else {
      reason = "The following resource(s) failed to create: " + id_list(failed) + ". ";
    }
  }
  if (!ok && stopping()) return;
  if (ok) {
    set_status(status::kCreateComplete);
    stack_event(status::kCreateComplete);
    return;
  }
  if (s.disable_rollback) {
    set_status(status::kCreateFailed, reason);
    stack_event(status::kCreateFailed, reason);
    return;
  }
  reason += "Rollback requested by user.";
  set_status(status::kRollbackInProgress, reason);
  stack_event(status::kRollbackInProgress, reason);
  if (ps) {
    roll_back_create(ps->plan->graph.deletion_waves(), retained_ids(ps->plan->tpl, true));
  } else {
    roll_back_create({}, {});
  }
}

bool StackRun::create_all(const PlannedStack& ps, std::vector<std::string>& failed) {
  for (const auto& wave : ps.plan->graph.creation_waves()) {
    bool ok = run_wave(wave, [&](const std::string& id) {
      return create_one(*ps.eval, *ps.plan->tpl.find_resource(id));
    });
    if (ok) continue;
    store::Transaction tx = w_.db_.read();
    for (const StackResource& r : StackStore(tx).resources(stack_id_)) {
      if (r.status == status::kCreateFailed) failed.push_back(r.logical_id);
    }
    return false;
  }
  return true;
}

void StackRun::roll_back_create(const std::vector<std::vector<std::string>>& waves,
                                const std::set<std::string>& retain) {
  std::vector<StackResource> rows;
  {
    store::Transaction tx = w_.db_.read();
    rows = StackStore(tx).resources(stack_id_);
  }
  bool ok = delete_rows(rows, waves, RowMode::Keep, retain);
  {
    store::Transaction tx = w_.db_.begin();
    StackStore(tx).erase_exports(stack_id_);
    tx.commit();
  }
  const char* end = ok ? status::kRollbackComplete : status::kRollbackFailed;
  set_status(end, load().status_reason);
  stack_event(end);
}

bool StackRun::delete_rows(std::vector<StackResource> rows,
                           const std::vector<std::vector<std::string>>& waves, RowMode mode,
                           const std::set<std::string>& retain) {
  std::vector<std::string> created_order;
  std::map<std::string, StackResource, std::less<>> by_id;
  for (StackResource& r : rows) {
    created_order.push_back(r.logical_id);
    by_id[r.logical_id] = std::move(r);
  }
  bool ok = true;
  auto step = [&](const std::string& id) {
    return delete_one(by_id.at(id), retain.contains(id), mode);
  };
  std::vector<std::vector<std::string>> order;
  std::set<std::string> covered;
  for (const auto& wave : waves) {
    std::vector<std::string> present;
    for (const std::string& id : wave) {
      if (by_id.contains(id)) present.push_back(id), covered.insert(id);
    }
    if (!present.empty()) order.push_back(std::move(present));
  }
  // Rows the graph does not know (a plan that failed): last created, first deleted.
  std::vector<std::string> rest;
  for (auto it = created_order.rbegin(); it != created_order.rend(); ++it) {
    if (!covered.contains(*it)) rest.push_back(*it);
  }
  for (const std::string& id : rest) ok = step(id) && ok;
  for (const auto& wave : order) ok = run_wave(wave, step) && ok;
  return ok;
}

std::optional<std::string> StackRun::finish_outputs(const PlannedStack& ps, Stack& s) {
  json::array outputs;
  std::vector<Export> exports;
  for (const engine::OutputDecl& o : ps.plan->tpl.outputs) {
    if (o.condition && !ps.plan->conditions.at(*o.condition)) continue;
    auto v = ps.eval->try_resolve(o.value);
    if (!v) return v.error().message;
    json::object out{{"OutputKey", o.name}, {"OutputValue", as_output_text(*v)}};
    if (!o.description.empty()) out["Description"] = o.description;
    if (o.export_name) {
      auto name = ps.eval->try_resolve(*o.export_name);
      if (!name) return name.error().message;
      std::string n = as_output_text(*name);
      out["ExportName"] = n;
      exports.push_back(Export{s.account, s.region, n, as_output_text(*v), s.stack_id});
    }
    outputs.push_back(std::move(out));
  }
  store::Transaction tx = w_.db_.begin();
  StackStore store(tx);
  for (const Export& e : exports) {
    std::optional<Export> held = store.find_export(s.account, s.region, e.name);
    if (held && held->stack_id != s.stack_id) {
      std::optional<Stack> other = store.find_by_id(held->stack_id);
      return "Export with name " + e.name + " is already exported by stack " +
             (other ? other->name : held->stack_id);
    }
  }
  // An export other stacks import may neither change nor go away.
  for (const Export& old : store.exports_of(s.stack_id)) {
    auto now = std::find_if(exports.begin(), exports.end(),
                            [&](const Export& e) { return e.name == old.name; });
    if (now != exports.end() && now->value == old.value) continue;
    std::vector<std::string> users = store.importers(s.account, s.region, old.name);
    std::erase(users, s.stack_id);
    if (users.empty()) continue;
    std::optional<Stack> user = store.find_by_id(users.front());
    std::string who = user ? user->name : users.front();
    return now == exports.end()
               ? "Export " + old.name + " cannot be deleted as it is in use by " + who
               : "Cannot update export " + old.name + " as it is in use by " + who;
  }
  store.erase_exports(s.stack_id);
  for (const Export& e : exports) store.put_export(e);
  std::optional<Stack> fresh = store.find_by_id(s.stack_id);
  if (fresh) {
    fresh->outputs = std::move(outputs);
    std::vector<std::string> imports(imports_.begin(), imports_.end());
    store.set_imports(*fresh, imports);
    store.update(*fresh);
    s = *fresh;
  }
  tx.commit();
  return std::nullopt;
}

void StackRun::remove() {
  Stack s = load();
  std::vector<StackResource> rows;
  std::string in_use;
  {
    store::Transaction tx = w_.db_.read();
    StackStore store(tx);
    rows = store.resources(stack_id_);
    for (const Export& e : store.exports_of(stack_id_)) {
      std::vector<std::string> users = store.importers(s.account, s.region, e.name);
      std::erase(users, s.stack_id);
      if (users.empty()) continue;
      std::optional<Stack> user = store.find_by_id(users.front());
      in_use = "Export " + e.name + " cannot be deleted as it is in use by " +
               (user ? user->name : users.front());
      break;
    }
  }
  if (!in_use.empty()) {
    set_status(status::kDeleteFailed, in_use);
    stack_event(status::kDeleteFailed, in_use);
    return;
  }
  std::vector<std::vector<std::string>> waves;
  std::set<std::string> retain;
  if (auto ps = plan(s.template_body, s.parameters)) {
    waves = ps->plan->graph.deletion_waves();
    retain = retained_ids(ps->plan->tpl, false);
  }
  std::erase_if(rows, [](const StackResource& r) { return r.status == status::kDeleteComplete; });
  if (!delete_rows(rows, waves, RowMode::Keep, retain)) {
    std::vector<std::string> failed;
    store::Transaction tx = w_.db_.read();
    for (const StackResource& r : StackStore(tx).resources(stack_id_)) {
      if (r.status == status::kDeleteFailed) failed.push_back(r.logical_id);
    }
    std::string reason = "The following resource(s) failed to delete: " + id_list(failed) + ". ";
    tx.rollback();
    set_status(status::kDeleteFailed, reason);
    stack_event(status::kDeleteFailed, reason);
    return;
  }
  {
    store::Transaction tx = w_.db_.begin();
    StackStore store(tx);
    store.erase_exports(stack_id_);
    store.set_imports(s, {});
    store.erase_change_sets(stack_id_);
    tx.commit();
  }
  set_status(status::kDeleteComplete);
  stack_event(status::kDeleteComplete);
}

}  // namespace services::cloudformation
