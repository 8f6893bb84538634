// KeyConditionExpression: parsed with the condition grammar, then checked for the shape Query
// accepts: "pk = :v" optionally AND one sort-key condition (=, <, <=, >, >=, BETWEEN,
// begins_with), each side one key attribute against values.

#include <string>

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

struct Term {
  std::string attribute;
  Op op = Op::Eq;
  json::value value;
  json::value value2;
};

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
  std::vector<const ConditionNode*> terms;
  flatten_and(*parsed.root(), terms);
  KeyCondition out;
  bool have_partition = false;
  for (const ConditionNode* node : terms) {
    Term t = to_term(*node);
    if (t.attribute == schema.partition) {
      if (have_partition) {
        invalid("KeyConditionExpressions must only contain one condition per key");
      }
      if (t.op != Op::Eq) {
        invalid("Query key condition not supported");
      }
      have_partition = true;
      out.partition_name = t.attribute;
      out.partition_value = std::move(t.value);
    } else if (schema.sort && t.attribute == *schema.sort) {
      if (out.sort) {
        invalid("KeyConditionExpressions must only contain one condition per key");
      }
      out.sort = SortKeyCondition{t.attribute, t.op, std::move(t.value), std::move(t.value2)};
    } else {
      invalid("Query key condition not supported");
    }
  }
  if (!have_partition) {
    invalid("Query condition missed key schema element: " + schema.partition);
  }
  return out;
}

}  // namespace services::dynamodb
