// AWS::IAM::InstanceProfile —
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-instanceprofile.html
// Ref: the instance profile name. Fn::GetAtt: Arn.

#include <boost/json.hpp>

#include "core/json.h"
#include "services/cloudformation/resources/identity_providers.h"
#include "services/cloudformation/resources/identity_support.h"

namespace services::cloudformation::resources {

namespace {

namespace json = boost::json;
using engine::ProvisionResult;
using engine::ResourceRequest;

class IamInstanceProfile final : public engine::ResourceProvider {
 public:
  explicit IamInstanceProfile(const ServiceClient& client) : client_(client) {}

  protocol::Result<ProvisionResult> create(const ResourceRequest& req) override {
    const json::object& p = properties(req.properties);
    if (!p.contains("Roles")) return missing_property(req, "Roles");
    std::string name = core::opt_str(p, "InstanceProfileName")
                           .value_or(generated_name(*req.stack, req.logical_id, 128));
    json::object in{{"InstanceProfileName", name}, {"Path", core::str(p, "Path", "/")}};
    if (auto r = client_.call(*req.stack, "iam", "CreateInstanceProfile", in); !r) {
      return r.error();
    }
    ResourceRequest made = req;
    made.physical_id = name;
    auto added = or_undo(sync_roles(made, {}), [&] { return remove(made); });
    if (!added) return added.error();
    return read(made);
  }

  protocol::Result<ProvisionResult> update(const ResourceRequest& req) override {
    if (auto r = sync_roles(req, properties(req.previous_properties)); !r) {
      return r.error();
    }
    return read(req);
  }

  // Its roles are removed first: DeleteInstanceProfile refuses a profile that holds one.
  protocol::Result<void> remove(const ResourceRequest& req) override {
    auto live = read(req);
    if (!live) return gone_is_ok(live.error());
    ResourceRequest none = req;
    none.properties = json::object{};
    const json::object& props = live->properties;
    if (auto r = sync_roles(none, props); !r) return r;
    return gone_is_ok(client_.call(*req.stack, "iam", "DeleteInstanceProfile",
                                   {{"InstanceProfileName", req.physical_id}}));
  }

  protocol::Result<ProvisionResult> read(const ResourceRequest& req) override {
    auto got = client_.call(*req.stack, "iam", "GetInstanceProfile",
                            {{"InstanceProfileName", req.physical_id}});
    if (!got) return got.error();
    const json::object& profile = got->at("InstanceProfile").as_object();
    json::array roles;
    for (const json::value& r : *core::arr(profile, "Roles")) roles.push_back(r.at("RoleName"));
    json::object props{{"InstanceProfileName", profile.at("InstanceProfileName")},
                       {"Path", profile.at("Path")},
                       {"Roles", std::move(roles)}};
    return with_properties({req.physical_id, {{"Arn", profile.at("Arn")}}}, std::move(props),
                           &req.properties);
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    return in_place_if_listed(property, {"Roles"});
  }

 private:
  protocol::Result<void> sync_roles(const ResourceRequest& req, const json::object& previous) {
    auto member = [&](std::string_view op) {
      return [&, op](const std::string& role) {
        return client_.call(*req.stack, "iam", op,
                            {{"InstanceProfileName", req.physical_id}, {"RoleName", role}});
      };
    };
    return sync_members(string_set(properties(req.properties), "Roles"),
                        string_set(previous, "Roles"), member("RemoveRoleFromInstanceProfile"),
                        member("AddRoleToInstanceProfile"));
  }

  const ServiceClient& client_;
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_iam_instance_profile(const ServiceClient& client) {
  return std::make_unique<IamInstanceProfile>(client);
}

}  // namespace services::cloudformation::resources
