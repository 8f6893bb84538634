// AWS::EC2::SecurityGroup
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup.html
// Ref: the group id when VpcId is given, else the group's name (a group of the default VPC).
// GetAtt: GroupId, VpcId. Without GroupName, CloudFormation generates one. The rules of
// SecurityGroupIngress and SecurityGroupEgress are authorized after create; a template that gives
// SecurityGroupEgress replaces the default allow-all egress rule, and one that stops giving it
// gets that rule back. Changing either list reconciles in place: rules the template dropped are
// revoked, new ones authorized (rules of standalone SecurityGroupIngress/Egress resources, which
// the template lists do not name, are left alone).

#include <boost/json/serialize.hpp>
#include <set>
#include <vector>

#include "core/json.h"
#include "services/cloudformation/resources/ec2_providers.h"
#include "services/cloudformation/resources/ec2_support.h"

namespace services::cloudformation::resources {

namespace {

namespace json = boost::json;
using namespace ec2;

// "Maximum length is 255 characters" (GroupName).
constexpr std::size_t kMaxGroupName = 255;

// The rules a template's list asks for, as IpPermissions; for egress without a list (or with an
// empty one), the default allow-all rule.
std::vector<json::object> wanted_rules(const json::value& props, bool egress) {
  std::vector<json::object> out;
  const json::array* list =
      core::arr(properties(props), egress ? "SecurityGroupEgress" : "SecurityGroupIngress");
  if (list != nullptr) {
    for (const json::value& rule : *list) {
      if (rule.is_object()) {
        out.push_back(ip_permission(rule.get_object(), egress));
      }
    }
  }
  if (egress && out.empty()) {
    out.push_back(ip_permission(default_egress_rule(), true));
  }
  return out;
}

class SecurityGroupProvider final : public Ec2Provider {
 public:
  using Ec2Provider::Ec2Provider;

  protocol::Result<engine::ProvisionResult> create(const engine::ResourceRequest& req) override {
    const json::object& props = properties(req.properties);
    auto description = required(req, "GroupDescription");
    if (!description) {
      return description.error();
    }
    std::string name = prop_str(props, "GroupName");
    if (name.empty()) {
      name = generated_name(*req.stack, req.logical_id, kMaxGroupName);
    }
    std::string vpc_id = prop_str(props, "VpcId");
    json::object in{{"GroupName", name},
                    {"Description", *description},
                    {"TagSpecifications", tag_specifications(req, "security-group")}};
    if (!vpc_id.empty()) {
      in["VpcId"] = vpc_id;
    }
    auto out = call(req, "CreateSecurityGroup", in);
    if (!out) {
      return out.error();
    }
    std::string group_id = core::str(*out, "GroupId");
    // A new group has only the default egress rule.
    json::value none = json::object{};
    if (auto r = reconcile(req, group_id, none, req.properties); !r) {
      // Leave nothing behind: the stack never learns this group's id.
      (void)call(req, "DeleteSecurityGroup", {{"GroupId", group_id}});
      return r.error();
    }
    return read_group(req, vpc_id.empty() ? name : group_id);
  }

  protocol::Result<engine::ProvisionResult> update(const engine::ResourceRequest& req) override {
    auto current = read_group(req, req.physical_id);
    if (!current) {
      return current.error();
    }
    std::string group_id = core::str(current->attributes, "GroupId");
    if (auto r = reconcile(req, group_id, req.previous_properties, req.properties); !r) {
      return r.error();
    }
    if (auto r = update_tags(req, group_id); !r) {
      return r.error();
    }
    return current;
  }

  protocol::Result<void> remove(const engine::ResourceRequest& req) override {
    return delete_idempotent(req, "DeleteSecurityGroup", group_selector(req.physical_id));
  }

  protocol::Result<engine::ProvisionResult> read(const engine::ResourceRequest& req) override {
    return read_group(req, req.physical_id);
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    return in_place_if(property, {"SecurityGroupIngress", "SecurityGroupEgress", "Tags"});
  }

 private:
  // Moves the group's rules from what `before` asked for to what `after` asks for, both ways.
  protocol::Result<void> reconcile(const engine::ResourceRequest& req, const std::string& group_id,
                                   const json::value& before, const json::value& after) const {
    for (bool egress : {false, true}) {
      std::vector<json::object> old_rules = wanted_rules(before, egress);
      std::vector<json::object> new_rules = wanted_rules(after, egress);
      auto keys = [](const std::vector<json::object>& rules) {
        std::set<std::string> out;
        for (const json::object& r : rules) {
          out.insert(json::serialize(r));
        }
        return out;
      };
      std::set<std::string> old_keys = keys(old_rules), new_keys = keys(new_rules);
      std::string suffix = egress ? "Egress" : "Ingress";
      for (const json::object& rule : old_rules) {
        if (new_keys.contains(json::serialize(rule))) {
          continue;
        }
        auto r = call(req, "RevokeSecurityGroup" + suffix,
                      {{"GroupId", group_id}, {"IpPermissions", json::array{rule}}});
        if (!r && !is_not_found(r.error())) {
          return r.error();
        }
      }
      for (const json::object& rule : new_rules) {
        if (old_keys.contains(json::serialize(rule))) {
          continue;
        }
        auto r = call(req, "AuthorizeSecurityGroup" + suffix,
                      {{"GroupId", group_id}, {"IpPermissions", json::array{rule}}});
        if (!r) {
          return r.error();
        }
      }
    }
    return {};
  }

  // The group named by `physical_id` (an id, or a default-VPC group's name).
  protocol::Result<engine::ProvisionResult> read_group(const engine::ResourceRequest& req,
                                                       const std::string& physical_id) const {
    bool by_id = physical_id.starts_with("sg-");
    auto group = describe_one(req, "DescribeSecurityGroups", by_id ? "GroupIds" : "GroupNames",
                              physical_id, "SecurityGroups");
    if (!group) {
      return group.error();
    }
    return engine::ProvisionResult{
        physical_id,
        {{"GroupId", core::str(*group, "GroupId")}, {"VpcId", core::str(*group, "VpcId")}}};
  }
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_ec2_security_group(const ServiceClient& client) {
  return std::make_unique<SecurityGroupProvider>(client);
}

}  // namespace services::cloudformation::resources
