// Tags, and the settings DynamoDB stores without this emulator acting on them beyond what they
// say: TimeToLive (kept in the description; TODO(ddb-table): expire items, #18), continuous
// backups, limits and endpoints.

#include <boost/json/array.hpp>

#include "core/ids.h"
#include "core/json.h"
#include "services/dynamodb/dynamodb_service.h"
#include "services/dynamodb/errors.h"

namespace services::dynamodb {
namespace {

namespace json = boost::json;

protocol::AwsError arn_not_found(std::string_view arn) {
  return {"ResourceNotFoundException",
          "Requested resource not found: ResourceArn: " + std::string(arn) + " not found"};
}

}  // namespace

Reply DynamoDbService::with_table_arn(const Ctx& ctx, std::string_view arn, const TableStep& step) {
  core::ids::ParsedArn parsed;
  if (!core::ids::parse_arn(arn, &parsed) || parsed.service != "dynamodb" ||
      parsed.resource.rfind("table/", 0) != 0) {
    return errors::validation("Invalid TableArn: Invalid ResourceArn provided as input " +
                              std::string(arn));
  }
  if (parsed.account != ctx.account || parsed.region != ctx.region) return arn_not_found(arn);
  std::string name = parsed.resource.substr(6);
  if (name.find('/') != std::string::npos) return arn_not_found(arn);
  return with_table_row(ctx, json::object{{"TableName", name}},
                        [&](DdbStore& st, TableRow& row) -> Reply { return step(st, row); });
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TagResource.html
Reply DynamoDbService::tag_resource(const Ctx& ctx, const Doc& in) {
  return with_table_arn(ctx, core::str(in, "ResourceArn"), [&](DdbStore& st, TableRow& row) -> Reply {
    const json::array* tags = core::arr(in, "Tags");
    for (const json::value& v : tags ? *tags : json::array()) {
      std::string key = core::str(v.as_object(), "Key");
      auto it = std::find_if(row.tags.begin(), row.tags.end(), [&](const json::value& t) {
        return core::str(t.as_object(), "Key") == key;
      });
      if (it != row.tags.end()) {
        *it = v;
      } else {
        row.tags.push_back(v);
      }
    }
    if (row.tags.size() > 50) {
      return errors::limit_exceeded("The number of tags exceeds the limit of 50 per resource.");
    }
    st.update_tags(row.id, row.tags);
    return json::object();
  });
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UntagResource.html
Reply DynamoDbService::untag_resource(const Ctx& ctx, const Doc& in) {
  return with_table_arn(ctx, core::str(in, "ResourceArn"), [&](DdbStore& st, TableRow& row) -> Reply {
    std::vector<std::string> keys = core::strings(in, "TagKeys");
    json::array kept;
    for (const json::value& t : row.tags) {
      std::string key = core::str(t.as_object(), "Key");
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) kept.push_back(t);
    }
    st.update_tags(row.id, kept);
    return json::object();
  });
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListTagsOfResource.html
Reply DynamoDbService::list_tags_of_resource(const Ctx& ctx, const Doc& in) {
  return with_table_arn(ctx, core::str(in, "ResourceArn"), [&](DdbStore&, TableRow& row) -> Reply {
    return json::object{{"Tags", row.tags}};
  });
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeLimits.html
Reply DynamoDbService::describe_limits(const Ctx&, const Doc&) {
  return json::object{{"AccountMaxReadCapacityUnits", 80000},
                      {"AccountMaxWriteCapacityUnits", 80000},
                      {"TableMaxReadCapacityUnits", 40000},
                      {"TableMaxWriteCapacityUnits", 40000}};
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeEndpoints.html
Reply DynamoDbService::describe_endpoints(const Ctx& ctx, const Doc&) {
  json::object endpoint{{"Address", "dynamodb." + ctx.region + ".amazonaws.com"},
                        {"CachePeriodInMinutes", 1440}};
  return json::object{{"Endpoints", json::array{endpoint}}};
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html
Reply DynamoDbService::update_time_to_live(const Ctx& ctx, const Doc& in) {
  return with_table_row(ctx, in, [&](DdbStore& st, TableRow& row) -> Reply {
    const json::object* spec = core::obj(in, "TimeToLiveSpecification");
    if (!spec) return errors::validation("TimeToLiveSpecification is required");
    bool enable = core::opt_bool(*spec, "Enabled").value_or(false);
    std::string attribute = core::str(*spec, "AttributeName");
    const json::object* current = core::obj(row.description, "TimeToLive");
    bool enabled = current && core::opt_bool(*current, "Enabled").value_or(false);
    if (enable && enabled) return errors::validation("TimeToLive is already enabled");
    if (!enable && !enabled) return errors::validation("TimeToLive is already disabled");
    if (!enable && core::str(*current, "AttributeName") != attribute) {
      return errors::validation(
          "TimeToLive is active on a different AttributeName: current AttributeName is " +
          core::str(*current, "AttributeName"));
    }
    row.description["TimeToLive"] = json::object{{"Enabled", enable}, {"AttributeName", attribute}};
    st.update_description(row.id, row.description);
    catalog_.forget(ctx.account, ctx.region, row.name);
    return json::object{{"TimeToLiveSpecification", *spec}};
  });
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeTimeToLive.html
Reply DynamoDbService::describe_time_to_live(const Ctx& ctx, const Doc& in) {
  return with_table_row(ctx, in, [&](DdbStore&, TableRow& row) -> Reply {
    json::object d{{"TimeToLiveStatus", "DISABLED"}};
    if (const json::object* ttl = core::obj(row.description, "TimeToLive")) {
      if (core::opt_bool(*ttl, "Enabled").value_or(false)) {
        d = json::object{{"TimeToLiveStatus", "ENABLED"},
                         {"AttributeName", core::str(*ttl, "AttributeName")}};
      }
    }
    return json::object{{"TimeToLiveDescription", std::move(d)}};
  });
}

namespace {

json::object backups_description(const json::object& description, double now) {
  json::object pitr{{"PointInTimeRecoveryStatus", "DISABLED"}};
  if (const json::object* p = core::obj(description, "PointInTimeRecovery")) {
    if (core::opt_bool(*p, "Enabled").value_or(false)) {
      pitr = json::object{{"PointInTimeRecoveryStatus", "ENABLED"},
                          {"RecoveryPeriodInDays", core::opt_int(*p, "Days").value_or(35)},
                          {"EarliestRestorableDateTime", core::opt_int(*p, "SinceMs").value_or(0) /
                                                             1000.0},
                          {"LatestRestorableDateTime", now}};
    }
  }
  return json::object{{"ContinuousBackupsStatus", "ENABLED"},
                      {"PointInTimeRecoveryDescription", std::move(pitr)}};
}

}  // namespace

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeContinuousBackups.html
Reply DynamoDbService::describe_continuous_backups(const Ctx& ctx, const Doc& in) {
  double now = core::to_epoch_seconds(clock_.now());
  return with_table_row(ctx, in, [&](DdbStore&, TableRow& row) -> Reply {
    return json::object{
        {"ContinuousBackupsDescription", backups_description(row.description, now)}};
  });
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateContinuousBackups.html
Reply DynamoDbService::update_continuous_backups(const Ctx& ctx, const Doc& in) {
  double now = core::to_epoch_seconds(clock_.now());
  return with_table_row(ctx, in, [&](DdbStore& st, TableRow& row) -> Reply {
    const json::object* spec = core::obj(in, "PointInTimeRecoverySpecification");
    bool enable = spec && core::opt_bool(*spec, "PointInTimeRecoveryEnabled").value_or(false);
    json::object p{{"Enabled", enable}, {"SinceMs", core::to_epoch_millis(clock_.now())}};
    if (spec) {
      if (auto days = core::opt_int(*spec, "RecoveryPeriodInDays")) p["Days"] = *days;
    }
    row.description["PointInTimeRecovery"] = std::move(p);
    st.update_description(row.id, row.description);
    catalog_.forget(ctx.account, ctx.region, row.name);
    return json::object{
        {"ContinuousBackupsDescription", backups_description(row.description, now)}};
  });
}

}  // namespace services::dynamodb
