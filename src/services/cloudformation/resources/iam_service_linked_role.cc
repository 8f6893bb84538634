// AWS::IAM::ServiceLinkedRole —
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-servicelinkedrole.html
// Ref: the role name. Fn::GetAtt: RoleName.

#include <boost/json.hpp>

#include "core/json.h"
#include "services/cloudformation/resources/identity_providers.h"
#include "services/cloudformation/resources/identity_support.h"

namespace services::cloudformation::resources {

namespace {

namespace json = boost::json;
using engine::ProvisionResult;
using engine::ResourceRequest;

constexpr std::string_view kServiceRolePath = "/aws-service-role/";

class IamServiceLinkedRole final : public engine::ResourceProvider {
 public:
  explicit IamServiceLinkedRole(const ServiceClient& client) : client_(client) {}

  protocol::Result<ProvisionResult> create(const ResourceRequest& req) override {
    const json::object& p = properties(req.properties);
    if (!p.contains("AWSServiceName")) return missing_property(req, "AWSServiceName");
    json::object in{{"AWSServiceName", core::str(p, "AWSServiceName")}};
    for (std::string_view k : {"CustomSuffix", "Description"}) {
      if (auto v = core::opt_str(p, k)) in[k] = *v;
    }
    auto made = client_.call(*req.stack, "iam", "CreateServiceLinkedRole", in);
    if (!made) return made.error();
    std::string name = core::str(made->at("Role").as_object(), "RoleName");
    return ProvisionResult{name, {{"RoleName", name}}};
  }

  protocol::Result<ProvisionResult> update(const ResourceRequest& req) override {
    if (changed(req, "Description")) {
      json::object in{{"RoleName", req.physical_id},
                      {"Description", core::str(properties(req.properties), "Description")}};
      if (auto r = client_.call(*req.stack, "iam", "UpdateRoleDescription", in); !r) {
        return r.error();
      }
    }
    return read(req);
  }

  protocol::Result<void> remove(const ResourceRequest& req) override {
    return gone_is_ok(client_.call(*req.stack, "iam", "DeleteServiceLinkedRole",
                                   {{"RoleName", req.physical_id}}));
  }

  protocol::Result<ProvisionResult> read(const ResourceRequest& req) override {
    auto got = client_.call(*req.stack, "iam", "GetRole", {{"RoleName", req.physical_id}});
    if (!got) return got.error();
    const json::object& role = got->at("Role").as_object();
    std::string path = core::str(role, "Path");
    json::object props;
    if (path.starts_with(kServiceRolePath) && path.size() > kServiceRolePath.size()) {
      props["AWSServiceName"] =
          path.substr(kServiceRolePath.size(), path.size() - kServiceRolePath.size() - 1);
    }
    if (auto d = core::opt_str(role, "Description")) props["Description"] = *d;
    if (auto underscore = req.physical_id.find('_'); underscore != std::string::npos) {
      props["CustomSuffix"] = req.physical_id.substr(underscore + 1);
    }
    return with_properties({req.physical_id, {{"RoleName", req.physical_id}}}, std::move(props),
                           &req.properties);
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    return in_place_if_listed(property, {"Description"});
  }

 private:
  const ServiceClient& client_;
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_iam_service_linked_role(
    const ServiceClient& client) {
  return std::make_unique<IamServiceLinkedRole>(client);
}

}  // namespace services::cloudformation::resources
