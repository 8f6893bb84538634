// AWS::CloudWatch::Alarm over CloudWatch's PutMetricAlarm, DescribeAlarms and DeleteAlarms.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudwatch-alarm.html
//
// Ref: the alarm name. GetAtt: Arn. AlarmName is replaced; every other property is put again in
// place (PutMetricAlarm overwrites the alarm; its tags change through TagResource).

#include <boost/json.hpp>

#include "core/json.h"
#include "services/cloudformation/resources/container_support.h"
#include "services/cloudformation/resources/scaling_providers.h"

namespace services::cloudformation::resources {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxNameLength = 255;

class CloudWatchAlarm final : public ClientProvider {
 public:
  using ClientProvider::ClientProvider;

  Result<ProvisionResult> create(const ResourceRequest& req) override {
    for (std::string_view p : {"ComparisonOperator", "EvaluationPeriods"}) {
      if (!prop(req, p)) return missing_property(req, p);
    }
    std::string name = prop_str(req, "AlarmName");
    if (name.empty()) name = generated_name(*req.stack, req.logical_id, kMaxNameLength);
    json::object cfn = properties(req.properties);
    cfn["Tags"] = stack_tags(req, prop(req, "Tags"));
    json::object in = api_input("cloudwatch", "PutMetricAlarm", cfn);
    in["AlarmName"] = name;
    if (auto r = client_.call(*req.stack, "cloudwatch", "PutMetricAlarm", in); !r) {
      return r.error();
    }
    ResourceRequest created = req;
    created.physical_id = name;
    return read(created);
  }

  Result<ProvisionResult> update(const ResourceRequest& req) override {
    json::object cfn = properties(req.properties);
    cfn.erase("Tags");
    json::object in = api_input("cloudwatch", "PutMetricAlarm", cfn);
    in["AlarmName"] = req.physical_id;
    if (auto r = client_.call(*req.stack, "cloudwatch", "PutMetricAlarm", in); !r) {
      return r.error();
    }
    return with_tags_updated(client_, req, kCloudWatchTags, read(req));
  }

  Result<void> remove(const ResourceRequest& req) override {
    auto r = client_.call(*req.stack, "cloudwatch", "DeleteAlarms",
                          {{"AlarmNames", json::array{json::value(req.physical_id)}}});
    if (!r && !is_code(r.error(), {"ResourceNotFound"})) return r.error();
    return {};
  }

  Result<ProvisionResult> read(const ResourceRequest& req) override {
    auto out = client_.call(*req.stack, "cloudwatch", "DescribeAlarms",
                            {{"AlarmNames", json::array{json::value(req.physical_id)}}});
    if (!out) return out.error();
    const json::array* alarms = core::arr(*out, "MetricAlarms");
    if (!alarms || alarms->empty()) {
      return protocol::AwsError{"ResourceNotFound",
                                "1 alarm(s) not found: [" + req.physical_id + "]"};
    }
    return ProvisionResult{req.physical_id,
                           {{"Arn", core::str(alarms->front().as_object(), "AlarmArn")}}};
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    if (property == "AlarmName") return engine::UpdateBehavior::Replacement;
    return behavior_of(property, {"ActionsEnabled",
                                  "AlarmActions",
                                  "AlarmDescription",
                                  "ComparisonOperator",
                                  "DatapointsToAlarm",
                                  "Dimensions",
                                  "EvaluateLowSampleCountPercentile",
                                  "EvaluationPeriods",
                                  "ExtendedStatistic",
                                  "InsufficientDataActions",
                                  "MetricName",
                                  "Metrics",
                                  "Namespace",
                                  "OKActions",
                                  "Period",
                                  "Statistic",
                                  "Tags",
                                  "Threshold",
                                  "ThresholdMetricId",
                                  "TreatMissingData",
                                  "Unit"});
  }
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_cloudwatch_alarm(const ServiceClient& client) {
  return std::make_unique<CloudWatchAlarm>(client);
}

}  // namespace services::cloudformation::resources
