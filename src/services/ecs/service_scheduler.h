#pragma once
// The ECS service scheduler: a level-triggered reconciler per service (key: service
// ARN) that keeps desiredCount tasks of the PRIMARY deployment running, rolls deployments as
// minimumHealthyPercent/maximumPercent allow, registers and drains load-balancer targets through
// ELBv2's operation table, stops tasks whose targets fail their health checks, backs off and
// trips the deployment circuit breaker on failed launches, and writes ECS's counts, rollout
// states and events back into the service row.
//
// Woken by service_changed() (the handlers), task_changed() (TaskController's hook) and a
// periodic resync over every ACTIVE and DRAINING service, so a restart resumes a rollout from
// SQLite alone. Each pass reads (the service and task records, records.h, and the target
// groups' health), reviews each task (target registration and drains through ELBv2), plans
// (plan_service() in service_plan.h over plan_rollout() in deployment_rollout.h: pure) and
// writes in one transaction (update_service_status() in service_status.h).
//
// Thread-safety: service_changed()/task_changed() may be called from any thread; reconcile()
// runs on the controller's workers, one service at a time.

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/clock.h"
#include "protocol/service_registry.h"
#include "reconcile/controller.h"
#include "services/ecs/model.h"
#include "services/ecs/records.h"
#include "store/db.h"

namespace services::ecs {

struct ServiceSchedulerOptions {
  int workers = 2;
  // Real time between resyncs of every ACTIVE/DRAINING service.
  core::Duration resync_period = std::chrono::seconds(2);
  // How often a service in transition (tasks starting, targets draining, rollout in progress) is
  // looked at again without being woken.
  core::Duration poll_period = std::chrono::seconds(1);
  // The availability zone of a subnet, to spread tasks over zones; unset or "" balances subnets.
  std::function<std::string(const std::string& account, const std::string& region,
                            const std::string& subnet_id)>
      subnet_zone;
  // Whether ECS would launch a task of the PRIMARY's task definition (its roles can be
  // assumed); the error's message goes into a "failed to launch a task" event. Unset: always.
  std::function<std::optional<protocol::AwsError>(const protocol::RequestContext& ctx,
                                                  const boost::json::object& task_definition,
                                                  const boost::json::object& in)>
      launch_check;
};

struct ServicePlan;

class RollingServiceScheduler final : public ServiceScheduler {
 public:
  // `launcher` runs the tasks this creates (the TaskController); `registry` holds "elbv2".
  RollingServiceScheduler(store::Db& db, const core::Clock& clock, TaskLauncher& launcher,
                          const protocol::ServiceRegistry& registry,
                          ServiceSchedulerOptions options = {});
  ~RollingServiceScheduler() override;

  void start();
  void stop();

  // ServiceScheduler
  void service_changed(const ServiceRef& service) override;
  // A task of service `service_name` in task.cluster_arn changed (TaskController's hook).
  void task_changed(const TaskRef& task, const std::string& service_name);

  // One pass over one service; public for tests (which call it directly).
  reconcile::ReconcileResult reconcile(const std::string& service_arn);
  reconcile::Controller& controller() { return *controller_; }

 private:
  struct Pass;  // one reconcile: what it read and what it decided to write
  std::optional<Pass> read(const std::string& service_arn);
  // Per task: failures, target registration and drains, availability; fills pass.findings.
  void review_tasks(Pass& pass);
  void review_task(Pass& pass, const Task& task);
  void deregister(Pass& pass, const std::vector<TaskTarget>& targets);
  // Starts stopping a task: with targets, deregister them and let them drain first.
  void begin_stop(Pass& pass, const Task& task, const std::vector<TaskTarget>& targets,
                  const std::string& reason);
  void launch_tasks(Pass& pass, const Deployment& primary, int64_t count);
  reconcile::ReconcileResult write(Pass& pass, const ServicePlan& plan);

  store::Db& db_;
  const core::Clock& clock_;
  TaskLauncher& launcher_;
  const protocol::ServiceRegistry& registry_;
  ServiceSchedulerOptions options_;
  std::unique_ptr<reconcile::Controller> controller_;
};

}  // namespace services::ecs
