#include "services/dynamodb/item_keys.h"

#include <openssl/evp.h>

#include <boost/endian/conversion.hpp>
#include <cstring>

#include "core/base64.h"
#include "core/check.h"
#include "services/dynamodb/core/number.h"

#include "services/dynamodb/core/attribute_value.h"
#include "services/dynamodb/errors.h"

namespace services::dynamodb {
namespace {

namespace json = boost::json;

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

std::string partition_hash(const json::value& value) {
  std::string_view type = type_of(value);
  const json::value& member = value.as_object().begin()->value();
  std::string bytes = "Outliers";
  if (type == "N") {
    bytes += Number::parse(member.get_string()).key_bytes();
  } else if (type == "B") {
    bytes += core::base64_decode(member.get_string()).value_or("");
  } else {
    bytes += member.get_string();
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  CHECK(EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_md5(), nullptr) == 1);
  return std::string(reinterpret_cast<const char*>(digest), 8);
}

std::string partition_bytes(const json::value& value) {
  return partition_hash(value) + order_key(value);
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
