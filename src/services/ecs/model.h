#pragma once
// Plain types shared by the ECS handlers and the controllers: the task runtime (TaskController)
// and the service scheduler (RollingServiceScheduler). The stored task, service and deployment
// documents as the controllers read them are in records.h.
//
// The handlers only write desired state. After each transaction commits they tell a TaskLauncher
// and a ServiceScheduler about the rows that changed; those converge the world in their own
// threads (STYLE.md §4) and write observed state (lastStatus, runningCount, events) back.

#include <string>

namespace services::ecs {

// Identifies one task row.
struct TaskRef {
  std::string account;
  std::string region;
  std::string cluster_arn;
  std::string task_arn;
};

// Identifies one service row.
struct ServiceRef {
  std::string account;
  std::string region;
  std::string cluster_arn;
  std::string service_arn;
};

// The task runtime's side of the control plane. Methods are called after the transaction that
// changed the row committed, on the request's thread; they must only enqueue work, never block.
class TaskLauncher {
 public:
  virtual ~TaskLauncher() = default;
  // RunTask/StartTask stored a task: lastStatus PROVISIONING, desiredStatus RUNNING.
  virtual void task_created(const TaskRef& task) = 0;
  // StopTask set desiredStatus STOPPED.
  virtual void task_stop_requested(const TaskRef& task) = 0;
  // True when a runtime moves tasks through PENDING/RUNNING/STOPPED itself. When false (no
  // runtime yet), StopTask marks the task STOPPED at once, as nothing else would drain it.
  virtual bool drives_task_lifecycle() const = 0;
};

// The service scheduler's side: called when a service's desired state changed (created,
// updated, deleted).
class ServiceScheduler {
 public:
  virtual ~ServiceScheduler() = default;
  virtual void service_changed(const ServiceRef& service) = 0;
};

// Used until the runtime and the scheduler exist: nothing runs.
class NoopTaskLauncher final : public TaskLauncher {
 public:
  void task_created(const TaskRef&) override {}
  void task_stop_requested(const TaskRef&) override {}
  bool drives_task_lifecycle() const override { return false; }
};

class NoopServiceScheduler final : public ServiceScheduler {
 public:
  void service_changed(const ServiceRef&) override {}
};

// ECS's fixed values.
inline constexpr const char* kDefaultClusterName = "default";
inline constexpr const char* kLatestFargatePlatform = "1.4.0";

}  // namespace services::ecs
