#include "services/autoscaling/scheduled_action_runner.h"

#include <boost/json.hpp>

#include "core/json.h"
#include "core/log.h"
#include "services/autoscaling/autoscaling_service.h"
#include "services/autoscaling/scaling_math.h"

namespace services::autoscaling {

namespace json = boost::json;

namespace {

core::Duration poll_period(const core::Clock& clock) {
  return std::min<core::Duration>(clock.scaled(std::chrono::minutes(1)), std::chrono::seconds(1));
}

// "min capacity to 2 and max capacity to 5"
std::string bounds_text(std::optional<int64_t> min, std::optional<int64_t> max) {
  std::string s;
  if (min) s = "min capacity to " + std::to_string(*min);
  if (max) s += (s.empty() ? "" : " and ") + std::string("max capacity to ") + std::to_string(*max);
  return s;
}

}  // namespace

ScheduledActionRunner::ScheduledActionRunner(store::Db& db, const core::Clock& clock,
                                             ServiceCapacity& capacity, Scaler& scaler)
    : db_(db),
      clock_(clock),
      capacity_(capacity),
      scaler_(scaler),
      controller_("autoscaling-scheduled-actions", clock,
                  [this](const std::string&) {
                    run_due();
                    return reconcile::ReconcileResult::done();
                  },
                  {.workers = 1, .resync_period = poll_period(clock), .list_keys = [] {
                     return std::vector<std::string>{"due"};
                   }}) {}

int ScheduledActionRunner::run_due() {
  std::vector<NamedRow> due;
  {
    store::Transaction tx = db_.read();
    due = AutoscalingStore(tx).due_scheduled(core::to_epoch_millis(clock_.now()));
    tx.commit();
  }
  for (const NamedRow& a : due) {
    try {
      fire(a);
    } catch (const std::exception& e) {
      core::log::warn("application-autoscaling: scheduled action failed",
                      {{"action", a.name}, {"error", e.what()}});
    }
  }
  return static_cast<int>(due.size());
}

void ScheduledActionRunner::fire(const NamedRow& a) {
  std::optional<TargetRow> target;
  {
    store::Transaction tx = db_.begin();
    AutoscalingStore st(tx);
    // Due again at the next time after now: missed firings (the server was down) are not
    // caught up, as AWS runs an action once when it is late.
    st.set_next_run(a.id, next_run_ms(a.doc, clock_.now(), clock_));
    target = st.target(a.key);
    const json::object* suspended = target ? core::obj(target->doc, "SuspendedState") : nullptr;
    if (!target ||
        (suspended && core::opt_bool(*suspended, "ScheduledScalingSuspended").value_or(false))) {
      tx.commit();
      return;
    }
    const json::object* action = core::obj(a.doc, "ScalableTargetAction");
    std::optional<int64_t> min = action ? core::opt_int(*action, "MinCapacity") : std::nullopt;
    std::optional<int64_t> max = action ? core::opt_int(*action, "MaxCapacity") : std::nullopt;
    if (min) target->doc["MinCapacity"] = *min;
    if (max) target->doc["MaxCapacity"] = *max;
    st.put_target(*target);
    tx.commit();
    if (!min && !max) return;
    std::string text = bounds_text(min, max);
    scaler_.record(a.key, "Setting " + text, "scheduled action name " + a.name + " was triggered",
                   "Successful", "Successfully set " + text);
  }
  std::string cluster;
  std::string service;
  split_service_id(a.key.resource_id, &cluster, &service);
  auto state = capacity_.get(a.key.account, a.key.region, cluster, service);
  if (!state) return;
  int64_t lo = core::opt_int(target->doc, "MinCapacity").value_or(0);
  int64_t hi = core::opt_int(target->doc, "MaxCapacity").value_or(0);
  int64_t desired = clamp_capacity(state->desired, lo, hi);
  if (desired == state->desired) return;
  std::string cause = desired < state->desired
                          ? "maximum capacity was set to " + std::to_string(hi)
                          : "minimum capacity was set to " + std::to_string(lo);
  (void)scaler_.set_desired(*target, desired, cause, std::nullopt);
}

}  // namespace services::autoscaling
