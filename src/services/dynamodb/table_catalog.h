#pragma once
// The tables of every account and region, parsed once and shared: handlers look a table up by
// name on every request, so the catalog keeps each Table until a control-plane change (create,
// update, delete, reset) forgets it.
//
// Call find() and forget() only inside a Transaction of the store: the store's lock orders them
// with the writes that change a table, so a cached Table never outlives its row's change.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "services/dynamodb/ddb_store.h"
#include "services/dynamodb/table.h"

namespace services::dynamodb {

class TableCatalog {
 public:
  // nullptr when the table does not exist.
  std::shared_ptr<const Table> find(DdbStore& st, std::string_view account,
                                    std::string_view region, std::string_view name);
  void forget(std::string_view account, std::string_view region, std::string_view name);
  void clear();

 private:
  static std::string key(std::string_view account, std::string_view region,
                         std::string_view name);

  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const Table>, std::less<>> tables_;
};

}  // namespace services::dynamodb
