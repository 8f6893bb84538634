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
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "core/clock.h"
#include "reconcile/controller.h"
#include "services/ecs/model.h"
#include "services/ecs/execution_role.h"
#include "services/ecs/records.h"
#include "services/ecs/task_credentials.h"
#include "services/ecs/task_ports.h"
#include "services/ecs/task_secrets.h"
#include "store/db.h"

namespace services::ecs {

struct TaskControllerOptions {
  int workers = 4;
  core::Duration resync_period = std::chrono::seconds(10);
  // Extra environment for every container, e.g. AWS_ENDPOINT_URL when the network port has
  // none to offer.
  std::string default_api_endpoint;
};

// What a task gets from IAM, STS, SSM and Secrets Manager when it starts; each may be null (that
// feature off: today's behaviour).
struct TaskIdentity {
  TaskCredentials* credentials = nullptr;  // task-role credentials (task_credentials.h)
  const TaskSecrets* secrets = nullptr;    // `secrets` and repositoryCredentials
  // Set only in `--auth enforce` mode: the execution role's permissions are checked.
  const ExecutionRoleCheck* execution_role = nullptr;
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

  // Set before start().
  void set_identity(TaskIdentity identity) { identity_ = identity; }

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
  // PENDING, before any pull: registry auth, secrets and task-role credentials (ECS's task
  // resources); false when the launch failed.
  bool prepare_identity(Pass& pass, const Authorize& authorize);
  // The execution role's check in enforce mode, else null.
  Authorize execution_authorizer(const Pass& pass) const;
  // The resolved `secrets` of one container (from prepare_identity, or resolved again after a
  // restart).
  protocol::Result<EnvList> secret_environment(Pass& pass, const std::string& container);
  void forget_identity(const std::string& task_arn);

  store::Db& db_;
  const core::Clock& clock_;
  TaskNetworkPort& network_;
  ContainerPort& containers_;
  TaskControllerOptions options_;
  std::unique_ptr<reconcile::Controller> controller_;
  std::function<void(const TaskRef&, const std::string&)> on_task_changed_;
  std::mutex mu_;
  std::set<std::string> stop_sent_;  // "<taskArn>/<container>" already sent SIGTERM
  TaskIdentity identity_;
  // Secret values between the pull and the containers' creation, by task ARN then container;
  // only in memory, dropped once every container started.
  std::map<std::string, std::map<std::string, EnvList>> secrets_;
};

}  // namespace services::ecs
