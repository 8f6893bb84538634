#include "services/logs/metric_filter_index.h"

#include <chrono>
#include <algorithm>
#include <limits>
#include <set>
#include <tuple>

#include "core/log.h"
#include "services/logs/filter_pattern_ast.h"

namespace services::logs {

namespace {

constexpr int64_t kMinuteMs = 60 * 1000;

std::optional<double> field_number(const FilterMatch& m, const std::string& ref) {
  std::optional<std::string> text = m.value(ref);
  return text ? pattern::parse_number(*text) : std::nullopt;
}

// The datum one matching event yields for `t`, or nullopt when a field it needs is missing.
std::optional<MetricFilterDatum> datum_for(const MetricTransformation& t, const FilterMatch& m,
                                           int64_t timestamp_ms) {
  MetricFilterDatum d;
  d.transformation = &t;
  d.timestamp_ms = timestamp_ms;
  std::optional<double> value = t.metric_value.starts_with("$")
                                    ? field_number(m, t.metric_value)
                                    : pattern::parse_number(t.metric_value);
  if (!value) {
    return std::nullopt;
  }
  d.value = *value;
  for (const auto& [name, ref] : t.dimensions) {
    std::optional<std::string> v = m.value(ref);
    if (!v || v->empty()) {
      return std::nullopt;
    }
    d.dimensions.push_back({name, std::move(*v)});
  }
  return d;
}

int64_t minute_of(int64_t ms) { return (ms >= 0 ? ms : ms - kMinuteMs + 1) / kMinuteMs; }

}  // namespace

std::vector<MetricFilterDatum> evaluate_metric_filters(const GroupMetricFilters& filters,
                                                      std::span<const LogEvent> events) {
  std::vector<MetricFilterDatum> out;
  for (const CompiledMetricFilter& f : filters) {
    std::set<int64_t> minutes_seen;
    std::set<int64_t> minutes_matched;
    bool any_default = false;
    for (const MetricTransformation& t : f.transformations) {
      any_default = any_default || t.default_value.has_value();
    }
    for (const LogEvent& e : events) {
      std::optional<FilterMatch> m = f.pattern.match(e.message);
      if (any_default) {
        minutes_seen.insert(minute_of(e.timestamp_ms));
      }
      if (!m) {
        continue;
      }
      if (any_default) {
        minutes_matched.insert(minute_of(e.timestamp_ms));
      }
      for (const MetricTransformation& t : f.transformations) {
        if (std::optional<MetricFilterDatum> d = datum_for(t, *m, e.timestamp_ms)) {
          out.push_back(std::move(*d));
        }
      }
    }
    for (const MetricTransformation& t : f.transformations) {
      if (!t.default_value) {
        continue;
      }
      for (int64_t minute : minutes_seen) {
        if (!minutes_matched.contains(minute)) {
          out.push_back({&t, {}, *t.default_value, minute * kMinuteMs});
        }
      }
    }
  }
  return out;
}

std::shared_ptr<const GroupMetricFilters> MetricFilterIndex::filters(store::Transaction& tx,
                                                                     const GroupRow& group) {
  const std::pair<int64_t, int64_t> key{group.id, group.created_at_ms};
  uint64_t generation = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = cache_.find(key); it != cache_.end()) {
      return it->second;
    }
    generation = generation_;
  }
  std::shared_ptr<GroupMetricFilters> loaded;
  for (MetricFilterRow& row : MetricFilterStore(tx).for_group(group.id)) {
    std::string error;
    std::optional<FilterPattern> p = FilterPattern::parse(row.pattern, &error);
    if (!p) {
      core::log::warn("logs: stored metric filter does not parse",
                      {{"filter", row.name}, {"error", error}});
      continue;
    }
    if (!loaded) {
      loaded = std::make_shared<GroupMetricFilters>();
    }
    loaded->push_back({std::move(row.name), std::move(*p), std::move(row.transformations)});
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (generation == generation_) {
    cache_[key] = loaded;
  }
  return loaded;
}

void MetricFilterIndex::invalidate(int64_t group_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++generation_;
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  cache_.erase(cache_.lower_bound({group_id, kMin}), cache_.lower_bound({group_id + 1, kMin}));
}

void MetricFilterIndex::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++generation_;
  cache_.clear();
}

// The datums of one metric, dimension set and millisecond (a burst of output the awslogs shim
// stamped at once) as one statistic set: the same statistics and percentiles, one write.
std::vector<FoldedDatums> fold_datums(std::vector<MetricFilterDatum> datums) {
  using Key = std::tuple<uintptr_t, int64_t, cloudwatch::Dimensions>;
  std::map<Key, FoldedDatums> folded;
  std::map<Key, std::map<double, double>> counts;
  for (MetricFilterDatum& d : datums) {
    Key key{reinterpret_cast<uintptr_t>(d.transformation), d.timestamp_ms, d.dimensions};
    auto [it, fresh] = folded.try_emplace(key);
    cloudwatch::StatisticSet& s = it->second.stats;
    if (fresh) {
      it->second.transformation = d.transformation;
      it->second.dimensions = std::move(d.dimensions);
      it->second.timestamp_ms = d.timestamp_ms;
      s.minimum = s.maximum = d.value;
    }
    s.sample_count += 1;
    s.sum += d.value;
    s.minimum = std::min(s.minimum, d.value);
    s.maximum = std::max(s.maximum, d.value);
    counts[key][d.value] += 1;
  }
  std::vector<FoldedDatums> out;
  out.reserve(folded.size());
  for (auto& [key, f] : folded) {
    f.stats.values.assign(counts[key].begin(), counts[key].end());
    out.push_back(std::move(f));
  }
  return out;
}

void MetricFilterIndex::publish(const std::string& account, const std::string& region,
                                const GroupMetricFilters& filters,
                                std::span<const LogEvent> events) {
  if (sink_ == nullptr || events.empty()) {
    return;
  }
  for (FoldedDatums& f : fold_datums(evaluate_metric_filters(filters, events))) {
    const MetricTransformation& t = *f.transformation;
    sink_->put_statistics(account, region, t.metric_namespace, t.metric_name,
                          std::move(f.dimensions), f.stats, t.unit.value_or("None"),
                          core::from_epoch_millis(f.timestamp_ms));
  }
}

}  // namespace services::logs
