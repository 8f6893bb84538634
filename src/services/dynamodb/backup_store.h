#pragma once
// On-demand backups <-> SQL (ddb_backups of migrations/0017_dynamodb.sql) inside a caller's
// Transaction. A backup's items are ddb_items rows in space backup_space(id): a copy, so the
// source table may change or go without touching it.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/transaction.h"

namespace services::dynamodb {

struct BackupRow {
  int64_t id = 0;
  std::string arn;
  std::string account;
  std::string region;
  std::string name;
  std::string table_name;
  boost::json::object source;  // the table's stored description when the backup was made
  int64_t created_ms = 0;
  int64_t item_count = 0;
  int64_t size_bytes = 0;
};

inline int64_t backup_space(int64_t id) { return -id * 64; }

class BackupStore {
 public:
  explicit BackupStore(store::Transaction& tx) : tx_(tx) {}

  // Inserts the row and copies the items of `table_space` into the backup's space.
  int64_t insert(const BackupRow& row, int64_t table_space);
  std::optional<BackupRow> find(std::string_view account, std::string_view region,
                                std::string_view arn);
  // The account and region's backups (of `table_name` when not empty) with arn > after, by ARN.
  std::vector<BackupRow> list(std::string_view account, std::string_view region,
                              std::string_view table_name, std::string_view after,
                              int64_t limit);
  void erase(int64_t id);

 private:
  store::Transaction& tx_;
};

}  // namespace services::dynamodb
