// CloudWatchStore: metrics and datapoints (cloudwatch_store.h).

#include <boost/json.hpp>

#include "services/cloudwatch/cloudwatch_store.h"
#include "store/statement.h"

namespace services::cloudwatch {

namespace json = boost::json;

namespace {

std::string values_text(const Sample& s) {
  if (s.values.empty()) {
    return {};
  }
  json::array a;
  for (const auto& [v, c] : s.values) {
    a.push_back(json::array{v, c});
  }
  return json::serialize(a);
}

std::vector<std::pair<double, double>> parse_values(const std::optional<std::string>& text) {
  std::vector<std::pair<double, double>> out;
  if (!text || text->empty()) {
    return out;
  }
  json::value v = json::parse(*text);
  for (const json::value& p : v.as_array()) {
    const json::array& pair = p.as_array();
    out.emplace_back(pair.at(0).to_number<double>(), pair.at(1).to_number<double>());
  }
  return out;
}

// Columns: ts_ms, resolution_s, unit, sample_count, sum, minimum, maximum, vals.
Sample read_sample(const store::Statement& row, int first) {
  Sample s;
  s.ts_ms = row.int64(first);
  s.resolution_s = static_cast<int>(row.int64(first + 1));
  s.unit = row.text(first + 2);
  s.count = row.real(first + 3);
  s.sum = row.real(first + 4);
  s.min = row.real(first + 5);
  s.max = row.real(first + 6);
  s.values = parse_values(row.optional_text(first + 7));
  return s;
}

}  // namespace

std::string dimensions_key(const Dimensions& dims) {
  json::array a;
  for (const Dimension& d : dims) {
    a.push_back(json::array{json::string(d.name), json::string(d.value)});
  }
  return json::serialize(a);
}

Dimensions parse_dimensions_key(std::string_view text) {
  Dimensions out;
  json::value v = json::parse(text);
  for (const json::value& p : v.as_array()) {
    const json::array& pair = p.as_array();
    out.push_back({std::string(pair.at(0).as_string()), std::string(pair.at(1).as_string())});
  }
  return out;
}

int64_t CloudWatchStore::upsert_metric(std::string_view account, std::string_view region,
                                       std::string_view ns, std::string_view name,
                                       const Dimensions& dims, int64_t put_ms) {
  std::string key = dimensions_key(dims);
  std::optional<int64_t> id = metric_id(account, region, ns, name, dims);
  if (id) {
    tx_.execute("UPDATE cw_metrics SET last_put_ms = MAX(last_put_ms, ?2) WHERE id = ?1", *id,
                put_ms);
    return *id;
  }
  tx_.execute(
      "INSERT INTO cw_metrics (account, region, namespace, name, dimensions, last_put_ms) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
      account, region, ns, name, key, put_ms);
  return tx_.last_insert_rowid();
}

std::optional<int64_t> CloudWatchStore::metric_id(std::string_view account, std::string_view region,
                                                  std::string_view ns, std::string_view name,
                                                  const Dimensions& dims) {
  std::optional<int64_t> out;
  tx_.query(
      "SELECT id FROM cw_metrics WHERE account = ?1 AND region = ?2 AND namespace = ?3 AND "
      "name = ?4 AND dimensions = ?5",
      [&](const store::Statement& row) { out = row.int64(0); }, account, region, ns, name,
      dimensions_key(dims));
  return out;
}

std::vector<MetricRow> CloudWatchStore::metrics(std::string_view account, std::string_view region,
                                                const std::optional<std::string>& ns,
                                                const std::optional<std::string>& name,
                                                int64_t active_since_ms, int64_t after_id,
                                                int64_t limit) {
  std::vector<MetricRow> out;
  tx_.query(
      "SELECT id, namespace, name, dimensions, last_put_ms FROM cw_metrics WHERE account = ?1 "
      "AND region = ?2 AND (?3 IS NULL OR namespace = ?3) AND (?4 IS NULL OR name = ?4) AND "
      "last_put_ms >= ?5 AND id > ?6 ORDER BY id LIMIT ?7",
      [&](const store::Statement& row) {
        out.push_back({row.int64(0), row.text(1), row.text(2), parse_dimensions_key(row.text(3)),
                       row.int64(4)});
      },
      account, region, ns, name, active_since_ms, after_id, limit);
  return out;
}

void CloudWatchStore::insert_sample(int64_t metric_id, const Sample& s) {
  std::string vals = values_text(s);
  tx_.execute(
      "INSERT INTO cw_datapoints (metric_id, ts_ms, resolution_s, unit, sample_count, sum, "
      "minimum, maximum, vals) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
      metric_id, s.ts_ms, s.resolution_s, s.unit, s.count, s.sum, s.min, s.max,
      vals.empty() ? std::optional<std::string>() : std::optional<std::string>(vals));
}

std::vector<Sample> CloudWatchStore::samples(int64_t metric_id, int64_t start_ms, int64_t end_ms) {
  std::vector<Sample> out;
  tx_.query(
      "SELECT ts_ms, resolution_s, unit, sample_count, sum, minimum, maximum, vals FROM "
      "cw_datapoints WHERE metric_id = ?1 AND ts_ms >= ?2 AND ts_ms < ?3 ORDER BY ts_ms",
      [&](const store::Statement& row) { out.push_back(read_sample(row, 0)); }, metric_id, start_ms,
      end_ms);
  return out;
}

std::vector<StoredSample> CloudWatchStore::samples_finer_than(int resolution_s, int64_t cutoff_ms,
                                                              int64_t limit) {
  std::vector<StoredSample> out;
  tx_.query(
      "SELECT id, metric_id, ts_ms, resolution_s, unit, sample_count, sum, minimum, maximum, vals "
      "FROM cw_datapoints WHERE resolution_s < ?1 AND ts_ms < ?2 LIMIT ?3",
      [&](const store::Statement& row) {
        out.push_back({row.int64(0), row.int64(1), read_sample(row, 2)});
      },
      resolution_s, cutoff_ms, limit);
  return out;
}

void CloudWatchStore::delete_sample(int64_t id) {
  tx_.execute("DELETE FROM cw_datapoints WHERE id = ?1", id);
}

int64_t CloudWatchStore::delete_samples_before(int64_t cutoff_ms) {
  return tx_.execute("DELETE FROM cw_datapoints WHERE ts_ms < ?1", cutoff_ms);
}

}  // namespace services::cloudwatch
