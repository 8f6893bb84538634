// AWS::DynamoDB::Table over DynamoDB's CreateTable, UpdateTable, UpdateTimeToLive and
// DeleteTable, and AWS::DynamoDB::GlobalTable (one region: the same table, with its replica's
// settings).
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-table.html
// Ref: the table name. GetAtt: Arn, StreamArn (when streams are on).
// TableName, KeySchema, LocalSecondaryIndexes (and ImportSourceSpecification) require
// replacement; billing, throughput, global secondary indexes, streams, SSE, TTL, table class,
// deletion protection, point-in-time recovery and tags are updated in place.

#include <map>
#include <optional>
#include <set>

#include "services/cloudformation/resources/data_providers.h"
#include "services/cloudformation/resources/load_balancing_support.h"

namespace services::cloudformation::resources {
namespace {

namespace json = boost::json;
using lb::typed_call;

constexpr std::size_t kMaxNameLength = 255;

// UpdateTable's StreamSpecification that turns the template's stream on, if it has one.
std::optional<json::object> stream_input(const json::object& p) {
  const json::value* s = p.if_contains("StreamSpecification");
  if (!s || !s->is_object()) return std::nullopt;
  json::object spec = s->as_object();
  spec["StreamEnabled"] = true;
  return spec;
}

// The table's CreateTable input from the template's properties (member names match the API's,
// except StreamSpecification, which CloudFormation gives without StreamEnabled).
json::object create_input(const engine::ResourceRequest& req, const std::string& name) {
  const json::object& p = properties(req.properties);
  json::object in{{"TableName", name}};
  lb::copy_present(p, in, {"AttributeDefinitions", "KeySchema", "BillingMode",
                           "ProvisionedThroughput", "GlobalSecondaryIndexes",
                           "LocalSecondaryIndexes", "SSESpecification", "TableClass",
                           "DeletionProtectionEnabled"});
  if (auto stream = stream_input(p)) in["StreamSpecification"] = std::move(*stream);
  in["Tags"] = lb::tag_list(req);  // the stack's and the template's (stack_tags)
  return in;
}

class TableProvider final : public engine::ResourceProvider {
 public:
  explicit TableProvider(const ServiceClient& client) : client_(client) {}

  protocol::Result<engine::ProvisionResult> create(const engine::ResourceRequest& req) override {
    const json::object& p = properties(req.properties);
    if (!p.contains("KeySchema")) return missing_property(req, "KeySchema");
    std::string name = lb::text(p, "TableName")
                           .value_or(generated_name(*req.stack, req.logical_id, kMaxNameLength));
    if (auto r = typed_call(client_, req, "dynamodb", "CreateTable", create_input(req, name)); !r) {
      return r.error();
    }
    return describe(req, name);
  }

  // After create: TTL and point-in-time recovery need an ACTIVE table.
  protocol::Result<engine::Progress> stabilize(const engine::ResourceRequest& req) override {
    auto d = client_.call(*req.stack, "dynamodb", "DescribeTable", {{"TableName", req.physical_id}});
    if (!d) return d.error();
    const json::object* t = core_table(*d);
    if (!t || lb::text(*t, "TableStatus").value_or("") != "ACTIVE") return engine::Progress::InProgress;
    std::optional<json::object> stream = stream_input(properties(req.properties));
    if (stream && !t->contains("StreamSpecification")) {
      json::object in{{"TableName", req.physical_id}, {"StreamSpecification", *stream}};
      if (auto r = typed_call(client_, req, "dynamodb", "UpdateTable", in); !r) return r.error();
      return engine::Progress::InProgress;
    }
    if (auto r = apply_settings(req, false); !r) return r.error();
    return engine::Progress::Done;
  }

  protocol::Result<engine::ProvisionResult> update(const engine::ResourceRequest& req) override {
    const json::object& p = properties(req.properties);
    json::object in{{"TableName", req.physical_id}};
    if (lb::any_changed(req, {"BillingMode", "ProvisionedThroughput"})) {
      lb::copy_present(p, in, {"BillingMode", "ProvisionedThroughput"});
    }
    if (lb::changed(req, "StreamSpecification")) {
      // A stream's view type cannot change (DynamoDB: "Table already has an enabled stream"):
      // CloudFormation turns the old stream off here, and stabilize() turns the new one on.
      bool was_on = properties(req.previous_properties).contains("StreamSpecification");
      in["StreamSpecification"] = was_on ? json::object{{"StreamEnabled", false}}
                                         : stream_input(p).value_or(json::object{});
    }
    lb::copy_present(p, in, {"SSESpecification", "TableClass", "DeletionProtectionEnabled"});
    if (lb::changed(req, "GlobalSecondaryIndexes")) {
      in["GlobalSecondaryIndexUpdates"] = index_updates(req);
      lb::copy_present(p, in, {"AttributeDefinitions"});
    }
    if (in.size() > 1) {
      if (auto r = typed_call(client_, req, "dynamodb", "UpdateTable", in); !r) return r.error();
    }
    if (auto r = apply_settings(req, true); !r) return r.error();
    return describe(req, req.physical_id);
  }

  protocol::Result<void> remove(const engine::ResourceRequest& req) override {
    return lb::gone_is_ok(client_.call(*req.stack, "dynamodb", "DeleteTable",
                                       {{"TableName", req.physical_id}}),
                          "ResourceNotFoundException");
  }

  protocol::Result<engine::ProvisionResult> read(const engine::ResourceRequest& req) override {
    return describe(req, req.physical_id);
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    static const std::set<std::string_view> kInPlace = {
        "BillingMode",        "ProvisionedThroughput",  "GlobalSecondaryIndexes",
        "StreamSpecification", "SSESpecification",      "TimeToLiveSpecification",
        "TableClass",          "DeletionProtectionEnabled", "PointInTimeRecoverySpecification",
        "Tags",                "AttributeDefinitions",   "ContributorInsightsSpecification",
        "KinesisStreamSpecification", "ResourcePolicy"};
    return kInPlace.contains(property) ? engine::UpdateBehavior::NoInterruption
                                       : engine::UpdateBehavior::Replacement;
  }

 private:
  static const json::object* core_table(const json::object& out) {
    const json::value* t = out.if_contains("Table");
    return t && t->is_object() ? &t->as_object() : nullptr;
  }

  // Create and Delete entries for the GSIs that came and went (a changed index is replaced).
  static json::array index_updates(const engine::ResourceRequest& req) {
    auto by_name = [](const json::value& props) {
      std::map<std::string, json::object> out;
      const json::value* list = properties(props).if_contains("GlobalSecondaryIndexes");
      if (!list || !list->is_array()) return out;
      for (const json::value& g : list->as_array()) {
        if (g.is_object()) out[lb::text(g.as_object(), "IndexName").value_or("")] = g.as_object();
      }
      return out;
    };
    auto before = by_name(req.previous_properties), after = by_name(req.properties);
    json::array updates;
    for (const auto& [name, g] : before) {
      auto it = after.find(name);
      if (it == after.end() || it->second != g) {
        updates.push_back(json::object{{"Delete", json::object{{"IndexName", name}}}});
      }
    }
    for (const auto& [name, g] : after) {
      auto it = before.find(name);
      if (it == before.end() || it->second != g) updates.push_back(json::object{{"Create", g}});
    }
    return updates;
  }

  // TimeToLiveSpecification, PointInTimeRecoverySpecification and Tags: separate calls.
  protocol::Result<void> apply_settings(const engine::ResourceRequest& req, bool only_changed) {
    const json::object& p = properties(req.properties);
    const std::string& name = req.physical_id;
    if (p.contains("TimeToLiveSpecification") && (!only_changed || lb::changed(req, "TimeToLiveSpecification"))) {
      auto r = typed_call(client_, req, "dynamodb", "UpdateTimeToLive",
                          {{"TableName", name}, {"TimeToLiveSpecification", p.at("TimeToLiveSpecification")}});
      if (!r) return r.error();
    }
    if (p.contains("PointInTimeRecoverySpecification") &&
        (!only_changed || lb::changed(req, "PointInTimeRecoverySpecification"))) {
      auto r = typed_call(client_, req, "dynamodb", "UpdateContinuousBackups",
                          {{"TableName", name},
                           {"PointInTimeRecoverySpecification", p.at("PointInTimeRecoverySpecification")}});
      if (!r) return r.error();
    }
    return {};
  }

  protocol::Result<engine::ProvisionResult> describe(const engine::ResourceRequest& req,
                                                     const std::string& name) {
    auto d = client_.call(*req.stack, "dynamodb", "DescribeTable", {{"TableName", name}});
    if (!d) return d.error();
    const json::object* t = core_table(*d);
    if (!t) return protocol::AwsError{"ResourceNotFoundException", "Requested resource not found"};
    engine::ProvisionResult out;
    out.physical_id = name;
    out.attributes["Arn"] = lb::text(*t, "TableArn").value_or("");
    if (auto stream = lb::text(*t, "LatestStreamArn")) out.attributes["StreamArn"] = *stream;
    json::object live;
    lb::copy_present(*t, live, {"KeySchema", "AttributeDefinitions", "TableClass",
                                "DeletionProtectionEnabled"});
    live["TableName"] = name;
    out.properties = lb::live_properties(req, std::move(live));
    return out;
  }

  const ServiceClient& client_;
};

}  // namespace

void add_data_providers(engine::ResourceProviders& out, const ServiceClient& client) {
  out.add("AWS::DynamoDB::Table", std::make_unique<TableProvider>(client));
  out.add("AWS::DynamoDB::GlobalTable", std::make_unique<TableProvider>(client));
}

}  // namespace services::cloudformation::resources
