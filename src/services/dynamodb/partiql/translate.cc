#include "services/dynamodb/partiql/translate.h"

#include <map>
#include <optional>
#include <set>

#include "services/dynamodb/core/attribute_value.h"
#include "services/dynamodb/errors.h"

namespace services::dynamodb::partiql {
namespace {

namespace json = boost::json;
using K = Expr::Kind;

// Writes statement parts as DynamoDB expression text with #n/:v placeholders, collecting
// ExpressionAttributeNames and ExpressionAttributeValues.
class ExpressionWriter {
 public:
  std::string name(const std::string& n) {
    auto [it, added] = name_of_.try_emplace(n, "#n" + std::to_string(name_of_.size()));
    if (added) names_[it->second] = n;
    return it->second;
  }
  std::string path(const Path& p) {
    std::string out;
    for (const PathElement& e : p) {
      out += e.is_index() ? "[" + std::to_string(e.index) + "]"
                          : (out.empty() ? "" : ".") + name(e.name);
    }
    return out;
  }
  std::string value(const json::value& v) {
    std::string key = ":v" + std::to_string(values_.size());
    values_[key] = v;
    return key;
  }
  // Precedence: OR 1, AND 2, NOT 3, everything else 4. A node below `min` is parenthesized,
  // and nothing else is: DynamoDB rejects redundant parentheses.
  std::string condition(const Expr& e, int min = 0);
  std::string operand(const Expr& e);
  // Adds the names and values to `req` (only those that were used).
  void finish(json::object& req) const {
    if (!names_.empty()) req["ExpressionAttributeNames"] = names_;
    if (!values_.empty()) req["ExpressionAttributeValues"] = values_;
  }

 private:
  std::map<std::string, std::string> name_of_;
  json::object names_;
  json::object values_;
};

int precedence(const Expr& e) {
  return e.kind == K::Or ? 1 : e.kind == K::And ? 2 : e.kind == K::Not ? 3 : 4;
}

// IS <type> as attribute_type's type code.
std::string type_code(const std::string& is) {
  static const std::map<std::string, std::string> codes = {
      {"NULL", "NULL"}, {"BOOLEAN", "BOOL"}, {"BLOB", "B"},   {"STRING", "S"},
      {"NUMERIC", "N"}, {"STRUCT", "M"},     {"LIST", "L"}};
  return codes.at(is);
}

std::string ExpressionWriter::operand(const Expr& e) {
  switch (e.kind) {
    case K::Path: return path(e.path);
    case K::Value: return value(e.value);
    case K::Plus:
    case K::Minus: {
      std::string left = operand(*e.args[0]);  // placeholders numbered left to right
      return left + (e.kind == K::Plus ? " + " : " - ") + operand(*e.args[1]);
    }
    case K::Call: {
      std::string out = e.op + "(";
      for (std::size_t i = 0; i < e.args.size(); ++i) {
        out += (i ? ", " : "") + operand(*e.args[i]);
      }
      return out + ")";
    }
    default: throw errors::validation("WHERE clause must contain an expression that resolves to a boolean");
  }
}

std::string ExpressionWriter::condition(const Expr& e, int min) {
  std::string out;
  switch (e.kind) {
    case K::Or:
    case K::And: {
      int p = precedence(e);
      out = condition(*e.args[0], p);  // placeholders numbered left to right
      out += (e.kind == K::Or ? " OR " : " AND ") + condition(*e.args[1], p);
      break;
    }
    case K::Not: out = "NOT " + condition(*e.args[0], 3); break;
    case K::Compare:
      out = operand(*e.args[0]);
      out += " " + e.op + " " + operand(*e.args[1]);
      break;
    case K::Between:
      out = operand(*e.args[0]);
      out += " BETWEEN " + operand(*e.args[1]);
      out += " AND " + operand(*e.args[2]);
      break;
    case K::In: {
      out = operand(*e.args[0]) + " IN (";
      for (std::size_t i = 1; i < e.args.size(); ++i) {
        out += (i > 1 ? ", " : "") + operand(*e.args[i]);
      }
      out += ")";
      break;
    }
    case K::Is:
      if (e.op == "MISSING") {
        out = std::string(e.negated ? "attribute_exists(" : "attribute_not_exists(") +
              path(e.args[0]->path) + ")";
      } else {
        out = std::string(e.negated ? "NOT " : "") + "attribute_type(" + path(e.args[0]->path);
        out += ", " + value(json::object{{"S", type_code(e.op)}}) + ")";
        if (e.negated && min > 3) out = "(" + out + ")";
      }
      break;
    case K::Call: out = operand(e); break;
    default:
      throw errors::validation("WHERE clause must contain an expression that resolves to a boolean");
  }
  return precedence(e) < min ? "(" + out + ")" : out;
}

// The conjuncts of a WHERE: its top-level ANDs flattened.
void conjuncts(const ExprPtr& e, std::vector<ExprPtr>& out) {
  if (!e) return;
  if (e->kind == K::And) {
    conjuncts(e->args[0], out);
    conjuncts(e->args[1], out);
  } else {
    out.push_back(e);
  }
}

ExprPtr conjunction(const std::vector<ExprPtr>& parts) {
  ExprPtr out;
  for (const ExprPtr& p : parts) {
    if (!out) {
      out = p;
      continue;
    }
    Expr e;
    e.kind = K::And;
    e.args = {out, p};
    out = std::make_shared<const Expr>(std::move(e));
  }
  return out;
}

bool is_attribute(const Expr& e, const std::string& name) {
  return e.kind == K::Path && e.path.size() == 1 && e.path[0].name == name;
}

// `name = value` (either way round): the value, else nullopt.
std::optional<json::value> equality_on(const Expr& e, const std::string& name) {
  if (e.kind != K::Compare || e.op != "=") return std::nullopt;
  if (is_attribute(*e.args[0], name) && e.args[1]->kind == K::Value) return e.args[1]->value;
  if (is_attribute(*e.args[1], name) && e.args[0]->kind == K::Value) return e.args[0]->value;
  return std::nullopt;
}

bool mentions(const Expr& e, const KeySchema& keys) {
  if (e.kind == K::Path) {
    const std::string& top = e.path.front().name;
    return top == keys.hash.name || (keys.range && top == keys.range->name);
  }
  for (const ExprPtr& a : e.args) {
    if (mentions(*a, keys)) return true;
  }
  return false;
}

// A WHERE split into the primary key's equalities and everything else.
struct KeySplit {
  json::object key;
  std::vector<ExprPtr> rest;
  bool complete = false;
};

KeySplit split_key(const ExprPtr& where, const KeySchema& keys) {
  KeySplit out;
  std::vector<ExprPtr> parts;
  conjuncts(where, parts);
  std::vector<const KeyAttr*> wanted{&keys.hash};
  if (keys.range) wanted.push_back(&*keys.range);
  for (const ExprPtr& p : parts) {
    bool used = false;
    for (const KeyAttr* k : wanted) {
      std::optional<json::value> v = equality_on(*p, k->name);
      if (v && !out.key.contains(k->name)) {
        if (type_of(*v) != k->type) {
          throw errors::validation(
              "Key attribute's data type should match its data type in table's schema: Key " +
              k->name);
        }
        out.key[k->name] = std::move(*v);
        used = true;
        break;
      }
    }
    if (!used) out.rest.push_back(p);
  }
  out.complete = out.key.size() == wanted.size();
  return out;
}

KeySplit full_key(const ExprPtr& where, const Table& table) {
  KeySplit split = split_key(where, table.keys);
  if (!split.complete) {
    throw errors::validation(
        "Where clause does not contain a mandatory equality on all key attributes");
  }
  return split;
}

// The sort-key condition a Query can take from `e`, written into `w`; "" when `e` is none.
std::string sort_condition(const Expr& e, const std::string& sort, ExpressionWriter& w) {
  if (e.kind == K::Compare && e.op != "<>") {
    static const std::map<std::string, std::string> flipped = {
        {"=", "="}, {"<", ">"}, {"<=", ">="}, {">", "<"}, {">=", "<="}};
    if (is_attribute(*e.args[0], sort) && e.args[1]->kind == K::Value) {
      std::string path = w.path(e.args[0]->path);
      return path + " " + e.op + " " + w.value(e.args[1]->value);
    }
    if (is_attribute(*e.args[1], sort) && e.args[0]->kind == K::Value) {
      std::string path = w.path(e.args[1]->path);
      return path + " " + flipped.at(e.op) + " " + w.value(e.args[0]->value);
    }
  }
  if (e.kind == K::Between && is_attribute(*e.args[0], sort) && e.args[1]->kind == K::Value &&
      e.args[2]->kind == K::Value) {
    return w.condition(e);
  }
  if (e.kind == K::Call && e.op == "begins_with" && e.args.size() == 2 &&
      is_attribute(*e.args[0], sort) && e.args[1]->kind == K::Value) {
    return w.condition(e);
  }
  return "";
}

// The top-level attributes of the SELECT's paths: the nested ones are taken from them when the
// results are named (a projection would renumber the list elements it keeps).
std::string projection_text(const std::vector<Path>& paths, ExpressionWriter& w) {
  std::string out;
  std::set<std::string> seen;
  for (const Path& p : paths) {
    if (seen.insert(p.front().name).second) {
      out += (out.empty() ? "" : ", ") + w.name(p.front().name);
    }
  }
  return out;
}

const Index* index_of(const Statement& st, const Table& table, bool consistent) {
  if (!st.index) return nullptr;
  const Index* index = table.index(*st.index);
  if (!index) throw errors::validation("The table does not have the specified index");
  if (index->global && consistent) {
    throw errors::validation(
        "Strongly consistent read is not supported on Global Secondary Indexes");
  }
  return index;
}

// ORDER BY names keys of what is read; DESC on the sort key reads backwards.
bool forward_order(const Statement& st, const KeySchema& keys) {
  bool forward = true;
  for (const Statement::Order& o : st.order_by) {
    bool hash = o.name == keys.hash.name;
    bool range = keys.range && o.name == keys.range->name;
    if (!hash && !range) {
      throw errors::validation("Variable reference " + o.name +
                               " in ORDER BY clause must be part of the primary key");
    }
    if (range) forward = !o.descending;
  }
  return forward;
}

Plan plan_select(const Statement& st, const Table& table, bool consistent) {
  Plan p;
  p.projection = st.projection;
  const Index* index = index_of(st, table, consistent);
  const KeySchema& keys = index ? index->keys : table.keys;
  ExpressionWriter w;
  json::object& req = p.request;
  req["TableName"] = table.name;
  if (index) req["IndexName"] = index->name;
  std::vector<ExprPtr> parts;
  conjuncts(st.where, parts);
  std::optional<std::size_t> hash_at;
  for (std::size_t i = 0; i < parts.size() && !hash_at; ++i) {
    if (equality_on(*parts[i], keys.hash.name)) hash_at = i;
  }
  std::string key_text;
  std::vector<ExprPtr> rest;
  if (hash_at) {
    key_text = w.condition(*parts[*hash_at]);
    std::string sort;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (i == *hash_at) continue;
      if (sort.empty() && keys.range) {
        sort = sort_condition(*parts[i], keys.range->name, w);
        if (!sort.empty()) continue;
      }
      rest.push_back(parts[i]);
    }
    if (!sort.empty()) key_text += " AND " + sort;
  }
  ExprPtr filter = conjunction(rest);
  // A Query's filter may not name a key attribute; such a statement runs as a Scan of the whole
  // WHERE, which selects the same items in the same order.
  bool query = hash_at && !(filter && mentions(*filter, keys));
  if (!st.order_by.empty() && !query) {
    throw errors::validation(
        "Must have at least one non-optional hash key condition in WHERE clause when using ORDER "
        "BY clause.");
  }
  if (query) {
    p.op = Plan::Op::Query;
    req["KeyConditionExpression"] = key_text;
    if (!forward_order(st, keys)) req["ScanIndexForward"] = false;
  } else {
    p.op = Plan::Op::Scan;
    w = ExpressionWriter();
    filter = st.where;
  }
  if (filter) req["FilterExpression"] = w.condition(*filter);
  if (!st.projection.empty()) req["ProjectionExpression"] = projection_text(st.projection, w);
  w.finish(req);
  return p;
}

// The UpdateExpression of an UPDATE's actions: SET, REMOVE, and set_add / set_delete as ADD and
// DELETE.
std::string update_text(const Statement& st, ExpressionWriter& w) {
  std::map<std::string, std::vector<std::string>> clauses;
  for (const UpdateAction& a : st.actions) {
    if (a.kind == UpdateAction::Kind::Remove) {
      clauses["REMOVE"].push_back(w.path(a.path));
      continue;
    }
    const Expr& v = *a.value;
    if (v.kind == K::Call && (v.op == "set_add" || v.op == "set_delete")) {
      std::string fn = v.op == "set_add" ? "ADD" : "DELETE";
      if (v.args.size() != 2) throw errors::validation("SET_" + fn + " must have exactly two arguments");
      if (v.args[0]->kind != K::Path || v.args[0]->path != a.path) {
        throw errors::validation("The first argument to SET_" + fn +
                                 " must equal the assignment value");
      }
      std::string_view type = v.args[1]->kind == K::Value ? type_of(v.args[1]->value) : "";
      if (type != "SS" && type != "NS" && type != "BS") {
        throw errors::validation("The second argument to SET_" + fn +
                                 " must be a value with type SET");
      }
      std::string path = w.path(a.path);
      clauses[fn].push_back(path + " " + w.value(v.args[1]->value));
      continue;
    }
    std::string path = w.path(a.path);
    clauses["SET"].push_back(path + " = " + w.operand(v));
  }
  std::string out;
  for (const char* clause : {"SET", "REMOVE", "ADD", "DELETE"}) {
    auto it = clauses.find(clause);
    if (it == clauses.end()) continue;
    out += (out.empty() ? "" : " ") + std::string(clause) + " ";
    for (std::size_t i = 0; i < it->second.size(); ++i) out += (i ? ", " : "") + it->second[i];
  }
  return out;
}

Plan plan_write(const Statement& st, const Table& table) {
  if (st.index) throw errors::validation("This operation is not supported on an index");
  Plan p;
  ExpressionWriter w;
  json::object& req = p.request;
  req["TableName"] = table.name;
  const std::string& hash = table.keys.hash.name;
  if (st.kind == Statement::Kind::Insert) {
    p.op = Plan::Op::Put;
    req["Item"] = st.item;
    req["ConditionExpression"] = "attribute_not_exists(" + w.name(hash) + ")";
    w.finish(req);
    return p;
  }
  KeySplit split = full_key(st.where, table);
  req["Key"] = split.key;
  ExprPtr rest = conjunction(split.rest);
  if (st.kind == Statement::Kind::Update) {
    p.op = Plan::Op::Update;
    req["UpdateExpression"] = update_text(st, w);
    std::string exists = "attribute_exists(" + w.name(hash) + ")";
    req["ConditionExpression"] = rest ? exists + " AND " + w.condition(*rest, 2) : exists;
  } else if (st.kind == Statement::Kind::Delete) {
    p.op = Plan::Op::Delete;
    if (rest) {
      std::string missing = "attribute_not_exists(" + w.name(hash) + ")";
      req["ConditionExpression"] = missing + " OR " + w.condition(*rest, 1);
    }
  } else {
    p.op = Plan::Op::ConditionCheck;
    if (!rest) {
      throw errors::validation(
          "EXISTS() must contain a single item read with additional condition");
    }
    req["ConditionExpression"] = w.condition(*rest);
  }
  if (!st.returning.empty()) req["ReturnValues"] = st.returning;
  w.finish(req);
  return p;
}

// SELECT inside ExecuteTransaction: a Get by the whole primary key and nothing else.
Plan plan_get(const Statement& st, const Table& table) {
  if (st.index) throw errors::validation("Reads on indices are not supported within transactions.");
  KeySplit split = split_key(st.where, table.keys);
  if (!split.complete || !split.rest.empty() || !st.order_by.empty()) {
    throw errors::validation(
        "Select statements within ExecuteTransaction must specify the primary key in the where "
        "clause.");
  }
  Plan p;
  p.op = Plan::Op::Get;
  p.projection = st.projection;
  p.request["TableName"] = table.name;
  p.request["Key"] = split.key;
  ExpressionWriter w;
  if (!st.projection.empty()) {
    p.request["ProjectionExpression"] = projection_text(st.projection, w);
  }
  w.finish(p.request);
  return p;
}

}  // namespace

Plan plan(const Statement& st, const Table& table, Surface surface, bool consistent) {
  if (st.kind == Statement::Kind::Exists && surface != Surface::Transaction) {
    throw errors::validation("EXISTS can only be used in ExecuteTransaction write requests.");
  }
  if (st.kind != Statement::Kind::Select) return plan_write(st, table);
  if (surface == Surface::Transaction) return plan_get(st, table);
  if (surface == Surface::Batch) {
    KeySplit split = split_key(st.where, table.keys);
    if (st.index || !split.complete) {
      throw errors::validation(
          "Select statements within BatchExecuteStatement must specify the primary key in the "
          "where clause.");
    }
  }
  return plan_select(st, table, consistent);
}

std::string result_name(const Path& path) {
  std::size_t last = 0;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (!path[i].is_index()) last = i;
  }
  std::string out = path[last].name;
  for (std::size_t i = last + 1; i < path.size(); ++i) {
    out += "[" + std::to_string(path[i].index) + "]";
  }
  return out;
}

}  // namespace services::dynamodb::partiql
