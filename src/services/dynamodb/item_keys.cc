#include "services/dynamodb/item_keys.h"

#include <openssl/evp.h>

#include <boost/endian/conversion.hpp>
#include <cstring>
#include <optional>
#include <vector>

#include "core/base64.h"
#include "core/check.h"
#include "services/dynamodb/core/attribute_value.h"
#include "services/dynamodb/core/number.h"
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

// DynamoDB's own bytes of a key value: S as UTF-8, B raw, N in its number layout.
std::string key_value_bytes(const json::value& value) {
  std::string_view type = type_of(value);
  const json::value& member = value.as_object().begin()->value();
  if (type == "N") return Number::parse(member.get_string()).key_bytes();
  if (type == "B") return core::base64_decode(member.get_string()).value_or("");
  return std::string(member.get_string());
}

std::string md5_prefix(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  CHECK(EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_md5(), nullptr) == 1);
  return std::string(reinterpret_cast<const char*>(digest), 8);
}

std::string partition_hash(const json::value& value) {
  return md5_prefix("Outliers" + key_value_bytes(value));
}

}  // namespace

std::string partition_bytes(const json::value& value) {
  return partition_hash(value) + order_key(value);
}

std::string key_component(const json::value& value) {
  if (type_of(value) == "N") return order_key(value);  // prefix-free already
  std::string out;
  for (char c : order_key(value)) {
    out.push_back(c);
    if (c == '\0') out.push_back('\xff');
  }
  out.append(2, '\0');
  return out;
}

std::string partition_bytes(const std::vector<const json::value*>& values) {
  if (values.size() == 1) return partition_bytes(*values[0]);
  std::string hashed = "Outliers";
  std::string order;
  for (const json::value* v : values) {
    hashed += key_value_bytes(*v);
    order += key_component(*v);
  }
  return md5_prefix(hashed) + order;
}

namespace {

// The values of `attrs` in `item`, each of its attribute's type; nullopt when one is missing or
// of another type (the item stays out of a sparse index).
std::optional<std::vector<const json::value*>> key_values(
    const json::object& item, const std::vector<const KeyAttr*>& attrs) {
  std::vector<const json::value*> out;
  for (const KeyAttr* a : attrs) {
    const json::value* v = item.if_contains(a->name);
    if (!v || !has_type(*v, a->type)) return std::nullopt;
    out.push_back(v);
  }
  return out;
}

}  // namespace

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
  if (index.keys.multi()) {
    auto hashes = key_values(item, index.keys.hashes());
    auto ranges = key_values(item, index.keys.ranges());
    if (!hashes || !ranges) return std::nullopt;
    RowKey out;
    out.space = table.space() + index.slot;
    out.h = partition_bytes(*hashes);
    for (const json::value* v : *ranges) out.s += key_component(*v);
    out.u = length_prefixed(base.h, base.s);
    return out;
  }
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
    for (const auto& attrs : {keys.hashes(), keys.ranges()}) {
      for (const KeyAttr* a : attrs) {
        if (const json::value* v = item.if_contains(a->name)) out[a->name] = *v;
      }
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
