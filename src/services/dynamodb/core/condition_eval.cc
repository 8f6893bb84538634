// Evaluation of conditions and operands against one item. A path that does not resolve, or an
// operand of a type the operator does not apply to, makes the comparison false, as in DynamoDB;
// nothing here throws for item content except number arithmetic (in updates).

#include <algorithm>
#include <string>

#include "core/base64.h"
#include "protocol/aws_error.h"
#include "services/dynamodb/core/attribute_value.h"
#include "services/dynamodb/core/expression_ast.h"
#include "services/dynamodb/core/number.h"

namespace services::dynamodb::expr {
namespace json = boost::json;

namespace {

const json::value& member(const json::value& v) { return v.as_object().begin()->value(); }

json::value typed(std::string_view type, json::value m) {
  json::object o;
  o[type] = std::move(m);
  return o;
}

// size(): string length in bytes, binary length in bytes, element count for sets, lists and maps.
std::optional<json::value> size_of(const json::value& v) {
  std::string_view type = type_of(v);
  const json::value& m = member(v);
  std::size_t n = 0;
  if (type == "S") {
    n = m.get_string().size();
  } else if (type == "B") {
    n = core::base64_decode(m.get_string()).value_or("").size();
  } else if (type == "SS" || type == "NS" || type == "BS" || type == "L") {
    n = m.get_array().size();
  } else if (type == "M") {
    n = m.get_object().size();
  } else {
    return std::nullopt;
  }
  return typed("N", json::string(std::to_string(n)));
}

bool begins_with(const json::value& a, const json::value& b) {
  std::string_view ta = type_of(a);
  if (ta != type_of(b) || (ta != "S" && ta != "B")) {
    return false;
  }
  if (ta == "S") {
    return member(a).get_string().starts_with(std::string_view(member(b).get_string()));
  }
  std::string x = core::base64_decode(member(a).get_string()).value_or("");
  std::string y = core::base64_decode(member(b).get_string()).value_or("");
  return x.starts_with(y);
}

bool contains(const json::value& a, const json::value& b) {
  std::string_view ta = type_of(a);
  std::string_view tb = type_of(b);
  if (ta == "S" && tb == "S") {
    return std::string_view(member(a).get_string())
               .find(std::string_view(member(b).get_string())) != std::string_view::npos;
  }
  if (ta == "B" && tb == "B") {
    std::string x = core::base64_decode(member(a).get_string()).value_or("");
    std::string y = core::base64_decode(member(b).get_string()).value_or("");
    return x.find(y) != std::string::npos;
  }
  if ((ta == "SS" || ta == "NS" || ta == "BS") && tb == ta.substr(0, 1)) {
    const json::array& set = member(a).get_array();
    return std::any_of(set.begin(), set.end(),
                       [&](const json::value& m) { return values_equal(typed(tb, m), b); });
  }
  if (ta == "L") {
    const json::array& list = member(a).get_array();
    return std::any_of(list.begin(), list.end(),
                       [&](const json::value& e) { return values_equal(e, b); });
  }
  return false;
}

bool compare(ConditionNode::Cmp cmp, const std::optional<json::value>& a,
             const std::optional<json::value>& b) {
  using Cmp = ConditionNode::Cmp;
  if (cmp == Cmp::Eq) {
    return a && b && values_equal(*a, *b);
  }
  if (cmp == Cmp::Ne) {
    return !(a && b && values_equal(*a, *b));
  }
  if (!a || !b) {
    return false;
  }
  std::optional<int> c = compare_values(*a, *b);
  if (!c) {
    return false;
  }
  switch (cmp) {
    case Cmp::Lt:
      return *c < 0;
    case Cmp::Le:
      return *c <= 0;
    case Cmp::Gt:
      return *c > 0;
    default:
      return *c >= 0;
  }
}

bool evaluate_function(const Operand& call, const json::object& item) {
  const std::string& f = call.function;
  if (f == "attribute_exists") {
    return resolve(item, call.args[0]->path) != nullptr;
  }
  if (f == "attribute_not_exists") {
    return resolve(item, call.args[0]->path) == nullptr;
  }
  std::optional<json::value> a = evaluate(*call.args[0], item);
  std::optional<json::value> b = evaluate(*call.args[1], item);
  if (!a || !b) {
    return false;
  }
  if (f == "attribute_type") {
    return type_of(*b) == "S" && type_of(*a) == std::string_view(member(*b).get_string());
  }
  if (f == "begins_with") {
    return begins_with(*a, *b);
  }
  return contains(*a, *b);
}

}  // namespace

const json::value* resolve(const json::object& item, const Path& path) {
  if (path.empty()) {
    return nullptr;
  }
  auto it = item.find(path[0].name);
  if (it == item.end()) {
    return nullptr;
  }
  const json::value* v = &it->value();
  for (std::size_t i = 1; i < path.size(); ++i) {
    std::string_view type = type_of(*v);
    if (path[i].is_index()) {
      if (type != "L") {
        return nullptr;
      }
      const json::array& list = member(*v).get_array();
      if (static_cast<std::size_t>(path[i].index) >= list.size()) {
        return nullptr;
      }
      v = &list[static_cast<std::size_t>(path[i].index)];
    } else {
      if (type != "M") {
        return nullptr;
      }
      const json::object& map = member(*v).get_object();
      auto m = map.find(path[i].name);
      if (m == map.end()) {
        return nullptr;
      }
      v = &m->value();
    }
  }
  return v;
}

std::optional<json::value> evaluate(const Operand& op, const json::object& item) {
  switch (op.kind) {
    case Operand::Kind::Path: {
      const json::value* v = resolve(item, op.path);
      return v ? std::optional<json::value>(*v) : std::nullopt;
    }
    case Operand::Kind::Value:
      return op.value;
    case Operand::Kind::Function:
      if (op.function == "size") {
        std::optional<json::value> v = evaluate(*op.args[0], item);
        return v ? size_of(*v) : std::nullopt;
      }
      return typed("BOOL", evaluate_function(op, item));
    default:
      return std::nullopt;  // Plus, Minus, if_not_exists, list_append: update_apply.cc
  }
}

bool evaluate(const ConditionNode& node, const json::object& item) {
  using Kind = ConditionNode::Kind;
  switch (node.kind) {
    case Kind::And:
      return evaluate(*node.children[0], item) && evaluate(*node.children[1], item);
    case Kind::Or:
      return evaluate(*node.children[0], item) || evaluate(*node.children[1], item);
    case Kind::Not:
      return !evaluate(*node.children[0], item);
    case Kind::Function:
      return evaluate_function(*node.operands[0], item);
    case Kind::Compare:
      return compare(node.cmp, evaluate(*node.operands[0], item),
                     evaluate(*node.operands[1], item));
    case Kind::Between: {
      std::optional<json::value> a = evaluate(*node.operands[0], item);
      return compare(ConditionNode::Cmp::Ge, a, evaluate(*node.operands[1], item)) &&
             compare(ConditionNode::Cmp::Le, a, evaluate(*node.operands[2], item));
    }
    case Kind::In: {
      std::optional<json::value> a = evaluate(*node.operands[0], item);
      for (std::size_t i = 1; i < node.operands.size(); ++i) {
        if (compare(ConditionNode::Cmp::Eq, a, evaluate(*node.operands[i], item))) {
          return true;
        }
      }
      return false;
    }
  }
  return false;
}

}  // namespace services::dynamodb::expr
