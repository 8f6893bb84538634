// AWS::CDK::Metadata — what `cdk synth` adds to every stack (Analytics: the construct library
// versions, compressed). CloudFormation stores the resource and nothing else; Ref gives a generated
// id. Analytics changes update in place.

#include "core/ids.h"
#include "services/cloudformation/resources/stack_providers.h"

namespace services::cloudformation::resources {

namespace {

class CdkMetadata final : public StackOnlyResource {
 public:
  engine::UpdateBehavior update_behavior(std::string_view) const override {
    return engine::UpdateBehavior::NoInterruption;
  }

 protected:
  protocol::Result<std::string> name(const engine::ResourceRequest&) override {
    return core::ids::uuid4();
  }
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_cdk_metadata() {
  return std::make_unique<CdkMetadata>();
}

}  // namespace services::cloudformation::resources
