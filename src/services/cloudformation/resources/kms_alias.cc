// AWS::KMS::Alias —
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-alias.html
// Ref: the alias name ("alias/app"). No Fn::GetAtt attributes.

#include <boost/json.hpp>

#include "core/json.h"
#include "services/cloudformation/resources/identity_providers.h"
#include "services/cloudformation/resources/identity_support.h"

namespace services::cloudformation::resources {

namespace {

namespace json = boost::json;
using engine::ProvisionResult;
using engine::ResourceRequest;

class KmsAlias final : public engine::ResourceProvider {
 public:
  explicit KmsAlias(const ServiceClient& client) : client_(client) {}

  protocol::Result<ProvisionResult> create(const ResourceRequest& req) override {
    const json::object& p = properties(req.properties);
    for (std::string_view k : {"AliasName", "TargetKeyId"}) {
      if (!p.contains(k)) return missing_property(req, k);
    }
    json::object in{{"AliasName", core::str(p, "AliasName")},
                    {"TargetKeyId", core::str(p, "TargetKeyId")}};
    if (auto r = client_.call(*req.stack, "kms", "CreateAlias", in); !r) return r.error();
    return ProvisionResult{core::str(p, "AliasName"), {}};
  }

  protocol::Result<ProvisionResult> update(const ResourceRequest& req) override {
    json::object in{{"AliasName", req.physical_id},
                    {"TargetKeyId", core::str(properties(req.properties), "TargetKeyId")}};
    if (auto r = client_.call(*req.stack, "kms", "UpdateAlias", in); !r) return r.error();
    return ProvisionResult{req.physical_id, {}};
  }

  protocol::Result<void> remove(const ResourceRequest& req) override {
    return gone_is_ok(
        client_.call(*req.stack, "kms", "DeleteAlias", {{"AliasName", req.physical_id}}));
  }

  protocol::Result<ProvisionResult> read(const ResourceRequest& req) override {
    auto listed = client_.call(*req.stack, "kms", "ListAliases", {{"Limit", 1000}});
    if (!listed) return listed.error();
    for (const json::value& a : *core::arr(*listed, "Aliases")) {
      if (core::str(a.as_object(), "AliasName") != req.physical_id) continue;
      json::object props{{"AliasName", req.physical_id},
                         {"TargetKeyId", core::str(a.as_object(), "TargetKeyId")}};
      return with_properties({req.physical_id, {}}, std::move(props), &req.properties);
    }
    return protocol::AwsError{"NotFoundException", "Alias arn:" + req.stack->partition +
                                                       ":kms:" + req.stack->region + ":" +
                                                       req.stack->account + ":" + req.physical_id +
                                                       " is not found."};
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    return in_place_if_listed(property, {"TargetKeyId"});
  }

 private:
  const ServiceClient& client_;
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_kms_alias(const ServiceClient& client) {
  return std::make_unique<KmsAlias>(client);
}

}  // namespace services::cloudformation::resources
