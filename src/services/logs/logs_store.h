#pragma once
// CloudWatch Logs rows <-> SQL (tables of migrations/0005_logs.sql), inside a caller's
// Transaction. Plain structs in, plain structs out; the wire shapes live in the handlers.
//
// Events are ordered by EventKey (timestamp, then id), the order GetLogEvents and
// FilterLogEvents return them in; paging tokens and eventIds encode an EventKey.

#include <boost/json/object.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "services/logs/log_sink.h"
#include "store/transaction.h"

namespace services::logs {

struct GroupRow {
  int64_t id = 0;
  std::string account;
  std::string region;
  std::string name;
  int64_t created_at_ms = 0;
  std::optional<int64_t> retention_days;
  std::optional<std::string> kms_key_id;
  std::string log_group_class = "STANDARD";
  bool deletion_protection = false;
  boost::json::object tags;
  int64_t stored_bytes = 0;  // sum over its streams; read-only
};

struct StreamRow {
  int64_t id = 0;
  int64_t group_id = 0;
  std::string name;
  int64_t created_at_ms = 0;
  std::optional<int64_t> first_event_ms;
  std::optional<int64_t> last_event_ms;
  std::optional<int64_t> last_ingestion_ms;
  int64_t stored_bytes = 0;
};

struct EventKey {
  int64_t timestamp_ms = 0;
  int64_t id = 0;
  static EventKey min() { return {std::numeric_limits<int64_t>::min(), 0}; }
  static EventKey max() {
    return {std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::max()};
  }
  auto operator<=>(const EventKey&) const = default;
};

struct EventRow {
  EventKey key;
  int64_t stream_id = 0;
  std::string stream_name;  // filled by group_events_after only
  int64_t ingestion_ms = 0;
  std::string message;
};

// [start_ms, end_ms): CloudWatch's startTime is inclusive, endTime exclusive.
struct TimeRange {
  int64_t start_ms = std::numeric_limits<int64_t>::min();
  int64_t end_ms = std::numeric_limits<int64_t>::max();
};

// The bytes an event counts for in batch limits and storedBytes: its UTF-8 message plus 26.
inline int64_t event_size(std::string_view message) {
  return static_cast<int64_t>(message.size()) + 26;
}

class LogsStore {
 public:
  explicit LogsStore(store::Transaction& tx) : tx_(tx) {}

  std::optional<GroupRow> group(std::string_view account, std::string_view region,
                                std::string_view name);
  // Throws std::system_error(store::errc::unique_constraint) when the name is taken.
  int64_t insert_group(const GroupRow& group);
  // Deletes the group with its streams, events and metric filters.
  void delete_group(int64_t group_id);
  // Groups of one account and region, by name.
  std::vector<GroupRow> groups(std::string_view account, std::string_view region);
  void set_retention(int64_t group_id, std::optional<int64_t> days);
  void set_tags(int64_t group_id, const boost::json::object& tags);
  // (id) of every group with a retention policy, for the retention reconciler.
  std::vector<int64_t> groups_with_retention();
  std::optional<GroupRow> group_by_id(int64_t group_id);

  std::optional<StreamRow> stream(int64_t group_id, std::string_view name);
  // Throws std::system_error(store::errc::unique_constraint) when the name is taken.
  int64_t insert_stream(int64_t group_id, std::string_view name, int64_t created_at_ms);
  void delete_stream(int64_t stream_id);
  // Streams of a group, by name.
  std::vector<StreamRow> streams(int64_t group_id);

  // Inserts events (any order) into a stream and updates its first/last event time, last
  // ingestion time and stored bytes.
  void append(const StreamRow& stream, std::span<const LogEvent> events, int64_t ingestion_ms);

  // Up to `limit` events of one stream inside `range` with key > after, ascending.
  std::vector<EventRow> stream_events_after(int64_t stream_id, TimeRange range, EventKey after,
                                            int64_t limit);
  // Up to `limit` events of one stream inside `range` with key < before, newest first.
  std::vector<EventRow> stream_events_before(int64_t stream_id, TimeRange range, EventKey before,
                                             int64_t limit);
  // Up to `limit` events of every stream of a group inside `range` with key > after, ascending,
  // with stream_name filled.
  std::vector<EventRow> group_events_after(int64_t group_id, TimeRange range, EventKey after,
                                           int64_t limit);

  // Deletes the group's events older than cutoff_ms and recomputes its streams' statistics.
  // Returns how many events went.
  int64_t delete_events_before(int64_t group_id, int64_t cutoff_ms);

 private:
  store::Transaction& tx_;
};

}  // namespace services::logs
