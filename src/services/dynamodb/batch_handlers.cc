// BatchGetItem and BatchWriteItem. There is no throughput to exceed here, so every write is
// processed (UnprocessedItems is always {}) and a read is left unprocessed only past the 16 MB a
// BatchGetItem reply may carry; UnprocessedKeys and UnprocessedItems are always present, as
// boto3's batch_writer and the SDKs' retry loops expect.

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

// "A single operation can retrieve up to 16 MB of data" (BatchGetItem), by DynamoDB's item size.
constexpr std::size_t kMaxBatchGetBytes = 16u << 20;

// The per-table length checks the request's model makes before the operation's own checks,
// which count across tables.
void check_batch_lengths(const json::object& tables, bool write) {
  std::size_t total = 0;
  for (const auto& [name, v] : tables) {
    const json::array* list = write ? (v.is_array() ? &v.as_array() : nullptr)
                                    : (v.is_object() ? core::arr(v.as_object(), "Keys") : nullptr);
    std::size_t n = list ? list->size() : 0;
    if (write && (n < 1 || n > 25)) {
      throw errors::validation(
          "1 validation error detected: Value at 'requestItems' failed to satisfy constraint: "
          "Map value must satisfy constraint: [Member must have length less than or equal to 25, "
          "Member must have length greater than or equal to 1]");
    }
    if (!write && (n < 1 || n > 100)) {
      throw errors::validation("1 validation error detected: Value at 'requestItems." +
                               std::string(name) + ".member.keys' failed to satisfy constraint: " +
                               (n < 1 ? "Member must have length greater than or equal to 1"
                                      : "Member must have length less than or equal to 100"));
    }
    total += n;
  }
  if (write && total > 25) {
    throw errors::validation("Too many items requested for the BatchWriteItem call");
  }
  if (!write && total > 100) {
    throw errors::validation("Too many items requested for the BatchGetItem call");
  }
}

// The keys of one table left for a later call, with the table's other request parameters.
void leave_unprocessed(json::object& unprocessed, std::string_view name, const json::object& req,
                       const json::array& keys, std::size_t from) {
  if (from >= keys.size()) return;
  json::object entry = req;
  entry["Keys"] = json::array(keys.begin() + static_cast<std::ptrdiff_t>(from), keys.end());
  unprocessed[name] = std::move(entry);
}

}  // namespace

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
Reply DynamoDbService::batch_get_item(const Ctx& ctx, const Doc& in) {
  const json::object& tables = request_items(in);
  check_batch_lengths(tables, false);
  store::Transaction tx = db_.read();
  DdbStore st(tx);
  json::object responses;
  json::object unprocessed;
  json::array consumed;
  std::size_t bytes = 0;
  for (const auto& [name, v] : tables) {
    const json::array& keys_in = v.as_object().at("Keys").as_array();
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
    std::vector<RowKey> rows;
    for (json::value& key : req["Keys"].as_array()) {
      validate_item(key.as_object());
      rows.push_back(key_row_key(*table, key.as_object()));
      if (!seen.insert(key_text(rows.back())).second) {
        throw errors::validation("Provided list of item keys contains duplicates");
      }
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
      std::optional<json::object> item = read_item(st, rows[i]);
      std::size_t size = item ? item_size(*item) : 0;
      if (bytes + size > kMaxBatchGetBytes) {
        leave_unprocessed(unprocessed, name, v.as_object(), keys_in, i);
        break;
      }
      bytes += size;
      cost.table += read_units(size, consistent);
      if (!item) continue;
      json::object projected = project_item(projection, *item);
      item_from_wire(projected);
      items.push_back(std::move(projected));
    }
    responses[name] = std::move(items);
    json::object cc = consumed_capacity(core::str(in, "ReturnConsumedCapacity"), name, cost);
    if (!cc.empty()) consumed.push_back(std::move(cc));
  }
  json::object out{{"Responses", std::move(responses)}, {"UnprocessedKeys", std::move(unprocessed)}};
  if (!consumed.empty()) out["ConsumedCapacity"] = std::move(consumed);
  return out;
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
Reply DynamoDbService::batch_write_item(const Ctx& ctx, const Doc& in) {
  const json::object& tables = request_items(in);
  check_batch_lengths(tables, true);
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
