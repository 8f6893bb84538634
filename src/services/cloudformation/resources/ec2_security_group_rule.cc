// AWS::EC2::SecurityGroupIngress and AWS::EC2::SecurityGroupEgress (ec2_security_group_rule.h).
// Ref: the rule id (sgr-...). GetAtt: Id. Description changes in place
// (UpdateSecurityGroupRuleDescriptions*); every other property is a replacement.

#include "services/cloudformation/resources/ec2_security_group_rule.h"

#include "core/json.h"
#include "services/cloudformation/resources/ec2_support.h"

namespace services::cloudformation::resources::ec2 {

namespace {

namespace json = boost::json;

class SecurityGroupRuleProvider final : public Ec2Provider {
 public:
  SecurityGroupRuleProvider(const ServiceClient& client, bool egress)
      : Ec2Provider(client), egress_(egress), suffix_(egress ? "Egress" : "Ingress") {}

  protocol::Result<engine::ProvisionResult> create(const engine::ResourceRequest& req) override {
    const json::object& props = properties(req.properties);
    json::object in;
    if (std::string id = prop_str(props, "GroupId"); !id.empty()) {
      in["GroupId"] = id;
    } else if (std::string name = prop_str(props, "GroupName"); !name.empty() && !egress_) {
      in["GroupName"] = name;  // a group of the default VPC
    } else {
      return missing_property(req, "GroupId");
    }
    if (prop_str(props, "IpProtocol").empty()) {
      return missing_property(req, "IpProtocol");
    }
    in["IpPermissions"] = json::array{ip_permission(props, egress_)};
    auto out = call(req, "AuthorizeSecurityGroup" + suffix_, in);
    if (!out) {
      return out.error();
    }
    const json::array* rules = core::arr(*out, "SecurityGroupRules");
    std::string rule_id = rules && !rules->empty()
                              ? core::str(rules->front().as_object(), "SecurityGroupRuleId")
                              : "";
    return engine::ProvisionResult{rule_id, {{"Id", rule_id}}};
  }

  protocol::Result<engine::ProvisionResult> update(const engine::ResourceRequest& req) override {
    auto rule = find_rule(req);
    if (!rule) {
      return rule.error();
    }
    if (changed(req, "Description")) {
      json::object description{{"SecurityGroupRuleId", req.physical_id}};
      if (std::string d = prop_str(properties(req.properties), "Description"); !d.empty()) {
        description["Description"] = d;
      }
      auto r = call(req, "UpdateSecurityGroupRuleDescriptions" + suffix_,
                    {{"GroupId", core::str(*rule, "GroupId")},
                     {"SecurityGroupRuleDescriptions", json::array{description}}});
      if (!r) {
        return r.error();
      }
    }
    return engine::ProvisionResult{req.physical_id, {{"Id", req.physical_id}}};
  }

  protocol::Result<void> remove(const engine::ResourceRequest& req) override {
    auto rule = find_rule(req);
    if (!rule) {
      if (is_not_found(rule.error())) {
        return {};
      }
      return rule.error();
    }
    return delete_idempotent(req, "RevokeSecurityGroup" + suffix_,
                             {{"GroupId", core::str(*rule, "GroupId")},
                              {"SecurityGroupRuleIds", json::array{json::value(req.physical_id)}}});
  }

  protocol::Result<engine::ProvisionResult> read(const engine::ResourceRequest& req) override {
    auto rule = find_rule(req);
    if (!rule) {
      return rule.error();
    }
    return engine::ProvisionResult{req.physical_id, {{"Id", req.physical_id}}};
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    return in_place_if(property, {"Description"});
  }

 private:
  // The live rule, of this resource's direction.
  protocol::Result<json::object> find_rule(const engine::ResourceRequest& req) const {
    auto rule = describe_one(req, "DescribeSecurityGroupRules", "SecurityGroupRuleIds",
                             req.physical_id, "SecurityGroupRules");
    if (rule && core::opt_bool(*rule, "IsEgress").value_or(false) != egress_) {
      return not_found("InvalidSecurityGroupRuleId.NotFound",
                       "The security group rule ID '" + req.physical_id + "'");
    }
    return rule;
  }

  bool egress_;
  std::string suffix_;
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_security_group_rule(const ServiceClient& client,
                                                                   bool egress) {
  return std::make_unique<SecurityGroupRuleProvider>(client, egress);
}

}  // namespace services::cloudformation::resources::ec2
