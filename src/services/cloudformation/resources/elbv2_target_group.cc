// AWS::ElasticLoadBalancingV2::TargetGroup over ELBv2's CreateTargetGroup.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticloadbalancingv2-targetgroup.html
// Ref: the target group's ARN. GetAtt: LoadBalancerArns, TargetGroupArn, TargetGroupFullName,
// TargetGroupName. Health checks, attributes, targets and tags are updated in place.

#include <algorithm>
#include <array>
#include <set>

#include "services/cloudformation/resources/load_balancing_providers.h"
#include "services/cloudformation/resources/load_balancing_support.h"

namespace services::cloudformation::resources {
namespace {

namespace json = boost::json;
using lb::typed_call;

// The health-check settings ModifyTargetGroup takes, named as in the template.
constexpr std::array<std::string_view, 9> kHealthCheck = {
    "HealthCheckEnabled",    "HealthCheckIntervalSeconds", "HealthCheckPath",
    "HealthCheckPort",       "HealthCheckProtocol",        "HealthCheckTimeoutSeconds",
    "HealthyThresholdCount", "UnhealthyThresholdCount",    "Matcher"};

// The targets of `props` as RegisterTargets takes them.
json::array targets(const json::value& props) {
  const json::value* t = properties(props).if_contains("Targets");
  return t && t->is_array() ? t->get_array() : json::array{};
}

class TargetGroupProvider final : public engine::ResourceProvider {
 public:
  explicit TargetGroupProvider(const ServiceClient& client) : client_(client) {}

  // ModifyTargetGroupAttributes on `arn` with the template's TargetGroupAttributes.
  protocol::Result<void> modify_attributes(const engine::ResourceRequest& req,
                                           const std::string& arn) const {
    return lb::modify_elbv2_attributes(client_, req, "ModifyTargetGroupAttributes",
                                       "TargetGroupArn", arn, "TargetGroupAttributes");
  }

  protocol::Result<engine::ProvisionResult> create(const engine::ResourceRequest& req) override {
    const json::object& p = properties(req.properties);
    json::object in = lb::named_elbv2_input(req);
    lb::copy_present(
        p, in, {"Protocol", "ProtocolVersion", "Port", "VpcId", "TargetType", "IpAddressType"});
    lb::copy_present(p, in, kHealthCheck);
    auto out = typed_call(client_, req, "elbv2", "CreateTargetGroup", in);
    if (!out) {
      return out.error();
    }
    json::object doc = lb::first_of(*out, "TargetGroups");
    std::string arn = lb::text(doc, "TargetGroupArn").value_or("");
    if (auto r = apply_after_create(req, arn); !r) {
      (void)client_.call(*req.stack, "elbv2", "DeleteTargetGroup", {{"TargetGroupArn", arn}});
      return r.error();
    }
    return result(doc);
  }

  protocol::Result<engine::ProvisionResult> update(const engine::ResourceRequest& req) override {
    const json::object& p = properties(req.properties);
    if (lb::any_changed(req, kHealthCheck)) {
      json::object in{{"TargetGroupArn", req.physical_id}};
      lb::copy_present(p, in, kHealthCheck);
      if (auto r = typed_call(client_, req, "elbv2", "ModifyTargetGroup", in); !r) {
        return r.error();
      }
    }
    if (lb::changed(req, "TargetGroupAttributes")) {
      if (auto r = modify_attributes(req, req.physical_id); !r) {
        return r.error();
      }
    }
    if (lb::changed(req, "Targets")) {
      if (auto r = move_targets(req); !r) {
        return r.error();
      }
    }
    if (auto r = lb::sync_elbv2_tags(client_, req); !r) {
      return r.error();
    }
    return read(req);
  }

  protocol::Result<void> remove(const engine::ResourceRequest& req) override {
    return lb::gone_is_ok(client_.call(*req.stack, "elbv2", "DeleteTargetGroup",
                                       {{"TargetGroupArn", req.physical_id}}),
                          "TargetGroupNotFound");
  }

  protocol::Result<engine::ProvisionResult> read(const engine::ResourceRequest& req) override {
    auto out = client_.call(*req.stack, "elbv2", "DescribeTargetGroups",
                            {{"TargetGroupArns", json::array{json::string(req.physical_id)}}});
    if (!out) {
      return out.error();
    }
    json::object doc = lb::first_of(*out, "TargetGroups");
    engine::ProvisionResult res = result(doc);
    json::object live{{"Name", doc.at("TargetGroupName")}};
    lb::copy_present(doc, live, {"Port", "Protocol", "ProtocolVersion", "VpcId", "TargetType"});
    lb::copy_present(doc, live, kHealthCheck);
    res.properties = lb::live_properties(req, std::move(live));
    return res;
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    static const std::set<std::string_view, std::less<>> kInPlace = [] {
      std::set<std::string_view, std::less<>> s(kHealthCheck.begin(), kHealthCheck.end());
      s.insert({"TargetGroupAttributes", "Targets", "Tags"});
      return s;
    }();
    return kInPlace.contains(property) ? engine::UpdateBehavior::NoInterruption
                                       : engine::UpdateBehavior::Replacement;
  }

 private:
  protocol::Result<void> apply_after_create(const engine::ResourceRequest& req,
                                            const std::string& arn) const {
    if (auto r = modify_attributes(req, arn); !r) {
      return r;
    }
    json::array t = targets(req.properties);
    if (t.empty()) {
      return {};
    }
    auto r = typed_call(client_, req, "elbv2", "RegisterTargets",
                        {{"TargetGroupArn", arn}, {"Targets", t}});
    if (!r) {
      return r.error();
    }
    return {};
  }

  // Deregisters the targets the template dropped, then registers its current ones.
  protocol::Result<void> move_targets(const engine::ResourceRequest& req) const {
    json::array now = targets(req.properties);
    json::array dropped;
    for (const json::value& t : targets(req.previous_properties)) {
      if (std::find(now.begin(), now.end(), t) == now.end()) {
        dropped.push_back(t);
      }
    }
    for (const auto& [op, list] :
         {std::pair{"DeregisterTargets", &dropped}, std::pair{"RegisterTargets", &now}}) {
      if (list->empty()) {
        continue;
      }
      auto r = typed_call(client_, req, "elbv2", op,
                          {{"TargetGroupArn", req.physical_id}, {"Targets", *list}});
      if (!r) {
        return r.error();
      }
    }
    return {};
  }

  static engine::ProvisionResult result(const json::object& doc) {
    std::string arn = lb::text(doc, "TargetGroupArn").value_or("");
    engine::ProvisionResult out{arn, {}};
    out.attributes["TargetGroupArn"] = arn;
    // "targetgroup/<name>/<id>", the ARN's resource part.
    out.attributes["TargetGroupFullName"] = "targetgroup/" + lb::arn_suffix(arn, ":targetgroup/");
    out.attributes["TargetGroupName"] = lb::text(doc, "TargetGroupName").value_or("");
    const json::value* lbs = doc.if_contains("LoadBalancerArns");
    out.attributes["LoadBalancerArns"] = lbs ? *lbs : json::array{};
    return out;
  }

  const ServiceClient& client_;
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_elbv2_target_group(const ServiceClient& client) {
  return std::make_unique<TargetGroupProvider>(client);
}

}  // namespace services::cloudformation::resources
