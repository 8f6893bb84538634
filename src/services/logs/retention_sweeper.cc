#include "services/logs/retention_sweeper.h"

#include <algorithm>
#include <charconv>

#include "core/log.h"
#include "services/logs/logs_json.h"
#include "services/logs/logs_store.h"

namespace services::logs {

namespace {

core::Duration sweep_period(const core::Clock& clock) {
  return std::max<core::Duration>(clock.scaled(RetentionSweeper::kSweepEvery),
                                  std::chrono::seconds(1));
}

}  // namespace

RetentionSweeper::RetentionSweeper(store::Db& db, const core::Clock& clock)
    : db_(db),
      clock_(clock),
      controller_("logs-retention", clock,
                  [this](const std::string& key) { return reconcile(key); },
                  {.workers = 1, .resync_period = sweep_period(clock), .list_keys = [this] {
                     std::vector<std::string> keys;
                     store::Transaction tx = db_.read();
                     for (int64_t id : LogsStore(tx).groups_with_retention()) {
                       keys.push_back(std::to_string(id));
                     }
                     tx.commit();
                     return keys;
                   }}) {}

int64_t RetentionSweeper::sweep(int64_t group_id) {
  store::Transaction tx = db_.begin();
  LogsStore st(tx);
  std::optional<GroupRow> g = st.group_by_id(group_id);
  if (!g) {
    return 0;
  }
  std::optional<int64_t> cutoff = retention_cutoff_ms(*g, clock_);
  if (!cutoff) {
    return 0;
  }
  int64_t deleted = st.delete_events_before(g->id, *cutoff);
  tx.commit();
  if (deleted > 0) {
    core::log::debug("logs retention: expired events deleted",
                     {{"group", g->name}, {"events", std::to_string(deleted)}});
  }
  return deleted;
}

reconcile::ReconcileResult RetentionSweeper::reconcile(const std::string& key) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), id);
  if (ec != std::errc() || end != key.data() + key.size()) {
    return reconcile::ReconcileResult::done();
  }
  sweep(id);
  return reconcile::ReconcileResult::done();
}

}  // namespace services::logs
