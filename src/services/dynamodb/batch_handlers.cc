// BatchGetItem and BatchWriteItem. Every request is processed: UnprocessedKeys and
// UnprocessedItems are always empty (there is no throughput to exceed here).

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

const json::object& request_items(const Doc& in) {
  const json::object* items = core::obj(in, "RequestItems");
  if (!items || items->empty()) {
    throw errors::validation(
        "1 validation error detected: Value null at 'requestItems' failed to satisfy "
        "constraint: Member must not be null");
  }
  return *items;
}

std::string key_text(const RowKey& k) { return k.h + std::string(1, '\0') + k.s; }

}  // namespace

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
Reply DynamoDbService::batch_get_item(const Ctx& ctx, const Doc& in) {
  const json::object& tables = request_items(in);
  std::size_t total = 0;
  for (const auto& [name, v] : tables) {
    if (const json::array* keys = core::arr(v.as_object(), "Keys")) total += keys->size();
  }
  if (total > 100) throw errors::validation("Too many items requested for the BatchGetItem call");
  store::Transaction tx = db_.read();
  DdbStore st(tx);
  json::object responses;
  json::array consumed;
  for (const auto& [name, v] : tables) {
    json::object req = v.as_object();
    check_expression_parameters(req, {"ProjectionExpression"}, {"AttributesToGet"},
                                "ProjectionExpression is null");
    for (json::value& key : req["Keys"].as_array()) item_to_wire(key.as_object());
    ExpressionContext ectx = expression_context(req);
    Projection projection = read_projection(req, ectx);
    ectx.check_unused();
    bool consistent = core::opt_bool(req, "ConsistentRead").value_or(false);
    std::shared_ptr<const Table> table = active_table(st, ctx, name);
    std::set<std::string> seen;
    json::array items;
    Consumed cost;
    for (json::value& key : req["Keys"].as_array()) {
      validate_item(key.as_object());
      RowKey row = key_row_key(*table, key.as_object());
      if (!seen.insert(key_text(row)).second) {
        throw errors::validation("Provided list of item keys contains duplicates");
      }
      std::optional<json::object> item = read_item(st, row);
      cost.table += read_units(item ? item_size(*item) : 0, consistent);
      if (!item) continue;
      json::object projected = project_item(projection, *item);
      item_from_wire(projected);
      items.push_back(std::move(projected));
    }
    responses[name] = std::move(items);
    json::object cc = consumed_capacity(core::str(in, "ReturnConsumedCapacity"), name, cost);
    if (!cc.empty()) consumed.push_back(std::move(cc));
  }
  json::object out{{"Responses", std::move(responses)}, {"UnprocessedKeys", json::object()}};
  if (!consumed.empty()) out["ConsumedCapacity"] = std::move(consumed);
  return out;
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
Reply DynamoDbService::batch_write_item(const Ctx& ctx, const Doc& in) {
  const json::object& tables = request_items(in);
  std::size_t total = 0;
  for (const auto& [name, v] : tables) total += v.is_array() ? v.as_array().size() : 0;
  if (total > 25) throw errors::validation("Too many items requested for the BatchWriteItem call");
  // Every request is validated before anything is written.
  struct Write {
    bool put = true;
    json::object item;
  };
  std::vector<std::pair<std::string, std::vector<Write>>> writes;
  for (const auto& [name, v] : tables) {
    std::vector<Write> list;
    for (const json::value& r : v.as_array()) {
      const json::object& request = r.as_object();
      Write w;
      const json::object* put = core::obj(request, "PutRequest");
      const json::object* del = core::obj(request, "DeleteRequest");
      if ((put != nullptr) == (del != nullptr)) {
        throw errors::validation(
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one "
            "of the supported datatypes");
      }
      w.put = put != nullptr;
      const json::object* body = core::obj(put ? *put : *del, put ? "Item" : "Key");
      w.item = body ? *body : json::object();
      item_to_wire(w.item);
      validate_item(w.item);
      if (w.put) check_item_size(w.item);
      list.push_back(std::move(w));
    }
    writes.emplace_back(name, std::move(list));
  }
  store::Transaction tx = db_.begin();
  DdbStore st(tx);
  json::array consumed;
  for (auto& [name, list] : writes) {
    std::shared_ptr<const Table> table = active_table(st, ctx, name);
    std::set<std::string> seen;
    std::vector<RowKey> keys;
    for (Write& w : list) {
      keys.push_back(w.put ? item_row_key(*table, w.item) : key_row_key(*table, w.item));
      if (w.put) check_index_keys(*table, w.item);
      if (!seen.insert(key_text(keys.back())).second) {
        throw errors::validation("Provided list of item keys contains duplicates");
      }
    }
    Consumed total_cost;
    for (std::size_t i = 0; i < list.size(); ++i) {
      std::optional<json::object> old = read_item(st, keys[i]);
      Consumed cost;
      cost.table = 1;
      if (list[i].put || old) {
        cost = write_item(st, *table, keys[i], old ? &*old : nullptr,
                          list[i].put ? &list[i].item : nullptr, streams::request_origin(clock_));
      }
      total_cost.table += cost.table;
      for (const auto& [n, u] : cost.global_indexes) total_cost.global_indexes[n] += u;
      for (const auto& [n, u] : cost.local_indexes) total_cost.local_indexes[n] += u;
    }
    json::object cc = consumed_capacity(core::str(in, "ReturnConsumedCapacity"), name, total_cost);
    if (!cc.empty()) consumed.push_back(std::move(cc));
  }
  tx.commit();
  json::object out{{"UnprocessedItems", json::object()}};
  if (!consumed.empty()) out["ConsumedCapacity"] = std::move(consumed);
  return out;
}

}  // namespace services::dynamodb
