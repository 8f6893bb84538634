// StackRun::update (stack_run.h): resources added, updated in place or replaced, in the new
// template's waves; then the cleanup of replaced and removed resources; on failure (or
// CancelUpdateStack) the update's rollback to the previous template.

#include <boost/json.hpp>
#include <algorithm>

#include "services/cloudformation/engine/diff.h"
#include "services/cloudformation/stack_parameters.h"
#include "services/cloudformation/stack_run.h"
#include "services/cloudformation/stack_store.h"

namespace services::cloudformation {

namespace json = boost::json;

namespace {

const StackResource* live(const std::vector<StackResource>& rows, std::string_view id) {
  for (const StackResource& r : rows) {
    if (r.logical_id == id && !r.physical_id.empty() && r.status != status::kDeleteComplete) {
      return &r;
    }
  }
  return nullptr;
}

}  // namespace

void StackRun::update() {
  Stack s = load();
  std::vector<StackResource> before;
  {
    store::Transaction tx = w_.db_.read();
    before = StackStore(tx).resources(stack_id_);
  }
  for (const StackResource& r : before) {
    if (!r.physical_id.empty()) set_values(r.logical_id, {r.physical_id, r.attributes});
  }
  auto ps = plan(s.template_body, s.parameters);
  std::vector<std::string> failed;
  std::string reason;
  bool ok = false;
  if (!ps) {
    reason = ps.error().message;
  } else if ((ok = update_all(*ps, before, failed))) {
    if (auto clash = finish_outputs(*ps, s)) {
      ok = false;
      reason = *clash;
    }
  } else if (failed.empty()) {
    reason = "Stack update cancelled";
  } else {
    reason = "The following resource(s) failed to update: [";
    for (std::size_t i = 0; i < failed.size(); ++i) reason += (i ? ", " : "") + failed[i];
    reason += "]. ";
  }
  if (!ok && stopping()) return;
  if (ok) {
    set_status(status::kUpdateCompleteCleanup);
    stack_event(status::kUpdateCompleteCleanup);
    cleanup_after_update(*ps, before);
    set_status(status::kUpdateComplete);
    stack_event(status::kUpdateComplete);
    return;
  }
  set_status(status::kUpdateRollbackInProgress, reason);
  stack_event(status::kUpdateRollbackInProgress, reason);
  roll_back_update(before, reason);
}

bool StackRun::update_all(const PlannedStack& ps, const std::vector<StackResource>& before,
                          std::vector<std::string>& failed) {
  auto step = [&](const std::string& id) {
    const engine::ResourceDecl& d = *ps.plan->tpl.find_resource(id);
    const StackResource* old = live(before, id);
    if (!old) {
      std::lock_guard lock(mu_);
      touched_.push_back(id);
    }
    if (!old) return create_one(*ps.eval, d);
    auto props = resolve(*ps.eval, d);
    if (!props) {
      StackResource r = *old;
      save(r, status::kUpdateFailed, props.error().message);
      return false;
    }
    if (old->type == d.type && props->stored == old->properties) return true;
    bool replace = old->type != d.type;
    engine::ResourceProvider* p = w_.providers().find(d.type);
    for (const std::string& name : engine::changed_properties(old->properties, props->stored)) {
      if (p->update_behavior(name) == engine::UpdateBehavior::Replacement) replace = true;
    }
    {
      std::lock_guard lock(mu_);
      touched_.push_back(id);
      if (replace) replaced_.push_back(*old);
    }
    return replace ? create_one(*ps.eval, d, old) : update_one(d, *old, *props);
  };
  for (const auto& wave : ps.plan->graph.creation_waves()) {
    if (cancelled()) return false;
    if (run_wave(wave, step)) continue;
    store::Transaction tx = w_.db_.read();
    for (const StackResource& r : StackStore(tx).resources(stack_id_)) {
      if (r.status == status::kUpdateFailed || r.status == status::kCreateFailed) {
        failed.push_back(r.logical_id);
      }
    }
    return false;
  }
  return !cancelled();
}

void StackRun::cleanup_after_update(const PlannedStack& ps, const std::vector<StackResource>& before) {
  // The old halves of replacements go first (UpdateReplacePolicy), then removed resources
  // (their DeletionPolicy in the previous template), last created first.
  Stack s = load();
  std::set<std::string> keep_removed;
  if (auto old_tpl = engine::parse_template(s.previous_template)) {
    keep_removed = retained_ids(*old_tpl, false);
  }
  for (auto it = replaced_.rbegin(); it != replaced_.rend(); ++it) {
    const engine::ResourceDecl* d = ps.plan->tpl.find_resource(it->logical_id);
    bool retain = d && d->update_replace_policy == "Retain";
    delete_one(*it, retain, RowMode::EventsOnly);
  }
  const auto& present = ps.plan->graph.resources;
  for (auto it = before.rbegin(); it != before.rend(); ++it) {
    if (std::find(present.begin(), present.end(), it->logical_id) != present.end()) continue;
    delete_one(*it, keep_removed.contains(it->logical_id), RowMode::Forget);
  }
  {
    store::Transaction tx = w_.db_.begin();
    StackStore store(tx);
    if (std::optional<Stack> fresh = store.find_by_id(stack_id_)) {
      fresh->previous_template.clear();
      fresh->previous_parameters.clear();
      store.update(*fresh);
    }
    tx.commit();
  }
}

void StackRun::roll_back_update(const std::vector<StackResource>& before, const std::string& reason) {
  std::vector<StackResource> doomed;  // resources this update created (new, or new halves)
  bool ok = true;
  for (auto it = touched_.rbegin(); it != touched_.rend(); ++it) {
    std::optional<StackResource> now;
    {
      store::Transaction tx = w_.db_.read();
      now = StackStore(tx).resource(stack_id_, *it);
    }
    const StackResource* old = live(before, *it);
    bool was_replaced = std::any_of(replaced_.begin(), replaced_.end(),
                                    [&](const StackResource& r) { return r.logical_id == *it; });
    if (!old) {
      if (now) doomed.push_back(*now);
    } else if (was_replaced) {
      if (now && now->physical_id != old->physical_id) doomed.push_back(*now);
      StackResource restored = *old;
      save(restored, status::kUpdateComplete);
    } else if (now) {
      ok = revert_one(*now, *old) && ok;
    }
  }
  set_status(status::kUpdateRollbackCleanup, reason);
  stack_event(status::kUpdateRollbackCleanup);
  for (const StackResource& r : doomed) {
    bool new_half = live(before, r.logical_id) != nullptr;
    ok = delete_one(r, false, new_half ? RowMode::EventsOnly : RowMode::Forget) && ok;
  }
  {
    store::Transaction tx = w_.db_.begin();
    StackStore store(tx);
    if (std::optional<Stack> fresh = store.find_by_id(stack_id_)) {
      fresh->template_body = fresh->previous_template;
      fresh->parameters = fresh->previous_parameters;
      fresh->previous_template.clear();
      fresh->previous_parameters.clear();
      store.update(*fresh);
    }
    tx.commit();
  }
  const char* end = ok ? status::kUpdateRollbackComplete : status::kUpdateRollbackFailed;
  set_status(end, ok ? "" : reason);
  stack_event(end);
}

}  // namespace services::cloudformation
