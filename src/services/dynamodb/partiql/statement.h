#pragma once
// The parsed form of one PartiQL for DynamoDB statement: SELECT, INSERT, UPDATE, DELETE and
// EXISTS(SELECT ...). Values are already bound: literals and `?` parameters are AttributeValues
// (the parameters as the request gave them), names are attribute names as written.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.statements.html

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "services/dynamodb/core/expressions.h"

namespace services::dynamodb::partiql {

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

// A WHERE condition or an operand. Conditions: Compare, Between, In, And, Or, Not, Is and the
// boolean functions; operands: Path, Value, the size() call and, in SET, Plus/Minus and the
// update functions.
struct Expr {
  enum class Kind { Path, Value, Compare, Between, In, And, Or, Not, Is, Call, Plus, Minus };
  Kind kind = Kind::Value;
  Path path;                  // Path
  boost::json::value value;   // Value: an AttributeValue
  std::string op;             // Compare: = <> < <= > >=; Call: the function, lower case;
                              // Is: MISSING, NULL, BOOLEAN, STRING, NUMERIC, BLOB, STRUCT, LIST
  bool negated = false;       // IS NOT
  std::vector<ExprPtr> args;  // operands, in order (Between: subject, low, high; In: subject, list)
};

struct UpdateAction {
  enum class Kind { Set, Remove };
  Kind kind = Kind::Set;
  Path path;
  ExprPtr value;  // Set only
};

struct Statement {
  enum class Kind { Select, Insert, Update, Delete, Exists };
  Kind kind = Kind::Select;
  std::string table;
  std::optional<std::string> index;  // SELECT ... FROM "table"."index"
  int from_components = 1;           // the FROM path's length as written (checked later)
  std::vector<Path> projection;      // SELECT: empty is *
  ExprPtr where;                     // null without WHERE
  struct Order {
    std::string name;
    bool descending = false;
  };
  std::vector<Order> order_by;
  boost::json::object item;                 // INSERT
  std::vector<UpdateAction> actions;        // UPDATE
  std::string returning;                    // ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW or ""
  std::string returning_text;               // as written, for messages: "MODIFIED OLD *"

  bool is_read() const { return kind == Kind::Select; }
};

}  // namespace services::dynamodb::partiql
