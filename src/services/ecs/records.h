#pragma once
// The stored task, service and deployment documents as the controllers see them: plain structs,
// converted from and to the wire JSON in ecs_records.cc and nowhere else.
//
// Each record keeps the document it was read from (`doc`) and models only the members the
// controllers read or write. to_json() overwrites those members in the kept document and leaves
// every other member (and the members' order) as it was, so that a read-modify-write never loses
// what the handlers stored and the stored bytes do not change unless a modeled value did. This
// is simpler than modelling the whole Task and Service shapes (which the handlers own and which
// grow with every API addition) and as safe: a conversion never drops a member.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace services::ecs {

// --- Tasks -----------------------------------------------------------------------------------

// One entry of a task's attachments[]: the awsvpc ENI.
struct TaskAttachment {
  std::string id;
  std::string type;                                          // "ElasticNetworkInterface"
  std::string status;                                        // PRECREATED, ATTACHED, DELETED
  std::vector<std::pair<std::string, std::string>> details;  // name, value; in order
  boost::json::object doc;

  // The value of the detail `name`, or "".
  std::string detail(std::string_view name) const;
};

// containers[].networkInterfaces[]
struct ContainerInterface {
  std::string attachment_id;
  std::string private_ipv4;
};

// One entry of a task's containers[].
struct TaskContainer {
  std::string name;
  std::string last_status;
  std::optional<int64_t> exit_code;
  std::optional<std::string> reason;
  std::optional<std::string> runtime_id;
  std::optional<std::string> image_digest;
  std::optional<std::string> health_status;
  std::vector<ContainerInterface> network_interfaces;
  boost::json::object doc;
};

// A load-balancer target the service scheduler registered for a task.
struct TaskTarget {
  std::string target_group_arn;
  std::string id;  // the task's IP address
  int64_t port = 0;
};

// The service scheduler's notes on a task ("_scheduler", never sent). The flags are only ever
// set, never cleared.
struct TaskSchedulerNotes {
  bool failure_counted = false;  // counted in its deployment's failedTasks
  bool accounted = false;        // STOPPED and seen by the scheduler once: no longer read
  std::vector<TaskTarget> targets;
  std::optional<double> registered_at;
  bool health_failed = false;  // replaced after failing its target group's health checks
  bool was_available = false;  // was RUNNING and healthy at least once
  bool deregistered = false;   // its targets were deregistered
  bool released = false;       // its targets left every target group (drained)
  bool draining = false;       // the scheduler is stopping it and waits for the drain
  std::optional<std::string> stop_reason;  // the stoppedReason once drained
  boost::json::object doc;
};

// The runtime's notes on an attached task network ("gantryNetwork", never sent).
struct GantryNetwork {
  std::string netns_path;
  std::string api_endpoint;
};

struct Task {
  std::string arn;
  std::string cluster_arn;
  std::string task_definition_arn;
  std::string group;       // "service:<name>" for a service's tasks
  std::string started_by;  // the deployment id for a service's tasks
  std::string last_status;
  std::string desired_status;
  std::optional<std::string> stop_code;
  std::optional<std::string> stopped_reason;
  std::optional<std::string> health_status;
  std::optional<std::string> availability_zone;
  std::optional<std::string> connectivity;
  double created_at = 0;
  std::optional<double> connectivity_at;
  std::optional<double> pull_started_at;
  std::optional<double> pull_stopped_at;
  std::optional<double> started_at;
  std::optional<double> stopping_at;
  std::optional<double> execution_stopped_at;
  std::optional<double> stopped_at;
  int64_t version = 1;
  // networkConfiguration.awsvpcConfiguration, when the task has one (read only).
  bool has_network_configuration = false;
  std::vector<std::string> subnets;
  std::vector<std::string> security_groups;
  std::vector<TaskAttachment> attachments;
  std::vector<TaskContainer> containers;
  std::optional<GantryNetwork> gantry_network;
  TaskSchedulerNotes scheduler;
  boost::json::object doc;

  // The value of the ENI attachment detail `name` (subnetId, privateIPv4Address, ...), or "".
  std::string eni_detail(std::string_view name) const;
};

Task task_from_json(boost::json::object doc);
boost::json::object to_json(const Task& task);

// --- Services and their deployments -----------------------------------------------------------

struct Deployment {
  std::string id;
  std::string status;  // PRIMARY, ACTIVE
  std::string task_definition;
  std::string rollout_state;  // IN_PROGRESS, COMPLETED, FAILED
  std::optional<std::string> rollout_state_reason;
  int64_t desired_count = 0;
  std::optional<int64_t> running_count;
  std::optional<int64_t> pending_count;
  std::optional<int64_t> failed_tasks;
  std::optional<double> updated_at;
  // How its tasks launch (read only).
  std::optional<std::string> launch_type;
  std::optional<boost::json::array> capacity_provider_strategy;
  std::optional<boost::json::object> network_configuration;
  std::vector<std::string> subnets;  // networkConfiguration.awsvpcConfiguration.subnets
  std::optional<boost::json::value> platform_version;
  boost::json::object doc;
};

Deployment deployment_from_json(boost::json::object doc);
boost::json::object to_json(const Deployment& deployment);

struct ServiceLoadBalancer {
  std::string target_group_arn;
  int64_t container_port = 0;
};

// deploymentConfiguration, with ECS's defaults.
struct DeploymentConfig {
  bool present = false;
  int64_t minimum_healthy_percent = 100;
  int64_t maximum_percent = 200;
  bool circuit_breaker = false;  // deploymentCircuitBreaker.enable
  bool rollback = false;         // deploymentCircuitBreaker.rollback
};

// A rollback the circuit breaker started: to `deployment`, away from `failed`.
struct Rollback {
  std::string deployment;
  std::string failed;
};

// The scheduler's state on a service ("_scheduler", never sent).
struct ServiceSchedulerState {
  std::optional<int64_t> consecutive_failures;  // failed launches in a row (the throttle)
  std::optional<double> launch_not_before;
  std::optional<std::string> deployment;  // the PRIMARY those two are about
  std::optional<bool> steady;
  std::optional<double> steady_event_at;
  std::optional<Rollback> rollback;
  boost::json::object doc;
};

struct Service {
  std::string arn;
  std::string name;
  std::string cluster_arn;
  std::string status;  // ACTIVE, DRAINING, INACTIVE
  std::string task_definition;
  std::string scheduling_strategy;
  std::string deployment_controller;  // "ECS" unless another is set
  std::string propagate_tags;         // NONE, SERVICE, TASK_DEFINITION
  int64_t desired_count = 0;
  std::optional<int64_t> running_count;
  std::optional<int64_t> pending_count;
  int64_t health_check_grace_period_seconds = 0;
  bool enable_execute_command = false;
  bool enable_ecs_managed_tags = false;
  DeploymentConfig deployment_config;
  std::vector<ServiceLoadBalancer> load_balancers;  // those with a target group
  std::vector<Deployment> deployments;              // PRIMARY first
  ServiceSchedulerState scheduler;
  boost::json::object doc;  // events and _history are written here directly

  // deployments.front() when it is the PRIMARY, else nullptr.
  const Deployment* primary() const;
  Deployment* primary();
};

Service service_from_json(boost::json::object doc);
boost::json::object to_json(const Service& service);

}  // namespace services::ecs
