// AWS::IAM::Role —
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-role.html
// Ref: the role name. Fn::GetAtt: Arn, RoleId.

#include <boost/json.hpp>

#include "core/json.h"
#include "core/percent.h"
#include "services/cloudformation/resources/identity_providers.h"
#include "services/cloudformation/resources/identity_support.h"

namespace services::cloudformation::resources {

namespace {

namespace json = boost::json;
using engine::ProvisionResult;
using engine::ResourceRequest;

class IamRole final : public engine::ResourceProvider {
 public:
  explicit IamRole(const ServiceClient& client) : client_(client) {}

  protocol::Result<ProvisionResult> create(const ResourceRequest& req) override {
    const json::object& p = properties(req.properties);
    const json::value* trust = p.if_contains("AssumeRolePolicyDocument");
    if (!trust) return missing_property(req, "AssumeRolePolicyDocument");
    std::string name =
        core::opt_str(p, "RoleName").value_or(generated_name(*req.stack, req.logical_id, 64));
    json::object in{{"RoleName", name},
                    {"Path", core::str(p, "Path", "/")},
                    {"AssumeRolePolicyDocument", json_text(*trust)},
                    {"Tags", stack_tags(req, p.if_contains("Tags"))}};
    if (auto d = core::opt_str(p, "Description")) in["Description"] = *d;
    if (auto s = int_property(p, "MaxSessionDuration")) in["MaxSessionDuration"] = *s;
    if (auto b = core::opt_str(p, "PermissionsBoundary")) in["PermissionsBoundary"] = *b;
    if (auto r = client_.call(*req.stack, "iam", "CreateRole", in); !r) return r.error();
    ResourceRequest made = req;
    made.physical_id = name;
    auto synced = or_undo(sync_principal_policies(client_, req, IamPrincipal::Role, name, p, {}),
                          [&] { return remove(made); });
    if (!synced) return synced.error();
    return read(made);
  }

  protocol::Result<ProvisionResult> update(const ResourceRequest& req) override {
    const json::object& p = properties(req.properties);
    const std::string& name = req.physical_id;
    if (changed(req, "AssumeRolePolicyDocument")) {
      json::object in{{"RoleName", name},
                      {"PolicyDocument", json_text(p.at("AssumeRolePolicyDocument"))}};
      if (auto r = client_.call(*req.stack, "iam", "UpdateAssumeRolePolicy", in); !r) {
        return r.error();
      }
    }
    if (changed(req, "Description") || changed(req, "MaxSessionDuration")) {
      json::object in{{"RoleName", name},
                      {"Description", core::str(p, "Description")},
                      {"MaxSessionDuration", int_property(p, "MaxSessionDuration").value_or(3600)}};
      if (auto r = client_.call(*req.stack, "iam", "UpdateRole", in); !r) return r.error();
    }
    if (auto r = sync_principal_policies(client_, req, IamPrincipal::Role, name, p,
                                         properties(req.previous_properties));
        !r) {
      return r.error();
    }
    if (auto r = sync_principal_tags(client_, req, IamPrincipal::Role, name); !r) {
      return r.error();
    }
    return read(req);
  }

  // CloudFormation's handler detaches the managed policies and deletes the inline ones first:
  // DeleteRole refuses a role that still has either.
  protocol::Result<void> remove(const ResourceRequest& req) override {
    auto stripped = strip_principal_policies(client_, req, IamPrincipal::Role, req.physical_id);
    if (!stripped && !is_not_found(stripped.error())) return stripped.error();
    return gone_is_ok(
        client_.call(*req.stack, "iam", "DeleteRole", {{"RoleName", req.physical_id}}));
  }

  protocol::Result<ProvisionResult> read(const ResourceRequest& req) override {
    auto got = client_.call(*req.stack, "iam", "GetRole", {{"RoleName", req.physical_id}});
    if (!got) return got.error();
    const json::object& role = got->at("Role").as_object();
    std::string trust = core::percent_decode(core::str(role, "AssumeRolePolicyDocument"), false);
    json::object props{{"RoleName", role.at("RoleName")},
                       {"Path", role.at("Path")},
                       {"AssumeRolePolicyDocument", json_value(trust)},
                       {"MaxSessionDuration", role.at("MaxSessionDuration")}};
    if (auto d = core::opt_str(role, "Description")) props["Description"] = *d;
    if (const json::array* tags = core::arr(role, "Tags");
        tags && !template_tags(req, *tags).empty()) {
      props["Tags"] = template_tags(req, *tags);
    }
    if (auto r = read_principal_policies(client_, req, IamPrincipal::Role, req.physical_id, props);
        !r) {
      return r.error();
    }
    return with_properties(
        {req.physical_id, {{"Arn", role.at("Arn")}, {"RoleId", role.at("RoleId")}}},
        std::move(props), &req.properties);
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    return in_place_if_listed(property,
                              {"AssumeRolePolicyDocument", "Description", "ManagedPolicyArns",
                               "MaxSessionDuration", "PermissionsBoundary", "Policies", "Tags"});
  }

 private:
  const ServiceClient& client_;
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_iam_role(const ServiceClient& client) {
  return std::make_unique<IamRole>(client);
}

}  // namespace services::cloudformation::resources
