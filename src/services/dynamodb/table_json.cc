#include "services/dynamodb/table_json.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <set>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "core/json.h"
#include "services/dynamodb/errors.h"

namespace services::dynamodb {
namespace {

namespace json = boost::json;
using protocol::AwsError;

const json::array kEmpty;

const json::array& array_of(const json::object& o, std::string_view key) {
  const json::array* a = core::arr(o, key);
  return a ? *a : kEmpty;
}

std::vector<std::string> names_of(const json::array& list, std::string_view member) {
  std::vector<std::string> out;
  for (const json::value& v : list) {
    if (v.is_object()) out.push_back(core::str(v.as_object(), member));
  }
  return out;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

// The checks every key schema (table's or index's) passes, in DynamoDB's order.
std::optional<AwsError> check_key_schema(const json::array& keys, const json::array& definitions) {
  std::vector<std::string> defined = names_of(definitions, "AttributeName");
  std::vector<std::string> used = names_of(keys, "AttributeName");
  for (const std::string& k : used) {
    if (std::find(defined.begin(), defined.end(), k) == defined.end()) {
      return errors::invalid(
          "Some index key attributes are not defined in AttributeDefinitions. Keys: [" +
          join(used) + "], AttributeDefinitions: [" + join(defined) + "]");
    }
  }
  if (used.size() == 2 && used[0] == used[1]) {
    return errors::validation(
        "Both the Hash Key and the Range Key element in the KeySchema have the same name");
  }
  if (keys.empty() || core::str(keys[0].as_object(), "KeyType") != "HASH") {
    return errors::validation(
        "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  }
  if (keys.size() == 2 && core::str(keys[1].as_object(), "KeyType") != "RANGE") {
    return errors::validation(
        "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
  }
  // A global index's multi-attribute key: up to four HASH elements, then up to four RANGE ones,
  // each attribute once.
  if (keys.size() > 2) {
    std::size_t hashes = 0;
    while (hashes < keys.size() && core::str(keys[hashes].as_object(), "KeyType") == "HASH") {
      ++hashes;
    }
    for (std::size_t i = hashes; i < keys.size(); ++i) {
      if (core::str(keys[i].as_object(), "KeyType") != "RANGE") {
        return errors::validation(
            "Invalid KeySchema: HASH key elements must come before RANGE key elements");
      }
    }
    std::vector<std::string> sorted = used;
    std::sort(sorted.begin(), sorted.end());
    if (hashes > 4 || keys.size() - hashes > 4 ||
        std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
      return errors::validation(
          "Invalid KeySchema: an index key has at most 4 HASH and 4 RANGE elements, each a "
          "different attribute");
    }
  }
  return std::nullopt;
}

std::optional<AwsError> check_projection(const json::object& index) {
  const json::object* projection = core::obj(index, "Projection");
  std::optional<std::string> type = projection ? core::opt_str(*projection, "ProjectionType")
                                               : std::nullopt;
  if (!type) return errors::invalid("Unknown ProjectionType: null");
  if (core::arr(*projection, "NonKeyAttributes") && *type != "INCLUDE") {
    return errors::invalid("ProjectionType is " + *type + ", but NonKeyAttributes is specified");
  }
  return std::nullopt;
}

std::optional<AwsError> check_throughput(const json::object& in) {
  std::string billing = core::str(in, "BillingMode", "PROVISIONED");
  const json::object* pt = core::obj(in, "ProvisionedThroughput");
  if (billing == "PAY_PER_REQUEST") {
    if (pt) {
      return errors::invalid(
          "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is "
          "PAY_PER_REQUEST");
    }
    return std::nullopt;
  }
  if (!pt || !core::opt_int(*pt, "ReadCapacityUnits") || !core::opt_int(*pt, "WriteCapacityUnits")) {
    return errors::invalid(
        "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is "
        "PROVISIONED");
  }
  for (std::string_view m : {"ReadCapacityUnits", "WriteCapacityUnits"}) {
    int64_t v = *core::opt_int(*pt, m);
    if (v > 1000000000000LL) {
      return errors::validation("Given value " + std::to_string(v) + " for " + std::string(m) +
                                " is out of bounds");
    }
  }
  return std::nullopt;
}

std::optional<AwsError> check_local_indexes(const json::object& in, std::set<std::string>& names) {
  const json::array* lsis = core::arr(in, "LocalSecondaryIndexes");
  if (!lsis) return std::nullopt;
  const json::array& keys = array_of(in, "KeySchema");
  const json::array& defs = array_of(in, "AttributeDefinitions");
  if (lsis->empty()) return errors::invalid("List of LocalSecondaryIndexes is empty");
  if (keys.size() != 2) {
    return errors::invalid(
        "Table KeySchema does not have a range key, which is required when specifying a "
        "LocalSecondaryIndex");
  }
  std::string table_hash = core::str(keys[0].as_object(), "AttributeName");
  for (const json::value& v : *lsis) {
    const json::object& lsi = v.as_object();
    std::string name = core::str(lsi, "IndexName");
    const json::array& ikeys = array_of(lsi, "KeySchema");
    if (auto e = check_key_schema(ikeys, defs)) return e;
    if (ikeys.size() != 2) {
      return errors::invalid("Index KeySchema does not have a range key for index: " + name);
    }
    std::string hash = core::str(ikeys[0].as_object(), "AttributeName");
    if (hash != table_hash) {
      return errors::invalid(
          "Index KeySchema does not have the same leading hash key as table KeySchema for "
          "index: " + name + ". index hash key: " + hash + ", table hash key: " + table_hash);
    }
    if (auto e = check_projection(lsi)) return e;
    if (!names.insert(name).second) return errors::invalid("Duplicate index name: " + name);
  }
  if (lsis->size() > 5) {
    return errors::invalid("Number of LocalSecondaryIndexes exceeds per-table limit of 5");
  }
  return std::nullopt;
}

std::optional<AwsError> check_global_indexes(const json::object& in, std::set<std::string>& names) {
  const json::array* gsis = core::arr(in, "GlobalSecondaryIndexes");
  if (!gsis) return std::nullopt;
  if (gsis->empty()) return errors::invalid("List of GlobalSecondaryIndexes is empty");
  std::string billing = core::str(in, "BillingMode", "PROVISIONED");
  for (const json::value& v : *gsis) {
    const json::object& gsi = v.as_object();
    if (auto r = check_global_index(gsi, array_of(in, "AttributeDefinitions"), billing); !r) {
      return r.error();
    }
    std::string name = core::str(gsi, "IndexName");
    if (!names.insert(name).second) return errors::invalid("Duplicate index name: " + name);
  }
  if (gsis->size() > 20) {
    return errors::invalid("GlobalSecondaryIndex count exceeds the per-table limit of 20");
  }
  return std::nullopt;
}

// Every attribute definition must be a key of the table or of an index.
std::optional<AwsError> check_definitions_used(const json::object& in) {
  const json::array& defs = array_of(in, "AttributeDefinitions");
  std::vector<std::string> used;
  auto add = [&](const json::array& keys) {
    for (const std::string& n : names_of(keys, "AttributeName")) {
      if (std::find(used.begin(), used.end(), n) == used.end()) used.push_back(n);
    }
  };
  add(array_of(in, "KeySchema"));
  bool has_indexes = false;
  for (std::string_view list : {"LocalSecondaryIndexes", "GlobalSecondaryIndexes"}) {
    for (const json::value& v : array_of(in, list)) {
      has_indexes = true;
      add(array_of(v.as_object(), "KeySchema"));
    }
  }
  std::vector<std::string> defined = names_of(defs, "AttributeName");
  if (defined.size() == used.size()) return std::nullopt;
  if (!has_indexes) {
    return errors::invalid(
        "Number of attributes in KeySchema does not exactly match number of attributes defined "
        "in AttributeDefinitions");
  }
  return errors::invalid("Some AttributeDefinitions are not used. AttributeDefinitions: [" +
                         join(defined) + "], keys used: [" + join(used) + "]");
}

std::optional<AwsError> check_create_table(const json::object& in) {
  if (auto e = check_throughput(in)) return e;
  const json::array& keys = array_of(in, "KeySchema");
  const json::array& defs = array_of(in, "AttributeDefinitions");
  if (keys.size() > defs.size()) {
    return errors::validation("Invalid KeySchema: Some index key attribute have no definition");
  }
  if (auto e = check_key_schema(keys, defs)) return e;
  std::set<std::string> names;
  if (auto e = check_local_indexes(in, names)) return e;
  if (auto e = check_global_indexes(in, names)) return e;
  return check_definitions_used(in);
}

json::object throughput_description(const json::object* pt) {
  json::object out{{"NumberOfDecreasesToday", 0}, {"ReadCapacityUnits", 0},
                   {"WriteCapacityUnits", 0}};
  if (pt) {
    out["ReadCapacityUnits"] = core::opt_int(*pt, "ReadCapacityUnits").value_or(0);
    out["WriteCapacityUnits"] = core::opt_int(*pt, "WriteCapacityUnits").value_or(0);
  }
  return out;
}

json::object index_description(const json::object& in, const std::string& table_arn, int slot,
                               bool global) {
  std::string name = core::str(in, "IndexName");
  json::object out{{"IndexName", name},
                   {"KeySchema", in.at("KeySchema")},
                   {"Projection", in.at("Projection")},
                   {"IndexArn", table_arn + "/index/" + name},
                   {"Slot", slot}};
  if (global) {
    out["ProvisionedThroughput"] = throughput_description(core::obj(in, "ProvisionedThroughput"));
  }
  return out;
}

}  // namespace

protocol::Result<void> check_global_index(const json::object& gsi, const json::array& definitions,
                                          std::string_view billing) {
  std::string name = core::str(gsi, "IndexName");
  if (auto e = check_key_schema(array_of(gsi, "KeySchema"), definitions)) return *e;
  if (auto e = check_projection(gsi)) return *e;
  bool has_throughput = core::obj(gsi, "ProvisionedThroughput") != nullptr;
  if (billing == "PAY_PER_REQUEST" && has_throughput) {
    return errors::invalid("ProvisionedThroughput should not be specified for index: " + name +
                           " when BillingMode is PAY_PER_REQUEST");
  }
  if (billing != "PAY_PER_REQUEST" && !has_throughput) {
    return errors::invalid("ProvisionedThroughput must be specified for index: " + name);
  }
  return {};
}

protocol::Result<json::object> describe_new_table(const NewTable& where, const json::object& in) {
  if (auto e = check_create_table(in)) return *e;
  std::string name = core::str(in, "TableName");
  std::string arn = core::ids::arn("dynamodb", where.region, where.account, "table/" + name);
  std::string billing = core::str(in, "BillingMode", "PROVISIONED");
  json::object d{{"TableName", name},
                 {"AttributeDefinitions", in.at("AttributeDefinitions")},
                 {"KeySchema", in.at("KeySchema")},
                 {"CreationDateTime", static_cast<double>(where.now_ms) / 1000.0},
                 {"ProvisionedThroughput",
                  throughput_description(core::obj(in, "ProvisionedThroughput"))},
                 {"TableArn", arn},
                 {"TableId", core::ids::uuid4()},
                 {"DeletionProtectionEnabled",
                  core::opt_bool(in, "DeletionProtectionEnabled").value_or(false)}};
  if (in.contains("BillingMode")) {
    json::object summary{{"BillingMode", billing}};
    if (billing == "PAY_PER_REQUEST") {
      summary["LastUpdateToPayPerRequestDateTime"] = d["CreationDateTime"];
    }
    d["BillingModeSummary"] = std::move(summary);
  }
  int slot = 1;
  for (std::string_view list : {"LocalSecondaryIndexes", "GlobalSecondaryIndexes"}) {
    const json::array* indexes = core::arr(in, list);
    if (!indexes) continue;
    json::array out;
    for (const json::value& v : *indexes) {
      out.push_back(index_description(v.as_object(), arn, slot++,
                                      list == "GlobalSecondaryIndexes"));
    }
    d[list] = std::move(out);
  }
  if (const json::object* streams = core::obj(in, "StreamSpecification")) {
    bool enabled = core::opt_bool(*streams, "StreamEnabled").value_or(false);
    if (enabled != streams->contains("StreamViewType")) {
      return errors::invalid(enabled ? "Table is being created with a stream enabled, "
                                       "UpdateViewType is required"
                                     : "Table is being created with a stream disabled, "
                                       "UpdateViewType should not be specified");
    }
    if (enabled) d["StreamSpecification"] = *streams;
  }
  if (const json::object* sse = core::obj(in, "SSESpecification")) {
    if (core::opt_bool(*sse, "Enabled").value_or(false)) {
      std::string key = core::str(*sse, "KMSMasterKeyId");
      if (key.empty() || key.rfind("arn:", 0) != 0) {
        key = core::ids::arn("kms", where.region, where.account,
                        "key/" + (key.empty() ? core::ids::uuid4() : key));
      }
      d["SSEDescription"] =
          json::object{{"Status", "ENABLED"}, {"SSEType", "KMS"}, {"KMSMasterKeyArn", key}};
    }
  }
  if (auto cls = core::opt_str(in, "TableClass")) {
    d["TableClassSummary"] = json::object{{"TableClass", *cls}};
  }
  return d;
}

std::string attribute_type(const json::array& definitions, std::string_view name) {
  for (const json::value& v : definitions) {
    const json::object& def = v.as_object();
    if (core::str(def, "AttributeName") == name) return core::str(def, "AttributeType");
  }
  return "";
}

KeySchema key_schema_from(const json::array& key_schema, const json::array& definitions) {
  KeySchema out;
  for (const json::value& v : key_schema) {
    const json::object& k = v.as_object();
    std::string name = core::str(k, "AttributeName");
    KeyAttr attr{name, attribute_type(definitions, name)};
    bool hash = core::str(k, "KeyType") == "HASH";
    if (hash && out.hash.name.empty()) {
      out.hash = std::move(attr);
    } else if (hash) {
      out.more_hash.push_back(std::move(attr));
    } else if (!out.range) {
      out.range = std::move(attr);
    } else {
      out.more_range.push_back(std::move(attr));
    }
  }
  return out;
}

Table table_from_description(int64_t id, std::string account, std::string region,
                             int64_t created_ms, json::object description) {
  Table t;
  t.id = id;
  t.account = std::move(account);
  t.region = std::move(region);
  t.created_ms = created_ms;
  t.name = core::str(description, "TableName");
  t.arn = core::str(description, "TableArn");
  const json::array& defs = array_of(description, "AttributeDefinitions");
  t.keys = key_schema_from(array_of(description, "KeySchema"), defs);
  for (std::string_view list : {"LocalSecondaryIndexes", "GlobalSecondaryIndexes"}) {
    for (const json::value& v : array_of(description, list)) {
      const json::object& d = v.as_object();
      Index index;
      index.name = core::str(d, "IndexName");
      index.global = list == "GlobalSecondaryIndexes";
      index.keys = key_schema_from(array_of(d, "KeySchema"), defs);
      if (const json::object* p = core::obj(d, "Projection")) {
        index.projection = core::str(*p, "ProjectionType", "ALL");
        index.non_key = core::strings(*p, "NonKeyAttributes");
      }
      index.slot = static_cast<int>(core::opt_int(d, "Slot").value_or(1));
      t.indexes.push_back(std::move(index));
    }
  }
  t.description = std::move(description);
  return t;
}

json::object live_description(const Table& table, const LiveFigures& live) {
  json::object d = table.description;
  d["TableStatus"] = live.status;
  d["ItemCount"] = live.item_count;
  d["TableSizeBytes"] = live.size_bytes;
  for (std::string_view list : {"LocalSecondaryIndexes", "GlobalSecondaryIndexes"}) {
    json::array* indexes = d.contains(list) ? d[list].if_array() : nullptr;
    if (!indexes) continue;
    for (json::value& v : *indexes) {
      json::object& index = v.as_object();
      index.erase("Slot");
      index.erase("CreatedMs");
      std::string name = core::str(index, "IndexName");
      if (const json::object* figures = core::obj(live.indexes, name)) {
        for (const auto& [k, value] : *figures) {
          index[k] = value;
        }
      }
      if (list == "LocalSecondaryIndexes") index.erase("IndexStatus");
    }
  }
  return d;
}

}  // namespace services::dynamodb
