#include "services/dynamodb/item_writer.h"

#include <boost/json/serialize.hpp>

#include "services/dynamodb/core/attribute_value.h"
#include "services/dynamodb/errors.h"
#include "services/dynamodb/item_keys.h"

namespace services::dynamodb {
namespace {

namespace json = boost::json;

void check_index_key(const Index& index, const KeyAttr& key, const json::object& item) {
  const json::value* v = item.if_contains(key.name);
  if (!v) return;
  std::string_view actual = type_of(*v);
  if (actual != key.type) {
    throw errors::invalid("Type mismatch for Index Key " + key.name + " Expected: " + key.type +
                          " Actual: " + std::string(actual) + " IndexName: " + index.name);
  }
  const json::value& inner = v->as_object().begin()->value();
  if (inner.is_string() && inner.as_string().empty()) {
    throw errors::validation(
        "One or more parameter values are not valid. A value specified for a secondary index "
        "key is not supported. The AttributeValue for a key attribute cannot contain an empty "
        "string value. IndexName: " + index.name + ", IndexKey: " + key.name);
  }
}

}  // namespace

std::optional<json::object> read_item(DdbStore& st, const RowKey& key) {
  std::optional<std::string> text = st.item(key);
  if (!text) return std::nullopt;
  return parse_stored_item(*text);
}

void check_index_keys(const Table& table, const json::object& item) {
  for (const Index& index : table.indexes) {
    for (const auto& attrs : {index.keys.hashes(), index.keys.ranges()}) {
      for (const KeyAttr* key : attrs) check_index_key(index, *key, item);
    }
  }
}

Consumed write_item(DdbStore& st, const Table& table, const RowKey& key,
                    const json::object* old_item, const json::object* new_item,
                    const streams::ChangeOrigin& origin) {
  Consumed cost;
  for (const Index& index : table.indexes) {
    std::optional<RowKey> old_key =
        old_item ? index_row_key(table, index, key, *old_item) : std::nullopt;
    std::optional<RowKey> new_key =
        new_item ? index_row_key(table, index, key, *new_item) : std::nullopt;
    std::size_t bytes = 0;
    if (old_key && (!new_key || old_key->h != new_key->h || old_key->s != new_key->s)) {
      st.delete_item(*old_key);
      bytes = item_size(project_for_index(table, index, *old_item));
    }
    if (new_key) {
      json::object projected = project_for_index(table, index, *new_item);
      bytes = std::max(bytes, item_size(projected));
      st.put_item(*new_key, json::serialize(projected));
    }
    if (old_key || new_key) {
      (index.global ? cost.global_indexes : cost.local_indexes)[index.name] = write_units(bytes);
    }
  }
  int64_t items = 0;
  int64_t bytes = 0;
  if (old_item) {
    items -= 1;
    bytes -= static_cast<int64_t>(item_size(*old_item));
  }
  if (new_item) {
    items += 1;
    bytes += static_cast<int64_t>(item_size(*new_item));
    st.put_item(key, json::serialize(*new_item));
  } else if (old_item) {
    st.delete_item(key);
  }
  if (items != 0 || bytes != 0) st.add_figures(table.id, items, bytes);
  streams::record_change(st.transaction(), table, old_item, new_item, origin);
  std::size_t largest = std::max(old_item ? item_size(*old_item) : 0,
                                 new_item ? item_size(*new_item) : 0);
  cost.table = write_units(largest);
  return cost;
}

void backfill_index(DdbStore& st, const Table& table, const Index& index) {
  st.for_each_item(table.space(), [&](const RowKey& key, const std::string& text) {
    json::object item = parse_stored_item(text);
    if (std::optional<RowKey> ik = index_row_key(table, index, key, item)) {
      st.put_item(*ik, json::serialize(project_for_index(table, index, item)));
    }
    return true;
  });
}

}  // namespace services::dynamodb
