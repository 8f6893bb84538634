// Tags on load balancers, target groups, listeners and rules.

#include <set>

#include "core/ids.h"
#include "services/elbv2/elbv2_json.h"
#include "services/elbv2/elbv2_service.h"
#include "services/elbv2/errors.h"

namespace services::elbv2 {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxTags = 50;

// Checks that the resource exists; the error names its kind as ELB does.
std::optional<protocol::AwsError> check_resource(Elbv2Store& st, const Ctx& ctx,
                                                 const std::string& arn) {
  if (arn_of_kind(ctx, arn, "loadbalancer")) {
    if (!st.load_balancer(arn)) {
      return errors::load_balancer_not_found("Load balancer '" + arn + "' not found");
    }
  } else if (arn_of_kind(ctx, arn, "targetgroup")) {
    if (!st.target_group(arn)) {
      return errors::target_group_not_found("Target group '" + arn + "' not found");
    }
  } else if (arn_of_kind(ctx, arn, "listener")) {
    if (!st.listener(arn)) {
      return errors::listener_not_found("Listener '" + arn + "' not found");
    }
  } else if (arn_of_kind(ctx, arn, "listener-rule")) {
    if (!st.rule(arn)) {
      return errors::rule_not_found("Rule '" + arn + "' not found");
    }
  } else {
    return errors::validation("'" + arn + "' is not a valid resource ARN");
  }
  return std::nullopt;
}

}  // namespace

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_AddTags.html
Reply Elbv2Service::add_tags(const Ctx& ctx, const Doc& in) {
  const json::array* tags = arr(in, "Tags");
  json::array list = tags ? *tags : json::array{};
  if (auto e = check_tags(list, ctx.via_cloudformation())) {
    return *e;
  }
  store::Transaction tx = db_.begin();
  Elbv2Store st(tx, ctx.account, ctx.region);
  for (const std::string& arn : strings(in, "ResourceArns")) {
    if (auto e = check_resource(st, ctx, arn)) {
      return *e;
    }
    std::set<std::string> keys;
    for (const json::value& t : st.tags(arn)) {
      keys.insert(str(t.get_object(), "Key"));
    }
    for (const json::value& t : list) {
      keys.insert(str(t.get_object(), "Key"));
    }
    if (keys.size() > kMaxTags) {
      return errors::too_many_tags();
    }
    st.add_tags(arn, list);
  }
  tx.commit();
  return json::object{};
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RemoveTags.html
Reply Elbv2Service::remove_tags(const Ctx& ctx, const Doc& in) {
  store::Transaction tx = db_.begin();
  Elbv2Store st(tx, ctx.account, ctx.region);
  for (const std::string& arn : strings(in, "ResourceArns")) {
    if (auto e = check_resource(st, ctx, arn)) {
      return *e;
    }
    st.remove_tags(arn, strings(in, "TagKeys"));
  }
  tx.commit();
  return json::object{};
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeTags.html
Reply Elbv2Service::describe_tags(const Ctx& ctx, const Doc& in) {
  std::vector<std::string> arns = strings(in, "ResourceArns");
  if (arns.size() > 20) {
    return errors::validation("You can specify at most 20 resource ARNs");
  }
  store::Transaction tx = db_.read();
  Elbv2Store st(tx, ctx.account, ctx.region);
  json::array out;
  for (const std::string& arn : arns) {
    if (auto e = check_resource(st, ctx, arn)) {
      return *e;
    }
    out.push_back(json::object{{"ResourceArn", arn}, {"Tags", st.tags(arn)}});
  }
  tx.commit();
  return json::object{{"TagDescriptions", std::move(out)}};
}

}  // namespace services::elbv2
