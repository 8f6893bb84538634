#pragma once
// A parsed PartiQL statement as the item API request it runs as, so that every rule of the item
// API (validation, item size, conditions, indexes, the write path's side effects) applies once:
//
//   SELECT  → Query when the WHERE has an equality on the partition key (plus one sort-key
//             condition as the key condition, the rest as FilterExpression), Scan otherwise
//   INSERT  → PutItem with attribute_not_exists(<partition key>)
//   UPDATE  → UpdateItem with SET/REMOVE/ADD/DELETE and attribute_exists(<partition key>) AND
//             the WHERE's other conditions
//   DELETE  → DeleteItem with attribute_not_exists(<partition key>) OR the other conditions
//             (a missing item is deleted without error, as DynamoDB documents)
//   EXISTS  → a TransactWriteItems ConditionCheck; SELECT in a transaction → a TransactGetItems Get
//
// Requests are documents in the model's form (what the JSON codec hands a handler); names and
// values travel as ExpressionAttributeNames/Values (#n0, :v0). Throws ValidationException with
// DynamoDB's PartiQL messages ("Where clause does not contain a mandatory equality on all key
// attributes", "This operation is not supported on an index", ...). Pure; thread-safe.

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "services/dynamodb/partiql/statement.h"
#include "services/dynamodb/table.h"

namespace services::dynamodb::partiql {

// Where a statement runs: alone (ExecuteStatement), in a batch or in a transaction.
enum class Surface { Statement, Batch, Transaction };

struct Plan {
  enum class Op { Query, Scan, Put, Update, Delete, ConditionCheck, Get };
  Op op = Op::Scan;
  boost::json::object request;  // TableName and the operation's members
  std::vector<Path> projection;  // SELECT's paths, to name nested results as DynamoDB does
};

// Statement + its table's schema → the request. `consistent` is the request's ConsistentRead
// (checked against a global index).
Plan plan(const Statement& st, const Table& table, Surface surface, bool consistent);

// The name a projected path has in a SELECT's result: from its last named element on
// ("a.b[0]" → "b[0]"; "a" → "a").
std::string result_name(const Path& path);

}  // namespace services::dynamodb::partiql
