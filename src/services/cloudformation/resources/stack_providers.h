#pragma once
// The stack group's providers (providers.h): types that are CloudFormation's own and call no
// service (AWS::CDK::Metadata, AWS::CloudFormation::WaitConditionHandle and WaitCondition), one
// AWS type per file.

#include <memory>

#include "services/cloudformation/engine/resource_provider.h"
#include "services/cloudformation/resources/service_client.h"

namespace services::cloudformation::resources {

std::unique_ptr<engine::ResourceProvider> make_cdk_metadata();
std::unique_ptr<engine::ResourceProvider> make_cloudformation_wait_condition_handle();
std::unique_ptr<engine::ResourceProvider> make_cloudformation_wait_condition();

// A resource that lives only in the stack: create names it and gives its attributes, update keeps
// the name, delete has nothing to do, read gives back the same values.
class StackOnlyResource : public engine::ResourceProvider {
 public:
  protocol::Result<engine::ProvisionResult> create(const engine::ResourceRequest& req) override;
  protocol::Result<engine::ProvisionResult> update(const engine::ResourceRequest& req) override;
  protocol::Result<void> remove(const engine::ResourceRequest& req) override;
  protocol::Result<engine::ProvisionResult> read(const engine::ResourceRequest& req) override;

 protected:
  // The physical id of a new resource, or the error that fails its creation.
  virtual protocol::Result<std::string> name(const engine::ResourceRequest& req) = 0;
  virtual boost::json::object attributes(const engine::ResourceRequest& req) const { return {}; }
};

}  // namespace services::cloudformation::resources
