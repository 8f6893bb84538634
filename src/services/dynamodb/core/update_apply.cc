// Applying an UpdateExpression and a projection to an item.
//
// Every SET value is computed from the item as it was before the update (so "SET a = b, b = a"
// swaps), then the actions are applied in order, REMOVEs last and, within one list, from the
// highest index down so that "REMOVE l[0], l[2]" removes the elements the indexes named.

#include <algorithm>
#include <set>

#include "protocol/aws_error.h"
#include "services/dynamodb/core/attribute_value.h"
#include "services/dynamodb/core/expression_ast.h"
#include "services/dynamodb/core/number.h"

namespace services::dynamodb {
namespace json = boost::json;
using expr::Operand;
using expr::UpdateAction;

namespace {

[[noreturn]] void missing_attribute() {
  throw protocol::errors::validation(
      "The provided expression refers to an attribute that does not exist in the item");
}

[[noreturn]] void wrong_type() {
  throw protocol::errors::validation(
      "An operand in the update expression has an incorrect data type");
}

[[noreturn]] void invalid_path() {
  throw protocol::errors::validation(
      "The document path provided in the update expression is invalid for update");
}

json::value& member(json::value& v) { return v.as_object().begin()->value(); }
const json::value& member(const json::value& v) { return v.as_object().begin()->value(); }

json::value typed(std::string_view type, json::value m) {
  json::object o;
  o[type] = std::move(m);
  return o;
}

json::value set_value(const Operand& op, const json::object& item) {
  switch (op.kind) {
    case Operand::Kind::Path: {
      const json::value* v = expr::resolve(item, op.path);
      if (!v) {
        missing_attribute();
      }
      return *v;
    }
    case Operand::Kind::Value:
      return op.value;
    case Operand::Kind::Plus:
    case Operand::Kind::Minus: {
      json::value a = set_value(*op.args[0], item);
      json::value b = set_value(*op.args[1], item);
      if (type_of(a) != "N" || type_of(b) != "N") {
        wrong_type();
      }
      Number x = Number::parse(member(a).get_string());
      Number y = Number::parse(member(b).get_string());
      Number r = op.kind == Operand::Kind::Plus ? Number::add(x, y) : Number::subtract(x, y);
      return typed("N", json::string(r.to_string()));
    }
    case Operand::Kind::Function:
      break;
  }
  if (op.function == "if_not_exists") {
    const json::value* v = expr::resolve(item, op.args[0]->path);
    return v ? *v : set_value(*op.args[1], item);
  }
  json::value a = set_value(*op.args[0], item);  // list_append
  json::value b = set_value(*op.args[1], item);
  if (type_of(a) != "L" || type_of(b) != "L") {
    wrong_type();
  }
  json::array joined = member(a).get_array();
  for (const json::value& e : member(b).get_array()) {
    joined.push_back(e);
  }
  return typed("L", std::move(joined));
}

// The container holding the path's last element: the item itself for a top-level name, else
// the M or L value at the path minus its last element; null when that does not exist.
json::value* parent_of(json::object& item, const Path& path) {
  auto it = item.find(path[0].name);
  if (it == item.end()) {
    return nullptr;
  }
  json::value* v = &it->value();
  for (std::size_t i = 1; i + 1 < path.size(); ++i) {
    std::string_view type = type_of(*v);
    if (path[i].is_index()) {
      if (type != "L" || static_cast<std::size_t>(path[i].index) >= member(*v).get_array().size()) {
        return nullptr;
      }
      v = &member(*v).get_array()[static_cast<std::size_t>(path[i].index)];
    } else {
      if (type != "M") {
        return nullptr;
      }
      json::object& map = member(*v).get_object();
      auto m = map.find(path[i].name);
      if (m == map.end()) {
        return nullptr;
      }
      v = &m->value();
    }
  }
  return v;
}

void assign(json::object& item, const Path& path, json::value value) {
  if (path.size() == 1) {
    item[path[0].name] = std::move(value);
    return;
  }
  json::value* parent = parent_of(item, path);
  if (!parent) {
    invalid_path();
  }
  const PathElement& last = path.back();
  std::string_view type = type_of(*parent);
  if (last.is_index()) {
    if (type != "L") {
      invalid_path();
    }
    json::array& list = member(*parent).get_array();
    if (static_cast<std::size_t>(last.index) >= list.size()) {
      list.push_back(std::move(value));  // past the end appends, as DynamoDB does
    } else {
      list[static_cast<std::size_t>(last.index)] = std::move(value);
    }
    return;
  }
  if (type != "M") {
    invalid_path();
  }
  member(*parent).get_object()[last.name] = std::move(value);
}

void remove(json::object& item, const Path& path) {
  if (path.size() == 1) {
    item.erase(path[0].name);
    return;
  }
  json::value* parent = parent_of(item, path);
  if (!parent) {
    return;
  }
  const PathElement& last = path.back();
  std::string_view type = type_of(*parent);
  if (last.is_index() && type == "L") {
    json::array& list = member(*parent).get_array();
    if (static_cast<std::size_t>(last.index) < list.size()) {
      list.erase(list.begin() + last.index);
    }
  } else if (!last.is_index() && type == "M") {
    member(*parent).get_object().erase(last.name);
  } else {
    invalid_path();
  }
}

bool is_set(std::string_view type) { return type == "SS" || type == "NS" || type == "BS"; }

// Set members as order keys, so that membership is by value ("1" and "1.0" are one number).
std::set<std::string> member_keys(std::string_view scalar, const json::array& members) {
  std::set<std::string> keys;
  for (const json::value& m : members) {
    keys.insert(order_key(typed(scalar, m)));
  }
  return keys;
}

// ADD: a number is added to a number, a set's members to a set of the same type (and, for the
// legacy AttributeUpdates only, a list to a list); a missing attribute takes the operand's value.
json::value add_value(const json::value* current, const json::value& operand) {
  if (!current) {
    return operand;
  }
  std::string_view type = type_of(*current);
  if (type != type_of(operand)) {
    wrong_type();
  }
  json::value out = *current;
  if (type == "N") {
    Number sum = Number::add(Number::parse(member(out).get_string()),
                             Number::parse(member(operand).get_string()));
    member(out) = json::string(sum.to_string());
    return out;
  }
  if (type == "L") {  // legacy AttributeUpdates ADD appends to a list
    for (const json::value& e : member(operand).get_array()) {
      member(out).get_array().push_back(e);
    }
    return out;
  }
  if (!is_set(type)) {
    wrong_type();
  }
  std::string_view scalar = type.substr(0, 1);
  json::array& set = member(out).get_array();
  std::set<std::string> present = member_keys(scalar, set);
  for (const json::value& m : member(operand).get_array()) {
    if (present.insert(order_key(typed(scalar, m))).second) {
      set.push_back(m);
    }
  }
  return out;
}

// DELETE: the operand's members leave the set; an emptied set removes the attribute (nullopt).
std::optional<json::value> delete_value(const json::value& current, const json::value& operand) {
  std::string_view type = type_of(current);
  if (type != type_of(operand) || !is_set(type)) {
    wrong_type();
  }
  std::string_view scalar = type.substr(0, 1);
  json::array kept;
  std::set<std::string> removed = member_keys(scalar, member(operand).get_array());
  for (const json::value& e : member(current).get_array()) {
    if (!removed.contains(order_key(typed(scalar, e)))) {
      kept.push_back(e);
    }
  }
  if (kept.empty()) {
    return std::nullopt;
  }
  return typed(type, std::move(kept));
}

// Orders REMOVE actions so that within one list the higher index goes first.
bool remove_before(const Path& a, const Path& b) {
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i] == b[i]) {
      continue;
    }
    if (a[i].is_index() && b[i].is_index()) {
      return a[i].index > b[i].index;
    }
    return false;
  }
  return false;
}

}  // namespace

json::object Update::apply(const json::object& item) const {
  std::vector<std::optional<json::value>> values;
  values.reserve(actions_.size());
  for (const auto& a : actions_) {
    values.push_back(a->kind == UpdateAction::Kind::Set
                         ? std::optional<json::value>(set_value(*a->value, item))
                         : std::nullopt);
  }
  json::object out = item;
  std::vector<Path> removes;
  for (std::size_t i = 0; i < actions_.size(); ++i) {
    const UpdateAction& a = *actions_[i];
    switch (a.kind) {
      case UpdateAction::Kind::Set:
        assign(out, a.path, std::move(*values[i]));
        break;
      case UpdateAction::Kind::Remove:
        removes.push_back(a.path);
        break;
      case UpdateAction::Kind::Add:
        assign(out, a.path, add_value(expr::resolve(out, a.path), a.value->value));
        break;
      case UpdateAction::Kind::Delete: {
        const json::value* current = expr::resolve(out, a.path);
        if (!current) {
          break;
        }
        std::optional<json::value> left = delete_value(*current, a.value->value);
        if (left) {
          assign(out, a.path, std::move(*left));
        } else {
          remove(out, a.path);
        }
        break;
      }
    }
  }
  std::stable_sort(removes.begin(), removes.end(), remove_before);
  for (const Path& p : removes) {
    remove(out, p);
  }
  return out;
}

}  // namespace services::dynamodb
