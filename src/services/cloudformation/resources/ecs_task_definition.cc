// AWS::ECS::TaskDefinition over ECS's RegisterTaskDefinition and DeregisterTaskDefinition.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-taskdefinition.html
//
// Ref and GetAtt TaskDefinitionArn: the revision's ARN. A task definition revision is immutable:
// every property but Tags is replaced, which registers a new revision; the old one is
// deregistered when CloudFormation removes the replaced resource. Family, when absent, is
// generated from the stack name and the logical id, as CloudFormation does.

#include <boost/json.hpp>

#include "core/json.h"
#include "services/cloudformation/resources/container_providers.h"
#include "services/cloudformation/resources/container_support.h"

namespace services::cloudformation::resources {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxFamilyLength = 255;

class EcsTaskDefinition final : public ClientProvider {
 public:
  using ClientProvider::ClientProvider;

  Result<ProvisionResult> create(const ResourceRequest& req) override {
    json::object cfn = properties(req.properties);
    cfn["Tags"] = stack_tags(req, prop(req, "Tags"));
    json::object in = api_input("ecs", "RegisterTaskDefinition", cfn,
                                {{"ProxyConfigurationProperties", "properties"}});
    if (core::str(in, "family").empty()) {
      in["family"] = generated_name(*req.stack, req.logical_id, kMaxFamilyLength);
    }
    auto out = client_.call(*req.stack, "ecs", "RegisterTaskDefinition", in);
    if (!out) return out.error();
    return result(core::obj(*out, "taskDefinition"));
  }

  Result<ProvisionResult> update(const ResourceRequest& req) override {
    return with_tags_updated(client_, req, kEcsTags, read(req), "TaskDefinitionArn");
  }

  Result<void> remove(const ResourceRequest& req) override {
    auto r = client_.call(*req.stack, "ecs", "DeregisterTaskDefinition",
                          {{"taskDefinition", req.physical_id}});
    if (!r && !is_code(r.error(), {"ClientException"})) return r.error();
    return {};
  }

  Result<ProvisionResult> read(const ResourceRequest& req) override {
    auto out = client_.call(*req.stack, "ecs", "DescribeTaskDefinition",
                            {{"taskDefinition", req.physical_id}});
    if (!out) return out.error();
    const json::object* td = core::obj(*out, "taskDefinition");
    if (!td || core::str(*td, "status") != "ACTIVE") return not_found();
    return result(td);
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    return behavior_of(property, {"Tags"});
  }

 private:
  static protocol::AwsError not_found() {
    return {"ClientException", "The specified task definition does not exist."};
  }

  static Result<ProvisionResult> result(const json::object* td) {
    if (!td) return not_found();
    std::string arn = core::str(*td, "taskDefinitionArn");
    return ProvisionResult{arn, {{"TaskDefinitionArn", arn}}};
  }
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_ecs_task_definition(const ServiceClient& client) {
  return std::make_unique<EcsTaskDefinition>(client);
}

}  // namespace services::cloudformation::resources
