#include "services/logs/metric_filter_store.h"

#include <boost/json.hpp>

#include "services/logs/metric_filter_json.h"
#include "store/statement.h"

namespace services::logs {

namespace json = boost::json;

namespace {

constexpr std::string_view kColumns =
    "SELECT f.group_id, g.name, f.name, f.pattern, f.transformations, "
    "f.apply_on_transformed_logs, f.created_at_ms "
    "FROM logs_metric_filters f JOIN logs_groups g ON g.id = f.group_id ";

MetricFilterRow read_filter(const store::Statement& row) {
  MetricFilterRow f;
  f.group_id = row.int64(0);
  f.group_name = row.text(1);
  f.name = row.text(2);
  f.pattern = row.text(3);
  json::value ts = json::parse(row.text(4));
  if (ts.is_array()) {
    f.transformations = transformations_from_json(ts.as_array());
  }
  f.apply_on_transformed_logs = row.int64(5) != 0;
  f.created_at_ms = row.int64(6);
  return f;
}

}  // namespace

std::vector<MetricFilterRow> MetricFilterStore::for_group(int64_t group_id) {
  static const std::string q =
      std::string(kColumns) + "WHERE f.group_id = ?1 ORDER BY f.name";
  std::vector<MetricFilterRow> out;
  tx_.query(q, [&](const store::Statement& row) { out.push_back(read_filter(row)); }, group_id);
  return out;
}

std::vector<MetricFilterRow> MetricFilterStore::for_account(std::string_view account,
                                                            std::string_view region) {
  static const std::string q = std::string(kColumns) +
                               "WHERE g.account = ?1 AND g.region = ?2 ORDER BY g.name, f.name";
  std::vector<MetricFilterRow> out;
  tx_.query(
      q, [&](const store::Statement& row) { out.push_back(read_filter(row)); }, account, region);
  return out;
}

std::optional<MetricFilterRow> MetricFilterStore::find(int64_t group_id, std::string_view name) {
  static const std::string q = std::string(kColumns) + "WHERE f.group_id = ?1 AND f.name = ?2";
  std::optional<MetricFilterRow> out;
  tx_.query(q, [&](const store::Statement& row) { out = read_filter(row); }, group_id, name);
  return out;
}

int64_t MetricFilterStore::count(int64_t group_id) {
  int64_t n = 0;
  tx_.query(
      "SELECT COUNT(*) FROM logs_metric_filters WHERE group_id = ?1",
      [&](const store::Statement& row) { n = row.int64(0); }, group_id);
  return n;
}

void MetricFilterStore::put(const MetricFilterRow& row) {
  tx_.execute(
      "INSERT INTO logs_metric_filters (group_id, name, pattern, transformations, "
      "apply_on_transformed_logs, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
      "ON CONFLICT (group_id, name) DO UPDATE SET pattern = excluded.pattern, "
      "transformations = excluded.transformations, "
      "apply_on_transformed_logs = excluded.apply_on_transformed_logs",
      row.group_id, row.name, row.pattern, json::serialize(transformations_json(row.transformations)),
      row.apply_on_transformed_logs ? 1 : 0, row.created_at_ms);
}

bool MetricFilterStore::remove(int64_t group_id, std::string_view name) {
  return tx_.execute("DELETE FROM logs_metric_filters WHERE group_id = ?1 AND name = ?2", group_id,
                     name) > 0;
}

}  // namespace services::logs
