// The legacy parameters, built into the same parsed forms as the expressions. The mapping is
// the one "Legacy conditional parameters" documents: EQ → a = v, NE → a <> v, LE/LT/GE/GT → the
// comparators, NOT_NULL → attribute_exists(a), NULL → attribute_not_exists(a), CONTAINS →
// contains(a, v), NOT_CONTAINS → NOT contains(a, v), BEGINS_WITH → begins_with(a, v),
// IN → a IN (v, ...), BETWEEN → a BETWEEN v1 AND v2; Expected's Exists/Value form is
// attribute_not_exists(a) or a = v.

#include "services/dynamodb/core/legacy.h"

#include <map>
#include <set>

#include "protocol/aws_error.h"
#include "services/dynamodb/core/attribute_value.h"
#include "services/dynamodb/core/expression_ast.h"

namespace services::dynamodb {
namespace json = boost::json;
using expr::ConditionNode;
using expr::ConditionPtr;
using expr::Operand;
using expr::OperandPtr;

namespace {

const std::string kInvalid = "One or more parameter values were invalid: ";

[[noreturn]] void invalid(std::string message) {
  throw protocol::errors::validation(std::move(message));
}

struct OperatorSpec {
  int min_args;
  int max_args;
  std::set<std::string_view> types;  // scalar types filters accept; empty = any
};

const std::map<std::string_view, OperatorSpec>& operators() {
  static const std::map<std::string_view, OperatorSpec> specs = {
      {"EQ", {1, 1, {}}},
      {"NE", {1, 1, {}}},
      {"LE", {1, 1, {"S", "N", "B"}}},
      {"LT", {1, 1, {"S", "N", "B"}}},
      {"GE", {1, 1, {"S", "N", "B"}}},
      {"GT", {1, 1, {"S", "N", "B"}}},
      {"NOT_NULL", {0, 0, {}}},
      {"NULL", {0, 0, {}}},
      {"CONTAINS", {1, 1, {"S", "N", "B"}}},
      {"NOT_CONTAINS", {1, 1, {"S", "N", "B"}}},
      {"BEGINS_WITH", {1, 1, {"S", "B"}}},
      {"IN", {1, 100, {"S", "N", "B"}}},
      {"BETWEEN", {2, 2, {"S", "N", "B"}}},
  };
  return specs;
}

OperandPtr path_operand(std::string_view name) {
  auto op = std::make_shared<Operand>();
  op->kind = Operand::Kind::Path;
  op->path = {PathElement{std::string(name)}};
  return op;
}

OperandPtr value_operand(json::value v) {
  validate_value(v);
  auto op = std::make_shared<Operand>();
  op->kind = Operand::Kind::Value;
  op->value = std::move(v);
  return op;
}

OperandPtr call(std::string name, std::vector<OperandPtr> args) {
  auto op = std::make_shared<Operand>();
  op->kind = Operand::Kind::Function;
  op->function = std::move(name);
  op->args = std::move(args);
  return op;
}

ConditionPtr node(ConditionNode::Kind kind, std::vector<OperandPtr> operands,
                  ConditionNode::Cmp cmp = ConditionNode::Cmp::Eq) {
  auto n = std::make_shared<ConditionNode>();
  n->kind = kind;
  n->cmp = cmp;
  n->operands = std::move(operands);
  return n;
}

ConditionPtr negate(ConditionPtr inner) {
  auto n = std::make_shared<ConditionNode>();
  n->kind = ConditionNode::Kind::Not;
  n->children = {std::move(inner)};
  return n;
}

// One attribute's ComparisonOperator with its (already counted and typed) values.
ConditionPtr comparison(std::string_view attribute, std::string_view op,
                        const json::array& values) {
  using Kind = ConditionNode::Kind;
  using Cmp = ConditionNode::Cmp;
  OperandPtr a = path_operand(attribute);
  std::vector<OperandPtr> v;
  for (const json::value& x : values) {
    v.push_back(value_operand(x));
  }
  static const std::map<std::string_view, Cmp> kCmp = {{"EQ", Cmp::Eq}, {"NE", Cmp::Ne},
                                                       {"LE", Cmp::Le}, {"LT", Cmp::Lt},
                                                       {"GE", Cmp::Ge}, {"GT", Cmp::Gt}};
  if (auto it = kCmp.find(op); it != kCmp.end()) {
    return node(Kind::Compare, {a, v[0]}, it->second);
  }
  if (op == "NOT_NULL" || op == "NULL") {
    return node(Kind::Function,
                {call(op == "NULL" ? "attribute_not_exists" : "attribute_exists", {a})});
  }
  if (op == "CONTAINS") {
    return node(Kind::Function, {call("contains", {a, v[0]})});
  }
  if (op == "NOT_CONTAINS") {
    return negate(node(Kind::Function, {call("contains", {a, v[0]})}));
  }
  if (op == "BEGINS_WITH") {
    return node(Kind::Function, {call("begins_with", {a, v[0]})});
  }
  if (op == "BETWEEN") {
    return node(Kind::Between, {a, v[0], v[1]});
  }
  v.insert(v.begin(), a);  // IN
  return node(Kind::In, std::move(v));
}

ConditionPtr combine(std::vector<ConditionPtr> parts, std::string_view conditional_operator) {
  if (parts.empty()) {
    return nullptr;
  }
  ConditionPtr out = parts[0];
  for (std::size_t i = 1; i < parts.size(); ++i) {
    auto n = std::make_shared<ConditionNode>();
    n->kind = conditional_operator == "OR" ? ConditionNode::Kind::Or : ConditionNode::Kind::And;
    n->children = {out, parts[i]};
    out = n;
  }
  return out;
}

const json::array& value_list(const json::object& condition) {
  static const json::array kEmpty;
  auto it = condition.find("AttributeValueList");
  return it != condition.end() && it->value().is_array() ? it->value().get_array() : kEmpty;
}

std::string operator_of(const json::object& condition) {
  auto it = condition.find("ComparisonOperator");
  return it != condition.end() && it->value().is_string() ? std::string(it->value().get_string())
                                                          : std::string();
}

// QueryFilter / ScanFilter / KeyConditions: every entry needs a ComparisonOperator, the right
// number of values and, for ordering operators, scalar types.
ConditionPtr filter_entry(std::string_view attribute, const json::object& condition) {
  std::string op = operator_of(condition);
  auto spec = operators().find(op);
  if (spec == operators().end()) {
    invalid("1 validation error detected: Value '" + op +
            "' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum "
            "value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, "
            "BEGINS_WITH, GE, CONTAINS]");
  }
  const json::array& values = value_list(condition);
  for (const json::value& v : values) {
    json::value copy = v;
    validate_value(copy);
  }
  int n = static_cast<int>(values.size());
  if (n < spec->second.min_args || n > spec->second.max_args) {
    invalid(
        "The attempted filter operation is not supported for the provided filter argument "
        "count");
  }
  const auto& types = spec->second.types;
  for (const json::value& v : values) {
    if (!types.empty() && !types.contains(type_of(v))) {
      invalid("The attempted filter operation is not supported for the provided type");
    }
  }
  return comparison(attribute, op, values);
}

ConditionPtr expected_entry(std::string_view attribute, const json::object& condition) {
  const std::string a(attribute);
  bool has_value = condition.contains("Value") && !condition.at("Value").is_null();
  bool has_list = condition.contains("AttributeValueList");
  auto exists_it = condition.find("Exists");
  bool has_exists = exists_it != condition.end() && !exists_it->value().is_null();
  std::string op = operator_of(condition);
  if (!op.empty()) {
    if (has_exists) {
      invalid(kInvalid +
              "Exists and ComparisonOperator cannot be used together for Attribute: " + a);
    }
    if (has_list && has_value) {
      invalid(kInvalid +
              "Value and AttributeValueList cannot be used together for Attribute: " + a);
    }
    json::array values = has_value ? json::array{condition.at("Value")} : value_list(condition);
    auto spec = operators().find(op);
    int n = static_cast<int>(values.size());
    if (spec == operators().end() || n < spec->second.min_args || n > spec->second.max_args) {
      invalid(kInvalid + "Invalid number of argument(s) for the " + op + " ComparisonOperator");
    }
    for (const json::value& v : values) {
      const auto& types = spec->second.types;
      if (!types.empty() && !types.contains(type_of(v))) {
        invalid(kInvalid + "ComparisonOperator " + op + " is not valid for " +
                std::string(type_of(v)) + " AttributeValue type");
      }
    }
    return comparison(attribute, op, values);
  }
  if (has_list) {
    invalid(kInvalid +
            "AttributeValueList can only be used with a ComparisonOperator for Attribute: " + a);
  }
  bool exists = !has_exists || (exists_it->value().is_bool() && exists_it->value().get_bool());
  if (exists && !has_value) {
    invalid(kInvalid + "Value must be provided when Exists is " +
            std::string(has_exists ? "true" : "null") + " for Attribute: " + a);
  }
  if (!exists && has_value) {
    invalid(kInvalid + "Value cannot be used when Exists is false for Attribute: " + a);
  }
  if (!exists) {
    return comparison(attribute, "NULL", {});
  }
  return comparison(attribute, "EQ", json::array{condition.at("Value")});
}

const json::object& as_condition(const json::value& v) {
  if (!v.is_object()) {
    throw protocol::AwsError("SerializationException", "Unexpected value type in payload");
  }
  return v.get_object();
}

}  // namespace

Condition condition_from_expected(const json::object& expected,
                                  std::string_view conditional_operator) {
  std::vector<ConditionPtr> parts;
  for (const auto& kv : expected) {
    parts.push_back(expected_entry(kv.key(), as_condition(kv.value())));
  }
  return Condition(combine(std::move(parts), conditional_operator));
}

Condition condition_from_filter(const json::object& filter, std::string_view conditional_operator) {
  std::vector<ConditionPtr> parts;
  for (const auto& kv : filter) {
    parts.push_back(filter_entry(kv.key(), as_condition(kv.value())));
  }
  return Condition(combine(std::move(parts), conditional_operator));
}

namespace {

const std::map<std::string_view, SortKeyCondition::Op>& key_operators() {
  static const std::map<std::string_view, SortKeyCondition::Op> kOps = {
      {"EQ", SortKeyCondition::Op::Eq},
      {"LE", SortKeyCondition::Op::Le},
      {"LT", SortKeyCondition::Op::Lt},
      {"GE", SortKeyCondition::Op::Ge},
      {"GT", SortKeyCondition::Op::Gt},
      {"BETWEEN", SortKeyCondition::Op::Between},
      {"BEGINS_WITH", SortKeyCondition::Op::BeginsWith}};
  return kOps;
}

// KeyConditions on a multi-attribute key: one entry per key attribute used.
KeyCondition multi_key_condition_from_legacy(const json::object& key_conditions,
                                             const KeySchemaNames& schema) {
  std::size_t most = 2 + schema.more_partition.size() + schema.more_sort.size();
  if (key_conditions.empty() || key_conditions.size() > most) {
    invalid("Conditions can be of length 1 to " + std::to_string(most) + " only");
  }
  std::vector<KeyTerm> terms;
  for (const auto& kv : key_conditions) {
    const json::object& condition = as_condition(kv.value());
    filter_entry(kv.key(), condition);  // counts, types and values
    auto it = key_operators().find(operator_of(condition));
    if (it == key_operators().end()) {
      invalid("Attempted conditional constraint is not an indexable operation");
    }
    const json::array& values = value_list(condition);
    KeyTerm t{std::string(kv.key()), it->second, values[0],
              values.size() > 1 ? values[1] : json::value()};
    validate_value(t.value);
    if (!t.value2.is_null()) validate_value(t.value2);
    terms.push_back(std::move(t));
  }
  return key_condition_from_terms(std::move(terms), schema);
}

}  // namespace

KeyCondition key_condition_from_legacy(const json::object& key_conditions,
                                       const KeySchemaNames& schema) {
  if (!schema.more_partition.empty() || !schema.more_sort.empty()) {
    return multi_key_condition_from_legacy(key_conditions, schema);
  }
  if (key_conditions.empty() || key_conditions.size() > 2) {
    invalid("Conditions can be of length 1 or 2 only");
  }
  KeyCondition out;
  bool have_partition = false;
  for (const auto& kv : key_conditions) {
    const json::object& condition = as_condition(kv.value());
    filter_entry(kv.key(), condition);  // counts, types and values
    std::string op = operator_of(condition);
    const json::array& values = value_list(condition);
    if (kv.key() == schema.partition) {
      if (op != "EQ") {
        invalid("Query key condition not supported");
      }
      have_partition = true;
      out.partition_name = schema.partition;
      out.partition_value = values[0];
      validate_value(out.partition_value);
      continue;
    }
    if (!schema.sort || kv.key() != *schema.sort) {
      invalid("Query condition missed key schema element: " + schema.partition);
    }
    auto it = key_operators().find(op);
    if (it == key_operators().end()) {
      invalid("Attempted conditional constraint is not an indexable operation");
    }
    SortKeyCondition sort{*schema.sort, it->second, values[0],
                          values.size() > 1 ? values[1] : json::value()};
    validate_value(sort.value);
    if (!sort.value2.is_null()) {
      validate_value(sort.value2);
    }
    out.sort = std::move(sort);
  }
  if (!have_partition) {
    invalid("Query condition missed key schema element: " + schema.partition);
  }
  return out;
}

Projection projection_from_attributes_to_get(const json::array& names) {
  std::vector<Path> paths;
  std::set<std::string> seen;
  for (const json::value& n : names) {
    if (!n.is_string()) {
      throw protocol::AwsError("SerializationException", "Unexpected value type in payload");
    }
    std::string name(n.get_string());
    if (!seen.insert(name).second) {
      invalid(kInvalid + "Duplicate value in attribute name: " + name);
    }
    paths.push_back({PathElement{name}});
  }
  return Projection(std::move(paths));
}

Update update_from_attribute_updates(const json::object& updates) {
  using expr::UpdateAction;
  std::vector<std::shared_ptr<const UpdateAction>> actions;
  for (const auto& kv : updates) {
    const json::object& u = as_condition(kv.value());
    auto action_it = u.find("Action");
    std::string action = action_it != u.end() && action_it->value().is_string()
                             ? std::string(action_it->value().get_string())
                             : "PUT";
    auto value_it = u.find("Value");
    bool has_value = value_it != u.end() && !value_it->value().is_null();
    auto a = std::make_shared<UpdateAction>();
    a->path = {PathElement{std::string(kv.key())}};
    if (!has_value) {
      if (action != "DELETE") {
        invalid(kInvalid + "Only DELETE action is allowed when no attribute value is specified");
      }
      a->kind = UpdateAction::Kind::Remove;
      actions.push_back(std::move(a));
      continue;
    }
    a->value = value_operand(value_it->value());
    std::string_view type = type_of(a->value->value);
    bool is_set = type == "SS" || type == "NS" || type == "BS";
    if (action == "PUT") {
      a->kind = UpdateAction::Kind::Set;
    } else if (action == "ADD") {
      if (!is_set && type != "N" && type != "L") {
        invalid(kInvalid + "ADD action is not supported for the type " + std::string(type));
      }
      a->kind = UpdateAction::Kind::Add;
    } else {
      if (!is_set) {
        invalid(kInvalid + "DELETE action with value is not supported for the type " +
                std::string(type));
      }
      a->kind = UpdateAction::Kind::Delete;
    }
    actions.push_back(std::move(a));
  }
  return Update(std::move(actions));
}

}  // namespace services::dynamodb
