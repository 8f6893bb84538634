// AWS::CloudFormation::WaitCondition —
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-waitcondition.html
// Ref: the resource's name. Fn::GetAtt: Data, the signals' data as a JSON object ("{}" with none).
// A Count of 0 completes at once. Gantry does not receive signals at a handle's URL yet, so a
// Count above 0 fails at once with that reason instead of waiting out its Timeout. "Updates
// aren't supported": every property replaces.

#include "services/cloudformation/resources/identity_support.h"
#include "services/cloudformation/resources/stack_providers.h"

namespace services::cloudformation::resources {

namespace {

class WaitCondition final : public StackOnlyResource {
 public:
  engine::UpdateBehavior update_behavior(std::string_view) const override {
    return engine::UpdateBehavior::Replacement;
  }

 protected:
  protocol::Result<std::string> name(const engine::ResourceRequest& req) override {
    // Count defaults to 1 (one success signal).
    int64_t count = int_property(properties(req.properties), "Count").value_or(1);
    if (count > 0) {
      return protocol::AwsError{
          "WaitConditionNotSupported",
          "WaitCondition received 0 conditions when expecting " + std::to_string(count) +
              ": Gantry does not receive wait condition signals yet; use a Count of 0"};
    }
    return req.stack->stack_id + "/" + req.logical_id;
  }

  boost::json::object attributes(const engine::ResourceRequest&) const override {
    return {{"Data", "{}"}};
  }
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_cloudformation_wait_condition() {
  return std::make_unique<WaitCondition>();
}

}  // namespace services::cloudformation::resources
