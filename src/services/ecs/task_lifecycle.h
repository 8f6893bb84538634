#pragma once
// The decision half of the task controller (STYLE.md §4): from a task record and what the
// runtime reports of its containers, the next step of ECS's lifecycle and the record as it
// should be after it. Pure functions of their input (`now` is passed in), unit-tested in
// task_lifecycle_test.cc; TaskController does the side effects (network, images, containers,
// SQLite).

#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "services/ecs/records.h"
#include "services/ecs/task_ports.h"

namespace services::ecs {

// What the runtime reports, by container name.
using ContainerStates = std::map<std::string, ContainerState>;
// The task definition's containerDefinitions, by name.
using ContainerDefinitions = std::map<std::string, boost::json::object>;

ContainerStates by_name(const std::vector<ContainerState>& states);
ContainerDefinitions definitions(const boost::json::object& task_definition);

// Writes what the runtime reports into the containers and the task's healthStatus, and stops a
// task that should run once an essential container exited (EssentialContainerExited).
void observe_containers(Task& task, const ContainerStates& seen, const ContainerDefinitions& defs,
                        double now);

// desiredStatus STOPPED with ECS's stopCode and stoppedReason.
void request_stop(Task& task, std::string stop_code, std::string reason, double now);
// A launch that failed: TaskFailedToStart, the reason also on `container` when not "".
void fail_to_start(Task& task, const std::string& reason, const std::string& container, double now);

enum class TaskStep {
  Done,             // STOPPED, or RUNNING with nothing to do
  Deactivate,       // → DEACTIVATING (targets are deregistered there)
  AwaitDrain,       // StopTask of a task behind a load balancer: wait for the scheduler's drain
  StopContainers,   // → STOPPING: SIGTERM the containers still alive
  Deprovision,      // → DEPROVISIONING, remove containers and network, → STOPPED
  AttachNetwork,    // PROVISIONING → PENDING
  StartContainers,  // PENDING: pull, then start the containers whose dependencies hold
  Activate,         // ACTIVATING → RUNNING
};

// The next step. `drain_seconds` is how long (in AWS time) the task has waited in DEACTIVATING.
TaskStep plan_task_step(const Task& task, const ContainerStates& seen, double drain_seconds);

// True when a task the service scheduler registered in target groups, and stopped by StopTask,
// still waits for its targets to drain.
bool awaits_target_drain(const Task& task);

// The record after each step.
void mark_deactivating(Task& task, double now);
void mark_stopping(Task& task, double now);
void mark_deprovisioning(Task& task, double now);
void mark_stopped(Task& task, double now);
// PENDING; with `network` (an awsvpc ENI) the attachment, interfaces and connectivity as well.
void mark_network_attached(Task& task, const TaskNetwork* network, const std::string& region,
                           double now);
void mark_running(Task& task, double now);

// PENDING: which containers to start now, in order; `failure` (ECS's "Dependency failure" text
// without its prefix, with the container it failed) when a dependsOn condition can never hold.
struct StartPlan {
  std::vector<std::string> start;
  bool all_started = true;  // nothing waits for a dependency
  std::string failure;
  std::string failed_container;
};
StartPlan plan_container_starts(const ContainerDefinitions& defs, const ContainerStates& seen);

// The container's launch: definition, namespace, hostname and the environment Fargate adds.
ContainerLaunch container_launch(const Task& task, const std::string& name,
                                 const boost::json::object& task_definition,
                                 const ContainerDefinitions& defs, const std::string& region,
                                 const std::string& default_api_endpoint);

// The container's stopTimeout, Fargate's 30 s by default.
int stop_timeout_seconds(const ContainerDefinitions& defs, const std::string& name);

}  // namespace services::ecs
