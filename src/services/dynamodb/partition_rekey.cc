#include "services/dynamodb/partition_rekey.h"

#include <string>
#include <vector>

#include "core/log.h"
#include "services/dynamodb/core/attribute_value.h"
#include "services/dynamodb/ddb_store.h"
#include "services/dynamodb/item_keys.h"
#include "services/dynamodb/item_writer.h"
#include "services/dynamodb/table_json.h"

namespace services::dynamodb {

void rekey_partitions(store::Db& db) {
  store::Transaction tx = db.begin();
  bool pending = false;
  tx.query("SELECT 1 FROM ddb_settings WHERE name = 'rekey_partitions'",
           [&](const store::Statement&) { pending = true; });
  if (!pending) return;
  DdbStore st(tx);
  std::size_t tables = 0;
  std::size_t items = 0;
  for (TableRow& row : st.all_tables()) {
    Table table = table_from_description(row.id, row.account, row.region, row.created_ms,
                                         std::move(row.description));
    std::vector<std::string> texts;
    st.for_each_item(table.space(), [&](const RowKey&, const std::string& text) {
      texts.push_back(text);
      return true;
    });
    st.delete_space(table.space());
    for (const Index& index : table.indexes) st.delete_space(table.space() + index.slot);
    for (const std::string& text : texts) {
      st.put_item(item_row_key(table, parse_stored_item(text)), text);
    }
    for (const Index& index : table.indexes) backfill_index(st, table, index);
    ++tables;
    items += texts.size();
  }
  tx.exec("DELETE FROM ddb_settings WHERE name = 'rekey_partitions'");
  tx.commit();
  core::log::info("dynamodb rows rewritten under DynamoDB's partition hash",
                  {{"tables", std::to_string(tables)}, {"items", std::to_string(items)}});
}

}  // namespace services::dynamodb
