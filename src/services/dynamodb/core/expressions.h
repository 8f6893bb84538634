#pragma once
// DynamoDB's expression language: parse once per request, then evaluate against items.
//
//   ExpressionContext ctx(request.names, request.values);   // validates both maps; may throw
//   Condition cond = parse_condition(text, ctx, "ConditionExpression");
//   Update update = parse_update(update_text, ctx);
//   ctx.check_unused();       // after every expression of the request has been parsed
//   if (!cond.evaluate(old_item)) { ... ConditionalCheckFailedException ... }
//   boost::json::object new_item = update.apply(old_item);    // may throw (runtime errors)
//
// Everything throws protocol::AwsError (ValidationException) with DynamoDB's messages:
//   "Invalid ConditionExpression: Syntax error; token: \"=\", near: \"a = = b\""
//   "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status"
//   "Invalid ProjectionExpression: An expression attribute name used in the document path is not
//    defined; attribute name: #n"
//   "Invalid FilterExpression: An expression attribute value used in expression is not defined;
//    attribute value: :v"
//   "Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}"
//   "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite
//    one of these paths; path one: [a], path two: [a, b]"
//   "The provided expression refers to an attribute that does not exist in the item"
//   "An operand in the update expression has an incorrect data type"
// The kind named in "Invalid <kind>: ..." is the request parameter's name, passed by the caller.
// Parsed expressions are immutable and may be evaluated from any thread.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace services::dynamodb {

// One step of a document path: a map member name (after #name substitution) or a list index.
struct PathElement {
  std::string name;
  int index = -1;  // >= 0: a list index ("a[2]"); name is then empty
  bool is_index() const { return index >= 0; }
  bool operator==(const PathElement&) const = default;
};
// "a.b[2].c" is {a, b, [2], c}. The first element is always a name.
using Path = std::vector<PathElement>;
// "a.b[2].c", with names as they are after substitution (for messages and tests).
std::string path_to_string(const Path& path);

// The request's ExpressionAttributeNames and ExpressionAttributeValues, with usage recorded
// across every expression parsed with this context: DynamoDB rejects a name or value that no
// expression of the request uses. Either map may be null (parameter absent). The constructor
// validates them and throws, in DynamoDB's order:
//   "ExpressionAttributeNames must not be empty", "ExpressionAttributeValues must not be empty",
//   "ExpressionAttributeNames contains invalid key: Syntax error; key: \"n\"",
//   "ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\"",
//   "ExpressionAttributeValues contains invalid value: <validate_value() message> for key :v".
// The values are copied with numbers canonicalised. Not thread-safe (one per request).
class ExpressionContext {
 public:
  ExpressionContext(const boost::json::object* names, const boost::json::object* values);

  // Throws "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}"
  // (names first) or the same for ExpressionAttributeValues. Call after all parses.
  void check_unused() const;

  // Used by the parser: the substitution for "#n" / ":v", recorded as used; null when the
  // request does not define it.
  const std::string* find_name(std::string_view placeholder);
  const boost::json::value* find_value(std::string_view placeholder);

 private:
  std::map<std::string, std::string, std::less<>> names_;
  std::map<std::string, boost::json::value, std::less<>> values_;
  std::set<std::string, std::less<>> used_names_;
  std::set<std::string, std::less<>> used_values_;
};

namespace expr {
struct ConditionNode;  // defined in expression_ast.h (internal)
struct UpdateAction;
}  // namespace expr

// ConditionExpression / FilterExpression: comparators (= <> < <= > >=), BETWEEN, IN, AND, OR,
// NOT, parentheses (precedence NOT > AND > OR), attribute_exists, attribute_not_exists,
// attribute_type, begins_with, contains, size.
class Condition {
 public:
  Condition() = default;  // empty: evaluate() is true
  explicit Condition(std::shared_ptr<const expr::ConditionNode> root) : root_(std::move(root)) {}
  // `item` is the whole stored item ({} when there is none).
  bool evaluate(const boost::json::object& item) const;
  bool empty() const { return root_ == nullptr; }
  // Top-level attribute names the condition reads (for key-attribute checks in filters).
  std::vector<std::string> attribute_names() const;
  const expr::ConditionNode* root() const { return root_.get(); }

 private:
  std::shared_ptr<const expr::ConditionNode> root_;
};

// `kind` is "ConditionExpression" or "FilterExpression".
Condition parse_condition(std::string_view text, ExpressionContext& ctx, std::string_view kind);

// KeyConditionExpression: "pk = :v" optionally AND one sort-key condition.
struct SortKeyCondition {
  enum class Op { Eq, Lt, Le, Gt, Ge, Between, BeginsWith };
  std::string name;  // the sort key attribute
  Op op = Op::Eq;
  boost::json::value value;   // the operand (lower bound for Between)
  boost::json::value value2;  // upper bound for Between
  // Whether the item's sort-key value satisfies the condition (false for another type).
  bool matches(const boost::json::value& sort_value) const;
};
struct KeyCondition {
  std::string partition_name;
  boost::json::value partition_value;
  std::optional<SortKeyCondition> sort;
  // A multi-attribute key (a global index's): the further partition values, in schema order, and
  // the equalities on the leading sort attributes that come before `sort`'s attribute.
  std::vector<boost::json::value> more_partition_values;
  std::vector<SortKeyCondition> sort_prefix;
};
struct KeySchemaNames {
  std::string partition;
  std::optional<std::string> sort;
  std::vector<std::string> more_partition;  // a multi-attribute key's further attributes
  std::vector<std::string> more_sort;
};
// One condition of a key condition, on one attribute.
struct KeyTerm {
  std::string attribute;
  SortKeyCondition::Op op = SortKeyCondition::Op::Eq;
  boost::json::value value;
  boost::json::value value2;  // BETWEEN's upper bound
};
// The key condition the terms make against the schema: every partition attribute with an
// equality, and conditions on a leading run of the sort attributes, each an equality but the
// last. Throws "Query key condition not supported", "KeyConditionExpressions must only contain
// one condition per key" or "Query condition missed key schema element: <attribute>".
KeyCondition key_condition_from_terms(std::vector<KeyTerm> terms, const KeySchemaNames& schema);
// Parses and checks against the table's (or index's) key schema. Throws e.g.
//   "Query condition missed key schema element: id"
//   "Query key condition not supported"
//   "Invalid KeyConditionExpression: ..." (syntax, names, values, unsupported operators)
//   "KeyConditionExpressions must only contain one condition per key"
// Value types against the attribute definitions are the caller's to check.
KeyCondition parse_key_condition(std::string_view text, ExpressionContext& ctx,
                                 const KeySchemaNames& schema);
// The same in DynamoDB's two steps, with the request's other expressions and
// ExpressionAttributeNames/Values checks between them: parse_key_condition(text, ctx) throws the
// syntax and operator errors ("Invalid KeyConditionExpression: ..."), key_condition_of the
// key-schema ones ("Query key condition not supported", "Query condition missed key schema
// element: id", "KeyConditionExpressions must only contain one condition per key").
Condition parse_key_condition(std::string_view text, ExpressionContext& ctx);
KeyCondition key_condition_of(const Condition& parsed, const KeySchemaNames& schema);

// UpdateExpression: SET (= operand, a + b, a - b, if_not_exists(path, v), list_append(a, b)),
// REMOVE (paths, list indexes), ADD (numbers, sets), DELETE (from sets); each clause at most once.
class Update {
 public:
  Update() = default;
  explicit Update(std::vector<std::shared_ptr<const expr::UpdateAction>> actions);
  // The new item. Throws the runtime errors ("The provided expression refers to an attribute
  // that does not exist in the item", "An operand in the update expression has an incorrect data
  // type", number overflow, ...). The caller validates the result's size and key attributes.
  boost::json::object apply(const boost::json::object& item) const;
  // Every path the expression writes or removes, in expression order (for "Cannot update
  // attribute id. This attribute is part of the key" and ReturnValues UPDATED_OLD/UPDATED_NEW).
  std::vector<Path> paths() const;

 private:
  std::vector<std::shared_ptr<const expr::UpdateAction>> actions_;
};
Update parse_update(std::string_view text, ExpressionContext& ctx);

// ProjectionExpression: comma-separated document paths.
class Projection {
 public:
  Projection() = default;
  explicit Projection(std::vector<Path> paths) : paths_(std::move(paths)) {}
  const std::vector<Path>& paths() const { return paths_; }
  // The item reduced to the projected paths, nested structure kept ("a.b[1]" of
  // {a: {M: {b: {L: [x, y]}, c: ...}}} is {a: {M: {b: {L: [y]}}}}). Missing paths are skipped.
  boost::json::object apply(const boost::json::object& item) const;

 private:
  std::vector<Path> paths_;
};
Projection parse_projection(std::string_view text, ExpressionContext& ctx);

// Applies a list of paths the way a projection does (used for UPDATED_OLD/UPDATED_NEW too).
boost::json::object project(const boost::json::object& item, const std::vector<Path>& paths);

// DynamoDB's reserved words (upper-case), as documented in "Reserved words in DynamoDB".
bool is_reserved_word(std::string_view word);

}  // namespace services::dynamodb
