// CloudWatchStore: alarms, alarm history and dashboards (cloudwatch_store.h).

#include <boost/json.hpp>

#include "services/cloudwatch/cloudwatch_store.h"
#include "store/statement.h"

namespace services::cloudwatch {

namespace json = boost::json;

namespace {

constexpr std::string_view kAlarmColumns =
    "SELECT id, account, region, name, definition, actions_enabled, state, state_reason, "
    "state_reason_data, state_updated_ms, state_transitioned_ms, config_updated_ms, tags "
    "FROM cw_alarms ";

json::object parse_object(const std::string& text) {
  json::value v = json::parse(text);
  return v.is_object() ? std::move(v.as_object()) : json::object{};
}

AlarmRow read_alarm(const store::Statement& row) {
  AlarmRow a;
  a.id = row.int64(0);
  a.account = row.text(1);
  a.region = row.text(2);
  a.name = row.text(3);
  a.definition = parse_object(row.text(4));
  a.actions_enabled = row.int64(5) != 0;
  a.state = row.text(6);
  a.state_reason = row.text(7);
  a.state_reason_data = row.optional_text(8);
  a.state_updated_ms = row.int64(9);
  a.state_transitioned_ms = row.int64(10);
  a.config_updated_ms = row.int64(11);
  a.tags = parse_object(row.text(12));
  return a;
}

std::string with(std::string_view head, std::string_view tail) {
  std::string s(head);
  s += tail;
  return s;
}

}  // namespace

std::optional<AlarmRow> CloudWatchStore::alarm(std::string_view account, std::string_view region,
                                               std::string_view name) {
  static const std::string q =
      with(kAlarmColumns, "WHERE account = ?1 AND region = ?2 AND name = ?3");
  std::optional<AlarmRow> out;
  tx_.query(
      q, [&](const store::Statement& row) { out = read_alarm(row); }, account, region, name);
  return out;
}

std::optional<AlarmRow> CloudWatchStore::alarm_by_id(int64_t id) {
  static const std::string q = with(kAlarmColumns, "WHERE id = ?1");
  std::optional<AlarmRow> out;
  tx_.query(
      q, [&](const store::Statement& row) { out = read_alarm(row); }, id);
  return out;
}

std::vector<AlarmRow> CloudWatchStore::alarms(std::string_view account, std::string_view region) {
  static const std::string q =
      with(kAlarmColumns, "WHERE account = ?1 AND region = ?2 ORDER BY name");
  std::vector<AlarmRow> out;
  tx_.query(
      q, [&](const store::Statement& row) { out.push_back(read_alarm(row)); }, account, region);
  return out;
}

std::vector<int64_t> CloudWatchStore::alarm_ids() {
  std::vector<int64_t> out;
  tx_.query("SELECT id FROM cw_alarms ORDER BY id",
            [&](const store::Statement& row) { out.push_back(row.int64(0)); });
  return out;
}

int64_t CloudWatchStore::count_alarms(std::string_view account, std::string_view region) {
  int64_t n = 0;
  tx_.query(
      "SELECT COUNT(*) FROM cw_alarms WHERE account = ?1 AND region = ?2",
      [&](const store::Statement& row) { n = row.int64(0); }, account, region);
  return n;
}

int64_t CloudWatchStore::put_alarm(const AlarmRow& a) {
  std::optional<AlarmRow> old = alarm(a.account, a.region, a.name);
  if (old) {
    tx_.execute(
        "UPDATE cw_alarms SET definition = ?2, actions_enabled = ?3, config_updated_ms = ?4 "
        "WHERE id = ?1",
        old->id, json::serialize(a.definition), a.actions_enabled ? 1 : 0, a.config_updated_ms);
    return old->id;
  }
  tx_.execute(
      "INSERT INTO cw_alarms (account, region, name, definition, actions_enabled, state, "
      "state_reason, state_reason_data, state_updated_ms, state_transitioned_ms, "
      "config_updated_ms, tags) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
      a.account, a.region, a.name, json::serialize(a.definition), a.actions_enabled ? 1 : 0,
      a.state, a.state_reason, a.state_reason_data, a.state_updated_ms, a.state_transitioned_ms,
      a.config_updated_ms, json::serialize(a.tags));
  return tx_.last_insert_rowid();
}

void CloudWatchStore::delete_alarm(int64_t id) {
  tx_.execute("DELETE FROM cw_alarms WHERE id = ?1", id);
}

void CloudWatchStore::set_state(int64_t id, std::string_view state, std::string_view reason,
                                const std::optional<std::string>& reason_data, int64_t now_ms) {
  tx_.execute(
      "UPDATE cw_alarms SET state_transitioned_ms = CASE WHEN state = ?2 THEN "
      "state_transitioned_ms ELSE ?5 END, state = ?2, state_reason = ?3, state_reason_data = ?4, "
      "state_updated_ms = ?5 WHERE id = ?1",
      id, state, reason, reason_data, now_ms);
}

void CloudWatchStore::set_actions_enabled(int64_t id, bool enabled) {
  tx_.execute("UPDATE cw_alarms SET actions_enabled = ?2 WHERE id = ?1", id, enabled ? 1 : 0);
}

void CloudWatchStore::set_tags(int64_t id, const json::object& tags) {
  tx_.execute("UPDATE cw_alarms SET tags = ?2 WHERE id = ?1", id, json::serialize(tags));
}

void CloudWatchStore::add_history(std::string_view account, std::string_view region,
                                  const HistoryRow& h) {
  tx_.execute(
      "INSERT INTO cw_alarm_history (account, region, alarm_name, alarm_type, ts_ms, item_type, "
      "summary, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
      account, region, h.alarm_name, h.alarm_type, h.ts_ms, h.item_type, h.summary, h.data);
}

std::vector<HistoryRow> CloudWatchStore::history(std::string_view account, std::string_view region,
                                                 const HistoryQuery& q) {
  std::vector<HistoryRow> out;
  auto read = [&](const store::Statement& row) {
    out.push_back({row.int64(0), row.text(1), row.text(2), row.int64(3), row.text(4), row.text(5),
                   row.text(6)});
  };
  constexpr std::string_view kWhere =
      "SELECT id, alarm_name, alarm_type, ts_ms, item_type, summary, data FROM cw_alarm_history "
      "WHERE account = ?1 AND region = ?2 AND (?3 IS NULL OR alarm_name = ?3) AND (?4 IS NULL OR "
      "item_type = ?4) AND ts_ms >= ?5 AND ts_ms <= ?6 ";
  if (q.ascending) {
    static const std::string sql = with(kWhere, "AND id > ?7 ORDER BY id LIMIT ?8");
    tx_.query(sql, read, account, region, q.alarm_name, q.item_type, q.start_ms, q.end_ms,
              q.after_id.value_or(0), q.limit);
  } else {
    static const std::string sql = with(kWhere, "AND id < ?7 ORDER BY id DESC LIMIT ?8");
    tx_.query(sql, read, account, region, q.alarm_name, q.item_type, q.start_ms, q.end_ms,
              q.after_id.value_or(INT64_MAX), q.limit);
  }
  return out;
}

void CloudWatchStore::delete_history(std::string_view account, std::string_view region,
                                     std::string_view alarm_name) {
  tx_.execute("DELETE FROM cw_alarm_history WHERE account = ?1 AND region = ?2 AND alarm_name = ?3",
              account, region, alarm_name);
}

void CloudWatchStore::put_dashboard(std::string_view account, std::string_view region,
                                    const DashboardRow& d) {
  tx_.execute(
      "INSERT INTO cw_dashboards (account, region, name, body, modified_ms) VALUES (?1, ?2, ?3, "
      "?4, ?5) ON CONFLICT (account, region, name) DO UPDATE SET body = ?4, modified_ms = ?5",
      account, region, d.name, d.body, d.modified_ms);
}

std::optional<DashboardRow> CloudWatchStore::dashboard(std::string_view account,
                                                       std::string_view region,
                                                       std::string_view name) {
  std::optional<DashboardRow> out;
  tx_.query(
      "SELECT name, body, modified_ms FROM cw_dashboards WHERE account = ?1 AND region = ?2 AND "
      "name = ?3",
      [&](const store::Statement& row) {
        out = DashboardRow{row.text(0), row.text(1), row.int64(2)};
      },
      account, region, name);
  return out;
}

std::vector<DashboardRow> CloudWatchStore::dashboards(std::string_view account,
                                                      std::string_view region) {
  std::vector<DashboardRow> out;
  tx_.query(
      "SELECT name, body, modified_ms FROM cw_dashboards WHERE account = ?1 AND region = ?2 "
      "ORDER BY name",
      [&](const store::Statement& row) {
        out.push_back({row.text(0), row.text(1), row.int64(2)});
      },
      account, region);
  return out;
}

void CloudWatchStore::delete_dashboard(std::string_view account, std::string_view region,
                                       std::string_view name) {
  tx_.execute("DELETE FROM cw_dashboards WHERE account = ?1 AND region = ?2 AND name = ?3", account,
              region, name);
}

}  // namespace services::cloudwatch
