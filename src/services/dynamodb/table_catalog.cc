#include "services/dynamodb/table_catalog.h"

#include "services/dynamodb/table_json.h"

namespace services::dynamodb {

std::string TableCatalog::key(std::string_view account, std::string_view region,
                              std::string_view name) {
  std::string k;
  k.reserve(account.size() + region.size() + name.size() + 2);
  k.append(account).push_back('\n');
  k.append(region).push_back('\n');
  k.append(name);
  return k;
}

std::shared_ptr<const Table> TableCatalog::find(DdbStore& st, std::string_view account,
                                                std::string_view region, std::string_view name) {
  std::string k = key(account, region, name);
  {
    std::lock_guard lock(mutex_);
    auto it = tables_.find(k);
    if (it != tables_.end()) return it->second;
  }
  std::optional<TableRow> row = st.table(account, region, name);
  if (!row) return nullptr;
  auto table = std::make_shared<const Table>(table_from_description(
      row->id, row->account, row->region, row->created_ms, std::move(row->description)));
  std::lock_guard lock(mutex_);
  tables_[k] = table;
  return table;
}

void TableCatalog::forget(std::string_view account, std::string_view region,
                          std::string_view name) {
  std::lock_guard lock(mutex_);
  tables_.erase(key(account, region, name));
}

void TableCatalog::clear() {
  std::lock_guard lock(mutex_);
  tables_.clear();
}

}  // namespace services::dynamodb
