// AWS::IAM::User —
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-user.html
// Ref: the user name. Fn::GetAtt: Arn. LoginProfile is not applied: Gantry's IAM has no console
// passwords.

#include <boost/json.hpp>

#include "core/json.h"
#include "services/cloudformation/resources/identity_providers.h"
#include "services/cloudformation/resources/identity_support.h"

namespace services::cloudformation::resources {

namespace {

namespace json = boost::json;
using engine::ProvisionResult;
using engine::ResourceRequest;

class IamUser final : public engine::ResourceProvider {
 public:
  explicit IamUser(const ServiceClient& client) : client_(client) {}

  protocol::Result<ProvisionResult> create(const ResourceRequest& req) override {
    const json::object& p = properties(req.properties);
    std::string name =
        core::opt_str(p, "UserName").value_or(generated_name(*req.stack, req.logical_id, 64));
    json::object in{{"UserName", name},
                    {"Path", core::str(p, "Path", "/")},
                    {"Tags", stack_tags(req, p.if_contains("Tags"))}};
    if (auto b = core::opt_str(p, "PermissionsBoundary")) in["PermissionsBoundary"] = *b;
    if (auto r = client_.call(*req.stack, "iam", "CreateUser", in); !r) return r.error();
    ResourceRequest made = req;
    made.physical_id = name;
    auto configured = or_undo(configure(made, {}), [&] { return remove(made); });
    if (!configured) return configured.error();
    return read(made);
  }

  protocol::Result<ProvisionResult> update(const ResourceRequest& req) override {
    if (changed(req, "Path")) {
      json::object in{{"UserName", req.physical_id},
                      {"NewPath", core::str(properties(req.properties), "Path", "/")}};
      if (auto r = client_.call(*req.stack, "iam", "UpdateUser", in); !r) return r.error();
    }
    if (auto r = configure(req, properties(req.previous_properties)); !r) return r.error();
    if (auto r = sync_principal_tags(client_, req, IamPrincipal::User, req.physical_id); !r) {
      return r.error();
    }
    return read(req);
  }

  protocol::Result<void> remove(const ResourceRequest& req) override {
    ResourceRequest none = req;
    none.properties = json::object{};
    auto live = read(req);
    if (!live) return gone_is_ok(live.error());
    const json::object& props = live->properties;
    if (auto r = sync_groups(none, props); !r) return r.error();
    if (auto r = strip_principal_policies(client_, req, IamPrincipal::User, req.physical_id); !r) {
      return gone_is_ok(r.error());
    }
    return gone_is_ok(
        client_.call(*req.stack, "iam", "DeleteUser", {{"UserName", req.physical_id}}));
  }

  protocol::Result<ProvisionResult> read(const ResourceRequest& req) override {
    auto got = client_.call(*req.stack, "iam", "GetUser", {{"UserName", req.physical_id}});
    if (!got) return got.error();
    const json::object& user = got->at("User").as_object();
    json::object props{{"UserName", user.at("UserName")}, {"Path", user.at("Path")}};
    if (const json::array* tags = core::arr(user, "Tags");
        tags && !template_tags(req, *tags).empty()) {
      props["Tags"] = template_tags(req, *tags);
    }
    auto groups = client_.call(*req.stack, "iam", "ListGroupsForUser",
                               {{"UserName", req.physical_id}, {"MaxItems", 1000}});
    if (!groups) return groups.error();
    json::array names;
    for (const json::value& g : *core::arr(*groups, "Groups")) names.push_back(g.at("GroupName"));
    if (!names.empty()) props["Groups"] = std::move(names);
    if (auto r = read_principal_policies(client_, req, IamPrincipal::User, req.physical_id, props);
        !r) {
      return r.error();
    }
    return with_properties({req.physical_id, {{"Arn", user.at("Arn")}}}, std::move(props),
                           &req.properties);
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    return in_place_if_listed(property, {"Groups", "LoginProfile", "ManagedPolicyArns", "Path",
                                         "PermissionsBoundary", "Policies", "Tags"});
  }

 private:
  // Groups, then managed and inline policies, from `previous` to the request's properties.
  protocol::Result<void> configure(const ResourceRequest& req, const json::object& previous) {
    if (auto r = sync_groups(req, previous); !r) return r;
    return sync_principal_policies(client_, req, IamPrincipal::User, req.physical_id,
                                   properties(req.properties), previous);
  }

  protocol::Result<void> sync_groups(const ResourceRequest& req, const json::object& previous) {
    auto member = [&](std::string_view op) {
      return [&, op](const std::string& group) {
        return client_.call(*req.stack, "iam", op,
                            {{"UserName", req.physical_id}, {"GroupName", group}});
      };
    };
    return sync_members(string_set(properties(req.properties), "Groups"),
                        string_set(previous, "Groups"), member("RemoveUserFromGroup"),
                        member("AddUserToGroup"));
  }

  const ServiceClient& client_;
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_iam_user(const ServiceClient& client) {
  return std::make_unique<IamUser>(client);
}

}  // namespace services::cloudformation::resources
