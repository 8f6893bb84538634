// AWS::CloudFormation::WaitConditionHandle —
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-waitconditionhandle.html
// No properties. Ref: "a presigned URL" to which instances send signals, shaped as
// CloudFormation's: https://cloudformation-waitcondition-<region>.s3.amazonaws.com/
// <percent-encoded stack id>/<logical id>?AWSAccessKeyId=...&Expires=...&Signature=... Gantry
// serves no such URL yet (signals are not received). "Updates aren't supported."

#include <chrono>

#include "core/clock.h"
#include "core/ids.h"
#include "services/cloudformation/resources/stack_providers.h"

namespace services::cloudformation::resources {

namespace {

// The characters of a stack ARN a URL path segment must escape (':' and '/').
std::string encode_segment(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ':') {
      out += "%3A";
    } else if (c == '/') {
      out += "%2F";
    } else {
      out += c;
    }
  }
  return out;
}

class WaitConditionHandle final : public StackOnlyResource {
 public:
  engine::UpdateBehavior update_behavior(std::string_view) const override {
    return engine::UpdateBehavior::Replacement;
  }

 protected:
  protocol::Result<std::string> name(const engine::ResourceRequest& req) override {
    // Presigned for 24 hours, as CloudFormation's are.
    auto expires = std::chrono::duration_cast<std::chrono::seconds>(
                       (clock_.now() + std::chrono::hours(24)).time_since_epoch())
                       .count();
    const engine::StackIdentity& s = *req.stack;
    return "https://cloudformation-waitcondition-" + s.region + ".s3." + s.url_suffix + "/" +
           encode_segment(s.stack_id) + "/" + req.logical_id + "?AWSAccessKeyId=AKIA" +
           core::ids::random_upper_alnum(16) + "&Expires=" + std::to_string(expires) +
           "&Signature=" + core::ids::random_upper_alnum(27) + "%3D";
  }

 private:
  core::SystemClock clock_;
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_cloudformation_wait_condition_handle() {
  return std::make_unique<WaitConditionHandle>();
}

}  // namespace services::cloudformation::resources
