// AWS::IAM::Group —
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-group.html
// Ref: the group name. Fn::GetAtt: Arn.

#include <boost/json.hpp>

#include "core/json.h"
#include "services/cloudformation/resources/identity_providers.h"
#include "services/cloudformation/resources/identity_support.h"

namespace services::cloudformation::resources {

namespace {

namespace json = boost::json;
using engine::ProvisionResult;
using engine::ResourceRequest;

class IamGroup final : public engine::ResourceProvider {
 public:
  explicit IamGroup(const ServiceClient& client) : client_(client) {}

  protocol::Result<ProvisionResult> create(const ResourceRequest& req) override {
    const json::object& p = properties(req.properties);
    std::string name =
        core::opt_str(p, "GroupName").value_or(generated_name(*req.stack, req.logical_id, 128));
    json::object in{{"GroupName", name}, {"Path", core::str(p, "Path", "/")}};
    if (auto r = client_.call(*req.stack, "iam", "CreateGroup", in); !r) return r.error();
    ResourceRequest made = req;
    made.physical_id = name;
    auto synced = or_undo(sync_principal_policies(client_, req, IamPrincipal::Group, name, p, {}),
                          [&] { return remove(made); });
    if (!synced) return synced.error();
    return read(made);
  }

  protocol::Result<ProvisionResult> update(const ResourceRequest& req) override {
    if (auto r = sync_principal_policies(client_, req, IamPrincipal::Group, req.physical_id,
                                         properties(req.properties),
                                         properties(req.previous_properties));
        !r) {
      return r.error();
    }
    return read(req);
  }

  // Users still in the group are removed from it first, as CloudFormation's handler does.
  protocol::Result<void> remove(const ResourceRequest& req) override {
    auto got = client_.call(*req.stack, "iam", "GetGroup",
                            {{"GroupName", req.physical_id}, {"MaxItems", 1000}});
    if (!got) return gone_is_ok(got.error());
    for (const json::value& u : *core::arr(*got, "Users")) {
      auto r = client_.call(*req.stack, "iam", "RemoveUserFromGroup",
                            {{"UserName", u.at("UserName")}, {"GroupName", req.physical_id}});
      if (auto ok = gone_is_ok(r); !ok) return ok;
    }
    if (auto r = strip_principal_policies(client_, req, IamPrincipal::Group, req.physical_id); !r) {
      return gone_is_ok(r.error());
    }
    return gone_is_ok(
        client_.call(*req.stack, "iam", "DeleteGroup", {{"GroupName", req.physical_id}}));
  }

  protocol::Result<ProvisionResult> read(const ResourceRequest& req) override {
    auto got = client_.call(*req.stack, "iam", "GetGroup", {{"GroupName", req.physical_id}});
    if (!got) return got.error();
    const json::object& group = got->at("Group").as_object();
    json::object props{{"GroupName", group.at("GroupName")}, {"Path", group.at("Path")}};
    if (auto r = read_principal_policies(client_, req, IamPrincipal::Group, req.physical_id, props);
        !r) {
      return r.error();
    }
    return with_properties({req.physical_id, {{"Arn", group.at("Arn")}}}, std::move(props),
                           &req.properties);
  }

  // The documentation updates Path in place; Gantry's IAM has no UpdateGroup, so a new path
  // replaces the group.
  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    return in_place_if_listed(property, {"ManagedPolicyArns", "Policies"});
  }

 private:
  const ServiceClient& client_;
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_iam_group(const ServiceClient& client) {
  return std::make_unique<IamGroup>(client);
}

}  // namespace services::cloudformation::resources
