// PutItem, GetItem, DeleteItem and UpdateItem.

#include "core/json.h"
#include "services/dynamodb/capacity.h"
#include "services/dynamodb/core/attribute_value.h"
#include "services/dynamodb/core/legacy.h"
#include "services/dynamodb/dynamodb_service.h"
#include "services/dynamodb/errors.h"
#include "services/dynamodb/item_keys.h"
#include "services/dynamodb/item_writer.h"
#include "services/dynamodb/request_checks.h"
#include "services/dynamodb/wire_values.h"

namespace services::dynamodb {
namespace {

namespace json = boost::json;

json::object& object_member(json::object& req, std::string_view name) {
  json::value* v = req.if_contains(name);
  if (!v || !v->is_object()) {
    throw errors::validation("1 validation error detected: Value null at '" +
                             std::string(1, static_cast<char>(std::tolower(name[0]))) +
                             std::string(name.substr(1)) +
                             "' failed to satisfy constraint: Member must not be null");
  }
  return v->as_object();
}

// The reply's Attributes (converted back to the model's blobs) and ConsumedCapacity.
// With ReturnItemCollectionMetrics SIZE on a table with local secondary indexes: the item
// collection's partition key and DynamoDB's size estimate range in GB (the collections here stay
// far below 1 GB).
json::object reply(const Doc& req, const Table& table, const json::object& key_source,
                   const Consumed& cost, std::optional<json::object> attributes) {
  json::object out;
  if (attributes && !attributes->empty()) {
    item_from_wire(*attributes);
    out["Attributes"] = std::move(*attributes);
  }
  json::object cc = consumed_capacity(core::str(req, "ReturnConsumedCapacity"), table.name, cost);
  if (!cc.empty()) out["ConsumedCapacity"] = std::move(cc);
  bool has_lsi = std::any_of(table.indexes.begin(), table.indexes.end(),
                             [](const Index& i) { return !i.global; });
  if (has_lsi && core::str(req, "ReturnItemCollectionMetrics") == "SIZE") {
    json::object key{{table.keys.hash.name, key_source.at(table.keys.hash.name)}};
    item_from_wire(key);
    out["ItemCollectionMetrics"] = json::object{{"ItemCollectionKey", std::move(key)},
                                                {"SizeEstimateRangeGB", json::array{0.0, 1.0}}};
  }
  return out;
}

// ConditionalCheckFailedException, with the item when ReturnValuesOnConditionCheckFailure asks.
protocol::AwsError condition_failed(const Doc& req, const std::optional<json::object>& old) {
  if (old && core::str(req, "ReturnValuesOnConditionCheckFailure") == "ALL_OLD") {
    json::object item = *old;
    item_from_wire(item);
    return errors::conditional_check_failed(std::move(item));
  }
  return errors::conditional_check_failed();
}

void check_key_not_updated(const Table& table, const Update& update) {
  for (const Path& path : update.paths()) {
    const std::string& name = path.front().name;
    if (name == table.keys.hash.name || (table.keys.range && name == table.keys.range->name)) {
      throw errors::invalid("Cannot update attribute " + name +
                            ". This attribute is part of the key");
    }
  }
}

// A write request's parts, checked before any table is read: the request in wire form, its Item
// or Key (validated), its update and condition and its ReturnValues.
struct WriteRequest {
  Doc req;
  json::object target;
  Update update;
  Condition condition;
  std::string return_values;
  std::string table_name;
};

enum class WriteKind { Put, Delete, Update };

WriteRequest parse_write(const Doc& in, WriteKind kind) {
  WriteRequest w;
  w.req = in;
  request_to_wire(w.req);
  std::string_view target = kind == WriteKind::Put ? "Item" : "Key";
  if (kind == WriteKind::Update) {
    check_expression_parameters(w.req, {"UpdateExpression", "ConditionExpression"},
                                {"AttributeUpdates", "Expected"},
                                "UpdateExpression and ConditionExpression are null");
  } else {
    check_expression_parameters(w.req, {"ConditionExpression"}, {"Expected"},
                                "ConditionExpression is null");
  }
  w.target = object_member(w.req, target);
  validate_item(w.target);
  if (target == "Item") check_item_size(w.target);
  ExpressionContext ectx = expression_context(w.req);
  if (auto text = core::opt_str(w.req, "UpdateExpression")) {
    w.update = parse_update(*text, ectx);
  } else if (const json::object* updates = core::obj(w.req, "AttributeUpdates")) {
    w.update = update_from_attribute_updates(*updates);
  }
  w.condition = write_condition(w.req, ectx);
  ectx.check_unused();
  w.return_values =
      kind == WriteKind::Update
          ? return_values(w.req, {"NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"})
          : return_values(w.req, {"NONE", "ALL_OLD"});
  w.table_name = core::str(w.req, "TableName");
  return w;
}

}  // namespace

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
Reply DynamoDbService::put_item(const Ctx& ctx, const Doc& in) {
  WriteRequest w = parse_write(in, WriteKind::Put);
  store::Transaction tx = db_.begin();
  DdbStore st(tx);
  std::shared_ptr<const Table> table = active_table(st, ctx, w.table_name);
  RowKey key = item_row_key(*table, w.target);
  check_index_keys(*table, w.target);
  std::optional<json::object> old = read_item(st, key);
  if (!w.condition.evaluate(old ? *old : json::object())) return condition_failed(w.req, old);
  Consumed cost = write_item(st, *table, key, old ? &*old : nullptr, &w.target,
                             streams::request_origin(clock_));
  tx.commit();
  return reply(w.req, *table, w.target, cost,
               w.return_values == "ALL_OLD" ? std::move(old) : std::nullopt);
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html
Reply DynamoDbService::get_item(const Ctx& ctx, const Doc& in) {
  Doc req = in;
  request_to_wire(req);
  check_expression_parameters(req, {"ProjectionExpression"}, {"AttributesToGet"},
                              "ProjectionExpression is null");
  json::object& key_in = object_member(req, "Key");
  validate_item(key_in);
  ExpressionContext ectx = expression_context(req);
  Projection projection = read_projection(req, ectx);
  ectx.check_unused();
  bool consistent = core::opt_bool(req, "ConsistentRead").value_or(false);
  std::string name = core::str(req, "TableName");
  std::optional<json::object> item;
  {
    store::Transaction tx = db_.read();
    DdbStore st(tx);
    std::shared_ptr<const Table> table = active_table(st, ctx, name);
    item = read_item(st, key_row_key(*table, key_in));
  }
  Consumed cost;
  cost.table = read_units(item ? item_size(*item) : 0, consistent);
  json::object out;
  if (item) {
    json::object projected = project_item(projection, *item);
    item_from_wire(projected);
    out["Item"] = std::move(projected);
  }
  json::object cc = consumed_capacity(core::str(req, "ReturnConsumedCapacity"), name, cost);
  if (!cc.empty()) out["ConsumedCapacity"] = std::move(cc);
  return out;
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html
Reply DynamoDbService::delete_item(const Ctx& ctx, const Doc& in) {
  WriteRequest w = parse_write(in, WriteKind::Delete);
  store::Transaction tx = db_.begin();
  DdbStore st(tx);
  std::shared_ptr<const Table> table = active_table(st, ctx, w.table_name);
  RowKey key = key_row_key(*table, w.target);
  std::optional<json::object> old = read_item(st, key);
  if (!w.condition.evaluate(old ? *old : json::object())) return condition_failed(w.req, old);
  Consumed cost;
  cost.table = 1;
  if (old) {
    cost = write_item(st, *table, key, &*old, nullptr, streams::request_origin(clock_));
  }
  tx.commit();
  return reply(w.req, *table, w.target, cost,
               w.return_values == "ALL_OLD" ? std::move(old) : std::nullopt);
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html
Reply DynamoDbService::update_item(const Ctx& ctx, const Doc& in) {
  WriteRequest w = parse_write(in, WriteKind::Update);
  const Update& update = w.update;
  std::string rv = w.return_values;
  store::Transaction tx = db_.begin();
  DdbStore st(tx);
  std::shared_ptr<const Table> table = active_table(st, ctx, w.table_name);
  const json::object& key_in = w.target;
  RowKey key = key_row_key(*table, key_in);
  check_key_not_updated(*table, update);
  std::optional<json::object> old = read_item(st, key);
  if (!w.condition.evaluate(old ? *old : json::object())) return condition_failed(w.req, old);
  json::object updated = update.apply(old ? *old : key_in);
  if (item_size(updated) > kMaxItemSize) {
    return errors::validation("Item size to update has exceeded the maximum allowed size");
  }
  check_index_keys(*table, updated);
  Consumed cost =
      write_item(st, *table, key, old ? &*old : nullptr, &updated, streams::request_origin(clock_));
  tx.commit();
  std::optional<json::object> attributes;
  if (rv == "ALL_OLD") attributes = std::move(old);
  if (rv == "ALL_NEW") attributes = std::move(updated);
  if (rv == "UPDATED_OLD" && old) attributes = project(*old, update.paths());
  if (rv == "UPDATED_NEW") attributes = project(updated, update.paths());
  return reply(w.req, *table, w.target, cost, std::move(attributes));
}

}  // namespace services::dynamodb
