#include "services/dynamodb/table_updates.h"

#include <boost/json/array.hpp>
#include <cstdio>
#include <ctime>
#include <set>

#include "core/json.h"
#include "services/dynamodb/errors.h"
#include "services/dynamodb/table_json.h"

namespace services::dynamodb {
namespace {

namespace json = boost::json;
using protocol::AwsError;

std::string billing_of(const json::object& d) {
  const json::object* summary = core::obj(d, "BillingModeSummary");
  return summary ? core::str(*summary, "BillingMode", "PROVISIONED") : "PROVISIONED";
}

std::optional<AwsError> change_throughput(json::object& d, const json::object& in, bool& changed) {
  std::string billing = core::str(in, "BillingMode", billing_of(d));
  const json::object* pt = core::obj(in, "ProvisionedThroughput");
  if (in.contains("BillingMode") && billing != billing_of(d)) {
    changed = true;
    json::object summary{{"BillingMode", billing}};
    if (billing == "PAY_PER_REQUEST") {
      summary["LastUpdateToPayPerRequestDateTime"] = d["UpdatedMs"].to_number<double>() / 1000.0;
      d["ProvisionedThroughput"] = json::object{
          {"NumberOfDecreasesToday", 0}, {"ReadCapacityUnits", 0}, {"WriteCapacityUnits", 0}};
    }
    d["BillingModeSummary"] = std::move(summary);
  }
  if (!pt) {
    if (billing == "PROVISIONED" && changed) {
      return errors::invalid(
          "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is "
          "PROVISIONED");
    }
    return std::nullopt;
  }
  if (billing == "PAY_PER_REQUEST") {
    return errors::invalid(
        "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is "
        "PAY_PER_REQUEST");
  }
  json::object& current = d["ProvisionedThroughput"].as_object();
  int64_t r0 = core::opt_int(current, "ReadCapacityUnits").value_or(0);
  int64_t w0 = core::opt_int(current, "WriteCapacityUnits").value_or(0);
  int64_t r = core::opt_int(*pt, "ReadCapacityUnits").value_or(r0);
  int64_t w = core::opt_int(*pt, "WriteCapacityUnits").value_or(w0);
  if (r == r0 && w == w0 && !changed) {
    return errors::validation(
        "The provisioned throughput for the table will not change. The requested value equals "
        "the current value. Current ReadCapacityUnits provisioned for the table: " +
        std::to_string(r0) + ". Requested ReadCapacityUnits: " + std::to_string(r) +
        ". Current WriteCapacityUnits provisioned for the table: " + std::to_string(w0) +
        ". Requested WriteCapacityUnits: " + std::to_string(w) +
        ". Refer to the Amazon DynamoDB Developer Guide for current limits and how to request "
        "higher limits.");
  }
  double when = d["UpdatedMs"].to_number<double>() / 1000.0;
  if (r > r0 || w > w0) current["LastIncreaseDateTime"] = when;
  if (r < r0 || w < w0) {
    current["LastDecreaseDateTime"] = when;
    current["NumberOfDecreasesToday"] =
        core::opt_int(current, "NumberOfDecreasesToday").value_or(0) + 1;
  }
  current["ReadCapacityUnits"] = r;
  current["WriteCapacityUnits"] = w;
  changed = true;
  return std::nullopt;
}

int free_slot(const json::object& d) {
  std::set<int64_t> used;
  for (std::string_view list : {"LocalSecondaryIndexes", "GlobalSecondaryIndexes"}) {
    if (const json::array* a = core::arr(d, list)) {
      for (const json::value& v : *a) used.insert(core::opt_int(v.as_object(), "Slot").value_or(0));
    }
  }
  int slot = 1;
  while (used.count(slot)) ++slot;
  return slot;
}

std::optional<AwsError> create_index(json::object& d, const json::object& in,
                                     const json::object& create, TableChange& change) {
  const json::array* defs_in = core::arr(in, "AttributeDefinitions");
  json::array defs = core::arr(d, "AttributeDefinitions") ? d["AttributeDefinitions"].as_array()
                                                           : json::array();
  for (const json::value& v : defs_in ? *defs_in : json::array()) {
    std::string name = core::str(v.as_object(), "AttributeName");
    if (attribute_type(defs, name).empty()) defs.push_back(v);
  }
  if (auto r = check_global_index(create, defs, billing_of(d)); !r) return r.error();
  std::string name = core::str(create, "IndexName");
  if (!d.contains("GlobalSecondaryIndexes")) d["GlobalSecondaryIndexes"] = json::array();
  json::array& gsis = d["GlobalSecondaryIndexes"].as_array();
  for (const json::value& v : gsis) {
    if (core::str(v.as_object(), "IndexName") == name) {
      return errors::invalid("Attempting to create an index which already exists");
    }
  }
  if (gsis.size() >= 20) {
    return errors::limit_exceeded("Subscriber limit exceeded: The maximum number of GSIs per "
                                  "table is 20");
  }
  int slot = free_slot(d);
  if (slot >= kSlotsPerTable) return errors::limit_exceeded("Too many indexes");
  const json::object* pt = core::obj(create, "ProvisionedThroughput");
  json::object index{{"IndexName", name},
                     {"KeySchema", create.at("KeySchema")},
                     {"Projection", create.at("Projection")},
                     {"IndexArn", core::str(d, "TableArn") + "/index/" + name},
                     {"ProvisionedThroughput",
                      json::object{{"NumberOfDecreasesToday", 0},
                                   {"ReadCapacityUnits",
                                    pt ? core::opt_int(*pt, "ReadCapacityUnits").value_or(0) : 0},
                                   {"WriteCapacityUnits",
                                    pt ? core::opt_int(*pt, "WriteCapacityUnits").value_or(0) : 0}}},
                     {"Slot", slot},
                     {"CreatedMs", d["UpdatedMs"]}};
  gsis.push_back(std::move(index));
  d["AttributeDefinitions"] = std::move(defs);
  change.created_indexes.push_back(name);
  return std::nullopt;
}

std::optional<AwsError> index_updates(json::object& d, const json::object& in,
                                      TableChange& change) {
  const json::array* updates = core::arr(in, "GlobalSecondaryIndexUpdates");
  if (!updates) return std::nullopt;
  for (const json::value& u : *updates) {
    const json::object& update = u.as_object();
    if (const json::object* create = core::obj(update, "Create")) {
      if (auto e = create_index(d, in, *create, change)) return e;
      continue;
    }
    const json::object* op = core::obj(update, "Delete");
    if (!op) op = core::obj(update, "Update");
    std::string name = op ? core::str(*op, "IndexName") : "";
    json::array* gsis = d.contains("GlobalSecondaryIndexes")
                            ? d["GlobalSecondaryIndexes"].if_array() : nullptr;
    auto it = gsis ? std::find_if(gsis->begin(), gsis->end(), [&](const json::value& v) {
      return core::str(v.as_object(), "IndexName") == name;
    }) : nullptr;
    if (!gsis || it == gsis->end()) {
      return AwsError("ResourceNotFoundException",
                      "Requested resource not found: Index: " + name + " not found");
    }
    if (core::obj(update, "Delete")) {
      change.dropped_slots.push_back(
          static_cast<int>(core::opt_int(it->as_object(), "Slot").value_or(0)));
      gsis->erase(it);
      if (gsis->empty()) d.erase("GlobalSecondaryIndexes");
    } else if (const json::object* pt = core::obj(*op, "ProvisionedThroughput")) {
      json::object& current = it->as_object()["ProvisionedThroughput"].as_object();
      for (std::string_view m : {"ReadCapacityUnits", "WriteCapacityUnits"}) {
        if (auto v = core::opt_int(*pt, m)) current[m] = *v;
      }
    }
  }
  return std::nullopt;
}

// Enabling needs a StreamViewType and a table without an enabled stream (a view type cannot
// change in place); disabling takes none and needs an enabled stream. Disabling drops
// StreamSpecification from the description and keeps LatestStreamArn and LatestStreamLabel;
// each enabling makes a new stream, labelled with the time of the change.
std::optional<AwsError> change_streams(json::object& d, const json::object& streams) {
  bool enable = core::opt_bool(streams, "StreamEnabled").value_or(false);
  if (enable && !streams.contains("StreamViewType")) {
    return errors::invalid("If stream is being enabled then UpdateViewType is required");
  }
  if (!enable && streams.contains("StreamViewType")) {
    return errors::invalid(
        "If stream is being disabled, then UpdateViewType must not be specified");
  }
  const json::object* current = core::obj(d, "StreamSpecification");
  bool enabled = current && core::opt_bool(*current, "StreamEnabled").value_or(false);
  std::string name = core::str(d, "TableName");
  if (enable && enabled) {
    return errors::validation("Table already has an enabled stream: TableName: " + name);
  }
  if (!enable && !enabled) {
    return errors::validation("Table has no stream to disable: TableName: " + name);
  }
  if (!enable) {
    d.erase("StreamSpecification");
    return std::nullopt;
  }
  d["StreamSpecification"] = streams;
  int64_t ms = d["UpdatedMs"].to_number<int64_t>();
  std::string label = stream_label(ms);
  if (label == core::str(d, "LatestStreamLabel")) label = stream_label(ms + 1);
  d["LatestStreamLabel"] = label;
  d["LatestStreamArn"] = core::str(d, "TableArn") + "/stream/" + label;
  return std::nullopt;
}

}  // namespace

std::string stream_label(int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char label[48];
  std::snprintf(label, sizeof label, "%s.%03d", buf, static_cast<int>(ms % 1000));
  return label;
}

protocol::Result<TableChange> plan_table_update(const json::object& description,
                                                const json::object& in, int64_t now_ms) {
  TableChange change;
  json::object& d = change.description;
  d = description;
  d["UpdatedMs"] = now_ms;
  bool changed = false;
  if (auto e = change_throughput(d, in, changed)) return *e;
  if (auto e = index_updates(d, in, change)) return *e;
  if (core::arr(in, "GlobalSecondaryIndexUpdates")) changed = true;
  if (const json::object* streams = core::obj(in, "StreamSpecification")) {
    if (auto e = change_streams(d, *streams)) return *e;
    changed = true;
  }
  if (const json::object* sse = core::obj(in, "SSESpecification")) {
    d["SSEDescription"] = json::object{{"Status", core::opt_bool(*sse, "Enabled").value_or(true)
                                                      ? "ENABLED" : "DISABLED"},
                                       {"SSEType", "KMS"}};
    changed = true;
  }
  if (auto cls = core::opt_str(in, "TableClass")) {
    d["TableClassSummary"] = json::object{{"TableClass", *cls}};
    changed = true;
  }
  if (auto protect = core::opt_bool(in, "DeletionProtectionEnabled")) {
    d["DeletionProtectionEnabled"] = *protect;
    changed = true;
  }
  if (!changed) {
    return errors::validation(
        "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
        "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
  }
  return change;
}

}  // namespace services::dynamodb
