#include "services/ecs/task_lifecycle.h"

#include <boost/json.hpp>

#include "services/ecs/ecs_json.h"
#include "services/ecs/task_credentials.h"
#include "services/ecs/task_metadata.h"

namespace services::ecs {
namespace {

namespace json = boost::json;

constexpr int kDefaultStopTimeoutSeconds = 30;  // Fargate's default stopTimeout
constexpr double kMaxDrainSeconds = 300;        // ALB's default deregistration delay

const char* phase_status(ContainerPhase p) {
  switch (p) {
    case ContainerPhase::Absent:
      return "PENDING";
    case ContainerPhase::Created:
      return "PENDING";
    case ContainerPhase::Running:
      return "RUNNING";
    case ContainerPhase::Exited:
      return "STOPPED";
  }
  return "PENDING";
}

bool is_essential(const json::object& def) { return opt_bool(def, "essential").value_or(true); }

// The container's record after what the runtime reports of it.
void observe_container(TaskContainer& c, const ContainerState& s) {
  if (c.last_status != "STOPPED" || s.phase == ContainerPhase::Exited) {
    if (s.phase != ContainerPhase::Absent) c.last_status = phase_status(s.phase);
  }
  if (!s.runtime_id.empty()) c.runtime_id = s.runtime_id;
  if (!s.image_digest.empty()) c.image_digest = s.image_digest;
  if (s.phase == ContainerPhase::Exited && s.exit_code) {
    c.exit_code = *s.exit_code;
    if (s.oom_killed) c.reason = "OutOfMemoryError: Container killed due to memory usage";
  }
}

// True when every dependsOn condition of `def` holds; sets `failed` when one never can.
bool dependencies_met(const json::object& def, const ContainerStates& seen, std::string* failed) {
  const json::array* deps = arr(def, "dependsOn");
  if (deps == nullptr) return true;
  for (const json::value& v : *deps) {
    if (!v.is_object()) continue;
    std::string name = str(v.as_object(), "containerName");
    std::string condition = str(v.as_object(), "condition", "START");
    auto it = seen.find(name);
    ContainerPhase phase = it == seen.end() ? ContainerPhase::Absent : it->second.phase;
    if (condition == "START") {
      if (phase != ContainerPhase::Running && phase != ContainerPhase::Exited) return false;
    } else if (condition == "COMPLETE") {
      if (phase != ContainerPhase::Exited) return false;
    } else if (condition == "SUCCESS") {
      if (phase != ContainerPhase::Exited) return false;
      if (it->second.exit_code.value_or(1) != 0) {
        *failed = "Container " + name + " exited with code " +
                  std::to_string(it->second.exit_code.value_or(-1)) + ", dependency of " +
                  str(def, "name") + " required SUCCESS";
        return false;
      }
    } else if (condition == "HEALTHY") {
      if (phase == ContainerPhase::Exited) {
        *failed = "Container " + name + " exited before becoming HEALTHY";
        return false;
      }
      if (phase != ContainerPhase::Running || it->second.health != "HEALTHY") return false;
    }
  }
  return true;
}

// "ip-10-0-1-5.ec2.internal", the ENI's private DNS name in `region`.
std::string private_dns_name(const std::string& ip, const std::string& region) {
  std::string dashed = ip;
  for (char& c : dashed) c = c == '.' ? '-' : c;
  return "ip-" + dashed + "." +
         (region == "us-east-1" ? std::string("ec2.internal") : region + ".compute.internal");
}

}  // namespace

ContainerStates by_name(const std::vector<ContainerState>& states) {
  ContainerStates out;
  for (const ContainerState& s : states) out[s.name] = s;
  return out;
}

ContainerDefinitions definitions(const json::object& td) {
  ContainerDefinitions out;
  if (const json::array* cds = arr(td, "containerDefinitions")) {
    for (const json::value& v : *cds) {
      if (v.is_object()) out[str(v.as_object(), "name")] = v.as_object();
    }
  }
  return out;
}

void observe_containers(Task& task, const ContainerStates& seen, const ContainerDefinitions& defs,
                        double now) {
  bool essential_exited = false;
  for (const auto& [name, def] : defs) {
    auto it = seen.find(name);
    essential_exited =
        essential_exited ||
        (it != seen.end() && it->second.phase == ContainerPhase::Exited && is_essential(def));
  }
  if (task.desired_status == "RUNNING" && essential_exited) {
    request_stop(task, "EssentialContainerExited", "Essential container in task exited", now);
  }
  const json::value* containers = task.doc.if_contains("containers");
  if (!containers || !containers->is_array()) return;
  bool any_unhealthy = false, all_healthy = true, any_check = false;
  for (TaskContainer& c : task.containers) {
    auto it = seen.find(c.name);
    if (it == seen.end()) continue;
    observe_container(c, it->second);
    auto def = defs.find(c.name);
    if (def != defs.end() && def->second.contains("healthCheck")) {
      const std::string& health = it->second.health;
      any_check = true;
      c.health_status = health;
      any_unhealthy = any_unhealthy || (is_essential(def->second) && health == "UNHEALTHY");
      all_healthy = all_healthy && (!is_essential(def->second) || health == "HEALTHY");
    }
  }
  task.health_status = !any_check      ? "UNKNOWN"
                       : any_unhealthy ? "UNHEALTHY"
                       : all_healthy   ? "HEALTHY"
                                       : "UNKNOWN";
}

void request_stop(Task& task, std::string stop_code, std::string reason, double now) {
  task.desired_status = "STOPPED";
  task.stop_code = std::move(stop_code);
  task.stopped_reason = std::move(reason);
  task.stopping_at = now;
}

void fail_to_start(Task& task, const std::string& reason, const std::string& container,
                   double now) {
  request_stop(task, "TaskFailedToStart", reason, now);
  for (TaskContainer& c : task.containers) {
    if (!container.empty() && c.name == container) c.reason = reason;
  }
}

bool awaits_target_drain(const Task& task) {
  return task.stop_code.value_or("") == "UserInitiated" && !task.scheduler.targets.empty() &&
         !task.scheduler.released;
}

TaskStep plan_task_step(const Task& task, const ContainerStates& seen, double drain_seconds) {
  const std::string& last = task.last_status;
  if (last == "STOPPED") return TaskStep::Done;
  if (task.desired_status == "STOPPED") {
    if (last == "RUNNING" || last == "ACTIVATING") return TaskStep::Deactivate;
    if (last == "DEACTIVATING" && awaits_target_drain(task) && drain_seconds < kMaxDrainSeconds) {
      return TaskStep::AwaitDrain;
    }
    for (const auto& [name, s] : seen) {
      if (s.phase == ContainerPhase::Running || s.phase == ContainerPhase::Created) {
        return TaskStep::StopContainers;
      }
    }
    return TaskStep::Deprovision;
  }
  if (last == "PROVISIONING") return TaskStep::AttachNetwork;
  if (last == "PENDING") return TaskStep::StartContainers;
  if (last == "ACTIVATING") return TaskStep::Activate;
  return TaskStep::Done;
}

void mark_deactivating(Task& task, double now) {
  task.last_status = "DEACTIVATING";
  if (!task.stopping_at) task.stopping_at = now;
}

void mark_stopping(Task& task, double now) {
  task.last_status = "STOPPING";
  if (!task.stopping_at) task.stopping_at = now;
  if (!task.stop_code) task.stop_code = "UserInitiated";
}

void mark_deprovisioning(Task& task, double now) {
  task.last_status = "DEPROVISIONING";
  task.execution_stopped_at = now;
  if (!task.stopping_at) task.stopping_at = now;
}

void mark_stopped(Task& task, double now) {
  task.last_status = "STOPPED";
  task.stopped_at = now;
  task.connectivity = "DISCONNECTED";
  for (TaskContainer& c : task.containers) c.last_status = "STOPPED";
  for (TaskAttachment& a : task.attachments) a.status = "DELETED";
}

void mark_network_attached(Task& task, const TaskNetwork* net, const std::string& region,
                           double now) {
  task.last_status = "PENDING";
  if (!net || net->eni_id.empty()) return;
  std::string attachment_id;
  for (TaskAttachment& a : task.attachments) {
    if (a.type != "ElasticNetworkInterface") continue;
    attachment_id = a.id;
    a.status = "ATTACHED";
    a.details = {{"subnetId", net->subnet_id},
                 {"networkInterfaceId", net->eni_id},
                 {"macAddress", net->mac},
                 {"privateDnsName", private_dns_name(net->private_ip, region)},
                 {"privateIPv4Address", net->private_ip}};
  }
  for (TaskContainer& c : task.containers) {
    c.network_interfaces = {ContainerInterface{attachment_id, net->private_ip}};
  }
  task.availability_zone = net->availability_zone;
  task.connectivity = "CONNECTED";
  task.connectivity_at = now;
  task.gantry_network = GantryNetwork{net->netns_path, net->api_endpoint};
}

void mark_running(Task& task, double now) {
  task.last_status = "RUNNING";
  task.started_at = now;
  if (!task.connectivity) {
    task.connectivity = "CONNECTED";
    task.connectivity_at = now;
  }
}

StartPlan plan_container_starts(const ContainerDefinitions& defs, const ContainerStates& seen) {
  StartPlan plan;
  ContainerStates after = seen;  // as if the containers started so far were running
  for (const auto& [name, def] : defs) {
    auto it = after.find(name);
    if (it != after.end() && it->second.phase != ContainerPhase::Absent) continue;
    std::string failed;
    if (!dependencies_met(def, after, &failed)) {
      if (!failed.empty()) {
        plan.failure = failed;
        plan.failed_container = name;
        return plan;
      }
      plan.all_started = false;
      continue;
    }
    plan.start.push_back(name);
    after[name] = ContainerState{name, ContainerPhase::Running, std::nullopt, false, ""};
  }
  return plan;
}

ContainerLaunch container_launch(const Task& task, const std::string& name,
                                 const json::object& task_definition,
                                 const ContainerDefinitions& defs, const std::string& region,
                                 const std::string& default_api_endpoint) {
  std::string netns, endpoint = default_api_endpoint;
  if (task.gantry_network) {
    netns = task.gantry_network->netns_path;
    if (!task.gantry_network->api_endpoint.empty()) endpoint = task.gantry_network->api_endpoint;
  }
  ContainerLaunch launch{name, defs.at(name), task_definition, netns, {}};
  for (const TaskAttachment& a : task.attachments) {
    for (const auto& [key, value] : a.details) {
      if (key == "privateDnsName") launch.hostname = value;
      if (key == "privateIPv4Address") launch.private_ip = value;
    }
  }
  auto& env = launch.extra_environment;
  if (!endpoint.empty()) env.emplace_back("AWS_ENDPOINT_URL", endpoint);
  env.emplace_back("AWS_REGION", region);
  env.emplace_back("AWS_DEFAULT_REGION", region);
  env.emplace_back("AWS_EXECUTION_ENV", "AWS_ECS_FARGATE");
  env.emplace_back("ECS_CONTAINER_METADATA_URI_V4",
                   "http://169.254.170.2/v4/" + metadata_token(task.arn, name));
  env.emplace_back("ECS_CONTAINER_METADATA_URI",
                   "http://169.254.170.2/v3/" + metadata_token(task.arn, name));
  if (const json::object* c = obj(task.doc, kCredentialsMember)) {
    env.emplace_back("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/" + str(*c, "id"));
  }
  return launch;
}

int stop_timeout_seconds(const ContainerDefinitions& defs, const std::string& name) {
  auto d = defs.find(name);
  if (d == defs.end()) return kDefaultStopTimeoutSeconds;
  return static_cast<int>(opt_int(d->second, "stopTimeout").value_or(kDefaultStopTimeoutSeconds));
}

}  // namespace services::ecs
