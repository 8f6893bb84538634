#pragma once
// UpdateTable's changes to a stored TableDescription (table_json.h), checked as DynamoDB checks
// them: billing mode and throughput, GSI create/update/delete, streams, SSE, table class and
// deletion protection. Pure: the handler applies the result in its transaction.

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "protocol/aws_error.h"
#include "services/dynamodb/table.h"

namespace services::dynamodb {

struct TableChange {
  boost::json::object description;           // the new stored description
  std::vector<int> dropped_slots;            // storage slots of deleted indexes
  std::vector<std::string> created_indexes;  // names of new GSIs, to backfill
};

protocol::Result<TableChange> plan_table_update(const boost::json::object& description,
                                                const boost::json::object& in, int64_t now_ms);

// A stream's label: the ISO 8601 time of `ms` without a zone, to the millisecond.
std::string stream_label(int64_t ms);

// The members of a stored description that DescribeTable does not show.
inline constexpr std::string_view kInternalMembers[] = {"UpdatedMs", "TimeToLive",
                                                        "PointInTimeRecovery"};

// CREATING for `transition_ms` after creation, UPDATING as long after an UpdateTable, else
// ACTIVE.
std::string table_status(const Table& table, int64_t now_ms, int64_t transition_ms);

}  // namespace services::dynamodb
