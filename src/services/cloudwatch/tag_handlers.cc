// TagResource, UntagResource and ListTagsForResource, for alarms.

#include <boost/json.hpp>

#include "core/ids.h"
#include "core/json.h"
#include "services/cloudwatch/cloudwatch_json.h"
#include "services/cloudwatch/cloudwatch_service.h"
#include "services/cloudwatch/errors.h"

namespace services::cloudwatch {

namespace json = boost::json;

namespace {

constexpr size_t kMaxTags = 50;

// The alarm named by an arn:aws:cloudwatch:<region>:<account>:alarm:<name> of the caller.
protocol::Result<AlarmRow> tagged_alarm(CloudWatchStore& st, const Ctx& ctx,
                                        const std::string& arn) {
  core::ids::ParsedArn p;
  if (!core::ids::parse_arn(arn, &p) || p.service != "cloudwatch") {
    return errors::invalid_value("ResourceARN", arn);
  }
  std::string prefix = "alarm:";
  std::optional<AlarmRow> a;
  if (p.resource.starts_with(prefix) && p.region == ctx.region && p.account == ctx.account) {
    a = st.alarm(ctx.account, ctx.region, p.resource.substr(prefix.size()));
  }
  if (!a) {
    return errors::resource_not_found("The specified resource " + arn + " does not exist.");
  }
  return *a;
}

}  // namespace

// TagResource —
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_TagResource.html
Reply CloudWatchService::tag_resource(const Ctx& ctx, const Doc& in) {
  store::Transaction tx = db_.begin();
  CloudWatchStore st(tx);
  CW_ASSIGN(AlarmRow, a, tagged_alarm(st, ctx, *opt_string(in, "ResourceARN")));
  for (const json::value& t : *core::arr(in, "Tags")) {
    a.tags[core::str(t.as_object(), "Key")] = core::str(t.as_object(), "Value");
  }
  if (a.tags.size() > kMaxTags) {
    return errors::invalid_value("A resource can have at most 50 tags.");
  }
  st.set_tags(a.id, a.tags);
  tx.commit();
  return json::object{};
}

// UntagResource —
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_UntagResource.html
Reply CloudWatchService::untag_resource(const Ctx& ctx, const Doc& in) {
  store::Transaction tx = db_.begin();
  CloudWatchStore st(tx);
  CW_ASSIGN(AlarmRow, a, tagged_alarm(st, ctx, *opt_string(in, "ResourceARN")));
  for (const std::string& k : core::strings(in, "TagKeys")) a.tags.erase(k);
  st.set_tags(a.id, a.tags);
  tx.commit();
  return json::object{};
}

// ListTagsForResource —
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_ListTagsForResource.html
Reply CloudWatchService::list_tags_for_resource(const Ctx& ctx, const Doc& in) {
  store::Transaction tx = db_.read();
  CloudWatchStore st(tx);
  CW_ASSIGN(AlarmRow, a, tagged_alarm(st, ctx, *opt_string(in, "ResourceARN")));
  tx.commit();
  json::array tags;
  for (const auto& [k, v] : a.tags) tags.push_back(json::object{{"Key", k}, {"Value", v}});
  return json::object{{"Tags", std::move(tags)}};
}

}  // namespace services::cloudwatch
