#include "services/dynamodb/streams/stream_store.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace services::dynamodb::streams {
namespace {

namespace json = boost::json;

constexpr std::string_view kColumns =
    "id, arn, account, region, table_name, table_id, label, view_type, key_schema, status, "
    "created_ms, disabled_ms, shard_id, start_seq, end_seq, trimmed_seq";

StreamRow read_row(const store::Statement& st) {
  StreamRow r;
  r.id = st.int64(0);
  r.arn = st.text(1);
  r.account = st.text(2);
  r.region = st.text(3);
  r.table_name = st.text(4);
  r.table_id = st.optional_int64(5);
  r.label = st.text(6);
  r.view_type = st.text(7);
  boost::system::error_code ec;
  json::value keys = json::parse(st.text(8), ec);
  if (!ec && keys.is_array()) r.key_schema = std::move(keys.as_array());
  r.status = st.text(9);
  r.created_ms = st.int64(10);
  r.disabled_ms = st.optional_int64(11);
  r.shard_id = st.text(12);
  r.start_seq = st.int64(13);
  r.end_seq = st.optional_int64(14);
  r.trimmed_seq = st.int64(15);
  return r;
}

std::string select(std::string_view where) {
  return "SELECT " + std::string(kColumns) + " FROM ddb_streams WHERE " + std::string(where);
}

}  // namespace

std::optional<StreamRow> StreamStore::by_arn(std::string_view arn) {
  std::optional<StreamRow> out;
  tx_.query(
      select("arn = ?1"), [&](const store::Statement& st) { out = read_row(st); }, arn);
  return out;
}

std::optional<std::pair<int64_t, std::string>> StreamStore::enabled_stream(int64_t table_id) {
  std::optional<std::pair<int64_t, std::string>> out;
  tx_.query(
      "SELECT id, view_type FROM ddb_streams WHERE table_id = ?1 AND status = 'ENABLED'",
      [&](const store::Statement& st) { out.emplace(st.int64(0), st.text(1)); }, table_id);
  return out;
}

void StreamStore::insert(const StreamRow& r) {
  tx_.execute(
      "INSERT INTO ddb_streams (arn, account, region, table_name, table_id, label, view_type, "
      "key_schema, status, created_ms, shard_id, start_seq) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
      r.arn, r.account, r.region, r.table_name, r.table_id, r.label, r.view_type,
      json::serialize(r.key_schema), r.status, r.created_ms, r.shard_id, r.start_seq);
}

void StreamStore::disable_for_table(int64_t table_id, int64_t now_ms, bool table_gone) {
  // The shard closes at its last record (one that never had a record ends just before it
  // started): a reader that reaches it has read everything.
  tx_.execute(
      "UPDATE ddb_streams SET status = 'DISABLED', disabled_ms = ?2, end_seq = max("
      "coalesce((SELECT max(seq) FROM ddb_stream_records r WHERE r.stream_id = ddb_streams.id), "
      "0), trimmed_seq, start_seq - 1) WHERE table_id = ?1 AND status = 'ENABLED'",
      table_id, now_ms);
  if (table_gone) {
    tx_.execute("UPDATE ddb_streams SET table_id = NULL WHERE table_id = ?1", table_id);
  }
}

std::vector<StreamRow> StreamStore::list(std::string_view account, std::string_view region,
                                         const std::optional<std::string>& table_name,
                                         int64_t after_id, int64_t limit) {
  std::vector<StreamRow> out;
  tx_.query(
      select("account = ?1 AND region = ?2 AND (?3 IS NULL OR table_name = ?3) AND id > ?4 "
             "ORDER BY id LIMIT ?5"),
      [&](const store::Statement& st) { out.push_back(read_row(st)); }, account, region, table_name,
      after_id, limit);
  return out;
}

int64_t StreamStore::last_seq() {
  int64_t out = 0;
  tx_.query("SELECT seq FROM sqlite_sequence WHERE name = 'ddb_stream_records'",
            [&](const store::Statement& st) { out = st.int64(0); });
  return out;
}

int64_t StreamStore::last_seq_of(int64_t stream_id) {
  int64_t out = 0;
  tx_.query(
      "SELECT coalesce(max(seq), 0) FROM ddb_stream_records WHERE stream_id = ?1",
      [&](const store::Statement& st) { out = st.int64(0); }, stream_id);
  return out;
}

int64_t StreamStore::append(int64_t stream_id, int64_t created_ms, std::string_view record) {
  tx_.execute("INSERT INTO ddb_stream_records (stream_id, created_ms, record) VALUES (?1, ?2, ?3)",
              stream_id, created_ms, record);
  return tx_.last_insert_rowid();
}

std::vector<StoredRecord> StreamStore::records_after(int64_t stream_id, int64_t after,
                                                     int64_t limit) {
  std::vector<StoredRecord> out;
  tx_.query(
      "SELECT seq, created_ms, record FROM ddb_stream_records WHERE stream_id = ?1 AND seq > ?2 "
      "ORDER BY seq LIMIT ?3",
      [&](const store::Statement& st) {
        out.push_back(StoredRecord{st.int64(0), st.int64(1), st.text(2)});
      },
      stream_id, after, limit);
  return out;
}

int64_t StreamStore::trim(int64_t cutoff_ms) {
  tx_.execute(
      "UPDATE ddb_streams SET trimmed_seq = (SELECT max(seq) FROM ddb_stream_records r "
      "WHERE r.stream_id = ddb_streams.id AND r.created_ms < ?1) "
      "WHERE EXISTS (SELECT 1 FROM ddb_stream_records r WHERE r.stream_id = ddb_streams.id "
      "AND r.created_ms < ?1)",
      cutoff_ms);
  int64_t removed = tx_.execute("DELETE FROM ddb_stream_records WHERE created_ms < ?1", cutoff_ms);
  removed += tx_.execute(
      "DELETE FROM ddb_stream_records WHERE stream_id IN "
      "(SELECT id FROM ddb_streams WHERE disabled_ms < ?1)",
      cutoff_ms);
  tx_.execute("DELETE FROM ddb_streams WHERE disabled_ms < ?1", cutoff_ms);
  return removed;
}

}  // namespace services::dynamodb::streams
