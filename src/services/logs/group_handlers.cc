// Log groups and their retention policies.

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

#include "services/logs/describe_page.h"
#include "services/logs/errors.h"
#include "services/logs/logs_json.h"
#include "services/logs/logs_service.h"
#include "store/store_errors.h"

namespace services::logs {

namespace json = boost::json;

namespace {

constexpr int64_t kDefaultDescribeLimit = 50;

bool contains_ignoring_case(std::string_view haystack, std::string_view needle) {
  auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                        [](char a, char b) {
                          return std::tolower(static_cast<unsigned char>(a)) ==
                                 std::tolower(static_cast<unsigned char>(b));
                        });
  return it != haystack.end();
}

}  // namespace

// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
Reply LogsService::create_log_group(const Ctx& ctx, const Doc& in) {
  GroupRow g;
  g.account = ctx.account;
  g.region = ctx.region;
  g.name = *opt_string(in, "logGroupName");
  if (auto r = check_group_name(g.name, "logGroupName"); !r) {
    return r.error();
  }
  g.created_at_ms = now_ms();
  g.kms_key_id = opt_string(in, "kmsKeyId");
  g.log_group_class = opt_string(in, "logGroupClass").value_or("STANDARD");
  g.deletion_protection = opt_bool(in, "deletionProtectionEnabled", false);
  if (const json::value* tags = in.if_contains("tags"); tags && tags->is_object()) {
    if (auto r = check_tags(tags->as_object(), ctx.via_cloudformation()); !r) {
      return r.error();
    }
    g.tags = tags->as_object();
  }
  store::Transaction tx = db_.begin();
  LogsStore st(tx);
  try {
    st.insert_group(g);
  } catch (const std::system_error& e) {
    if (e.code() == store::errc::unique_constraint) {
      return errors::group_already_exists();
    }
    throw;
  }
  tx.commit();
  return Doc{};
}

// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteLogGroup.html
Reply LogsService::delete_log_group(const Ctx& ctx, const Doc& in) {
  store::Transaction tx = db_.begin();
  LogsStore st(tx);
  std::optional<GroupRow> g = st.group(ctx.account, ctx.region, *opt_string(in, "logGroupName"));
  if (!g) {
    return errors::group_not_found();
  }
  if (g->deletion_protection) {
    return errors::validation("Log group " + g->name +
                              " has deletion protection enabled and cannot be deleted.");
  }
  st.delete_group(g->id);
  tx.commit();
  if (metric_filters_ != nullptr) {
    metric_filters_->invalidate(g->id);  // the id may be reused by a new group
  }
  return Doc{};
}

// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogGroups.html
// Groups come in name order; nextToken is the last name returned.
Reply LogsService::describe_log_groups(const Ctx& ctx, const Doc& in) {
  std::optional<std::string> prefix = opt_string(in, "logGroupNamePrefix");
  std::optional<std::string> pattern = opt_string(in, "logGroupNamePattern");
  std::optional<std::string> group_class = opt_string(in, "logGroupClass");
  if (prefix && pattern) {
    return errors::invalid_parameter(
        "LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive parameters.");
  }
  std::vector<std::string> identifiers;
  if (const json::value* ids = in.if_contains("logGroupIdentifiers"); ids && ids->is_array()) {
    if (prefix || pattern) {
      return errors::invalid_parameter(
          "logGroupIdentifiers cannot be combined with logGroupNamePrefix or "
          "logGroupNamePattern.");
    }
    for (const json::value& id : ids->as_array()) {
      std::string text(id.as_string());
      if (text.starts_with("arn:")) {
        std::optional<std::string> name = group_name_from_arn(text, ctx.account, ctx.region);
        if (name) {
          identifiers.push_back(*name);
        }
      } else {
        identifiers.push_back(text);
      }
    }
  }
  protocol::Result<DescribePage> page = read_describe_page(in, kDefaultDescribeLimit);
  if (!page) {
    return page.error();
  }

  std::vector<GroupRow> groups;
  {
    store::Transaction tx = db_.read();
    groups = LogsStore(tx).groups(ctx.account, ctx.region);
    tx.commit();
  }
  std::vector<std::pair<std::string, const GroupRow*>> keyed;
  for (const GroupRow& g : groups) {
    if (prefix && !g.name.starts_with(*prefix)) {
      continue;
    }
    if (pattern && !contains_ignoring_case(g.name, *pattern)) {
      continue;
    }
    if (group_class && g.log_group_class != *group_class) {
      continue;
    }
    if (!identifiers.empty() &&
        std::find(identifiers.begin(), identifiers.end(), g.name) == identifiers.end()) {
      continue;
    }
    keyed.emplace_back(g.name, &g);
  }
  return describe_page(keyed, *page, false, "logGroups",
                       [](const GroupRow* g) { return group_json(*g); });
}

// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
Reply LogsService::put_retention_policy(const Ctx& ctx, const Doc& in) {
  int64_t days = *opt_int(in, "retentionInDays");
  if (!valid_retention_days(days)) {
    return errors::constraint("retentionInDays", std::to_string(days),
                              "Member must satisfy enum value set: " + retention_days_list());
  }
  store::Transaction tx = db_.begin();
  LogsStore st(tx);
  std::optional<GroupRow> g = st.group(ctx.account, ctx.region, *opt_string(in, "logGroupName"));
  if (!g) {
    return errors::group_not_found();
  }
  st.set_retention(g->id, days);
  tx.commit();
  if (on_retention_changed_) {
    on_retention_changed_(g->id);
  }
  return Doc{};
}

// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteRetentionPolicy.html
Reply LogsService::delete_retention_policy(const Ctx& ctx, const Doc& in) {
  store::Transaction tx = db_.begin();
  LogsStore st(tx);
  std::optional<GroupRow> g = st.group(ctx.account, ctx.region, *opt_string(in, "logGroupName"));
  if (!g) {
    return errors::group_not_found();
  }
  st.set_retention(g->id, std::nullopt);
  tx.commit();
  return Doc{};
}

}  // namespace services::logs
