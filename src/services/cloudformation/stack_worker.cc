// StackWorker (stack_worker.h).

#include "services/cloudformation/stack_worker.h"

#include <boost/json.hpp>

#include "core/log.h"
#include "services/cloudformation/stack_parameters.h"
#include "services/cloudformation/stack_run.h"

namespace services::cloudformation {

StackWorker::StackWorker(store::Db& db, const core::Clock& clock,
                         const engine::ResourceProviders& providers, StackEnvironment env)
    : db_(db), clock_(clock), providers_(providers), env_(std::move(env)) {}

StackWorker::~StackWorker() { stop(); }

void StackWorker::start(OperationKind kind, const std::string& stack_id) {
  std::vector<std::thread> done;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    done.swap(finished_);
    cancelled_.erase(stack_id);
    running_.emplace(stack_id, std::thread([this, kind, stack_id] { run(kind, stack_id); }));
  }
  for (std::thread& t : done) t.join();
}

void StackWorker::run(OperationKind kind, const std::string& stack_id) {
  try {
    StackRun op(*this, stack_id);
    switch (kind) {
      case OperationKind::Create: op.create(); break;
      case OperationKind::Update: op.update(); break;
      case OperationKind::Delete: op.remove(); break;
    }
  } catch (const protocol::AwsError& e) {
    core::log::error("cloudformation: stack operation failed",
                     {{"stack", stack_id}, {"error", e.message}});
  } catch (const std::exception& e) {
    core::log::error("cloudformation: stack operation threw",
                     {{"stack", stack_id}, {"error", e.what()}});
  }
  std::lock_guard lock(mu_);
  auto it = running_.find(stack_id);
  if (it != running_.end()) {
    finished_.push_back(std::move(it->second));
    running_.erase(it);
  }
  cancelled_.erase(stack_id);
  idle_.notify_all();
}

bool StackWorker::cancel(const std::string& stack_id) {
  std::lock_guard lock(mu_);
  if (!running_.contains(stack_id)) return false;
  cancelled_.insert(stack_id);
  return true;
}

void StackWorker::wait_idle() {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [this] { return running_.empty(); });
}

void StackWorker::stop() {
  std::vector<std::thread> all;
  {
    std::unique_lock lock(mu_);
    stopping_ = true;
    idle_.wait(lock, [this] { return running_.empty(); });
    all.swap(finished_);
  }
  for (std::thread& t : all) t.join();
}

std::map<std::string, std::string, std::less<>> parameter_map(const boost::json::array& params) {
  std::map<std::string, std::string, std::less<>> out;
  for (const boost::json::value& p : params) {
    if (!p.is_object()) continue;
    const auto& o = p.as_object();
    const auto* k = o.if_contains("ParameterKey");
    const auto* v = o.if_contains("ParameterValue");
    if (k && k->is_string()) {
      out[std::string(k->as_string())] = v && v->is_string() ? std::string(v->as_string()) : "";
    }
  }
  return out;
}

}  // namespace services::cloudformation
