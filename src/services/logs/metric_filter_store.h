#pragma once
// CloudWatch Logs metric filters: the rows (migrations/0009_logs_metric_filters.sql) and their
// SQL, inside a caller's Transaction. The wire shapes are in metric_filter_json.h.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/transaction.h"

namespace services::logs {

// One MetricTransformation: how a matching event becomes a datum.
struct MetricTransformation {
  std::string metric_name;
  std::string metric_namespace;
  std::string metric_value;  // "1", a number, or a field: "$.latency", "$size", "$3"
  std::optional<double> default_value;
  std::vector<std::pair<std::string, std::string>> dimensions;  // name -> field, as metric_value
  std::optional<std::string> unit;
};

struct MetricFilterRow {
  int64_t group_id = 0;
  std::string group_name;  // filled by reads
  std::string name;
  std::string pattern;
  std::vector<MetricTransformation> transformations;
  bool apply_on_transformed_logs = false;
  int64_t created_at_ms = 0;
};

class MetricFilterStore {
 public:
  explicit MetricFilterStore(store::Transaction& tx) : tx_(tx) {}

  // The filters of a group, by name.
  std::vector<MetricFilterRow> for_group(int64_t group_id);
  // The filters of every group of an account and region, by group name then filter name.
  std::vector<MetricFilterRow> for_account(std::string_view account, std::string_view region);
  std::optional<MetricFilterRow> find(int64_t group_id, std::string_view name);
  int64_t count(int64_t group_id);
  // Inserts the filter, or replaces the one of that name (keeping its creation time).
  void put(const MetricFilterRow& row);
  // False when there was no such filter.
  bool remove(int64_t group_id, std::string_view name);

 private:
  store::Transaction& tx_;
};

}  // namespace services::logs
