// TransactWriteItems and TransactGetItems: every item checked and written in one SQLite
// transaction, so they are serializable with every other request (the store runs one at a time;
// TransactionConflict never happens here).

#include <boost/json/serialize.hpp>
#include <set>

#include "core/json.h"
#include "services/dynamodb/capacity.h"
#include "services/dynamodb/core/attribute_value.h"
#include "services/dynamodb/dynamodb_service.h"
#include "services/dynamodb/errors.h"
#include "services/dynamodb/item_keys.h"
#include "services/dynamodb/item_writer.h"
#include "services/dynamodb/request_checks.h"
#include "services/dynamodb/wire_values.h"

namespace services::dynamodb {
namespace {

namespace json = boost::json;

constexpr int64_t kTokenWindowMs = 10 * 60 * 1000;

enum class Kind { ConditionCheck, Put, Delete, Update };

// One element of TransactItems, parsed and validated before any table is read.
struct WriteOp {
  Kind kind = Kind::Put;
  json::object req;  // the element's body, in wire form
  std::string table_name;
  json::object item_or_key;
  Condition condition;
  Update update;
  std::shared_ptr<const Table> table;
  RowKey key;
  std::optional<json::object> old;
};

WriteOp parse_op(const json::object& element) {
  WriteOp op;
  static const std::pair<const char*, Kind> kinds[] = {{"ConditionCheck", Kind::ConditionCheck},
                                                       {"Put", Kind::Put},
                                                       {"Delete", Kind::Delete},
                                                       {"Update", Kind::Update}};
  int found = 0;
  for (const auto& [name, kind] : kinds) {
    if (const json::object* body = core::obj(element, name)) {
      op.kind = kind;
      op.req = *body;
      ++found;
    }
  }
  if (found != 1) {
    throw errors::validation(
        "TransactItems can only contain one of Check, Put, Update or Delete");
  }
  request_to_wire(op.req);
  op.table_name = core::str(op.req, "TableName");
  json::value* target = op.req.if_contains(op.kind == Kind::Put ? "Item" : "Key");
  if (!target || !target->is_object()) {
    throw errors::validation(op.kind == Kind::Put ? "Item is required" : "Key is required");
  }
  op.item_or_key = target->as_object();
  validate_item(op.item_or_key);
  if (op.kind == Kind::Put) check_item_size(op.item_or_key);
  ExpressionContext ectx = expression_context(op.req);
  if (op.kind == Kind::Update) {
    op.update = parse_update(core::str(op.req, "UpdateExpression"), ectx);
  }
  if (auto text = core::opt_str(op.req, "ConditionExpression")) {
    op.condition = parse_condition(*text, ectx, "ConditionExpression");
  } else if (op.kind == Kind::ConditionCheck) {
    throw errors::validation("The ConditionExpression is required for a ConditionCheck");
  }
  ectx.check_unused();
  return op;
}

protocol::AwsError cancelled(const json::array& reasons) {
  std::string codes;
  for (const json::value& r : reasons) {
    if (!codes.empty()) codes += ", ";
    codes += core::str(r.as_object(), "Code");
  }
  protocol::AwsError e("TransactionCanceledException",
                       "Transaction cancelled, please refer cancellation reasons for specific "
                       "reasons [" + codes + "]");
  e.fields["CancellationReasons"] = reasons;
  return e;
}

// Reads every item and evaluates its condition: TransactionCanceledException with one reason
// per element when any fails.
std::optional<protocol::AwsError> check_conditions(DdbStore& st, std::vector<WriteOp>& ops) {
  json::array reasons;
  bool failed = false;
  for (WriteOp& op : ops) {
    op.old = read_item(st, op.key);
    json::object reason{{"Code", "None"}};
    if (!op.condition.evaluate(op.old ? *op.old : json::object())) {
      failed = true;
      reason = json::object{{"Code", "ConditionalCheckFailed"},
                            {"Message", "The conditional request failed"}};
      if (op.old && core::str(op.req, "ReturnValuesOnConditionCheckFailure") == "ALL_OLD") {
        json::object item = *op.old;
        item_from_wire(item);
        reason["Item"] = std::move(item);
      }
    }
    reasons.push_back(std::move(reason));
  }
  if (failed) return cancelled(reasons);
  return std::nullopt;
}

}  // namespace

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
Reply DynamoDbService::transact_write_items(const Ctx& ctx, const Doc& in) {
  const json::array* elements = core::arr(in, "TransactItems");
  if (!elements || elements->empty() || elements->size() > 100) {
    throw errors::validation(
        "1 validation error detected: Value at 'transactItems' failed to satisfy constraint: "
        "Member must have length less than or equal to 100");
  }
  std::vector<WriteOp> ops;
  for (const json::value& e : *elements) ops.push_back(parse_op(e.as_object()));
  std::string token = core::str(in, "ClientRequestToken");
  std::string token_key = ctx.account + "\n" + ctx.region + "\n" + token;
  std::string canonical = json::serialize(in.at("TransactItems"));
  int64_t now = core::to_epoch_millis(clock_.now());
  store::Transaction tx = db_.begin();
  DdbStore st(tx);
  if (!token.empty()) {
    int64_t window = std::chrono::duration_cast<std::chrono::milliseconds>(
                         clock_.scaled(std::chrono::milliseconds(kTokenWindowMs)))
                         .count();
    TransactionTokens::Seen seen = tokens_.check(token_key, canonical, now, window);
    if (seen == TransactionTokens::Seen::Different) return errors::idempotent_parameter_mismatch();
    if (seen == TransactionTokens::Seen::Same) return json::object();
  }
  std::set<std::pair<int64_t, std::string>> touched;
  for (WriteOp& op : ops) {
    op.table = active_table(st, ctx, op.table_name);
    op.key = op.kind == Kind::Put ? item_row_key(*op.table, op.item_or_key)
                                  : key_row_key(*op.table, op.item_or_key);
    if (op.kind == Kind::Put) check_index_keys(*op.table, op.item_or_key);
    if (!touched.insert({op.table->id, op.key.h + std::string(1, '\0') + op.key.s}).second) {
      throw errors::validation("Transaction request cannot include multiple operations on one item");
    }
  }
  if (std::optional<protocol::AwsError> e = check_conditions(st, ops)) return *e;
  std::map<std::string, Consumed> costs;
  streams::ChangeOrigin origin = streams::request_origin(clock_);
  for (WriteOp& op : ops) {
    const json::object* old = op.old ? &*op.old : nullptr;
    Consumed cost;
    cost.table = write_units(op.old ? item_size(*op.old) : 0);
    if (op.kind == Kind::Put) {
      cost = write_item(st, *op.table, op.key, old, &op.item_or_key, origin);
    } else if (op.kind == Kind::Delete && old) {
      cost = write_item(st, *op.table, op.key, old, nullptr, origin);
    } else if (op.kind == Kind::Update) {
      json::object updated = op.update.apply(old ? *old : op.item_or_key);
      if (item_size(updated) > kMaxItemSize) {
        return errors::validation("Item size to update has exceeded the maximum allowed size");
      }
      check_index_keys(*op.table, updated);
      cost = write_item(st, *op.table, op.key, old, &updated, origin);
    }
    Consumed& total = costs[op.table_name];
    total.table += 2 * cost.table;
    for (const auto& [n, u] : cost.global_indexes) total.global_indexes[n] += 2 * u;
  }
  if (!token.empty()) tokens_.remember(token_key, canonical, now);
  tx.commit();
  json::object out;
  std::string mode = core::str(in, "ReturnConsumedCapacity");
  json::array consumed;
  for (const auto& [name, cost] : costs) {
    json::object cc = consumed_capacity(mode, name, cost);
    if (!cc.empty()) consumed.push_back(std::move(cc));
  }
  if (!consumed.empty()) out["ConsumedCapacity"] = std::move(consumed);
  return out;
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactGetItems.html
Reply DynamoDbService::transact_get_items(const Ctx& ctx, const Doc& in) {
  const json::array* elements = core::arr(in, "TransactItems");
  std::vector<std::pair<json::object, Projection>> gets;
  for (const json::value& e : elements ? *elements : json::array()) {
    const json::object* get = core::obj(e.as_object(), "Get");
    if (!get) throw errors::validation("TransactItems can only contain Get");
    json::object req = *get;
    request_to_wire(req);
    ExpressionContext ectx = expression_context(req);
    Projection projection = read_projection(req, ectx);
    ectx.check_unused();
    gets.emplace_back(std::move(req), std::move(projection));
  }
  store::Transaction tx = db_.read();
  DdbStore st(tx);
  json::array responses;
  std::map<std::string, Consumed> costs;
  streams::ChangeOrigin origin = streams::request_origin(clock_);
  for (auto& [req, projection] : gets) {
    std::string name = core::str(req, "TableName");
    std::shared_ptr<const Table> table = active_table(st, ctx, name);
    json::object key_in = core::obj(req, "Key") ? *core::obj(req, "Key") : json::object();
    validate_item(key_in);
    std::optional<json::object> item = read_item(st, key_row_key(*table, key_in));
    costs[name].table += 2 * read_units(item ? item_size(*item) : 0, true);
    json::object response;
    if (item) {
      json::object projected = project_item(projection, *item);
      item_from_wire(projected);
      response["Item"] = std::move(projected);
    }
    responses.push_back(std::move(response));
  }
  json::object out{{"Responses", std::move(responses)}};
  json::array consumed;
  for (const auto& [name, cost] : costs) {
    json::object cc = consumed_capacity(core::str(in, "ReturnConsumedCapacity"), name, cost);
    if (!cc.empty()) consumed.push_back(std::move(cc));
  }
  if (!consumed.empty()) out["ConsumedCapacity"] = std::move(consumed);
  return out;
}

}  // namespace services::dynamodb
