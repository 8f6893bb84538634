#pragma once
// Reads and writes items with everything a write carries in the same transaction: the rows of
// every secondary index (projected as the index says), the table's item count and size, and the
// record of its enabled stream (streams/stream_writer.h).
// Items are in the core's wire form and already validated.

#include <boost/json/object.hpp>
#include <optional>

#include "services/dynamodb/capacity.h"
#include "services/dynamodb/ddb_store.h"
#include "services/dynamodb/streams/stream_writer.h"
#include "services/dynamodb/table.h"

namespace services::dynamodb {

// The item stored under `key` (a table-space key), nullopt when there is none.
std::optional<boost::json::object> read_item(DdbStore& st, const RowKey& key);

// Throws DynamoDB's error for an index key attribute of the wrong type or an empty one:
// "One or more parameter values were invalid: Type mismatch for Index Key gsi Expected: S
// Actual: N IndexName: by_gsi".
void check_index_keys(const Table& table, const boost::json::object& item);

// Replaces `old_item` (or nothing) under `key` with `new_item` (or nothing: a delete), with the
// index rows, figures and stream record that follow (`origin` says who wrote and when). Returns
// the write units it consumed on the table and on each index whose rows changed.
Consumed write_item(DdbStore& st, const Table& table, const RowKey& key,
                    const boost::json::object* old_item, const boost::json::object* new_item,
                    const streams::ChangeOrigin& origin);

// Writes the index rows of every item of the table into `index` (a new GSI's backfill).
void backfill_index(DdbStore& st, const Table& table, const Index& index);

}  // namespace services::dynamodb
