// AWS::ApplicationAutoScaling::ScalingPolicy over Application Auto Scaling's PutScalingPolicy,
// DescribeScalingPolicies and DeleteScalingPolicy.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-applicationautoscaling-scalingpolicy.html
//
// Ref and GetAtt Arn: the policy ARN. The target is ScalingTargetId (a ScalableTarget's Ref) or
// ResourceId + ScalableDimension + ServiceNamespace. PolicyName and the target are replaced;
// PolicyType and the policy configurations are put again in place (same ARN).

#include <boost/json.hpp>

#include "core/json.h"
#include "services/cloudformation/resources/container_support.h"
#include "services/cloudformation/resources/scaling_providers.h"
#include "services/cloudformation/resources/scaling_support.h"

namespace services::cloudformation::resources {
namespace {

namespace json = boost::json;

constexpr std::string_view kService = "application-autoscaling";

class ScalingPolicy final : public ClientProvider {
 public:
  using ClientProvider::ClientProvider;

  Result<ProvisionResult> create(const ResourceRequest& req) override {
    for (std::string_view p : {"PolicyName", "PolicyType"}) {
      if (!prop(req, p)) return missing_property(req, p);
    }
    return put(req);
  }

  Result<ProvisionResult> update(const ResourceRequest& req) override { return put(req); }

  Result<void> remove(const ResourceRequest& req) override {
    json::object in = key_from_properties(req).input();
    in["PolicyName"] = prop_str(req, "PolicyName");
    auto r = client_.call(*req.stack, kService, "DeleteScalingPolicy", in);
    if (!r && !is_code(r.error(), {"ObjectNotFoundException"})) return r.error();
    return {};
  }

  Result<ProvisionResult> read(const ResourceRequest& req) override {
    ScalingKey key = key_from_properties(req);
    json::object in = key.input();
    in["PolicyNames"] = json::array{json::value(prop_str(req, "PolicyName"))};
    auto out = client_.call(*req.stack, kService, "DescribeScalingPolicies", in);
    if (!out) return out.error();
    if (const json::array* policies = core::arr(*out, "ScalingPolicies")) {
      for (const json::value& p : *policies) {
        if (core::str(p.as_object(), "PolicyARN") == req.physical_id)
          return result(req.physical_id);
      }
    }
    return protocol::AwsError{"ObjectNotFoundException",
                              "No scaling policy found for service namespace: " +
                                  key.service_namespace + ", resource ID: " + key.resource_id +
                                  ", scalable dimension: " + key.scalable_dimension +
                                  ", policy name: " + prop_str(req, "PolicyName")};
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    return behavior_of(
        property, {"PolicyType", "PredictiveScalingPolicyConfiguration",
                   "StepScalingPolicyConfiguration", "TargetTrackingScalingPolicyConfiguration"});
  }

 private:
  Result<ProvisionResult> put(const ResourceRequest& req) {
    json::object in = api_input(kService, "PutScalingPolicy", properties(req.properties));
    for (auto& [k, v] : key_from_properties(req).input()) in[k] = v;
    auto out = client_.call(*req.stack, kService, "PutScalingPolicy", in);
    if (!out) return out.error();
    return result(core::str(*out, "PolicyARN"));
  }

  static ProvisionResult result(const std::string& arn) { return {arn, {{"Arn", arn}}}; }
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_autoscaling_scaling_policy(
    const ServiceClient& client) {
  return std::make_unique<ScalingPolicy>(client);
}

}  // namespace services::cloudformation::resources
