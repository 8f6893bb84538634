#pragma once
// DynamoDB rows <-> SQL (migrations/0017_dynamodb.sql), inside a caller's Transaction: table rows
// and the one keyed item store (ddb_items) shared by every table and index. Items are JSON text
// in their wire form as the core sees it (B values base64).

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <functional>

#include "store/transaction.h"

namespace services::dynamodb {

struct TableRow {
  int64_t id = 0;
  std::string account;
  std::string region;
  std::string name;
  boost::json::object description;
  boost::json::array tags;
  int64_t created_ms = 0;
  int64_t item_count = 0;
  int64_t size_bytes = 0;
};

// One row's place in ddb_items.
struct RowKey {
  int64_t space = 0;
  std::string h;
  std::string s;
  std::string u;
};

// Rows of one space in key order: one partition (`partition` set: a Query, bounds on s) or the
// whole space (a Scan, bounds on h). Bounds are half-open [lo, hi); `after` resumes past a row.
struct RowRange {
  int64_t space = 0;
  std::optional<std::string> partition;
  std::string lo;
  std::optional<std::string> hi;
  std::optional<RowKey> after;
  bool forward = true;
};

// Gets each row's key and item text; returns false to stop.
using RowVisitor = std::function<bool(const RowKey& key, const std::string& item)>;

class DdbStore {
 public:
  explicit DdbStore(store::Transaction& tx) : tx_(tx) {}
  store::Transaction& transaction() { return tx_; }

  std::optional<TableRow> table(std::string_view account, std::string_view region,
                                std::string_view name);
  // Throws std::system_error(store::errc::unique_constraint) when the name is taken.
  int64_t insert_table(const TableRow& row);
  void update_description(int64_t id, const boost::json::object& description);
  void update_tags(int64_t id, const boost::json::array& tags);
  // Deletes the table row and every item of the table and its indexes.
  void delete_table(int64_t id);
  // Up to `limit` table names of an account and region after `after`, by name.
  std::vector<std::string> names_after(std::string_view account, std::string_view region,
                                       std::string_view after, int64_t limit);
  void add_figures(int64_t id, int64_t items, int64_t bytes);
  // Every table (of any account and region) whose TimeToLive is enabled.
  std::vector<TableRow> tables_with_ttl();
  // Every table of every account and region.
  std::vector<TableRow> all_tables();

  std::optional<std::string> item(const RowKey& key);
  void put_item(const RowKey& key, std::string_view item);
  void delete_item(const RowKey& key);
  // Every row of an index space, and their bytes.
  void delete_space(int64_t space);
  std::pair<int64_t, int64_t> space_figures(int64_t space);
  // Every row of a space, read before `visit` runs (it may write rows).
  void for_each_item(int64_t space, const RowVisitor& visit);
  void scan_rows(const RowRange& range, const RowVisitor& visit);

 private:
  std::vector<TableRow> tables_where(std::string_view condition);

  store::Transaction& tx_;
};

}  // namespace services::dynamodb
