#pragma once
// Runs one PartiQL statement as the item operation its plan names (translate.h), through
// DynamoDbService's own handlers, and shapes the answer as the PartiQL operations answer.
// Shared by ExecuteStatement, BatchExecuteStatement and ExecuteTransaction.
//
// Thread-safe as the handlers are.

#include <boost/json/object.hpp>
#include <memory>
#include <string>

#include "protocol/aws_error.h"
#include "services/dynamodb/dynamodb_service.h"
#include "services/dynamodb/partiql/statement.h"
#include "services/dynamodb/partiql/translate.h"

namespace services::dynamodb::partiql {

struct Prepared {
  Statement statement;
  std::shared_ptr<const Table> table;
  Plan plan;
};

// Parses member["Statement"] with member["Parameters"] (throws the parser's errors).
Statement parse_member(const boost::json::object& member);
// Resolves the statement's table (ResourceNotFoundException) and plans it.
Prepared prepare(DynamoDbService& svc, const Ctx& ctx, Statement statement, Surface surface,
                 bool consistent);

// The item API's expression errors in PartiQL's words (without "Invalid <parameter>: "), and
// DuplicateItemException for an INSERT whose key exists.
protocol::AwsError partiql_error(const Statement& st, protocol::AwsError e);

// A SELECT's page: the Query or Scan reply with `options` (Limit, ConsistentRead,
// ExclusiveStartKey, ReturnConsumedCapacity) added, its items named as PartiQL names them.
Reply run_select(DynamoDbService& svc, const Ctx& ctx, const Prepared& p,
                 const boost::json::object& options);
// An INSERT, UPDATE or DELETE: the PutItem/UpdateItem/DeleteItem reply (Attributes,
// ConsumedCapacity), errors already in PartiQL's words.
Reply run_write(DynamoDbService& svc, const Ctx& ctx, const Prepared& p,
                const boost::json::object& options);

// One item of a SELECT's result: each projected path under its result_name().
boost::json::object name_results(const boost::json::object& item, const std::vector<Path>& paths);

// NextToken <-> LastEvaluatedKey, bound to the request (statement and parameters) that made it:
// "Invalid NextToken", "NextToken does not match request".
std::string request_digest(const boost::json::object& in);
std::string encode_token(const std::string& digest, const boost::json::object& last_key);
boost::json::object decode_token(const std::string& token, const std::string& digest);

// Adds the numbers of a ConsumedCapacity object into `into` (same table), member by member.
void add_capacity(boost::json::object& into, const boost::json::object& from);

}  // namespace services::dynamodb::partiql
