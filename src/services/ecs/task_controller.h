#pragma once
// Runs ECS tasks for real: the TaskLauncher that moves each task through ECS's lifecycle
//   PROVISIONING → PENDING → ACTIVATING → RUNNING → DEACTIVATING → STOPPING → DEPROVISIONING
//   → STOPPED
// by attaching its network (TaskNetworkPort), pulling its images and starting its containers in
// dependsOn order (ContainerPort), and writing what it observes back into the task row:
// lastStatus, attachments, containers[] (exitCode, reason, runtimeId, healthStatus), timestamps,
// stopCode and stoppedReason in ECS's words.
//
// Level-triggered (STYLE.md §4): reconcile(taskArn) re-reads the row and the containers every
// time, records what it observes, asks plan_task_step() (task_lifecycle.h, pure) for the next
// step and applies it. Keys are task ARNs; the ContainerPort's change callback, the handlers and a periodic
// resync over every unstopped task enqueue them, so a restart re-adopts running tasks.

#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "core/clock.h"
#include "reconcile/controller.h"
#include "services/ecs/model.h"
#include "services/ecs/records.h"
#include "services/ecs/task_ports.h"
#include "store/db.h"

namespace services::ecs {

struct TaskControllerOptions {
  int workers = 4;
  core::Duration resync_period = std::chrono::seconds(10);
  // Extra environment for every container, e.g. AWS_ENDPOINT_URL when the network port has
  // none to offer.
  std::string default_api_endpoint;
};

class TaskController final : public TaskLauncher {
 public:
  TaskController(store::Db& db, const core::Clock& clock, TaskNetworkPort& network,
                 ContainerPort& containers, TaskControllerOptions options = {});
  ~TaskController() override;

  void start();
  void stop();

  // TaskLauncher
  void task_created(const TaskRef& task) override;
  void task_stop_requested(const TaskRef& task) override;
  bool drives_task_lifecycle() const override { return true; }

  // Called after each committed change of a task that a service started (group
  // "service:<name>"), with that service's name, on a worker thread. The service scheduler's
  // wake-up. Set before start().
  void set_on_task_changed(
      std::function<void(const TaskRef& task, const std::string& service_name)> callback) {
    on_task_changed_ = std::move(callback);
  }

  // One pass over one task; public for tests (which drive it with run_ready()).
  reconcile::ReconcileResult reconcile(const std::string& task_arn);
  reconcile::Controller& controller() { return *controller_; }

 private:
  struct Pass;  // one reconcile's task, its definition and its containers
  // Applies `change` to the freshly read row in one transaction, so that a concurrent StopTask
  // (which writes desiredStatus) is never overwritten with stale fields.
  void update(Pass& pass, const std::function<void(Task&)>& change);
  void fail(Pass& pass, const std::string& reason, const std::string& container);
  reconcile::ReconcileResult stop_containers(Pass& pass);
  reconcile::ReconcileResult deprovision(Pass& pass);
  reconcile::ReconcileResult attach_network(Pass& pass);
  reconcile::ReconcileResult start_containers(Pass& pass);
  // PENDING: images and log configurations, once per task; false when the launch failed.
  bool prepare_containers(Pass& pass);

  store::Db& db_;
  const core::Clock& clock_;
  TaskNetworkPort& network_;
  ContainerPort& containers_;
  TaskControllerOptions options_;
  std::unique_ptr<reconcile::Controller> controller_;
  std::function<void(const TaskRef&, const std::string&)> on_task_changed_;
  std::mutex mu_;
  std::set<std::string> stop_sent_;  // "<taskArn>/<container>" already sent SIGTERM
};

}  // namespace services::ecs
