// Query and Scan.

#include <boost/endian/conversion.hpp>

#include "core/json.h"
#include "services/dynamodb/capacity.h"
#include "services/dynamodb/core/attribute_value.h"
#include "services/dynamodb/core/legacy.h"
#include "services/dynamodb/dynamodb_service.h"
#include "services/dynamodb/errors.h"
#include "services/dynamodb/item_keys.h"
#include "services/dynamodb/page_reader.h"
#include "services/dynamodb/request_checks.h"
#include "services/dynamodb/wire_values.h"

namespace services::dynamodb {
namespace {

namespace json = boost::json;

// The index a request names (nullptr without IndexName), with DynamoDB's checks of Select and
// ConsistentRead against it.
const Index* requested_index(const Table& table, const Doc& req) {
  std::optional<std::string> name = core::opt_str(req, "IndexName");
  if (!name) return nullptr;
  const Index* index = table.index(*name);
  if (!index) throw errors::validation("The table does not have the specified index: " + *name);
  if (index->global && core::opt_bool(req, "ConsistentRead").value_or(false)) {
    throw errors::validation("Consistent reads are not supported on global secondary indexes");
  }
  if (index->global && index->projection != "ALL" && core::str(req, "Select") == "ALL_ATTRIBUTES") {
    throw errors::invalid("Select type ALL_ATTRIBUTES is not supported for global secondary index " +
                          index->name + " because its projection type is not ALL");
  }
  return index;
}

// Select against IndexName and the projection parameters, before the table is looked up. Query
// words these as one validation error, Scan without the count (moto's AWS-verified
// test_dynamodb_select.py).
void check_select(const Doc& req, bool query) {
  std::string select = core::str(req, "Select");
  if (select.empty()) return;
  std::string prefix = query ? "1 validation error detected: " : "";
  if (select == "ALL_PROJECTED_ATTRIBUTES" && !req.contains("IndexName")) {
    throw errors::validation(prefix +
                             "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an "
                             "IndexName");
  }
  bool projected = req.contains("ProjectionExpression") || req.contains("AttributesToGet");
  if (select == "SPECIFIC_ATTRIBUTES" && !projected) {
    throw errors::validation(prefix +
                             "Must specify the AttributesToGet or ProjectionExpression when "
                             "choosing to get SPECIFIC_ATTRIBUTES");
  }
  if (select != "SPECIFIC_ATTRIBUTES" && projected) {
    std::string what = select == "COUNT" ? "only the Count" : select;
    std::string given = req.contains("ProjectionExpression") ? "ProjectionExpression"
                                                             : "AttributesToGet";
    throw errors::validation(prefix + "Cannot specify the " + given +
                             " when choosing to get " + what);
  }
}

// Filters may not name key attributes of what they read ("Filter Expression can only contain
// non-primary key attributes").
void check_filter_keys(const Condition& filter, const KeySchema& keys) {
  auto is_key = [&](const std::string& name) {
    for (const auto& attrs : {keys.hashes(), keys.ranges()}) {
      for (const KeyAttr* a : attrs) {
        if (a->name == name) return true;
      }
    }
    return false;
  };
  for (const std::string& name : filter.attribute_names()) {
    if (is_key(name)) {
      throw errors::validation(
          "Filter Expression can only contain non-primary key attributes: Primary key "
          "attribute: " + name);
    }
  }
}

// The first string after every string with prefix `k`: `k` with its last non-0xff byte
// incremented and the rest dropped; nullopt (unbounded) when `k` is all 0xff.
std::optional<std::string> after_prefix(std::string k) {
  while (!k.empty() && static_cast<unsigned char>(k.back()) == 0xff) k.pop_back();
  if (k.empty()) return std::nullopt;
  k.back() = static_cast<char>(static_cast<unsigned char>(k.back()) + 1);
  return k;
}

// The byte range of the sort key that a sort-key condition selects; half-open [lo, hi).
// s > k is s >= k + '\0' and s <= k is s < k + '\0' in memcmp order.
void sort_range(const SortKeyCondition& c, RowRange& r) {
  std::string k = order_key(c.value);
  std::string after = k + std::string(1, '\0');
  using Op = SortKeyCondition::Op;
  switch (c.op) {
    case Op::Eq: r.lo = k; r.hi = after; break;
    case Op::Lt: r.hi = k; break;
    case Op::Le: r.hi = after; break;
    case Op::Gt: r.lo = after; break;
    case Op::Ge: r.lo = k; break;
    case Op::Between: r.lo = k; r.hi = order_key(c.value2) + std::string(1, '\0'); break;
    case Op::BeginsWith: r.lo = k; r.hi = after_prefix(k); break;
  }
}

// A multi-attribute sort key's byte range: the equalities' components as a prefix, then the
// last condition on the next component. Components are prefix-free (key_component), so the
// range is exact and rows need no second look.
void multi_sort_range(const KeyCondition& kc, RowRange& r) {
  std::string prefix;
  for (const SortKeyCondition& eq : kc.sort_prefix) prefix += key_component(eq.value);
  r.lo = prefix;
  r.hi = after_prefix(prefix);
  if (!kc.sort) return;
  const SortKeyCondition& c = *kc.sort;
  std::string k = prefix + key_component(c.value);
  using Op = SortKeyCondition::Op;
  switch (c.op) {
    case Op::Eq: r.lo = k; r.hi = after_prefix(k); break;
    case Op::Lt: r.hi = k; break;
    case Op::Le: r.hi = after_prefix(k); break;
    case Op::Gt: r.lo = after_prefix(k).value_or(k); break;
    case Op::Ge: r.lo = k; break;
    case Op::Between:
      r.lo = k;
      r.hi = after_prefix(prefix + key_component(c.value2));
      break;
    case Op::BeginsWith: {
      // The escaped bytes of the value without their terminator begin every longer value's.
      std::string begins = key_component(c.value);
      begins.resize(begins.size() - 2);
      r.lo = prefix + begins;
      r.hi = after_prefix(prefix + begins);
      break;
    }
  }
}

json::object page_reply(const Doc& req, const Table& table, const Index* index, Page& page,
                        bool consistent) {
  json::object out;
  if (core::str(req, "Select") != "COUNT") {
    for (json::value& v : page.items) item_from_wire(v.as_object());
    out["Items"] = std::move(page.items);
  }
  out["Count"] = page.count;
  out["ScannedCount"] = page.scanned;
  if (page.last_key) {
    item_from_wire(*page.last_key);
    out["LastEvaluatedKey"] = std::move(*page.last_key);
  }
  Consumed cost;
  double units = read_units(page.bytes, consistent);
  if (index) {
    (index->global ? cost.global_indexes : cost.local_indexes)[index->name] = units;
  } else {
    cost.table = units;
  }
  json::object cc = consumed_capacity(core::str(req, "ReturnConsumedCapacity"), table.name, cost);
  if (!cc.empty()) out["ConsumedCapacity"] = std::move(cc);
  return out;
}

std::optional<int64_t> limit_of(const Doc& req) { return core::opt_int(req, "Limit"); }

Condition filter_of(const Doc& req, ExpressionContext& ectx, std::string_view legacy) {
  if (auto text = core::opt_str(req, "FilterExpression")) {
    return parse_condition(*text, ectx, "FilterExpression");
  }
  if (const json::object* f = core::obj(req, legacy)) {
    return condition_from_filter(*f, core::str(req, "ConditionalOperator"));
  }
  return Condition();
}

}  // namespace

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
Reply DynamoDbService::query(const Ctx& ctx, const Doc& in) {
  Doc req = in;
  request_to_wire(req);
  check_expression_parameters(
      req, {"KeyConditionExpression", "FilterExpression", "ProjectionExpression"},
      {"KeyConditions", "QueryFilter", "AttributesToGet"},
      "KeyConditionExpression and FilterExpression and ProjectionExpression are null");
  check_select(req, true);
  store::Transaction tx = db_.read();
  DdbStore st(tx);
  std::shared_ptr<const Table> table = active_table(st, ctx, core::str(req, "TableName"));
  const Index* index = requested_index(*table, req);
  const KeySchema& keys = index ? index->keys : table->keys;
  KeySchemaNames names{keys.hash.name, std::nullopt, {}, {}};
  if (keys.range) names.sort = keys.range->name;
  for (const KeyAttr& k : keys.more_hash) names.more_partition.push_back(k.name);
  for (const KeyAttr& k : keys.more_range) names.more_sort.push_back(k.name);
  ExpressionContext ectx = expression_context(req);
  KeyCondition kc;
  std::optional<Condition> key_expression;
  if (auto text = core::opt_str(req, "KeyConditionExpression")) {
    key_expression = parse_key_condition(*text, ectx);
  } else if (const json::object* legacy = core::obj(req, "KeyConditions")) {
    kc = key_condition_from_legacy(*legacy, names);
  } else {
    throw errors::validation(
        "Either the KeyConditions or KeyConditionExpression parameter must be specified in the "
        "request.");
  }
  Condition filter = filter_of(req, ectx, "QueryFilter");
  Projection projection = read_projection(req, ectx);
  ectx.check_unused();
  // The key schema is checked after the names and values (moto's AWS-verified
  // test_query_unused_attribute_name).
  if (key_expression) kc = key_condition_of(*key_expression, names);
  check_filter_keys(filter, keys);
  std::vector<const json::value*> partition{&kc.partition_value};
  for (const json::value& v : kc.more_partition_values) partition.push_back(&v);
  std::vector<const SortKeyCondition*> sorts;
  for (const SortKeyCondition& c : kc.sort_prefix) sorts.push_back(&c);
  if (kc.sort) sorts.push_back(&*kc.sort);
  bool typed = true;
  std::vector<const KeyAttr*> hash_attrs = keys.hashes();
  std::vector<const KeyAttr*> range_attrs = keys.ranges();
  for (std::size_t i = 0; i < partition.size(); ++i) {
    typed = typed && type_of(*partition[i]) == hash_attrs[i]->type;
  }
  for (std::size_t i = 0; i < sorts.size(); ++i) {
    typed = typed && type_of(sorts[i]->value) == range_attrs[i]->type;
  }
  if (!typed) throw errors::invalid("Condition parameter type does not match schema type");
  PageSpec spec;
  spec.table = table.get();
  spec.index = index;
  spec.range.space = table->space() + (index ? index->slot : 0);
  spec.range.partition = partition_bytes(partition);
  spec.range.forward = core::opt_bool(req, "ScanIndexForward").value_or(true);
  if (keys.multi()) {
    multi_sort_range(kc, spec.range);
  } else if (kc.sort) {
    sort_range(*kc.sort, spec.range);
  }
  if (const json::object* start = core::obj(req, "ExclusiveStartKey")) {
    spec.range.after = start_row(*table, index, *start);
    if (spec.range.after->h != *spec.range.partition) {
      throw errors::validation(
          "The provided starting key is outside query boundaries based on provided conditions");
    }
  }
  spec.sort = kc.sort && !keys.multi() ? &*kc.sort : nullptr;
  spec.filter = &filter;
  spec.projection = &projection;
  spec.count_only = core::str(req, "Select") == "COUNT";
  spec.fetch_from_table = index && !index->global && index->projection != "ALL" &&
                          (core::str(req, "Select") == "ALL_ATTRIBUTES" ||
                           !projection.paths().empty());
  spec.limit = limit_of(req);
  Page page = read_page(st, spec);
  return page_reply(req, *table, index, page, core::opt_bool(req, "ConsistentRead").value_or(false));
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html
Reply DynamoDbService::scan(const Ctx& ctx, const Doc& in) {
  Doc req = in;
  request_to_wire(req);
  check_expression_parameters(req, {"FilterExpression", "ProjectionExpression"},
                              {"ScanFilter", "AttributesToGet"},
                              "FilterExpression and ProjectionExpression are null");
  check_select(req, false);
  std::optional<int64_t> segment = core::opt_int(req, "Segment");
  std::optional<int64_t> total = core::opt_int(req, "TotalSegments");
  if (segment && !total) {
    throw errors::validation(
        "The TotalSegments parameter is required but was not present in the request when "
        "Segment parameter is present");
  }
  if (total && !segment) {
    throw errors::validation(
        "The Segment parameter is required but was not present in the request when parameter "
        "TotalSegments is present");
  }
  if (segment && *segment >= *total) {
    throw errors::validation(
        "The Segment parameter is zero-based and must be less than parameter TotalSegments: "
        "Segment: " + std::to_string(*segment) + " is not less than TotalSegments: " +
        std::to_string(*total));
  }
  ExpressionContext ectx = expression_context(req);
  Condition filter = filter_of(req, ectx, "ScanFilter");
  Projection projection = read_projection(req, ectx);
  ectx.check_unused();
  store::Transaction tx = db_.read();
  DdbStore st(tx);
  std::shared_ptr<const Table> table = active_table(st, ctx, core::str(req, "TableName"));
  const Index* index = requested_index(*table, req);
  PageSpec spec;
  spec.table = table.get();
  spec.index = index;
  spec.range.space = table->space() + (index ? index->slot : 0);
  if (segment) {
    // Segment i of n holds the partitions whose 64-bit hash is in [i * 2^64 / n, (i+1) * 2^64 / n).
    auto bound = [&](int64_t i) {
      unsigned __int128 b = (static_cast<unsigned __int128>(1) << 64) * static_cast<uint64_t>(i) /
                            static_cast<uint64_t>(*total);
      uint64_t big = boost::endian::native_to_big(static_cast<uint64_t>(b));
      return std::string(reinterpret_cast<const char*>(&big), 8);
    };
    spec.range.lo = *segment == 0 ? std::string() : bound(*segment);
    if (*segment + 1 < *total) spec.range.hi = bound(*segment + 1);
  }
  if (const json::object* start = core::obj(req, "ExclusiveStartKey")) {
    spec.range.after = start_row(*table, index, *start);
  }
  spec.filter = &filter;
  spec.projection = &projection;
  spec.count_only = core::str(req, "Select") == "COUNT";
  spec.limit = limit_of(req);
  Page page = read_page(st, spec);
  return page_reply(req, *table, index, page, core::opt_bool(req, "ConsistentRead").value_or(false));
}

}  // namespace services::dynamodb
