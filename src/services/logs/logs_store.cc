#include "services/logs/logs_store.h"

#include <algorithm>
#include <boost/json.hpp>

#include "store/statement.h"

namespace services::logs {

namespace json = boost::json;

namespace {

constexpr std::string_view kGroupColumns =
    "g.id, g.account, g.region, g.name, g.created_at_ms, g.retention_days, g.kms_key_id, "
    "g.log_group_class, g.deletion_protection, g.tags, "
    "(SELECT COALESCE(SUM(s.stored_bytes), 0) FROM logs_streams s WHERE s.group_id = g.id)";

GroupRow read_group(const store::Statement& row) {
  GroupRow g;
  g.id = row.int64(0);
  g.account = row.text(1);
  g.region = row.text(2);
  g.name = row.text(3);
  g.created_at_ms = row.int64(4);
  g.retention_days = row.optional_int64(5);
  g.kms_key_id = row.optional_text(6);
  g.log_group_class = row.text(7);
  g.deletion_protection = row.int64(8) != 0;
  json::value tags = json::parse(row.text(9));
  if (tags.is_object()) {
    g.tags = std::move(tags.as_object());
  }
  g.stored_bytes = row.int64(10);
  return g;
}

constexpr std::string_view kStreamColumns =
    "id, group_id, name, created_at_ms, first_event_ms, last_event_ms, last_ingestion_ms, "
    "stored_bytes";

StreamRow read_stream(const store::Statement& row) {
  StreamRow s;
  s.id = row.int64(0);
  s.group_id = row.int64(1);
  s.name = row.text(2);
  s.created_at_ms = row.int64(3);
  s.first_event_ms = row.optional_int64(4);
  s.last_event_ms = row.optional_int64(5);
  s.last_ingestion_ms = row.optional_int64(6);
  s.stored_bytes = row.int64(7);
  return s;
}

EventRow read_event(const store::Statement& row) {
  EventRow e;
  e.key.id = row.int64(0);
  e.key.timestamp_ms = row.int64(1);
  e.stream_id = row.int64(2);
  e.ingestion_ms = row.int64(3);
  e.message = row.text(4);
  return e;
}

std::string sql(std::string_view a, std::string_view b, std::string_view c = {}) {
  std::string s(a);
  s += b;
  s += c;
  return s;
}

}  // namespace

std::optional<GroupRow> LogsStore::group(std::string_view account, std::string_view region,
                                         std::string_view name) {
  static const std::string q = sql("SELECT ", kGroupColumns,
                                   " FROM logs_groups g WHERE g.account = ?1 AND g.region = ?2 "
                                   "AND g.name = ?3");
  std::optional<GroupRow> out;
  tx_.query(
      q, [&](const store::Statement& row) { out = read_group(row); }, account, region, name);
  return out;
}

std::optional<GroupRow> LogsStore::group_by_id(int64_t group_id) {
  static const std::string q = sql("SELECT ", kGroupColumns, " FROM logs_groups g WHERE g.id = ?1");
  std::optional<GroupRow> out;
  tx_.query(
      q, [&](const store::Statement& row) { out = read_group(row); }, group_id);
  return out;
}

int64_t LogsStore::insert_group(const GroupRow& g) {
  tx_.execute(
      "INSERT INTO logs_groups (account, region, name, created_at_ms, retention_days, kms_key_id, "
      "log_group_class, deletion_protection, tags) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
      g.account, g.region, g.name, g.created_at_ms, g.retention_days, g.kms_key_id,
      g.log_group_class, g.deletion_protection ? 1 : 0, json::serialize(g.tags));
  return tx_.last_insert_rowid();
}

void LogsStore::delete_group(int64_t group_id) {
  tx_.execute("DELETE FROM logs_events WHERE group_id = ?1", group_id);
  tx_.execute("DELETE FROM logs_streams WHERE group_id = ?1", group_id);
  tx_.execute("DELETE FROM logs_metric_filters WHERE group_id = ?1", group_id);
  tx_.execute("DELETE FROM logs_groups WHERE id = ?1", group_id);
}

std::vector<GroupRow> LogsStore::groups(std::string_view account, std::string_view region) {
  static const std::string q = sql("SELECT ", kGroupColumns,
                                   " FROM logs_groups g WHERE g.account = ?1 AND g.region = ?2 "
                                   "ORDER BY g.name");
  std::vector<GroupRow> out;
  tx_.query(
      q, [&](const store::Statement& row) { out.push_back(read_group(row)); }, account, region);
  return out;
}

void LogsStore::set_retention(int64_t group_id, std::optional<int64_t> days) {
  tx_.execute("UPDATE logs_groups SET retention_days = ?2 WHERE id = ?1", group_id, days);
}

void LogsStore::set_tags(int64_t group_id, const json::object& tags) {
  tx_.execute("UPDATE logs_groups SET tags = ?2 WHERE id = ?1", group_id, json::serialize(tags));
}

std::vector<int64_t> LogsStore::groups_with_retention() {
  std::vector<int64_t> out;
  tx_.query("SELECT id FROM logs_groups WHERE retention_days IS NOT NULL ORDER BY id",
            [&](const store::Statement& row) { out.push_back(row.int64(0)); });
  return out;
}

std::optional<StreamRow> LogsStore::stream(int64_t group_id, std::string_view name) {
  static const std::string q =
      sql("SELECT ", kStreamColumns, " FROM logs_streams WHERE group_id = ?1 AND name = ?2");
  std::optional<StreamRow> out;
  tx_.query(
      q, [&](const store::Statement& row) { out = read_stream(row); }, group_id, name);
  return out;
}

int64_t LogsStore::insert_stream(int64_t group_id, std::string_view name, int64_t created_at_ms) {
  tx_.execute("INSERT INTO logs_streams (group_id, name, created_at_ms) VALUES (?1, ?2, ?3)",
              group_id, name, created_at_ms);
  return tx_.last_insert_rowid();
}

void LogsStore::delete_stream(int64_t stream_id) {
  tx_.execute("DELETE FROM logs_events WHERE stream_id = ?1", stream_id);
  tx_.execute("DELETE FROM logs_streams WHERE id = ?1", stream_id);
}

std::vector<StreamRow> LogsStore::streams(int64_t group_id) {
  static const std::string q =
      sql("SELECT ", kStreamColumns, " FROM logs_streams WHERE group_id = ?1 ORDER BY name");
  std::vector<StreamRow> out;
  tx_.query(
      q, [&](const store::Statement& row) { out.push_back(read_stream(row)); }, group_id);
  return out;
}

void LogsStore::append(const StreamRow& stream, std::span<const LogEvent> events,
                       int64_t ingestion_ms) {
  if (events.empty()) {
    return;
  }
  int64_t first = events.front().timestamp_ms;
  int64_t last = first;
  int64_t bytes = 0;
  {
    store::Statement insert = tx_.prepare(
        "INSERT INTO logs_events (stream_id, group_id, timestamp_ms, ingestion_ms, message) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    for (const LogEvent& e : events) {
      insert.bind_all(stream.id, stream.group_id, e.timestamp_ms, ingestion_ms, e.message);
      while (insert.step()) {
      }
      insert.reset();
      first = std::min(first, e.timestamp_ms);
      last = std::max(last, e.timestamp_ms);
      bytes += event_size(e.message);
    }
  }
  tx_.execute(
      "UPDATE logs_streams SET first_event_ms = MIN(COALESCE(first_event_ms, ?2), ?2), "
      "last_event_ms = MAX(COALESCE(last_event_ms, ?3), ?3), last_ingestion_ms = ?4, "
      "stored_bytes = stored_bytes + ?5 WHERE id = ?1",
      stream.id, first, last, ingestion_ms, bytes);
}

std::vector<EventRow> LogsStore::stream_events_after(int64_t stream_id, TimeRange range,
                                                     EventKey after, int64_t limit) {
  std::vector<EventRow> out;
  tx_.query(
      "SELECT id, timestamp_ms, stream_id, ingestion_ms, message FROM logs_events "
      "WHERE stream_id = ?1 AND timestamp_ms >= ?2 AND timestamp_ms < ?3 "
      "AND (timestamp_ms > ?4 OR id > ?5) ORDER BY timestamp_ms, id LIMIT ?6",
      [&](const store::Statement& row) { out.push_back(read_event(row)); }, stream_id,
      std::max(range.start_ms, after.timestamp_ms), range.end_ms, after.timestamp_ms, after.id,
      limit);
  return out;
}

std::vector<EventRow> LogsStore::stream_events_before(int64_t stream_id, TimeRange range,
                                                      EventKey before, int64_t limit) {
  std::vector<EventRow> out;
  tx_.query(
      "SELECT id, timestamp_ms, stream_id, ingestion_ms, message FROM logs_events "
      "WHERE stream_id = ?1 AND timestamp_ms >= ?2 AND timestamp_ms <= ?3 "
      "AND (timestamp_ms < ?4 OR id < ?5) ORDER BY timestamp_ms DESC, id DESC LIMIT ?6",
      [&](const store::Statement& row) { out.push_back(read_event(row)); }, stream_id,
      range.start_ms, std::min(range.end_ms - 1, before.timestamp_ms), before.timestamp_ms,
      before.id, limit);
  return out;
}

std::vector<EventRow> LogsStore::group_events_after(int64_t group_id, TimeRange range,
                                                    EventKey after, int64_t limit) {
  std::vector<EventRow> out;
  tx_.query(
      "SELECT e.id, e.timestamp_ms, e.stream_id, e.ingestion_ms, e.message, s.name "
      "FROM logs_events e CROSS JOIN logs_streams s ON s.id = e.stream_id "
      "WHERE e.group_id = ?1 AND e.timestamp_ms >= ?2 AND e.timestamp_ms < ?3 "
      "AND (e.timestamp_ms > ?4 OR e.id > ?5) ORDER BY e.timestamp_ms, e.id LIMIT ?6",
      [&](const store::Statement& row) {
        out.push_back(read_event(row));
        out.back().stream_name = row.text(5);
      },
      group_id, std::max(range.start_ms, after.timestamp_ms), range.end_ms, after.timestamp_ms,
      after.id, limit);
  return out;
}

int64_t LogsStore::delete_events_before(int64_t group_id, int64_t cutoff_ms) {
  std::vector<int64_t> stream_ids;
  tx_.query(
      "SELECT id FROM logs_streams WHERE group_id = ?1 AND first_event_ms < ?2",
      [&](const store::Statement& row) { stream_ids.push_back(row.int64(0)); }, group_id,
      cutoff_ms);
  int64_t deleted = 0;
  for (int64_t id : stream_ids) {
    // Subtract what goes rather than re-summing what stays: a sweep costs the expired rows only.
    int64_t bytes = 0;
    tx_.query(
        "SELECT COALESCE(SUM(LENGTH(CAST(message AS BLOB)) + 26), 0) FROM logs_events "
        "WHERE stream_id = ?1 AND timestamp_ms < ?2",
        [&](const store::Statement& row) { bytes = row.int64(0); }, id, cutoff_ms);
    deleted += tx_.execute("DELETE FROM logs_events WHERE stream_id = ?1 AND timestamp_ms < ?2", id,
                           cutoff_ms);
    tx_.execute(
        "UPDATE logs_streams SET "
        "first_event_ms = (SELECT MIN(timestamp_ms) FROM logs_events WHERE stream_id = ?1), "
        "stored_bytes = MAX(stored_bytes - ?2, 0) WHERE id = ?1",
        id, bytes);
  }
  return deleted;
}

}  // namespace services::logs
