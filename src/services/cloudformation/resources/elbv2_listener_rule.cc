// AWS::ElasticLoadBalancingV2::ListenerRule over ELBv2's CreateRule.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticloadbalancingv2-listenerrule.html
// Ref: the rule's ARN. GetAtt: IsDefault, RuleArn. Conditions take both the old Field/Values
// form and the *Config forms (path-pattern, host-header, http-header, query-string...), as the
// API does. Actions, Conditions and Priority are updated in place.

#include "services/cloudformation/resources/load_balancing_providers.h"
#include "services/cloudformation/resources/load_balancing_support.h"

namespace services::cloudformation::resources {
namespace {

namespace json = boost::json;
using lb::typed_call;

class ListenerRuleProvider final : public engine::ResourceProvider {
 public:
  explicit ListenerRuleProvider(const ServiceClient& client) : client_(client) {}

  protocol::Result<engine::ProvisionResult> create(const engine::ResourceRequest& req) override {
    const json::object& p = properties(req.properties);
    for (std::string_view required : {"Actions", "Conditions", "Priority"}) {
      if (!p.contains(required)) {
        return missing_property(req, required);
      }
    }
    json::object in;
    lb::copy_present(p, in, {"ListenerArn", "Actions", "Conditions", "Priority"});
    auto out = typed_call(client_, req, "elbv2", "CreateRule", in);
    if (!out) {
      return out.error();
    }
    return result(lb::first_of(*out, "Rules"));
  }

  protocol::Result<engine::ProvisionResult> update(const engine::ResourceRequest& req) override {
    const json::object& p = properties(req.properties);
    if (lb::changed(req, "Priority")) {
      json::object pair{{"RuleArn", req.physical_id}, {"Priority", p.at("Priority")}};
      auto r = typed_call(client_, req, "elbv2", "SetRulePriorities",
                          {{"RulePriorities", json::array{pair}}});
      if (!r) {
        return r.error();
      }
    }
    if (lb::any_changed(req, {"Actions", "Conditions"})) {
      json::object in{{"RuleArn", req.physical_id}};
      lb::copy_present(p, in, {"Actions", "Conditions"});
      if (auto r = typed_call(client_, req, "elbv2", "ModifyRule", in); !r) {
        return r.error();
      }
    }
    return read(req);
  }

  protocol::Result<void> remove(const engine::ResourceRequest& req) override {
    return lb::gone_is_ok(
        client_.call(*req.stack, "elbv2", "DeleteRule", {{"RuleArn", req.physical_id}}),
        "RuleNotFound");
  }

  protocol::Result<engine::ProvisionResult> read(const engine::ResourceRequest& req) override {
    auto out = client_.call(*req.stack, "elbv2", "DescribeRules",
                            {{"RuleArns", json::array{json::string(req.physical_id)}}});
    if (!out) {
      return out.error();
    }
    json::object doc = lb::first_of(*out, "Rules");
    engine::ProvisionResult res = result(doc);
    json::object live;
    lb::copy_present(doc, live, {"Priority"});
    res.properties = lb::live_properties(req, std::move(live));
    return res;
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    bool in_place = property == "Actions" || property == "Conditions" || property == "Priority";
    return in_place ? engine::UpdateBehavior::NoInterruption : engine::UpdateBehavior::Replacement;
  }

 private:
  static engine::ProvisionResult result(const json::object& rule) {
    std::string arn = lb::text(rule, "RuleArn").value_or("");
    const json::value* is_default = rule.if_contains("IsDefault");
    return {arn, json::object{{"RuleArn", arn},
                              {"IsDefault", is_default ? *is_default : json::value(false)}}};
  }

  const ServiceClient& client_;
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_elbv2_listener_rule(const ServiceClient& client) {
  return std::make_unique<ListenerRuleProvider>(client);
}

}  // namespace services::cloudformation::resources
