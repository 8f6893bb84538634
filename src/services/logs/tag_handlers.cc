// Tags on log groups: the deprecated *LogGroup operations (by name) and the *Resource ones (by
// ARN, without the trailing ":*").

#include <boost/json.hpp>

#include "services/logs/errors.h"
#include "services/logs/logs_json.h"
#include "services/logs/logs_service.h"

namespace services::logs {

namespace json = boost::json;

namespace {

constexpr size_t kMaxTags = 50;

// Merges `add` into the group's tags and stores them; too_many decides the error past 50.
// Reserved keys only when `allow_reserved` (CloudFormation's in-process calls).
protocol::Result<void> merge_tags(LogsStore& st, const GroupRow& g, const json::object& add,
                                  const protocol::AwsError& too_many, bool allow_reserved) {
  if (auto r = check_tags(add, allow_reserved); !r) {
    return r.error();
  }
  json::object tags = g.tags;
  for (const auto& [k, v] : add) {
    tags[k] = v;
  }
  if (tags.size() > kMaxTags) {
    return too_many;
  }
  st.set_tags(g.id, tags);
  return {};
}

void remove_tags(LogsStore& st, const GroupRow& g, const json::array& keys) {
  json::object tags = g.tags;
  for (const json::value& k : keys) {
    tags.erase(k.as_string());
  }
  st.set_tags(g.id, tags);
}

}  // namespace

// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_TagLogGroup.html
Reply LogsService::tag_log_group(const Ctx& ctx, const Doc& in) {
  store::Transaction tx = db_.begin();
  LogsStore st(tx);
  std::optional<GroupRow> g = st.group(ctx.account, ctx.region, *opt_string(in, "logGroupName"));
  if (!g) {
    return errors::group_not_found();
  }
  if (auto r = merge_tags(st, *g, in.at("tags").as_object(),
                          errors::invalid_parameter("A log group can have no more than 50 tags."),
                          ctx.via_cloudformation());
      !r) {
    return r.error();
  }
  tx.commit();
  return Doc{};
}

// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_UntagLogGroup.html
Reply LogsService::untag_log_group(const Ctx& ctx, const Doc& in) {
  store::Transaction tx = db_.begin();
  LogsStore st(tx);
  std::optional<GroupRow> g = st.group(ctx.account, ctx.region, *opt_string(in, "logGroupName"));
  if (!g) {
    return errors::group_not_found();
  }
  remove_tags(st, *g, in.at("tags").as_array());
  tx.commit();
  return Doc{};
}

// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_ListTagsLogGroup.html
Reply LogsService::list_tags_log_group(const Ctx& ctx, const Doc& in) {
  store::Transaction tx = db_.read();
  LogsStore st(tx);
  std::optional<GroupRow> g = st.group(ctx.account, ctx.region, *opt_string(in, "logGroupName"));
  if (!g) {
    return errors::group_not_found();
  }
  tx.commit();
  return Doc{{"tags", g->tags}};
}

// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_TagResource.html
Reply LogsService::tag_resource(const Ctx& ctx, const Doc& in) {
  store::Transaction tx = db_.begin();
  LogsStore st(tx);
  protocol::Result<GroupRow> g = group_by_arn(st, ctx, *opt_string(in, "resourceArn"));
  if (!g) {
    return g.error();
  }
  if (auto r = merge_tags(st, *g, in.at("tags").as_object(),
                          errors::too_many_tags("A resource can have no more than 50 tags."),
                          ctx.via_cloudformation());
      !r) {
    return r.error();
  }
  tx.commit();
  return Doc{};
}

// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_UntagResource.html
Reply LogsService::untag_resource(const Ctx& ctx, const Doc& in) {
  store::Transaction tx = db_.begin();
  LogsStore st(tx);
  protocol::Result<GroupRow> g = group_by_arn(st, ctx, *opt_string(in, "resourceArn"));
  if (!g) {
    return g.error();
  }
  remove_tags(st, *g, in.at("tagKeys").as_array());
  tx.commit();
  return Doc{};
}

// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_ListTagsForResource.html
Reply LogsService::list_tags_for_resource(const Ctx& ctx, const Doc& in) {
  store::Transaction tx = db_.read();
  LogsStore st(tx);
  protocol::Result<GroupRow> g = group_by_arn(st, ctx, *opt_string(in, "resourceArn"));
  if (!g) {
    return g.error();
  }
  tx.commit();
  return Doc{{"tags", g->tags}};
}

}  // namespace services::logs
