#include "services/ecs/stopped_task_sweeper.h"

#include <algorithm>

#include "core/log.h"
#include "store/transaction.h"

namespace services::ecs {

namespace {

core::Duration sweep_period(core::Duration ttl) {
  return std::clamp<core::Duration>(ttl / 10, std::chrono::seconds(1), std::chrono::minutes(1));
}

}  // namespace

std::vector<StoppedTaskRow> expired_tasks(const std::vector<StoppedTaskRow>& stopped, double now,
                                          core::Duration ttl) {
  double window = std::chrono::duration<double>(ttl).count();
  std::vector<StoppedTaskRow> out;
  for (const StoppedTaskRow& t : stopped) {
    if (!t.scheduler_pending && now - t.stopped_at >= window) {
      out.push_back(t);
    }
  }
  return out;
}

StoppedTaskSweeper::StoppedTaskSweeper(store::Db& db, const core::Clock& clock, core::Duration ttl)
    : db_(db),
      clock_(clock),
      ttl_(clock.scaled(ttl)),
      controller_("ecs-stopped-tasks", clock,
                  [this](const std::string&) {
                    sweep();
                    return reconcile::ReconcileResult::done();
                  },
                  {.workers = 1, .resync_period = sweep_period(ttl_), .list_keys = [] {
                     return std::vector<std::string>{"stopped-tasks"};
                   }}) {}

std::size_t StoppedTaskSweeper::sweep() {
  store::Transaction tx = db_.begin();
  std::vector<StoppedTaskRow> expired =
      expired_tasks(stopped_tasks(tx), core::to_epoch_seconds(clock_.now()), ttl_);
  for (const StoppedTaskRow& t : expired) {
    delete_task(tx, t);
  }
  tx.commit();
  if (!expired.empty()) {
    core::log::debug("stopped tasks expired", {{"tasks", std::to_string(expired.size())}});
  }
  return expired.size();
}

}  // namespace services::ecs
