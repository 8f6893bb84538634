#pragma once
// Service events in ECS's words, and the events[] list of a service document: newest first, at
// most 100, each {id, createdAt, message}.
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages.html

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace services::ecs {

inline constexpr std::size_t kMaxServiceEvents = 100;

// Prepends {id (uuid), createdAt: now, message} to service["events"], dropping the oldest beyond
// kMaxServiceEvents.
void add_service_event(boost::json::object& service, std::string message, double now);

// "(task <id>) (task <id>)" for task ARNs.
std::string task_list(const std::vector<std::string>& task_arns);

// The messages, for a service named `service`.
std::string started_tasks_event(std::string_view service, const std::vector<std::string>& arns);
std::string stopped_tasks_event(std::string_view service, const std::vector<std::string>& arns);
std::string draining_event(std::string_view service, std::size_t count);
std::string registered_targets_event(std::string_view service, std::size_t count,
                                     std::string_view target_group_arn);
std::string deregistered_targets_event(std::string_view service, std::size_t count,
                                       std::string_view target_group_arn);
std::string unhealthy_target_event(std::string_view service, std::string_view task_arn,
                                   std::string_view target_group_arn, std::string_view reason);
std::string steady_state_event(std::string_view service);
std::string deployment_completed_event(std::string_view service, std::string_view deployment_id);
std::string deployment_failed_event(std::string_view service, std::string_view deployment_id);
std::string rolling_back_event(std::string_view service, std::string_view deployment_id);
std::string start_impaired_event(std::string_view service);
std::string no_container_instance_event(std::string_view service);
// A task ECS would not launch, e.g. its role could not be assumed (task_credentials.h).
std::string failed_to_launch_event(std::string_view service, std::string_view error);

// The stoppedReason of tasks the scheduler stops, and of tasks that failed their ELB checks.
std::string scaling_activity_reason(std::string_view deployment_id);
std::string failed_elb_health_checks_reason(std::string_view target_group_arn);
// The stoppedReason of a service task replaced because a container health check failed.
inline constexpr std::string_view kFailedContainerHealthChecksReason =
    "Task failed container health checks";

// rolloutStateReason texts.
std::string rollout_in_progress_reason(std::string_view deployment_id);
std::string rollout_completed_reason(std::string_view deployment_id);
inline constexpr const char* kCircuitBreakerFailedReason =
    "ECS deployment circuit breaker: tasks failed to start.";
std::string rollback_reason(std::string_view to_deployment_id);

}  // namespace services::ecs
