#include "services/dynamodb/item_keys.h"

#include <boost/endian/conversion.hpp>
#include <cstring>

#include "services/dynamodb/core/attribute_value.h"
#include "services/dynamodb/errors.h"

namespace services::dynamodb {
namespace {

namespace json = boost::json;

// FNV-1a with a splitmix64 finalizer: stable across builds and machines (the rows keep it).
uint64_t hash64(std::string_view bytes) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

std::string length_prefixed(std::string_view a, std::string_view b) {
  std::string out(4, '\0');
  uint32_t n = boost::endian::native_to_big(static_cast<uint32_t>(a.size()));
  std::memcpy(out.data(), &n, 4);
  out.append(a);
  out.append(b);
  return out;
}

bool has_type(const json::value& v, std::string_view type) {
  const json::object* o = v.if_object();
  return o && o->size() == 1 && o->begin()->key() == type;
}

}  // namespace

std::string partition_hash(std::string_view order_bytes) {
  uint64_t h = boost::endian::native_to_big(hash64(order_bytes));
  return std::string(reinterpret_cast<const char*>(&h), 8);
}

std::string partition_bytes(const json::value& value) {
  std::string key = order_key(value);
  return partition_hash(key) + key;
}

RowKey item_row_key(const Table& table, const json::object& item) {
  RowKey out;
  out.space = table.space();
  const json::value* h = item.if_contains(table.keys.hash.name);
  if (!h) throw errors::invalid("Missing the key " + table.keys.hash.name + " in the item");
  check_key_value(table.keys.hash.name, *h, table.keys.hash.type, KeyRole::Partition);
  out.h = partition_bytes(*h);
  if (table.keys.range) {
    const json::value* s = item.if_contains(table.keys.range->name);
    if (!s) throw errors::invalid("Missing the key " + table.keys.range->name + " in the item");
    check_key_value(table.keys.range->name, *s, table.keys.range->type, KeyRole::Sort);
    out.s = order_key(*s);
  }
  return out;
}

RowKey key_row_key(const Table& table, const json::object& key) {
  std::size_t expected = table.keys.range ? 2 : 1;
  bool shaped = key.size() == expected && key.contains(table.keys.hash.name) &&
                (!table.keys.range || key.contains(table.keys.range->name));
  if (!shaped) throw errors::validation("The provided key element does not match the schema");
  auto typed = [](const json::value& v, const std::string& type) { return has_type(v, type); };
  if (!typed(key.at(table.keys.hash.name), table.keys.hash.type) ||
      (table.keys.range && !typed(key.at(table.keys.range->name), table.keys.range->type))) {
    throw errors::validation("The provided key element does not match the schema");
  }
  return item_row_key(table, key);
}

std::optional<RowKey> index_row_key(const Table& table, const Index& index, const RowKey& base,
                                    const json::object& item) {
  const json::value* h = item.if_contains(index.keys.hash.name);
  if (!h || !has_type(*h, index.keys.hash.type)) return std::nullopt;
  RowKey out;
  out.space = table.space() + index.slot;
  out.h = partition_bytes(*h);
  if (index.keys.range) {
    const json::value* s = item.if_contains(index.keys.range->name);
    if (!s || !has_type(*s, index.keys.range->type)) return std::nullopt;
    out.s = order_key(*s);
  }
  out.u = length_prefixed(base.h, base.s);
  return out;
}

json::object key_of(const Table& table, const json::object& item, const Index* index) {
  json::object out;
  auto add = [&](const KeySchema& keys) {
    if (const json::value* v = item.if_contains(keys.hash.name)) out[keys.hash.name] = *v;
    if (keys.range) {
      if (const json::value* v = item.if_contains(keys.range->name)) out[keys.range->name] = *v;
    }
  };
  add(table.keys);
  if (index) add(index->keys);
  return out;
}

json::object project_for_index(const Table& table, const Index& index, const json::object& item) {
  if (index.projection == "ALL") return item;
  json::object out = key_of(table, item, &index);
  for (const std::string& name : index.non_key) {
    if (const json::value* v = item.if_contains(name)) out[name] = *v;
  }
  return out;
}

}  // namespace services::dynamodb
