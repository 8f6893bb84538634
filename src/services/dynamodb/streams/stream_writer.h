#pragma once
// What the item and table writes of DynamoDB do to its streams, inside their own transaction:
// every item change of a table with an enabled stream appends one record, in commit order, and
// enabling, disabling or deleting a table's stream opens or closes a stream row.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html

#include <boost/json/object.hpp>
#include <cstdint>
#include <string_view>

#include "core/clock.h"
#include "services/dynamodb/table.h"
#include "store/transaction.h"

namespace services::dynamodb::streams {

// Who changed an item and when, for its stream record.
struct ChangeOrigin {
  int64_t now_ms = 0;
  bool ttl = false;  // the TTL sweeper: the record names DynamoDB's service principal
};
// A change a request makes now.
inline ChangeOrigin request_origin(const core::Clock& clock) {
  return ChangeOrigin{core::to_epoch_millis(clock.now())};
}

// Appends the record of `old_item` (or nothing: an INSERT) becoming `new_item` (or nothing: a
// REMOVE) to the table's enabled stream. Writes nothing when the table has no enabled stream or
// when both images are equal: "If you perform a PutItem or UpdateItem operation that does not
// change any data in an item, DynamoDB Streams does not write a stream record for that
// operation."
void record_change(store::Transaction& tx, const Table& table, const boost::json::object* old_item,
                   const boost::json::object* new_item, const ChangeOrigin& origin);

// The table whose stream settings a CreateTable or UpdateTable just stored.
struct StreamOwner {
  int64_t table_id = 0;
  std::string_view account;
  std::string_view region;
  std::string_view name;
};

// Brings the table's streams in line with its stored description: the stream LatestStreamArn
// names is opened (ENABLED, one new shard) when StreamSpecification enables one; otherwise an
// open stream is closed (DISABLED, readable until the trim sweep removes it 24 hours later).
void sync_streams(store::Transaction& tx, const StreamOwner& owner,
                  const boost::json::object& description, int64_t now_ms);

// DeleteTable: the table's open stream is closed and its streams outlive the table.
void table_deleted(store::Transaction& tx, int64_t table_id, int64_t now_ms);

}  // namespace services::dynamodb::streams
