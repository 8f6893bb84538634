#pragma once
// CreateTable's input checked as DynamoDB checks it and turned into the TableDescription that is
// stored, and stored descriptions turned back into Tables and into DescribeTable's answer. The
// only place the wire spellings of tables appear.

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

#include "protocol/aws_error.h"
#include "services/dynamodb/table.h"

namespace services::dynamodb {

struct NewTable {
  std::string account;
  std::string region;
  int64_t now_ms = 0;
};

// Validates a CreateTable input in DynamoDB's order and returns the description to store:
// the input's key schema, attribute definitions, indexes (each with its storage "slot"),
// throughput, billing, streams, SSE, class and deletion protection, plus TableArn, TableId and
// CreationDateTime. Index slots are numbered from 1.
protocol::Result<boost::json::object> describe_new_table(const NewTable& where,
                                                         const boost::json::object& in);

// Checks one index definition (CreateTable's or UpdateTable's Create) against the attribute
// definitions, in DynamoDB's order; `billing` is the table's BillingMode.
protocol::Result<void> check_global_index(const boost::json::object& gsi,
                                          const boost::json::array& definitions,
                                          std::string_view billing);

// The Table a stored description describes.
Table table_from_description(int64_t id, std::string account, std::string region,
                             int64_t created_ms, boost::json::object description);

// The figures DescribeTable adds to a stored description.
struct LiveFigures {
  std::string status;  // CREATING, ACTIVE, UPDATING, DELETING
  int64_t item_count = 0;
  int64_t size_bytes = 0;
  // Per index name: {IndexStatus, ItemCount, IndexSizeBytes}.
  boost::json::object indexes;
};
boost::json::object live_description(const Table& table, const LiveFigures& live);

// The index key's type as AttributeDefinitions give it, "" when undefined.
std::string attribute_type(const boost::json::array& definitions, std::string_view name);
// KeySchema (wire) → KeySchema, with types from AttributeDefinitions.
KeySchema key_schema_from(const boost::json::array& key_schema,
                          const boost::json::array& definitions);

}  // namespace services::dynamodb
