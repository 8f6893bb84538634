#include "services/dynamodb/backup_store.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace services::dynamodb {
namespace {

constexpr std::string_view kColumns =
    "SELECT id, arn, account, region, name, table_name, source, created_ms, item_count, "
    "size_bytes FROM ddb_backups ";

BackupRow read_row(const store::Statement& st) {
  BackupRow r;
  r.id = st.int64(0);
  r.arn = st.text(1);
  r.account = st.text(2);
  r.region = st.text(3);
  r.name = st.text(4);
  r.table_name = st.text(5);
  boost::system::error_code ec;
  boost::json::value source = boost::json::parse(st.text(6), ec);
  if (!ec && source.is_object()) r.source = std::move(source.as_object());
  r.created_ms = st.int64(7);
  r.item_count = st.int64(8);
  r.size_bytes = st.int64(9);
  return r;
}

}  // namespace

int64_t BackupStore::insert(const BackupRow& row, int64_t table_space) {
  tx_.execute(
      "INSERT INTO ddb_backups (arn, account, region, name, table_name, source, created_ms, "
      "item_count, size_bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
      row.arn, row.account, row.region, row.name, row.table_name,
      boost::json::serialize(row.source), row.created_ms, row.item_count, row.size_bytes);
  int64_t id = tx_.last_insert_rowid();
  tx_.execute(
      "INSERT INTO ddb_items (space, h, s, u, item) SELECT ?2, h, s, u, item FROM ddb_items "
      "WHERE space = ?1",
      table_space, backup_space(id));
  return id;
}

std::optional<BackupRow> BackupStore::find(std::string_view account, std::string_view region,
                                           std::string_view arn) {
  std::optional<BackupRow> out;
  tx_.query(std::string(kColumns) + "WHERE account = ?1 AND region = ?2 AND arn = ?3",
            [&](const store::Statement& st) { out = read_row(st); }, account, region, arn);
  return out;
}

std::vector<BackupRow> BackupStore::list(std::string_view account, std::string_view region,
                                         std::string_view table_name, std::string_view after,
                                         int64_t limit) {
  std::vector<BackupRow> out;
  tx_.query(std::string(kColumns) +
                "WHERE account = ?1 AND region = ?2 AND (?3 = '' OR table_name = ?3) "
                "AND arn > ?4 ORDER BY arn LIMIT ?5",
            [&](const store::Statement& st) { out.push_back(read_row(st)); }, account, region,
            table_name, after, limit);
  return out;
}

void BackupStore::erase(int64_t id) {
  tx_.execute("DELETE FROM ddb_items WHERE space = ?1", backup_space(id));
  tx_.execute("DELETE FROM ddb_backups WHERE id = ?1", id);
}

}  // namespace services::dynamodb
