#include "services/cloudwatch/metric_retention.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "core/log.h"
#include "services/cloudwatch/cloudwatch_store.h"
#include "services/cloudwatch/statistics.h"

namespace services::cloudwatch {

namespace {

using std::chrono::hours;

constexpr int64_t kBatch = 5000;

core::Duration sweep_period(const core::Clock& clock) {
  return std::max<core::Duration>(clock.scaled(MetricRetention::kSweepEvery),
                                  std::chrono::seconds(1));
}

int64_t ms(core::Duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

}  // namespace

MetricRetention::MetricRetention(store::Db& db, const core::Clock& clock)
    : db_(db),
      clock_(clock),
      controller_("cloudwatch-retention", clock,
                  [this](const std::string&) {
                    sweep();
                    return reconcile::ReconcileResult::done();
                  },
                  {.workers = 1, .resync_period = sweep_period(clock), .list_keys = [] {
                     return std::vector<std::string>{"sweep"};
                   }}) {}

int64_t MetricRetention::roll_up(int finer_than_s, core::Duration age, int to_s, int64_t now_ms) {
  int64_t cutoff = now_ms - ms(clock_.scaled(age));
  int64_t total = 0;
  for (;;) {
    store::Transaction tx = db_.begin();
    CloudWatchStore st(tx);
    std::vector<StoredSample> rows = st.samples_finer_than(finer_than_s, cutoff, kBatch);
    std::map<std::tuple<int64_t, int64_t, std::string>, Aggregate> merged;
    for (const StoredSample& r : rows) {
      int64_t bucket = r.sample.ts_ms / (to_s * 1000) * (to_s * 1000);
      Aggregate& a = merged[{r.metric_id, bucket, r.sample.unit}];
      a.add(r.sample);
      st.delete_sample(r.id);
    }
    for (const auto& [key, a] : merged) {
      const auto& [metric_id, bucket, unit] = key;
      st.insert_sample(metric_id,
                       Sample{bucket, to_s, unit, a.count, a.sum, a.min, a.max, a.values});
    }
    tx.commit();
    total += static_cast<int64_t>(rows.size());
    if (static_cast<int64_t>(rows.size()) < kBatch) {
      return total;
    }
  }
}

MetricRetention::Swept MetricRetention::sweep() {
  int64_t now = core::to_epoch_millis(clock_.now());
  Swept s;
  s.rolled_up += roll_up(60, hours(3), 60, now);
  s.rolled_up += roll_up(300, hours(15 * 24), 300, now);
  s.rolled_up += roll_up(3600, hours(63 * 24), 3600, now);
  store::Transaction tx = db_.begin();
  s.deleted = CloudWatchStore(tx).delete_samples_before(now - ms(clock_.scaled(hours(455 * 24))));
  tx.commit();
  if (s.rolled_up + s.deleted > 0) {
    core::log::debug("cloudwatch retention", {{"rolled_up", std::to_string(s.rolled_up)},
                                              {"deleted", std::to_string(s.deleted)}});
  }
  return s;
}

}  // namespace services::cloudwatch
