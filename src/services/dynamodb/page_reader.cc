#include "services/dynamodb/page_reader.h"

#include <boost/endian/conversion.hpp>
#include <cstring>

#include "services/dynamodb/core/attribute_value.h"
#include "services/dynamodb/errors.h"
#include "services/dynamodb/item_keys.h"
#include "services/dynamodb/item_writer.h"

namespace services::dynamodb {
namespace {

namespace json = boost::json;

// The table key an index row's `u` holds: 4-byte length of h, h, s.
RowKey base_key(const Table& table, const std::string& u) {
  RowKey key;
  key.space = table.space();
  uint32_t n = 0;
  if (u.size() < 4) return key;
  std::memcpy(&n, u.data(), 4);
  n = boost::endian::big_to_native(n);
  key.h = u.substr(4, n);
  key.s = u.substr(4 + n);
  return key;
}

}  // namespace

Page read_page(DdbStore& st, const PageSpec& spec) {
  Page page;
  const KeySchema& schema = spec.index ? spec.index->keys : spec.table->keys;
  st.scan_rows(spec.range, [&](const RowKey& row, const std::string& text) {
    json::object item = parse_stored_item(text);
    if (spec.sort && schema.range) {
      const json::value* v = item.if_contains(schema.range->name);
      if (!v || !spec.sort->matches(*v)) return true;
    }
    std::size_t size = item_size(item);
    page.scanned += 1;
    page.bytes += size;
    if (!spec.filter || spec.filter->empty() || spec.filter->evaluate(item)) {
      page.count += 1;
      if (!spec.count_only) {
        json::object full;
        if (spec.fetch_from_table) {
          if (auto base = read_item(st, base_key(*spec.table, row.u))) full = std::move(*base);
        }
        const json::object& source = spec.fetch_from_table ? full : item;
        bool everything = !spec.projection || spec.projection->paths().empty();
        page.items.push_back(everything ? json::object(source) : spec.projection->apply(source));
      }
    }
    bool full_page = (spec.limit && page.scanned >= *spec.limit) || page.bytes >= kMaxPageBytes;
    if (full_page) page.last_key = key_of(*spec.table, item, spec.index);
    return !full_page;
  });
  return page;
}

RowKey start_row(const Table& table, const Index* index, const json::object& start) {
  try {
    RowKey base = item_row_key(table, start);
    if (!index) return base;
    std::optional<RowKey> key = index_row_key(table, *index, base, start);
    if (!key) throw errors::validation("bad index key");
    return *key;
  } catch (const protocol::AwsError&) {
    throw errors::validation(
        "The provided starting key is invalid: The provided key element does not match the "
        "schema");
  }
}

}  // namespace services::dynamodb
