// DescribeScalingActivities, TagResource, UntagResource and ListTagsForResource.

#include <boost/json.hpp>
#include <charconv>

#include "core/json.h"
#include "services/autoscaling/autoscaling_service.h"
#include "services/autoscaling/errors.h"

namespace services::autoscaling {

namespace json = boost::json;

namespace {

constexpr size_t kMaxTags = 50;

protocol::AwsError target_arn_not_found(const std::string& arn) {
  return errors::resource_not_found("No scalable target found for resource ARN: " + arn);
}

}  // namespace

// DescribeScalingActivities —
// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_DescribeScalingActivities.html
// Newest first; the token is the id below which the next page starts.
Reply AutoscalingService::describe_scaling_activities(const Ctx& ctx, const Doc& in) {
  int64_t max = core::opt_int(in, "MaxResults").value_or(50);
  int64_t before = INT64_MAX;
  if (std::optional<std::string> token = core::opt_str(in, "NextToken")) {
    auto [p, ec] = std::from_chars(token->data(), token->data() + token->size(), before);
    if (ec != std::errc() || p != token->data() + token->size()) {
      return errors::invalid_next_token();
    }
  }
  store::Transaction tx = db_.read();
  std::vector<ActivityRow> rows = AutoscalingStore(tx).activities(
      ctx.account, ctx.region, core::str(in, "ServiceNamespace"), core::opt_str(in, "ResourceId"),
      core::opt_str(in, "ScalableDimension"), before, max + 1);
  tx.commit();
  json::array items;
  for (size_t i = 0; i < rows.size() && static_cast<int64_t>(i) < max; ++i) {
    items.push_back(std::move(rows[i].doc));
  }
  json::object reply{{"ScalingActivities", std::move(items)}};
  if (static_cast<int64_t>(rows.size()) > max) {
    reply["NextToken"] = std::to_string(rows[static_cast<size_t>(max) - 1].id);
  }
  return reply;
}

// Changes the tags of the target with ARN ResourceARN with `edit`, in one transaction.
Reply AutoscalingService::edit_tags(const Ctx& ctx, const Doc& in,
                                    const std::function<void(json::object&)>& edit) {
  std::string arn = core::str(in, "ResourceARN");
  store::Transaction tx = db_.begin();
  AutoscalingStore st(tx);
  std::optional<TargetRow> t = st.target_by_arn(arn);
  if (!t || t->key.account != ctx.account) return target_arn_not_found(arn);
  json::object tags = t->tags;
  edit(tags);
  if (tags.size() > kMaxTags) {
    return protocol::AwsError{"TooManyTagsException",
                              "A scalable target can have at most 50 tags."};
  }
  st.set_tags(t->id, tags);
  tx.commit();
  return json::object{};
}

// TagResource —
// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_TagResource.html
Reply AutoscalingService::tag_resource(const Ctx& ctx, const Doc& in) {
  return edit_tags(ctx, in, [&](json::object& tags) {
    if (const json::object* given = core::obj(in, "Tags")) {
      for (const auto& [k, v] : *given) tags[k] = v;
    }
  });
}

// UntagResource —
// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_UntagResource.html
Reply AutoscalingService::untag_resource(const Ctx& ctx, const Doc& in) {
  return edit_tags(ctx, in, [&](json::object& tags) {
    for (const std::string& k : core::strings(in, "TagKeys")) tags.erase(k);
  });
}

// ListTagsForResource —
// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_ListTagsForResource.html
Reply AutoscalingService::list_tags_for_resource(const Ctx& ctx, const Doc& in) {
  std::string arn = core::str(in, "ResourceARN");
  store::Transaction tx = db_.read();
  std::optional<TargetRow> t = AutoscalingStore(tx).target_by_arn(arn);
  tx.commit();
  if (!t || t->key.account != ctx.account) return target_arn_not_found(arn);
  return json::object{{"Tags", t->tags}};
}

}  // namespace services::autoscaling
