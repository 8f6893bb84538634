#include "services/ecs/service_events.h"

#include <boost/json.hpp>

#include "core/ids.h"
#include "services/ecs/ecs_json.h"

namespace services::ecs {

namespace json = boost::json;

void add_service_event(json::object& service, std::string message, double now) {
  json::array events;
  if (const json::array* old = arr(service, "events")) {
    events = *old;
  }
  events.insert(events.begin(), json::object{{"id", core::ids::uuid4()},
                                             {"createdAt", now},
                                             {"message", std::move(message)}});
  while (events.size() > kMaxServiceEvents) {
    events.pop_back();
  }
  service["events"] = std::move(events);
}

std::string task_list(const std::vector<std::string>& task_arns) {
  std::string out;
  for (const std::string& arn : task_arns) {
    if (!out.empty()) out += " ";
    out += "(task " + name_from_ref(arn) + ")";
  }
  return out;
}

namespace {
std::string svc(std::string_view service) { return "(service " + std::string(service) + ")"; }
}  // namespace

std::string started_tasks_event(std::string_view service, const std::vector<std::string>& arns) {
  return svc(service) + " has started " + std::to_string(arns.size()) +
         " tasks: " + task_list(arns) + ".";
}
std::string stopped_tasks_event(std::string_view service, const std::vector<std::string>& arns) {
  return svc(service) + " has stopped " + std::to_string(arns.size()) +
         " running tasks: " + task_list(arns) + ".";
}
std::string draining_event(std::string_view service, std::size_t count) {
  return svc(service) + " has begun draining connections on " + std::to_string(count) + " tasks.";
}
std::string registered_targets_event(std::string_view service, std::size_t count,
                                     std::string_view target_group_arn) {
  return svc(service) + " registered " + std::to_string(count) + " targets in (target-group " +
         std::string(target_group_arn) + ")";
}
std::string deregistered_targets_event(std::string_view service, std::size_t count,
                                       std::string_view target_group_arn) {
  return svc(service) + " deregistered " + std::to_string(count) + " targets in (target-group " +
         std::string(target_group_arn) + ")";
}
std::string unhealthy_target_event(std::string_view service, std::string_view task_arn,
                                   std::string_view target_group_arn, std::string_view reason) {
  return svc(service) + " (task " + name_from_ref(task_arn) + ") is unhealthy in (target-group " +
         std::string(target_group_arn) + ") due to (reason " + std::string(reason) + ").";
}
std::string steady_state_event(std::string_view service) {
  return svc(service) + " has reached a steady state.";
}
std::string deployment_completed_event(std::string_view service, std::string_view deployment_id) {
  return svc(service) + " (deployment " + std::string(deployment_id) + ") deployment completed.";
}
std::string deployment_failed_event(std::string_view service, std::string_view deployment_id) {
  return svc(service) + " (deployment " + std::string(deployment_id) +
         ") deployment failed: tasks failed to start.";
}
std::string rolling_back_event(std::string_view service, std::string_view deployment_id) {
  return svc(service) + " rolling back to deployment " + std::string(deployment_id) + ".";
}
std::string start_impaired_event(std::string_view service) {
  return svc(service) +
         " is unable to consistently start tasks successfully. For more information, see the "
         "Troubleshooting section of the Amazon ECS Developer Guide.";
}
std::string no_container_instance_event(std::string_view service) {
  return svc(service) +
         " was unable to place a task because no container instance met all of its "
         "requirements. Reason: No Container Instances were found in your cluster. For more "
         "information, see the Troubleshooting section of the Amazon ECS Developer Guide.";
}

std::string failed_to_launch_event(std::string_view service, std::string_view error) {
  return svc(service) + " failed to launch a task with (error " + std::string(error) + ").";
}

std::string scaling_activity_reason(std::string_view deployment_id) {
  return "Scaling activity initiated by (deployment " + std::string(deployment_id) + ")";
}
std::string failed_elb_health_checks_reason(std::string_view target_group_arn) {
  return "Task failed ELB health checks in (target-group " + std::string(target_group_arn) + ")";
}

std::string rollout_in_progress_reason(std::string_view deployment_id) {
  return "ECS deployment " + std::string(deployment_id) + " in progress.";
}
std::string rollout_completed_reason(std::string_view deployment_id) {
  return "ECS deployment " + std::string(deployment_id) + " completed.";
}
std::string rollback_reason(std::string_view to_deployment_id) {
  return "ECS deployment circuit breaker: rolling back to deploymentId " +
         std::string(to_deployment_id) + ".";
}

}  // namespace services::ecs
