#include "services/dynamodb/partiql/statement_runner.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/base64.h"
#include "core/hex.h"
#include "core/json.h"
#include "core/sha256.h"
#include "services/dynamodb/errors.h"
#include "services/dynamodb/partiql/parser.h"
#include "services/dynamodb/wire_values.h"

namespace services::dynamodb::partiql {
namespace {

namespace json = boost::json;

// Runs a handler, a thrown AwsError returned like a returned one.
template <class F>
Reply guarded(F&& f) {
  try {
    return f();
  } catch (const protocol::AwsError& e) {
    return e;
  }
}

// The value at `path` in an item in the model's form; null when it does not resolve.
const json::value* resolve(const json::object& item, const Path& path) {
  const json::value* v = item.if_contains(path.front().name);
  for (std::size_t i = 1; v && i < path.size(); ++i) {
    if (!v->is_object()) return nullptr;
    const json::object& av = v->as_object();
    if (path[i].is_index()) {
      const json::value* list = av.if_contains("L");
      if (!list || !list->is_array() ||
          static_cast<std::size_t>(path[i].index) >= list->as_array().size()) {
        return nullptr;
      }
      v = &list->as_array()[path[i].index];
    } else {
      const json::value* map = av.if_contains("M");
      v = map && map->is_object() ? map->as_object().if_contains(path[i].name) : nullptr;
    }
  }
  return v;
}

void copy_member(const json::object& from, json::object& to, std::string_view name) {
  if (const json::value* v = from.if_contains(name)) to[name] = *v;
}

}  // namespace

Statement parse_member(const json::object& member) {
  static const json::array kNone;
  const json::array* params = core::arr(member, "Parameters");
  return parse_statement(core::str(member, "Statement"), params ? *params : kNone);
}

Prepared prepare(DynamoDbService& svc, const Ctx& ctx, Statement statement, Surface surface,
                 bool consistent) {
  Prepared p;
  p.statement = std::move(statement);
  {
    store::Transaction tx = svc.db().read();
    DdbStore st(tx);
    p.table = svc.active_table(st, ctx, p.statement.table);
  }
  p.plan = plan(p.statement, *p.table, surface, consistent);
  return p;
}

protocol::AwsError partiql_error(const Statement& st, protocol::AwsError e) {
  if (st.kind == Statement::Kind::Insert && e.code == "ConditionalCheckFailedException") {
    return {"DuplicateItemException", "Duplicate primary key exists in table"};
  }
  for (std::string_view kind : {"KeyConditionExpression", "ConditionExpression",
                                "FilterExpression", "UpdateExpression", "ProjectionExpression"}) {
    std::string prefix = "Invalid " + std::string(kind) + ": ";
    if (e.message.starts_with(prefix)) {
      e.message.erase(0, prefix.size());
      break;
    }
  }
  return e;
}

json::object name_results(const json::object& item, const std::vector<Path>& paths) {
  if (paths.empty()) return item;
  json::object out;
  for (const Path& p : paths) {
    if (const json::value* v = resolve(item, p)) out[result_name(p)] = *v;
  }
  return out;
}

// The plan's request with `options` added, run by the operation it names; errors in PartiQL's
// words.
static Reply run_plan(DynamoDbService& svc, const Ctx& ctx, const Prepared& p,
                      const json::object& options) {
  json::object req = p.plan.request;
  for (const auto& [k, v] : options) req[k] = v;
  Reply r = guarded([&] {
    switch (p.plan.op) {
      case Plan::Op::Query: return svc.query(ctx, req);
      case Plan::Op::Scan: return svc.scan(ctx, req);
      case Plan::Op::Put: return svc.put_item(ctx, req);
      case Plan::Op::Update: return svc.update_item(ctx, req);
      default: return svc.delete_item(ctx, req);
    }
  });
  if (!r) return partiql_error(p.statement, r.error());
  return r;
}

Reply run_write(DynamoDbService& svc, const Ctx& ctx, const Prepared& p,
                const json::object& options) {
  return run_plan(svc, ctx, p, options);
}

Reply run_select(DynamoDbService& svc, const Ctx& ctx, const Prepared& p,
                 const json::object& options) {
  Reply r = run_plan(svc, ctx, p, options);
  if (!r) return r;
  json::array items;
  if (const json::array* found = core::arr(*r, "Items")) {
    for (const json::value& item : *found) {
      items.push_back(name_results(item.as_object(), p.plan.projection));
    }
  }
  json::object out{{"Items", std::move(items)}};
  copy_member(*r, out, "LastEvaluatedKey");
  copy_member(*r, out, "ConsumedCapacity");
  return out;
}

std::string request_digest(const json::object& in) {
  std::string text = core::str(in, "Statement");
  if (const json::value* params = in.if_contains("Parameters")) {
    json::value wire = *params;
    if (wire.is_array()) {
      for (json::value& v : wire.as_array()) blobs_to_wire(v);
    }
    text += "\n" + json::serialize(wire);
  }
  return core::hex(core::sha256(text));
}

std::string encode_token(const std::string& digest, const json::object& last_key) {
  json::object key = last_key;
  item_to_wire(key);
  json::object token{{"h", digest}, {"k", std::move(key)}};
  return core::base64_encode(json::serialize(token));
}

json::object decode_token(const std::string& token, const std::string& digest) {
  std::optional<std::string> text = core::base64_decode(token);
  json::object parsed;
  try {
    json::value v = text ? json::parse(*text) : json::value();
    if (v.is_object()) parsed = std::move(v.as_object());
  } catch (const std::exception&) {
  }
  const json::value* h = parsed.if_contains("h");
  const json::value* k = parsed.if_contains("k");
  if (!h || !h->is_string() || !k || !k->is_object()) {
    throw errors::validation("Invalid NextToken");
  }
  if (h->as_string() != digest) throw errors::validation("NextToken does not match request");
  json::object key = k->as_object();
  item_from_wire(key);
  return key;
}

void add_capacity(json::object& into, const json::object& from) {
  for (const auto& [k, v] : from) {
    if (v.is_number()) {
      double have = into.contains(k) && into[k].is_number() ? into[k].to_number<double>() : 0;
      into[k] = have + v.to_number<double>();
    } else if (v.is_object()) {
      if (!into.contains(k) || !into[k].is_object()) into[k] = json::object();
      add_capacity(into[k].as_object(), v.as_object());
    } else {
      into[k] = v;
    }
  }
}

}  // namespace services::dynamodb::partiql
