#pragma once
// A DynamoDB table as the handlers use it: its key schema and secondary indexes, parsed once
// from the stored TableDescription (table_json.h) and shared read-only (TableCatalog caches it).

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace services::dynamodb {

struct KeyAttr {
  std::string name;
  std::string type;  // "S", "N" or "B"
};

struct KeySchema {
  KeyAttr hash;
  std::optional<KeyAttr> range;
  // A global index's multi-attribute key: the partition key's further attributes after `hash`
  // and the sort key's after `range`, in KeySchema order (up to four of each in all).
  std::vector<KeyAttr> more_hash;
  std::vector<KeyAttr> more_range;

  bool multi() const { return !more_hash.empty() || !more_range.empty(); }
  // Every partition key attribute, then every sort key attribute, in order.
  std::vector<const KeyAttr*> hashes() const {
    std::vector<const KeyAttr*> out{&hash};
    for (const KeyAttr& k : more_hash) out.push_back(&k);
    return out;
  }
  std::vector<const KeyAttr*> ranges() const {
    std::vector<const KeyAttr*> out;
    if (range) out.push_back(&*range);
    for (const KeyAttr& k : more_range) out.push_back(&k);
    return out;
  }
};

struct Index {
  std::string name;
  bool global = true;
  KeySchema keys;
  std::string projection = "ALL";      // ALL, KEYS_ONLY or INCLUDE
  std::vector<std::string> non_key;    // INCLUDE's NonKeyAttributes
  int slot = 1;                        // storage space = table id * 64 + slot
};

struct Table {
  int64_t id = 0;  // storage id (ddb_tables.id)
  std::string account;
  std::string region;
  std::string name;
  std::string arn;
  int64_t created_ms = 0;
  KeySchema keys;
  std::vector<Index> indexes;
  boost::json::object description;  // the stored TableDescription (table_json.h)

  int64_t space() const { return id * 64; }
  const Index* index(std::string_view index_name) const {
    for (const Index& i : indexes) {
      if (i.name == index_name) return &i;
    }
    return nullptr;
  }
};

// Room for the table's own items and 63 index slots in one id range (ddb_items.space).
inline constexpr int kSlotsPerTable = 64;

}  // namespace services::dynamodb
