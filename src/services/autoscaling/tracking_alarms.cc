#include "services/autoscaling/tracking_alarms.h"

#include <boost/json.hpp>

#include "core/ids.h"
#include "core/json.h"
#include "services/autoscaling/errors.h"

namespace services::autoscaling {

namespace json = boost::json;

namespace {

json::object dimension(std::string_view name, std::string_view value) {
  return json::object{{"Name", name}, {"Value", value}};
}

json::object metric(std::string_view ns, std::string_view name, std::string_view stat,
                    json::array dims) {
  return json::object{{"Namespace", ns},
                      {"MetricName", name},
                      {"Statistic", stat},
                      {"Dimensions", std::move(dims)}};
}

// "service/<cluster>/<service>" -> ClusterName and ServiceName dimensions.
protocol::Result<json::array> ecs_dimensions(const std::string& resource_id) {
  size_t slash = resource_id.find('/', 8);
  if (!resource_id.starts_with("service/") || slash == std::string::npos) {
    return errors::validation("Unsupported resource ID for ECS: " + resource_id);
  }
  return json::array{dimension("ClusterName", resource_id.substr(8, slash - 8)),
                     dimension("ServiceName", resource_id.substr(slash + 1))};
}

// ResourceLabel "app/<lb>/<id>/targetgroup/<tg>/<id>" -> TargetGroup "targetgroup/<tg>/<id>".
protocol::Result<json::array> alb_dimensions(const json::object& spec) {
  std::optional<std::string> label = core::opt_str(spec, "ResourceLabel");
  if (!label) {
    return errors::validation(
        "ResourceLabel must be specified for predefined metric type ALBRequestCountPerTarget");
  }
  size_t tg = label->find("/targetgroup/");
  if (!label->starts_with("app/") || tg == std::string::npos) {
    return errors::validation("Invalid resource label: " + *label +
                              ". Expected format: app/<load-balancer-name>/<load-balancer-id>/"
                              "targetgroup/<target-group-name>/<target-group-id>");
  }
  return json::array{dimension("TargetGroup", label->substr(tg + 1))};
}

protocol::Result<json::object> predefined(const json::object& spec,
                                          const std::string& resource_id) {
  std::string type = core::str(spec, "PredefinedMetricType");
  if (type == "ECSServiceAverageCPUUtilization" || type == "ECSServiceAverageMemoryUtilization") {
    auto dims = ecs_dimensions(resource_id);
    if (!dims) return dims.error();
    return metric(
        "AWS/ECS",
        type == "ECSServiceAverageCPUUtilization" ? "CPUUtilization" : "MemoryUtilization",
        "Average", std::move(*dims));
  }
  if (type == "ALBRequestCountPerTarget") {
    auto dims = alb_dimensions(spec);
    if (!dims) return dims.error();
    return metric("AWS/ApplicationELB", "RequestCountPerTarget", "Sum", std::move(*dims));
  }
  return errors::validation("Unsupported predefined metric type " + type +
                            " for service namespace ecs");
}

protocol::Result<json::object> customized(const json::object& spec) {
  if (spec.contains("Metrics")) {
    return errors::validation(
        "Metric math in CustomizedMetricSpecification (Metrics) is not supported; specify "
        "MetricName, Namespace and Statistic.");
  }
  for (const char* k : {"MetricName", "Namespace", "Statistic"}) {
    if (!spec.contains(k)) {
      return errors::validation(std::string("CustomizedMetricSpecification must specify ") + k);
    }
  }
  json::array dims;
  if (const json::array* d = core::arr(spec, "Dimensions")) dims = *d;
  json::object m = metric(core::str(spec, "Namespace"), core::str(spec, "MetricName"),
                          core::str(spec, "Statistic"), std::move(dims));
  if (std::optional<std::string> unit = core::opt_str(spec, "Unit")) m["Unit"] = *unit;
  return m;
}

}  // namespace

protocol::Result<json::object> tracked_metric(const json::object& config,
                                              const std::string& resource_id) {
  const json::object* pre = core::obj(config, "PredefinedMetricSpecification");
  const json::object* cust = core::obj(config, "CustomizedMetricSpecification");
  if ((pre != nullptr) == (cust != nullptr)) {
    return errors::validation(
        "Exactly one of PredefinedMetricSpecification and CustomizedMetricSpecification must be "
        "specified");
  }
  return pre ? predefined(*pre, resource_id) : customized(*cust);
}

json::object tracking_alarm(const json::object& metric, const std::string& name,
                            const std::string& policy_arn, double target, bool high) {
  json::object a = metric;
  a["AlarmName"] = name;
  a["AlarmDescription"] = "DO NOT EDIT OR DELETE. For TargetTrackingScaling policy " + policy_arn;
  a["ActionsEnabled"] = true;
  a["AlarmActions"] = json::array{json::value(policy_arn)};
  a["Period"] = 60;
  a["EvaluationPeriods"] = high ? 3 : 15;
  a["DatapointsToAlarm"] = high ? 3 : 15;
  a["Threshold"] = high ? target : target * 0.9;
  a["ComparisonOperator"] = high ? "GreaterThanThreshold" : "LessThanThreshold";
  return a;
}

std::string tracking_alarm_name(const std::string& resource_id, bool high) {
  return "TargetTracking-" + resource_id + (high ? "-AlarmHigh-" : "-AlarmLow-") +
         core::ids::uuid4();
}

}  // namespace services::autoscaling
