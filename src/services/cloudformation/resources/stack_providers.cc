// The stack group's providers (providers.h): one add() per type, each type in its own file; and
// StackOnlyResource (stack_providers.h).

#include "services/cloudformation/resources/stack_providers.h"

#include "services/cloudformation/resources/providers.h"

namespace services::cloudformation::resources {

void add_stack_providers(engine::ResourceProviders& out, const ServiceClient& client) {
  (void)client;  // these types call no service
  out.add("AWS::CDK::Metadata", make_cdk_metadata());
  out.add("AWS::CloudFormation::WaitConditionHandle", make_cloudformation_wait_condition_handle());
  out.add("AWS::CloudFormation::WaitCondition", make_cloudformation_wait_condition());
}

protocol::Result<engine::ProvisionResult> StackOnlyResource::create(
    const engine::ResourceRequest& req) {
  protocol::Result<std::string> id = name(req);
  if (!id) return id.error();
  return engine::ProvisionResult{*id, attributes(req)};
}

protocol::Result<engine::ProvisionResult> StackOnlyResource::update(
    const engine::ResourceRequest& req) {
  return read(req);
}

protocol::Result<void> StackOnlyResource::remove(const engine::ResourceRequest&) { return {}; }

protocol::Result<engine::ProvisionResult> StackOnlyResource::read(
    const engine::ResourceRequest& req) {
  return engine::ProvisionResult{req.physical_id, attributes(req)};
}

}  // namespace services::cloudformation::resources
