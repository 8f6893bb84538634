#pragma once
// Where an item lives in ddb_items: its primary key's storage bytes in the table's space and
// in each index's, in DynamoDB's order (partitions by a hash of the partition key, then sort key
// order within one). Items are in the core's wire form (wire_values.h).

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/dynamodb/ddb_store.h"
#include "services/dynamodb/table.h"

namespace services::dynamodb {

// h of a partition key value (validated, of the schema's type): the first 8 bytes of DynamoDB's
// partition hash, MD5 of "Outliers" and the value's bytes (S as UTF-8, B raw, N in DynamoDB's
// number layout, Number::key_bytes) as dynalite reproduced it, then the value's order bytes. The
// hash orders a scan's partitions as DynamoDB does (moto's AWS-verified
// test_scan_with_alternating_hash_keys) and splits a parallel scan into segments.
std::string partition_bytes(const boost::json::value& value);
// h of a multi-attribute partition key (a global index's): the hash of its values' bytes one
// after another, then each value's key_component. One value: partition_bytes(value).
std::string partition_bytes(const std::vector<const boost::json::value*>& values);
// One value of a multi-attribute key, in bytes whose memcmp order is the value's order and that
// are never a prefix of another value's (S and B escaped and terminated, N as order_key), so a
// key's components concatenated sort as the tuple does.
std::string key_component(const boost::json::value& value);

// The table's key of an item or key: h and s in the table's space. Throws AwsError for a missing
// or mistyped key attribute ("One or more parameter values were invalid: Missing the key id in
// the item"; the core's type and size messages).
RowKey item_row_key(const Table& table, const boost::json::object& item);

// GetItem/DeleteItem/UpdateItem's Key: exactly the key attributes, of the right types. Throws
// "The provided key element does not match the schema".
RowKey key_row_key(const Table& table, const boost::json::object& key);

// The item's key in an index; nullopt when the item lacks one of the index key attributes (or
// holds it with another type), which keeps it out of a sparse index.
std::optional<RowKey> index_row_key(const Table& table, const Index& index,
                                    const RowKey& base, const boost::json::object& item);

// The primary key attributes of `item` (table's and, with `index`, the index's).
boost::json::object key_of(const Table& table, const boost::json::object& item,
                           const Index* index = nullptr);

// The item as an index stores it: all of it, its keys, or its keys and the INCLUDE attributes.
boost::json::object project_for_index(const Table& table, const Index& index,
                                      const boost::json::object& item);

}  // namespace services::dynamodb
