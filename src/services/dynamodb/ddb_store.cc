#include "services/dynamodb/ddb_store.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace services::dynamodb {
namespace {

boost::json::value parse_or(const std::string& text, boost::json::value fallback) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  return ec ? fallback : v;
}

}  // namespace

std::optional<TableRow> DdbStore::table(std::string_view account, std::string_view region,
                                        std::string_view name) {
  std::optional<TableRow> out;
  tx_.query(
      "SELECT id, description, tags, created_ms, item_count, size_bytes FROM ddb_tables "
      "WHERE account = ?1 AND region = ?2 AND name = ?3",
      [&](const store::Statement& st) {
        TableRow r;
        r.id = st.int64(0);
        r.account = account;
        r.region = region;
        r.name = name;
        boost::json::value d = parse_or(st.text(1), boost::json::object());
        r.description = d.is_object() ? d.as_object() : boost::json::object();
        boost::json::value t = parse_or(st.text(2), boost::json::array());
        r.tags = t.is_array() ? t.as_array() : boost::json::array();
        r.created_ms = st.int64(3);
        r.item_count = st.int64(4);
        r.size_bytes = st.int64(5);
        out = std::move(r);
      },
      account, region, name);
  return out;
}

int64_t DdbStore::insert_table(const TableRow& row) {
  tx_.execute(
      "INSERT INTO ddb_tables (account, region, name, description, tags, created_ms) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
      row.account, row.region, row.name, boost::json::serialize(row.description),
      boost::json::serialize(row.tags), row.created_ms);
  return tx_.last_insert_rowid();
}

void DdbStore::update_description(int64_t id, const boost::json::object& description) {
  tx_.execute("UPDATE ddb_tables SET description = ?2 WHERE id = ?1", id,
              boost::json::serialize(description));
}

void DdbStore::update_tags(int64_t id, const boost::json::array& tags) {
  tx_.execute("UPDATE ddb_tables SET tags = ?2 WHERE id = ?1", id, boost::json::serialize(tags));
}

void DdbStore::delete_table(int64_t id) {
  tx_.execute("DELETE FROM ddb_items WHERE space >= ?1 AND space < ?2", id * 64, id * 64 + 64);
  tx_.execute("DELETE FROM ddb_tables WHERE id = ?1", id);
}

std::vector<std::string> DdbStore::names_after(std::string_view account, std::string_view region,
                                               std::string_view after, int64_t limit) {
  std::vector<std::string> out;
  tx_.query(
      "SELECT name FROM ddb_tables WHERE account = ?1 AND region = ?2 AND name > ?3 "
      "ORDER BY name LIMIT ?4",
      [&](const store::Statement& st) { out.push_back(st.text(0)); }, account, region, after,
      limit);
  return out;
}

void DdbStore::add_figures(int64_t id, int64_t items, int64_t bytes) {
  tx_.execute(
      "UPDATE ddb_tables SET item_count = item_count + ?2, size_bytes = size_bytes + ?3 "
      "WHERE id = ?1",
      id, items, bytes);
}

std::vector<TableRow> DdbStore::tables_with_ttl() {
  return tables_where("json_extract(description, '$.TimeToLive.Enabled') = 1");
}

std::vector<TableRow> DdbStore::all_tables() { return tables_where("1"); }

std::vector<TableRow> DdbStore::tables_where(std::string_view condition) {
  std::vector<TableRow> out;
  tx_.query(
      "SELECT id, account, region, name, description, created_ms FROM ddb_tables WHERE " +
          std::string(condition),
      [&](const store::Statement& st) {
        TableRow r;
        r.id = st.int64(0);
        r.account = st.text(1);
        r.region = st.text(2);
        r.name = st.text(3);
        boost::json::value d = parse_or(st.text(4), boost::json::object());
        r.description = d.is_object() ? d.as_object() : boost::json::object();
        r.created_ms = st.int64(5);
        out.push_back(std::move(r));
      });
  return out;
}

std::optional<std::string> DdbStore::item(const RowKey& key) {
  store::Statement st = tx_.prepare(
      "SELECT item FROM ddb_items WHERE space = ?1 AND h = ?2 AND s = ?3 AND u = ?4");
  st.bind_all(key.space, key.h, key.s, key.u);
  if (!st.step()) return std::nullopt;
  return st.text(0);
}

void DdbStore::put_item(const RowKey& key, std::string_view item) {
  tx_.execute("INSERT OR REPLACE INTO ddb_items (space, h, s, u, item) VALUES (?1, ?2, ?3, ?4, ?5)",
              key.space, key.h, key.s, key.u, item);
}

void DdbStore::delete_item(const RowKey& key) {
  tx_.execute("DELETE FROM ddb_items WHERE space = ?1 AND h = ?2 AND s = ?3 AND u = ?4",
              key.space, key.h, key.s, key.u);
}

void DdbStore::delete_space(int64_t space) {
  tx_.execute("DELETE FROM ddb_items WHERE space = ?1", space);
}

std::pair<int64_t, int64_t> DdbStore::space_figures(int64_t space) {
  std::pair<int64_t, int64_t> out;
  tx_.query("SELECT count(*), coalesce(sum(length(item)), 0) FROM ddb_items WHERE space = ?1",
            [&](const store::Statement& st) { out = {st.int64(0), st.int64(1)}; }, space);
  return out;
}

void DdbStore::for_each_item(int64_t space, const RowVisitor& visit) {
  std::vector<std::pair<RowKey, std::string>> rows;
  tx_.query("SELECT h, s, u, item FROM ddb_items WHERE space = ?1",
            [&](const store::Statement& st) {
              rows.push_back({RowKey{space, st.text(0), st.text(1), st.text(2)}, st.text(3)});
            },
            space);
  for (const auto& [key, item] : rows) {
    if (!visit(key, item)) return;
  }
}

namespace {

// The SQL of one RowRange shape. Parameters: ?1 space, ?2 partition, ?3 lo, ?4 hi, ?5..?7 after.
std::string range_sql(const RowRange& r) {
  bool query = r.partition.has_value();
  std::string sql = "SELECT h, s, u, item FROM ddb_items WHERE space = ?1";
  std::string col = query ? "s" : "h";
  if (query) sql += " AND h = ?2";
  sql += " AND " + col + " >= ?3";
  if (r.hi) sql += " AND " + col + " < ?4";
  if (r.after) {
    std::string cmp = r.forward ? " > " : " < ";
    sql += query ? " AND (s, u)" + cmp + "(?6, ?7)" : " AND (h, s, u)" + cmp + "(?5, ?6, ?7)";
  }
  std::string dir = r.forward ? "" : " DESC";
  sql += query ? " ORDER BY s" + dir + ", u" + dir : " ORDER BY h" + dir + ", s" + dir + ", u" + dir;
  return sql;
}

}  // namespace

void DdbStore::scan_rows(const RowRange& range, const RowVisitor& visit) {
  store::Statement st = tx_.prepare(range_sql(range));
  st.bind(1, range.space);
  if (range.partition) st.bind(2, *range.partition);
  st.bind(3, range.lo);
  if (range.hi) st.bind(4, *range.hi);
  if (range.after) {
    if (!range.partition) st.bind(5, range.after->h);
    st.bind(6, range.after->s);
    st.bind(7, range.after->u);
  }
  while (st.step()) {
    RowKey key{range.space, st.text(0), st.text(1), st.text(2)};
    if (!visit(key, st.text(3))) return;
  }
}

}  // namespace services::dynamodb
