#pragma once
// The parsed form of DynamoDB expressions, internal to the core: expressions.h exposes it only
// through Condition, Update and Projection. Values are already substituted (":v" → its
// AttributeValue) and names resolved ("#n" → its attribute name).

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "services/dynamodb/core/expressions.h"

namespace services::dynamodb::expr {

struct Operand;
using OperandPtr = std::shared_ptr<const Operand>;

struct Operand {
  enum class Kind { Path, Value, Function, Plus, Minus };
  Kind kind = Kind::Path;
  Path path;                     // Kind::Path
  boost::json::value value;      // Kind::Value
  std::string function;          // Kind::Function: size, if_not_exists, list_append, ...
  std::vector<OperandPtr> args;  // Function arguments, or the two sides of Plus / Minus
};

struct ConditionNode {
  enum class Kind { Compare, Between, In, And, Or, Not, Function };
  enum class Cmp { Eq, Ne, Lt, Le, Gt, Ge };
  Kind kind = Kind::Compare;
  Cmp cmp = Cmp::Eq;
  std::vector<OperandPtr> operands;  // Compare: 2; Between: 3; In: 1 + list; Function: 1 call
  std::vector<std::shared_ptr<const ConditionNode>> children;  // And, Or: 2; Not: 1
};
using ConditionPtr = std::shared_ptr<const ConditionNode>;

struct UpdateAction {
  enum class Kind { Set, Remove, Add, Delete };
  Kind kind = Kind::Set;
  Path path;
  OperandPtr value;  // Set: the value expression; Add, Delete: the literal; Remove: null
};

// Evaluation, shared by conditions and updates. A path that does not resolve gives nullopt.
const boost::json::value* resolve(const boost::json::object& item, const Path& path);
std::optional<boost::json::value> evaluate(const Operand& op, const boost::json::object& item);
bool evaluate(const ConditionNode& node, const boost::json::object& item);

// "[a, b, [1]]": how DynamoDB's messages print a document path.
std::string path_message(const Path& path);

}  // namespace services::dynamodb::expr
