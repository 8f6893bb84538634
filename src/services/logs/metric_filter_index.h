#pragma once
// Applies a log group's metric filters to the events it ingests (PutLogEvents and the awslogs
// sink) and publishes the datums through a cloudwatch::MetricSink.
//
// Filters are compiled once per group and cached; PutMetricFilter, DeleteMetricFilter and
// DeleteLogGroup invalidate the group (a generation counter keeps a load that raced with an
// invalidation out of the cache). The cache is keyed by the group's id and creation time, as
// SQLite hands a deleted group's id to the next group (after DeleteLogGroup, or a reset that
// wiped the tables under a concurrent ingest). A group without filters costs one map lookup per
// batch.
//
// How events become datums (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/
// MonitoringPolicyExamples.html): each matching event emits one datum per transformation, at the
// event's own timestamp, valued by metricValue ("1", a number, or a field of the event that
// holds a number; an event whose field is missing or not numeric emits nothing), with the
// dimensions' values taken from the event's fields. defaultValue is "the value reported to the
// metric filter during a period when logs are ingested but no matching logs are found": for
// every minute of event time in which a batch brought events and none matched, one datum.
//
// Thread-safe.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "services/cloudwatch/metric_sink.h"
#include "services/logs/filter_pattern.h"
#include "services/logs/log_sink.h"
#include "services/logs/logs_store.h"
#include "services/logs/metric_filter_store.h"
#include "store/transaction.h"

namespace services::logs {

struct CompiledMetricFilter {
  std::string name;
  FilterPattern pattern;
  std::vector<MetricTransformation> transformations;
};
using GroupMetricFilters = std::vector<CompiledMetricFilter>;

// One datum a batch of events yields.
struct MetricFilterDatum {
  const MetricTransformation* transformation = nullptr;
  cloudwatch::Dimensions dimensions;
  double value = 0;
  int64_t timestamp_ms = 0;
};

// The datums `events` yield under `filters`, in event order (default values last).
std::vector<MetricFilterDatum> evaluate_metric_filters(const GroupMetricFilters& filters,
                                                      std::span<const LogEvent> events);

// Datums of one transformation, dimension set and timestamp, folded into a statistic set.
struct FoldedDatums {
  const MetricTransformation* transformation = nullptr;
  cloudwatch::Dimensions dimensions;
  int64_t timestamp_ms = 0;
  cloudwatch::StatisticSet stats;
};
std::vector<FoldedDatums> fold_datums(std::vector<MetricFilterDatum> datums);

class MetricFilterIndex {
 public:
  // `sink` may be null: filters are then kept and tested but publish nothing.
  explicit MetricFilterIndex(cloudwatch::MetricSink* sink) : sink_(sink) {}

  // The compiled filters of a group, read through `tx` when not cached; null when it has none.
  std::shared_ptr<const GroupMetricFilters> filters(store::Transaction& tx, const GroupRow& group);
  void invalidate(int64_t group_id);
  void clear();

  // Evaluates `events` of one group and puts the datums, those of one metric, dimension set and
  // millisecond as one statistic set; call outside any transaction.
  void publish(const std::string& account, const std::string& region,
               const GroupMetricFilters& filters, std::span<const LogEvent> events);

 private:
  cloudwatch::MetricSink* const sink_;
  std::mutex mutex_;
  uint64_t generation_ = 0;
  // (group id, its created_at_ms) -> filters
  std::map<std::pair<int64_t, int64_t>, std::shared_ptr<const GroupMetricFilters>> cache_;
};

}  // namespace services::logs
