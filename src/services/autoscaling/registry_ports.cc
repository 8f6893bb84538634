// EcsServiceCapacity and CloudWatchPolicyAlarms (registry_ports.h).

#include "services/autoscaling/registry_ports.h"

#include <boost/json.hpp>

#include "core/json.h"
#include "core/log.h"
#include "services/autoscaling/errors.h"

namespace services::autoscaling {

namespace json = boost::json;
using protocol::RequestContext;

protocol::Result<ServiceCapacityState> EcsServiceCapacity::get(const std::string& account,
                                                               const std::string& region,
                                                               const std::string& cluster,
                                                               const std::string& service) {
  json::object in{{"cluster", cluster}, {"services", json::array{json::value(service)}}};
  auto r = registry_.call(RequestContext::internal(account, region), "ecs", "DescribeServices", in);
  if (!r && r.error().code != "ClusterNotFoundException") return r.error();
  const json::array* services = r ? core::arr(*r, "services") : nullptr;
  if (!services || services->empty() ||
      core::str(services->front().as_object(), "status") != "ACTIVE") {
    return errors::validation("ECS service doesn't exist: service/" + cluster + "/" + service);
  }
  const json::object& s = services->front().as_object();
  ServiceCapacityState out;
  out.desired = core::opt_int(s, "desiredCount").value_or(0);
  out.running = core::opt_int(s, "runningCount").value_or(0);
  if (const json::array* deployments = core::arr(s, "deployments")) {
    out.deploying = deployments->size() > 1;
    for (const json::value& d : *deployments) {
      if (core::str(d.as_object(), "rolloutState") == "IN_PROGRESS") out.deploying = true;
    }
  }
  return out;
}

protocol::Result<void> EcsServiceCapacity::set_desired(const std::string& account,
                                                       const std::string& region,
                                                       const std::string& cluster,
                                                       const std::string& service,
                                                       int64_t desired) {
  json::object in{{"cluster", cluster}, {"service", service}, {"desiredCount", desired}};
  auto r = registry_.call(RequestContext::internal(account, region), "ecs", "UpdateService", in);
  if (!r) return r.error();
  return {};
}

protocol::Result<void> CloudWatchPolicyAlarms::put(const std::string& account,
                                                   const std::string& region,
                                                   const json::object& input) {
  auto r = registry_.call(RequestContext::internal(account, region), "cloudwatch", "PutMetricAlarm",
                          input);
  if (!r) return r.error();
  return {};
}

void CloudWatchPolicyAlarms::remove(const std::string& account, const std::string& region,
                                    const std::vector<std::string>& names) {
  // One by one: DeleteAlarms fails as a whole when one name is unknown (deleted by a user).
  for (const std::string& name : names) {
    json::object in{{"AlarmNames", json::array{json::value(name)}}};
    auto r =
        registry_.call(RequestContext::internal(account, region), "cloudwatch", "DeleteAlarms", in);
    if (!r && r.error().code != "ResourceNotFound") {
      core::log::warn("application-autoscaling: deleting an alarm failed",
                      {{"alarm", name}, {"error", r.error().message}});
    }
  }
}

AlarmReading CloudWatchPolicyAlarms::reading(const std::string& account, const std::string& region,
                                             const std::string& name) {
  json::object in{{"AlarmNames", json::array{json::value(name)}}};
  auto r =
      registry_.call(RequestContext::internal(account, region), "cloudwatch", "DescribeAlarms", in);
  AlarmReading out;
  if (!r) return out;
  const json::array* alarms = core::arr(*r, "MetricAlarms");
  if (!alarms || alarms->empty()) return out;
  std::optional<std::string> data = core::opt_str(alarms->front().as_object(), "StateReasonData");
  if (!data) return out;
  boost::system::error_code ec;
  json::value v = json::parse(*data, ec);
  if (ec || !v.is_object()) return out;
  if (const json::array* recent = core::arr(v.as_object(), "recentDatapoints")) {
    for (const json::value& p : *recent) {
      if (p.is_number()) out.datapoints.push_back(p.to_number<double>());
    }
  }
  if (const json::value* t = v.as_object().if_contains("threshold"); t && t->is_number()) {
    out.threshold = t->to_number<double>();
  }
  return out;
}

}  // namespace services::autoscaling
