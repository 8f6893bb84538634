#include "services/cloudwatch/store_metric_sink.h"

#include <algorithm>
#include <cmath>

#include "core/log.h"
#include "services/cloudwatch/cloudwatch_json.h"

namespace services::cloudwatch {

namespace {

StatisticSet single(double value) { return StatisticSet{1, value, value, value, {{value, 1.0}}}; }

}  // namespace

bool StoreMetricSink::put(const std::string& account, const std::string& region,
                          const std::string& ns, const std::string& name, Dimensions dimensions,
                          double value, const std::string& unit, core::TimePoint timestamp) {
  return put_statistics(account, region, ns, name, std::move(dimensions), single(value), unit,
                        timestamp);
}

bool StoreMetricSink::put_statistics(const std::string& account, const std::string& region,
                                     const std::string& ns, const std::string& name,
                                     Dimensions dimensions, const StatisticSet& stats,
                                     const std::string& unit, core::TimePoint timestamp) {
  store::Transaction tx = db_.begin();
  CloudWatchStore st(tx);
  bool stored = store(st, account, region, ns, name, std::move(dimensions), stats, unit, timestamp);
  if (stored) tx.commit();
  return stored;
}

std::size_t StoreMetricSink::put_all(const std::string& account, const std::string& region,
                                     const std::vector<Datum>& data, core::TimePoint timestamp) {
  store::Transaction tx = db_.begin();
  CloudWatchStore st(tx);
  std::size_t stored = 0;
  for (const Datum& d : data) {
    stored += store(st, account, region, d.ns, d.name, d.dimensions, single(d.value), d.unit,
                    timestamp);
  }
  tx.commit();
  return stored;
}

bool StoreMetricSink::store(CloudWatchStore& st, const std::string& account,
                            const std::string& region, const std::string& ns,
                            const std::string& name, Dimensions dimensions,
                            const StatisticSet& stats, const std::string& unit,
                            core::TimePoint timestamp) {
  bool finite = std::isfinite(stats.sum) && std::isfinite(stats.minimum) &&
                std::isfinite(stats.maximum) && stats.sample_count > 0 &&
                stats.minimum <= stats.maximum;
  for (const auto& [v, n] : stats.values) finite = finite && std::isfinite(v) && n > 0;
  std::sort(dimensions.begin(), dimensions.end());
  bool unique = std::adjacent_find(dimensions.begin(), dimensions.end(),
                                   [](const Dimension& a, const Dimension& b) {
                                     return a.name == b.name;
                                   }) == dimensions.end();
  if (!valid_unit(unit) || dimensions.size() > 30 || !unique || !finite || ns.empty() ||
      name.empty()) {
    core::log::warn("cloudwatch: metric dropped", {{"namespace", ns}, {"metric", name}});
    return false;
  }
  Sample s;
  s.ts_ms = core::to_epoch_millis(timestamp);
  s.unit = unit;
  s.count = stats.sample_count;
  s.sum = stats.sum;
  s.min = stats.minimum;
  s.max = stats.maximum;
  s.values = stats.values;
  int64_t id =
      st.upsert_metric(account, region, ns, name, dimensions, core::to_epoch_millis(clock_.now()));
  st.insert_sample(id, s);
  return true;
}

}  // namespace services::cloudwatch
