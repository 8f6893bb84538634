// StackRun's per-resource steps and events (stack_run.h).

#include "services/cloudformation/stack_run.h"

#include <boost/json.hpp>
#include <thread>

#include "core/ids.h"
#include "core/log.h"
#include "services/cloudformation/stack_parameters.h"
#include "services/cloudformation/stack_store.h"

namespace services::cloudformation {

namespace json = boost::json;
using engine::ResourceDecl;
using engine::ResourceRequest;

StackRun::StackRun(StackWorker& worker, std::string stack_id)
    : w_(worker), stack_id_(std::move(stack_id)) {
  Stack s = load();
  identity_.account = s.account;
  identity_.region = s.region;
  identity_.stack_name = s.name;
  identity_.stack_id = s.stack_id;
  for (const json::value& a : s.notification_arns) {
    if (a.is_string()) identity_.notification_arns.emplace_back(a.as_string());
  }
  identity_.tags = s.tags;
  if (w_.env_.dynamic_refs) refs_ = w_.env_.dynamic_refs(identity_);
}

Stack StackRun::load() {
  store::Transaction tx = w_.db_.read();
  std::optional<Stack> s = StackStore(tx).find_by_id(stack_id_);
  if (!s) throw std::runtime_error("stack vanished: " + stack_id_);
  return *s;
}

void StackRun::set_status(const std::string& status, const std::string& reason) {
  store::Transaction tx = w_.db_.begin();
  StackStore store(tx);
  std::optional<Stack> s = store.find_by_id(stack_id_);
  if (!s) return;
  s->status = status;
  s->status_reason = reason;
  if (status == status::kDeleteComplete) s->deleted_ms = core::to_epoch_millis(w_.clock_.now());
  store.update(*s);
  tx.commit();
}

void StackRun::stack_event(const std::string& status, const std::string& reason) {
  StackEvent e;
  e.stack_id = stack_id_;
  e.event_id = core::ids::uuid4();
  e.logical_id = identity_.stack_name;
  e.physical_id = stack_id_;
  e.type = "AWS::CloudFormation::Stack";
  e.status = status;
  e.status_reason = reason;
  e.timestamp_ms = core::to_epoch_millis(w_.clock_.now());
  store::Transaction tx = w_.db_.begin();
  StackStore(tx).append_event(e);
  tx.commit();
}

void StackRun::resource_event(const StackResource& r, const std::string& reason) {
  StackEvent e;
  e.stack_id = stack_id_;
  e.event_id = r.logical_id + "-" + r.status + "-" + core::ids::uuid4();
  e.logical_id = r.logical_id;
  e.physical_id = r.physical_id;
  e.type = r.type;
  e.status = r.status;
  e.status_reason = reason;
  e.properties = r.properties.is_null() ? "" : json::serialize(r.properties);
  e.timestamp_ms = core::to_epoch_millis(w_.clock_.now());
  store::Transaction tx = w_.db_.begin();
  StackStore(tx).append_event(e);
  tx.commit();
}

// Writes the row with its new status and the event saying so.
void StackRun::save(StackResource& r, const std::string& status, const std::string& reason,
                    bool persist) {
  r.status = status;
  r.status_reason = reason;
  r.updated_ms = core::to_epoch_millis(w_.clock_.now());
  if (persist) {
    store::Transaction tx = w_.db_.begin();
    StackStore(tx).put_resource(r);
    tx.commit();
  }
  resource_event(r, reason);
}

protocol::Result<PlannedStack> StackRun::plan(const std::string& body,
                                              const json::array& params) {
  auto tpl = engine::parse_template(body);
  if (!tpl) return tpl.error();
  engine::StackInputs in;
  in.stack = identity_;
  in.parameters = parameter_map(params);
  in.ssm = w_.env_.ssm_parameter ? w_.env_.ssm_parameter(identity_) : nullptr;
  const engine::ResourceProviders& providers = w_.providers_;
  in.supported_type = [&providers](std::string_view t) { return providers.supports(t); };
  auto p = engine::plan_stack(*tpl, in);
  if (!p) return p.error();
  PlannedStack out;
  out.plan = std::make_unique<engine::StackPlan>(std::move(*p));
  out.eval = std::make_unique<engine::Evaluator>(out.plan->tpl, identity_, out.plan->parameters,
                                                 out.plan->conditions, hooks());
  return out;
}

engine::EvalHooks StackRun::hooks() {
  engine::EvalHooks h;
  h.resource = [this](std::string_view id) { return values_of(id); };
  h.import_value = [this](std::string_view name) -> protocol::Result<std::string> {
    store::Transaction tx = w_.db_.read();
    std::optional<Export> e = StackStore(tx).find_export(identity_.account, identity_.region, name);
    if (!e) return protocol::AwsError{"ValidationError", "No export named " + std::string(name) + " found."};
    std::lock_guard lock(mu_);
    imports_.insert(std::string(name));
    return e->value;
  };
  h.availability_zones = w_.env_.availability_zones;
  return h;
}

const engine::ResourceValues* StackRun::values_of(std::string_view logical_id) {
  std::lock_guard lock(mu_);
  auto it = values_.find(logical_id);
  return it == values_.end() ? nullptr : &it->second;
}

void StackRun::set_values(const std::string& logical_id, engine::ResourceValues v) {
  std::lock_guard lock(mu_);
  values_[logical_id] = std::move(v);
}

bool StackRun::stopping() {
  std::lock_guard lock(w_.mu_);
  return w_.stopping_;
}

bool StackRun::cancelled() {
  std::lock_guard lock(w_.mu_);
  return w_.cancelled_.contains(stack_id_);
}

protocol::Result<StackRun::Resolved> StackRun::resolve(const engine::Evaluator& eval,
                                                       const ResourceDecl& d) {
  auto stored = eval.try_resolve(d.properties);
  if (!stored) return stored.error();
  Resolved out{*stored, *stored};
  if (engine::has_dynamic_references(out.stored)) {
    auto applied = engine::resolve_dynamic_references(out.stored, refs_);
    if (!applied) return applied.error();
    out.applied = std::move(applied->value);
  }
  return out;
}

protocol::Result<void> StackRun::stabilize(engine::ResourceProvider& p,
                                           const ResourceRequest& req) {
  for (;;) {
    auto progress = p.stabilize(req);
    if (!progress) return progress.error();
    if (*progress == engine::Progress::Done) return {};
    {
      std::unique_lock lock(w_.mu_);
      if (w_.stopping_) return protocol::AwsError{"InternalFailure", "Gantry is shutting down"};
    }
    std::this_thread::sleep_for(w_.poll_interval);
  }
}

std::string handler_reason(const protocol::AwsError& e) {
  if (e.code == "ValidationError" || e.message.starts_with("Properties validation failed") ||
      e.message.starts_with("Template error")) {
    return e.message;
  }
  std::string handler_code = "GeneralServiceException";
  if (e.code.find("NotFound") != std::string::npos) handler_code = "NotFound";
  else if (e.code.find("AlreadyExist") != std::string::npos || e.code.find("Duplicate") != std::string::npos)
    handler_code = "AlreadyExists";
  else if (e.code.find("Invalid") != std::string::npos || e.code.find("Validation") != std::string::npos)
    handler_code = "InvalidRequest";
  else if (e.code.find("Limit") != std::string::npos) handler_code = "ServiceLimitExceeded";
  else if (e.code.find("AccessDenied") != std::string::npos) handler_code = "AccessDenied";
  return "Resource handler returned message: \"" + e.message + " (Service: " + e.code +
         ")\" (RequestToken: " + core::ids::uuid4() + ", HandlerErrorCode: " + handler_code + ")";
}

bool StackRun::create_one(const engine::Evaluator& eval, const ResourceDecl& d,
                          const StackResource* replacing) {
  StackResource r;
  r.stack_id = stack_id_;
  r.logical_id = d.logical_id;
  r.type = d.type;
  r.metadata = d.metadata;
  const bool replace = replacing != nullptr;
  const std::string in_progress = replace ? status::kUpdateInProgress : status::kCreateInProgress;
  const std::string failed = replace ? status::kUpdateFailed : status::kCreateFailed;
  if (replace) r.physical_id = replacing->physical_id;
  auto props = resolve(eval, d);
  if (!props) {
    save(r, failed, props.error().message);
    return false;
  }
  r.properties = props->stored;
  save(r, in_progress,
       replace ? "Requested update requires the creation of a new physical resource; hence "
                 "creating one."
               : "");
  engine::ResourceProvider* p = w_.providers_.find(d.type);
  ResourceRequest req{&identity_, d.logical_id, d.type, props->applied, json::value(), ""};
  auto made = p->create(req);
  if (!made) {
    save(r, failed, handler_reason(made.error()));
    return false;
  }
  r.physical_id = made->physical_id;
  r.attributes = made->attributes;
  save(r, in_progress, "Resource creation Initiated");
  req.physical_id = made->physical_id;
  if (auto st = stabilize(*p, req); !st) {
    save(r, failed, handler_reason(st.error()));
    return false;
  }
  save(r, replace ? status::kUpdateComplete : status::kCreateComplete);
  set_values(d.logical_id, {r.physical_id, r.attributes});
  return true;
}

// `v` with its dynamic references resolved (as given when they cannot be).
json::value StackRun::with_references(const json::value& v) {
  if (!engine::has_dynamic_references(v)) return v;
  auto resolved = engine::resolve_dynamic_references(v, refs_);
  return resolved ? resolved->value : v;
}

bool StackRun::apply_update(StackResource& r, ResourceRequest req) {
  save(r, status::kUpdateInProgress);
  engine::ResourceProvider* p = w_.providers_.find(req.type);
  auto done = p->update(req);
  if (!done) {
    save(r, status::kUpdateFailed, handler_reason(done.error()));
    return false;
  }
  r.physical_id = done->physical_id;
  r.attributes = done->attributes;
  req.physical_id = r.physical_id;
  if (auto st = stabilize(*p, req); !st) {
    save(r, status::kUpdateFailed, handler_reason(st.error()));
    return false;
  }
  save(r, status::kUpdateComplete);
  return true;
}

bool StackRun::update_one(const ResourceDecl& d, const StackResource& old,
                          const Resolved& props) {
  StackResource r = old;
  r.properties = props.stored;
  r.metadata = d.metadata;
  ResourceRequest req{&identity_, d.logical_id, d.type, props.applied,
                      with_references(old.properties), old.physical_id};
  if (!apply_update(r, std::move(req))) return false;
  set_values(d.logical_id, {r.physical_id, r.attributes});
  return true;
}

bool StackRun::revert_one(const StackResource& now, const StackResource& old) {
  StackResource r = old;
  ResourceRequest req{&identity_, old.logical_id, old.type, with_references(old.properties),
                      with_references(now.properties), now.physical_id};
  return apply_update(r, std::move(req));
}

bool StackRun::delete_one(StackResource row, bool retain, RowMode mode) {
  const bool persist = mode != RowMode::EventsOnly;
  auto erase = [&] {
    if (mode != RowMode::Forget) return;
    store::Transaction tx = w_.db_.begin();
    StackStore(tx).erase_resource(stack_id_, row.logical_id);
    tx.commit();
  };
  if (retain) {
    save(row, status::kDeleteSkipped, {}, persist);
    erase();
    return true;
  }
  if (row.physical_id.empty() || row.status == status::kDeleteComplete) {
    if (row.status != status::kDeleteComplete) save(row, status::kDeleteComplete, {}, persist);
    erase();
    return true;
  }
  save(row, status::kDeleteInProgress, {}, persist);
  engine::ResourceProvider* p = w_.providers_.find(row.type);
  ResourceRequest req{&identity_, row.logical_id, row.type, with_references(row.properties),
                      json::value(), row.physical_id};
  auto gone = p ? p->remove(req) : protocol::Result<void>();
  if (!gone) {
    save(row, status::kDeleteFailed, handler_reason(gone.error()), persist);
    return false;
  }
  save(row, status::kDeleteComplete, {}, persist);
  erase();
  return true;
}

bool StackRun::run_wave(const std::vector<std::string>& ids,
                        const std::function<bool(const std::string&)>& fn) {
  std::vector<std::thread> threads;
  std::vector<char> ok(ids.size(), 0);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    threads.emplace_back([&, i] {
      try {
        ok[i] = fn(ids[i]) ? 1 : 0;
      } catch (const protocol::AwsError& e) {
        core::log::error("cloudformation: resource step failed",
                         {{"stack", stack_id_}, {"resource", ids[i]}, {"error", e.message}});
      } catch (const std::exception& e) {
        core::log::error("cloudformation: resource step threw",
                         {{"stack", stack_id_}, {"resource", ids[i]}, {"error", e.what()}});
      } catch (...) {
        core::log::error("cloudformation: resource step threw",
                         {{"stack", stack_id_}, {"resource", ids[i]}});
      }
    });
  }
  for (std::thread& t : threads) t.join();
  return std::all_of(ok.begin(), ok.end(), [](char c) { return c != 0; });
}

}  // namespace services::cloudformation
