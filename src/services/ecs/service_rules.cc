#include "services/ecs/service_rules.h"

#include "services/ecs/ecs_json.h"
#include "services/ecs/model.h"

namespace services::ecs {

namespace json = boost::json;

std::string apply_deployment_configuration(json::object& service, const json::object* requested) {
  bool daemon = str(service, "schedulingStrategy") == "DAEMON";
  json::object config{{"deploymentCircuitBreaker", {{"enable", false}, {"rollback", false}}},
                      {"maximumPercent", daemon ? 100 : 200},
                      {"minimumHealthyPercent", daemon ? 0 : 100}};
  if (json::value* old = service.if_contains("deploymentConfiguration"); old && old->is_object()) {
    config = old->as_object();
  }
  if (requested) {
    for (const auto& [k, v] : *requested) {
      config[k] = v;
    }
  }
  int64_t max_percent = opt_int(config, "maximumPercent").value_or(200);
  int64_t min_percent = opt_int(config, "minimumHealthyPercent").value_or(100);
  if (min_percent < 0 || min_percent > 100) {
    return "minimumHealthyPercent must be between 0 and 100.";
  }
  if (max_percent < min_percent || max_percent > 2000) {
    return "maximumPercent must be greater than or equal to minimumHealthyPercent and at most "
           "2000.";
  }
  if (daemon && max_percent != 100 && requested && requested->contains("maximumPercent")) {
    return "The daemon scheduling strategy requires maximumPercent to be 100.";
  }
  service["deploymentConfiguration"] = std::move(config);
  return {};
}

std::string check_network_configuration(const json::object& td, const json::object* nc,
                                        const std::string& launch_type) {
  bool awsvpc = str(td, "networkMode") == "awsvpc";
  if (awsvpc && !nc) {
    return "Network Configuration must be provided when networkMode 'awsvpc' is specified.";
  }
  if (!nc) {
    return {};
  }
  if (!awsvpc) {
    return "Network Configuration is not valid for the given networkMode of this task "
           "definition.";
  }
  const json::object* vpc = obj(*nc, "awsvpcConfiguration");
  if (!vpc || strings(*vpc, "subnets").empty()) {
    return "subnets can not be empty.";
  }
  if (strings(*vpc, "subnets").size() > 16) {
    return "subnets can have at most 16 items.";
  }
  if (strings(*vpc, "securityGroups").size() > 5) {
    return "securityGroups can have at most 5 items.";
  }
  if (str(*vpc, "assignPublicIp") == "ENABLED" && launch_type == "EC2") {
    return "Assign public IP is not supported for this launch type.";
  }
  return {};
}

std::string check_load_balancers(const json::object& td, const json::array& lbs) {
  for (const json::value& v : lbs) {
    if (!v.is_object()) {
      return "Invalid load balancer.";
    }
    const json::object& lb = v.get_object();
    if (!lb.contains("targetGroupArn") && !lb.contains("loadBalancerName")) {
      return "A load balancer must specify a targetGroupArn or a loadBalancerName.";
    }
    std::string container = str(lb, "containerName");
    std::optional<int64_t> port = opt_int(lb, "containerPort");
    if (container.empty() || !port) {
      return "containerName and containerPort must be specified for each load balancer.";
    }
    const json::object* found = nullptr;
    if (const json::array* cds = arr(td, "containerDefinitions")) {
      for (const json::value& c : *cds) {
        if (c.is_object() && str(c.get_object(), "name") == container) {
          found = &c.get_object();
        }
      }
    }
    if (!found) {
      return "The container " + container + " does not exist in the task definition.";
    }
    bool has_port = false;
    if (const json::array* pms = arr(*found, "portMappings")) {
      for (const json::value& pm : *pms) {
        if (pm.is_object() && opt_int(pm.get_object(), "containerPort") == port) {
          has_port = true;
        }
      }
    }
    if (!has_port) {
      return "The container " + container + " did not have a container port " +
             std::to_string(*port) + " defined.";
    }
  }
  return {};
}

json::object new_deployment(const json::object& service, double now) {
  std::string id = deployment_id();
  json::object d{{"id", id},
                 {"status", "PRIMARY"},
                 {"taskDefinition", str(service, "taskDefinition")},
                 {"desiredCount", opt_int(service, "desiredCount").value_or(0)},
                 {"pendingCount", 0},
                 {"runningCount", 0},
                 {"failedTasks", 0},
                 {"createdAt", now},
                 {"updatedAt", now}};
  if (const json::value* cps = service.if_contains("capacityProviderStrategy")) {
    d["capacityProviderStrategy"] = *cps;
  }
  std::string launch_type = str(service, "launchType");
  if (!launch_type.empty()) {
    d["launchType"] = launch_type;
  }
  bool fargate = launch_type == "FARGATE" || (launch_type.empty() && service.contains("platformVersion"));
  if (fargate) {
    std::string pv = str(service, "platformVersion", "LATEST");
    d["platformVersion"] = pv == "LATEST" ? kLatestFargatePlatform : pv;
    d["platformFamily"] = "Linux";
  }
  if (const json::value* nc = service.if_contains("networkConfiguration")) {
    d["networkConfiguration"] = *nc;
  }
  d["rolloutState"] = "IN_PROGRESS";
  d["rolloutStateReason"] = "ECS deployment " + id + " in progress.";
  return d;
}

}  // namespace services::ecs
