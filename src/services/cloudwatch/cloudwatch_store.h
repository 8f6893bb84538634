#pragma once
// CloudWatch rows <-> SQL (tables of migrations/0007_cloudwatch.sql), inside a caller's
// Transaction. Plain structs in, plain structs out; the wire shapes live in the handlers.
// metric_store.cc holds metrics and datapoints, alarm_store.cc alarms, history and dashboards.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "services/cloudwatch/metric_sink.h"
#include "store/transaction.h"

namespace services::cloudwatch {

struct MetricRow {
  int64_t id = 0;
  std::string ns;
  std::string name;
  Dimensions dimensions;  // sorted by name
  int64_t last_put_ms = 0;
};

// One stored datapoint: a put datum, or several merged into one bucket by the sweeper.
struct Sample {
  int64_t ts_ms = 0;
  int resolution_s = 60;  // 1, 60, 300 or 3600
  std::string unit = "None";
  double count = 0;
  double sum = 0;
  double min = 0;
  double max = 0;
  // (value, count) pairs, for percentiles; empty when only statistics were published.
  std::vector<std::pair<double, double>> values;
};

struct StoredSample {
  int64_t id = 0;
  int64_t metric_id = 0;
  Sample sample;
};

struct AlarmRow {
  int64_t id = 0;
  std::string account;
  std::string region;
  std::string name;
  // PutMetricAlarm's input (model document) without AlarmName, ActionsEnabled and Tags.
  boost::json::object definition;
  bool actions_enabled = true;
  std::string state = "INSUFFICIENT_DATA";
  std::string state_reason;
  std::optional<std::string> state_reason_data;
  int64_t state_updated_ms = 0;
  int64_t state_transitioned_ms = 0;
  int64_t config_updated_ms = 0;
  boost::json::object tags;  // key -> value
};

struct HistoryRow {
  int64_t id = 0;
  std::string alarm_name;
  std::string alarm_type = "MetricAlarm";
  int64_t ts_ms = 0;
  std::string item_type;  // ConfigurationUpdate, StateUpdate, Action
  std::string summary;
  std::string data;  // JSON text
};

struct HistoryQuery {
  std::optional<std::string> alarm_name;
  std::optional<std::string> item_type;
  int64_t start_ms = 0;
  int64_t end_ms = INT64_MAX;
  bool ascending = false;
  std::optional<int64_t> after_id;  // paging: rows beyond this id in scan order
  int64_t limit = 100;
};

struct DashboardRow {
  std::string name;
  std::string body;
  int64_t modified_ms = 0;
};

// The canonical text of sorted dimensions, part of a metric's identity.
std::string dimensions_key(const Dimensions& dims);
Dimensions parse_dimensions_key(std::string_view text);

class CloudWatchStore {
 public:
  explicit CloudWatchStore(store::Transaction& tx) : tx_(tx) {}

  // metric_store.cc
  // The metric's id, created if new; its last put time becomes put_ms.
  int64_t upsert_metric(std::string_view account, std::string_view region, std::string_view ns,
                        std::string_view name, const Dimensions& dims, int64_t put_ms);
  std::optional<int64_t> metric_id(std::string_view account, std::string_view region,
                                   std::string_view ns, std::string_view name,
                                   const Dimensions& dims);
  // Metrics of an account and region by id above after_id, optionally of one namespace and
  // name, put at or after active_since_ms.
  std::vector<MetricRow> metrics(std::string_view account, std::string_view region,
                                 const std::optional<std::string>& ns,
                                 const std::optional<std::string>& name, int64_t active_since_ms,
                                 int64_t after_id, int64_t limit);
  void insert_sample(int64_t metric_id, const Sample& s);
  // The metric's samples with start_ms <= ts < end_ms, by time.
  std::vector<Sample> samples(int64_t metric_id, int64_t start_ms, int64_t end_ms);
  // Up to `limit` samples finer than resolution_s older than cutoff_ms (the sweeper's input).
  std::vector<StoredSample> samples_finer_than(int resolution_s, int64_t cutoff_ms, int64_t limit);
  void delete_sample(int64_t id);
  int64_t delete_samples_before(int64_t cutoff_ms);

  // alarm_store.cc
  std::optional<AlarmRow> alarm(std::string_view account, std::string_view region,
                                std::string_view name);
  std::optional<AlarmRow> alarm_by_id(int64_t id);
  // Alarms of an account and region, by name.
  std::vector<AlarmRow> alarms(std::string_view account, std::string_view region);
  std::vector<int64_t> alarm_ids();
  int64_t count_alarms(std::string_view account, std::string_view region);
  // Inserts the alarm, or replaces the definition, actions flag and configuration time of the
  // alarm of that name (keeping its state). Returns its id.
  int64_t put_alarm(const AlarmRow& a);
  void delete_alarm(int64_t id);
  void set_state(int64_t id, std::string_view state, std::string_view reason,
                 const std::optional<std::string>& reason_data, int64_t now_ms);
  void set_actions_enabled(int64_t id, bool enabled);
  void set_tags(int64_t id, const boost::json::object& tags);
  void add_history(std::string_view account, std::string_view region, const HistoryRow& h);
  std::vector<HistoryRow> history(std::string_view account, std::string_view region,
                                  const HistoryQuery& q);
  void delete_history(std::string_view account, std::string_view region,
                      std::string_view alarm_name);

  void put_dashboard(std::string_view account, std::string_view region, const DashboardRow& d);
  std::optional<DashboardRow> dashboard(std::string_view account, std::string_view region,
                                        std::string_view name);
  std::vector<DashboardRow> dashboards(std::string_view account, std::string_view region);
  void delete_dashboard(std::string_view account, std::string_view region, std::string_view name);

 private:
  store::Transaction& tx_;
};

}  // namespace services::cloudwatch
