// KeyConditionExpression: parsed with the condition grammar, then checked for the shape Query
// accepts: "pk = :v" optionally AND one sort-key condition (=, <, <=, >, >=, BETWEEN,
// begins_with), each side one key attribute against values.

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "protocol/aws_error.h"
#include "services/dynamodb/core/attribute_value.h"
#include "services/dynamodb/core/expression_parser.h"

namespace services::dynamodb {
namespace json = boost::json;
using expr::ConditionNode;
using expr::Operand;

namespace {

[[noreturn]] void invalid(std::string message) {
  throw protocol::errors::validation(std::move(message));
}

[[noreturn]] void invalid_operator(std::string_view op) {
  invalid("Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: " +
          std::string(op));
}

void flatten_and(const ConditionNode& node, std::vector<const ConditionNode*>& out) {
  if (node.kind == ConditionNode::Kind::And) {
    flatten_and(*node.children[0], out);
    flatten_and(*node.children[1], out);
    return;
  }
  if (node.kind == ConditionNode::Kind::Or) {
    invalid_operator("OR");
  }
  if (node.kind == ConditionNode::Kind::Not) {
    invalid_operator("NOT");
  }
  if (node.kind == ConditionNode::Kind::In) {
    invalid_operator("IN");
  }
  out.push_back(&node);
}

using Op = SortKeyCondition::Op;

// The mirrored comparator for ":v < sk" written value-first.
Op mirrored(Op op) {
  switch (op) {
    case Op::Lt:
      return Op::Gt;
    case Op::Le:
      return Op::Ge;
    case Op::Gt:
      return Op::Lt;
    case Op::Ge:
      return Op::Le;
    default:
      return op;
  }
}

using Term = KeyTerm;

const std::string& key_name(const Operand& op) {
  if (op.kind != Operand::Kind::Path || op.path.size() != 1) {
    invalid("Query key condition not supported");
  }
  return op.path[0].name;
}

Term to_term(const ConditionNode& node) {
  Term t;
  if (node.kind == ConditionNode::Kind::Function) {
    const Operand& call = *node.operands[0];
    if (call.function != "begins_with") {
      invalid_operator(call.function);
    }
    t.attribute = key_name(*call.args[0]);
    t.op = Op::BeginsWith;
    t.value = call.args[1]->value;
    return t;
  }
  if (node.kind == ConditionNode::Kind::Between) {
    t.attribute = key_name(*node.operands[0]);
    t.op = Op::Between;
    t.value = node.operands[1]->value;
    t.value2 = node.operands[2]->value;
    return t;
  }
  static constexpr Op kOps[] = {Op::Eq, Op::Eq, Op::Lt, Op::Le, Op::Gt, Op::Ge};
  if (node.cmp == ConditionNode::Cmp::Ne) {
    invalid_operator("<>");
  }
  t.op = kOps[static_cast<int>(node.cmp)];
  const Operand* path = node.operands[0].get();
  const Operand* value = node.operands[1].get();
  if (path->kind == Operand::Kind::Value) {
    std::swap(path, value);
    t.op = mirrored(t.op);
  }
  t.attribute = key_name(*path);
  if (value->kind != Operand::Kind::Value) {
    invalid("Query key condition not supported");
  }
  t.value = value->value;
  return t;
}

}  // namespace

bool SortKeyCondition::matches(const json::value& sort_value) const {
  std::optional<int> c = compare_values(sort_value, value);
  switch (op) {
    case Op::Eq:
      return c && *c == 0;
    case Op::Lt:
      return c && *c < 0;
    case Op::Le:
      return c && *c <= 0;
    case Op::Gt:
      return c && *c > 0;
    case Op::Ge:
      return c && *c >= 0;
    case Op::Between: {
      std::optional<int> hi = compare_values(sort_value, value2);
      return c && hi && *c >= 0 && *hi <= 0;
    }
    case Op::BeginsWith: {
      std::string_view type = type_of(value);
      if (type != type_of(sort_value) || (type != "S" && type != "B")) {
        return false;
      }
      return order_key(sort_value).starts_with(order_key(value));
    }
  }
  return false;
}

Condition parse_key_condition(std::string_view text, ExpressionContext& ctx) {
  Condition parsed = parse_condition(text, ctx, "KeyConditionExpression");
  std::vector<const ConditionNode*> terms;
  flatten_and(*parsed.root(), terms);
  for (const ConditionNode* node : terms) {
    if (node->kind == ConditionNode::Kind::Function &&
        node->operands[0]->function != "begins_with") {
      invalid_operator(node->operands[0]->function);
    }
    if (node->kind == ConditionNode::Kind::Compare && node->cmp == ConditionNode::Cmp::Ne) {
      invalid_operator("<>");
    }
  }
  return parsed;
}

KeyCondition parse_key_condition(std::string_view text, ExpressionContext& ctx,
                                 const KeySchemaNames& schema) {
  return key_condition_of(parse_key_condition(text, ctx), schema);
}

KeyCondition key_condition_of(const Condition& parsed, const KeySchemaNames& schema) {
  std::vector<const ConditionNode*> nodes;
  flatten_and(*parsed.root(), nodes);
  std::vector<KeyTerm> terms;
  for (const ConditionNode* node : nodes) terms.push_back(to_term(*node));
  return key_condition_from_terms(std::move(terms), schema);
}

KeyCondition key_condition_from_terms(std::vector<KeyTerm> terms, const KeySchemaNames& schema) {
  std::vector<std::string> partitions{schema.partition};
  partitions.insert(partitions.end(), schema.more_partition.begin(), schema.more_partition.end());
  std::vector<std::string> sorts;
  if (schema.sort) sorts.push_back(*schema.sort);
  sorts.insert(sorts.end(), schema.more_sort.begin(), schema.more_sort.end());
  auto among = [](const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  std::map<std::string, KeyTerm> by_name;
  for (KeyTerm& t : terms) {
    bool partition = among(partitions, t.attribute);
    if (!partition && !among(sorts, t.attribute)) invalid("Query key condition not supported");
    if (by_name.contains(t.attribute)) {
      invalid("KeyConditionExpressions must only contain one condition per key");
    }
    if (partition && t.op != Op::Eq) invalid("Query key condition not supported");
    std::string name = t.attribute;
    by_name.emplace(std::move(name), std::move(t));
  }
  KeyCondition out;
  for (std::size_t i = 0; i < partitions.size(); ++i) {
    auto it = by_name.find(partitions[i]);
    if (it == by_name.end()) invalid("Query condition missed key schema element: " + partitions[i]);
    if (i == 0) {
      out.partition_name = partitions[i];
      out.partition_value = it->second.value;
    } else {
      out.more_partition_values.push_back(it->second.value);
    }
  }
  // A multi-attribute sort key is matched from its first attribute on, with no gap, and only
  // the last condition may be other than an equality.
  std::optional<std::string> gap;
  for (const std::string& name : sorts) {
    auto it = by_name.find(name);
    if (it == by_name.end()) {
      if (!gap) gap = name;
      continue;
    }
    if (gap) invalid("Query condition missed key schema element: " + *gap);
    if (out.sort) {
      if (out.sort->op != Op::Eq) invalid("Query key condition not supported");
      out.sort_prefix.push_back(std::move(*out.sort));
    }
    KeyTerm& t = it->second;
    out.sort = SortKeyCondition{name, t.op, std::move(t.value), std::move(t.value2)};
  }
  return out;
}

}  // namespace services::dynamodb
