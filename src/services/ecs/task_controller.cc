#include "services/ecs/task_controller.h"

#include <boost/json.hpp>

#include "core/ids.h"
#include "core/log.h"
#include "services/ecs/ecs_json.h"
#include "services/ecs/ecs_store.h"
#include "services/ecs/task_lifecycle.h"

namespace services::ecs {
namespace {

namespace json = boost::json;
using reconcile::ReconcileResult;

constexpr auto kPollWhileStarting = std::chrono::milliseconds(500);
constexpr auto kPollWhileStopping = std::chrono::milliseconds(250);

std::optional<TaskRef> ref_of(std::string_view task_arn) {
  core::ids::ParsedArn p;
  if (!core::ids::parse_arn(task_arn, &p)) return std::nullopt;
  return TaskRef{p.account, p.region, "", std::string(task_arn)};
}

}  // namespace

struct TaskController::Pass {
  TaskRef ref;
  Task task;
  json::object task_definition;
  ContainerDefinitions defs;
  ContainerStates seen;
  double now = 0;
};

TaskController::TaskController(store::Db& db, const core::Clock& clock, TaskNetworkPort& network,
                               ContainerPort& containers, TaskControllerOptions options)
    : db_(db),
      clock_(clock),
      network_(network),
      containers_(containers),
      options_(std::move(options)) {
  reconcile::ControllerOptions copts;
  copts.workers = options_.workers;
  copts.resync_period = options_.resync_period;
  copts.list_keys = [this] { return unstopped_task_arns(db_); };
  controller_ = std::make_unique<reconcile::Controller>(
      "ecs-tasks", clock_, [this](const std::string& arn) { return reconcile(arn); },
      std::move(copts));
  containers_.on_change([this](const TaskRef& t) { controller_->enqueue(t.task_arn); });
}

TaskController::~TaskController() { stop(); }

void TaskController::start() { controller_->start(); }
void TaskController::stop() { controller_->stop(); }

void TaskController::task_created(const TaskRef& task) { controller_->enqueue(task.task_arn); }
void TaskController::task_stop_requested(const TaskRef& task) {
  controller_->enqueue(task.task_arn);
}

ReconcileResult TaskController::reconcile(const std::string& task_arn) {
  std::optional<TaskRef> ref = ref_of(task_arn);
  if (!ref) return ReconcileResult::done();
  // Read: the row and its task definition, then what the runtime holds of it.
  std::optional<Task> task;
  std::optional<json::object> td;
  {
    store::Transaction tx = db_.read();
    EcsStore st(tx, ref->account, ref->region);
    task = st.task(task_arn);
    if (task) td = st.get(Table::TaskDefinitions, task->task_definition_arn);
  }
  if (!task || task->last_status == "STOPPED") return ReconcileResult::done();
  ref->cluster_arn = task->cluster_arn;
  Pass pass{*ref, std::move(*task), td.value_or(json::object{}), {}, {}, epoch(clock_.now())};
  pass.defs = definitions(pass.task_definition);
  pass.seen = by_name(containers_.observe(*ref));

  // Observed state first: container phases, exit codes, health.
  update(pass, [&](Task& t) { observe_containers(t, pass.seen, pass.defs, pass.now); });
  // Plan, then apply the one step it names.
  double waited = epoch(clock_.now()) - pass.task.stopping_at.value_or(0);
  switch (plan_task_step(pass.task, pass.seen, waited * clock_.time_scale())) {
    case TaskStep::Deactivate:
      // DEACTIVATING comes first, as on ECS (targets are deregistered here); then STOPPING.
      update(pass, [&](Task& t) { mark_deactivating(t, pass.now); });
      return ReconcileResult::requeue_after(core::Duration::zero());
    case TaskStep::AwaitDrain:
      // StopTask of a service's task behind a load balancer: as on ECS, the containers get
      // their SIGTERM only once the scheduler has drained the targets (at most ALB's default
      // 300 s of deregistration delay, time-scaled), so that in-flight requests finish.
      return ReconcileResult::requeue_after(kPollWhileStopping);
    case TaskStep::StopContainers:
      return stop_containers(pass);
    case TaskStep::Deprovision:
      return deprovision(pass);
    case TaskStep::AttachNetwork:
      return attach_network(pass);
    case TaskStep::StartContainers:
      return start_containers(pass);
    case TaskStep::Activate:
      update(pass, [&](Task& t) { mark_running(t, epoch(clock_.now())); });
      core::log::info("task running", {{"task", task_arn}});
      return ReconcileResult::done();
    case TaskStep::Done:
      break;
  }
  return ReconcileResult::done();
}

void TaskController::update(Pass& pass, const std::function<void(Task&)>& change) {
  store::Transaction tx = db_.begin();
  EcsStore st(tx, pass.ref.account, pass.ref.region);
  std::optional<Task> fresh = st.task(pass.ref.task_arn);
  if (!fresh) return;
  change(*fresh);
  fresh->version++;
  st.put_task(*fresh);
  tx.commit();
  pass.task = std::move(*fresh);
  if (on_task_changed_ && pass.task.group.starts_with("service:")) {
    on_task_changed_(pass.ref, pass.task.group.substr(8));
  }
}

// Ends a task that never started: ECS's TaskFailedToStart.
void TaskController::fail(Pass& pass, const std::string& reason, const std::string& container) {
  core::log::info("task failed to start", {{"task", pass.ref.task_arn}, {"reason", reason}});
  update(pass, [&](Task& t) { fail_to_start(t, reason, container, pass.now); });
  controller_->enqueue(pass.ref.task_arn);
}

// SIGTERM (once) to every container still alive; STOPPING until they are gone.
ReconcileResult TaskController::stop_containers(Pass& pass) {
  for (const auto& [name, s] : pass.seen) {
    if (s.phase != ContainerPhase::Running && s.phase != ContainerPhase::Created) continue;
    bool send = false;
    {
      std::lock_guard lock(mu_);
      send = stop_sent_.insert(pass.ref.task_arn + "/" + name).second;
    }
    if (send) containers_.stop(pass.ref, name, stop_timeout_seconds(pass.defs, name));
  }
  if (pass.task.last_status != "STOPPING") {
    update(pass, [&](Task& t) { mark_stopping(t, pass.now); });
  }
  return ReconcileResult::requeue_after(kPollWhileStopping);
}

// Every container is gone: DEPROVISIONING, remove containers and network, STOPPED.
ReconcileResult TaskController::deprovision(Pass& pass) {
  const std::string& arn = pass.ref.task_arn;
  update(pass, [&](Task& t) { mark_deprovisioning(t, pass.now); });
  containers_.remove(pass.ref);
  network_.detach(pass.ref);
  forget_identity(arn);
  {
    std::lock_guard lock(mu_);
    for (auto it = stop_sent_.lower_bound(arn + "/");
         it != stop_sent_.end() && it->starts_with(arn + "/");) {
      it = stop_sent_.erase(it);
    }
  }
  update(pass, [&](Task& t) { mark_stopped(t, epoch(clock_.now())); });
  core::log::info("task stopped",
                  {{"task", arn}, {"reason", pass.task.stopped_reason.value_or("")}});
  return ReconcileResult::done();
}

// PROVISIONING → PENDING: the awsvpc ENI and the namespace behind it.
ReconcileResult TaskController::attach_network(Pass& pass) {
  std::optional<TaskNetwork> net;
  if (pass.task.has_network_configuration) {
    auto attached = network_.attach(pass.ref, pass.task.subnets, pass.task.security_groups);
    if (!attached) {
      fail(pass,
           "ResourceInitializationError: failed to configure ENI: " + attached.error().message, "");
      return ReconcileResult::done();
    }
    net = *attached;
  }
  update(pass, [&](Task& t) {
    mark_network_attached(t, net ? &*net : nullptr, pass.ref.region, pass.now);
  });
  return ReconcileResult::requeue_after(core::Duration::zero());
}

Authorize TaskController::execution_authorizer(const Pass& pass) const {
  if (!identity_.execution_role) return {};
  std::string role;
  if (const json::object* o = obj(pass.task.doc, "overrides")) role = str(*o, "executionRoleArn");
  if (role.empty()) role = str(pass.task_definition, "executionRoleArn");
  // TODO(taskid): a task definition registered before enforce mode may have none; ECS refuses
  // such definitions at registration (validation.cc), so they are not checked here (#16).
  if (role.empty()) return {};
  std::string task_id = pass.ref.task_arn.substr(pass.ref.task_arn.rfind('/') + 1);
  return identity_.execution_role->authorizer(pass.ref.account, pass.ref.region, role, task_id);
}

bool TaskController::prepare_identity(Pass& pass, const Authorize& authorize) {
  const TaskRef& ref = pass.ref;
  if (authorize) {
    if (std::string e = ExecutionRoleCheck::check_registry_auth(authorize, pass.defs);
        !e.empty()) {
      fail(pass, e, "");
      return false;
    }
  }
  if (identity_.secrets) {
    auto auth = identity_.secrets->check_registry_auth(ref.account, ref.region, pass.defs,
                                                       authorize);
    if (!auth) {
      fail(pass, auth.error().message, "");
      return false;
    }
    auto env = identity_.secrets->resolve(ref.account, ref.region, pass.defs, authorize);
    if (!env) {
      fail(pass, env.error().message, "");
      return false;
    }
    std::lock_guard lock(mu_);
    secrets_[ref.task_arn] = std::move(*env);
  }
  std::string role = task_role_of(pass.task.doc, pass.task_definition);
  if (identity_.credentials && !role.empty()) {
    std::string id;
    if (const json::object* c = obj(pass.task.doc, kCredentialsMember)) id = str(*c, "id");
    if (id.empty()) id = core::ids::uuid4();
    if (auto issued = identity_.credentials->issue(id, ref.task_arn, role); !issued) {
      fail(pass, issued.error().message, "");
      return false;
    }
    update(pass, [&](Task& t) {
      t.doc[kCredentialsMember] = json::object{{"id", id}, {"roleArn", role}};
    });
  }
  return true;
}

bool TaskController::prepare_containers(Pass& pass) {
  if (pass.task.pull_stopped_at) return true;
  update(pass, [&](Task& t) { t.pull_started_at = pass.now; });
  Authorize authorize = execution_authorizer(pass);
  if (!prepare_identity(pass, authorize)) return false;
  for (const auto& [name, def] : pass.defs) {
    if (authorize) {
      std::string denied = ExecutionRoleCheck::check_pull(authorize, str(def, "image"),
                                                          pass.ref.account, pass.ref.region);
      if (!denied.empty()) {
        fail(pass, denied, name);
        return false;
      }
    }
    auto pulled = containers_.pull(pass.ref, str(def, "image"));
    if (!pulled) {
      fail(pass, "CannotPullContainerError: " + pulled.error().message, name);
      return false;
    }
  }
  std::string task_id = pass.ref.task_arn.substr(pass.ref.task_arn.rfind('/') + 1);
  for (const auto& [name, def] : pass.defs) {
    if (authorize) {
      std::string denied = ExecutionRoleCheck::check_logs(authorize, def, pass.ref.account,
                                                          pass.ref.region, task_id);
      if (!denied.empty()) {
        fail(pass, denied, name);
        return false;
      }
    }
    auto logging = containers_.prepare_logging(pass.ref, def);
    if (!logging) {
      fail(pass, logging.error().message, name);
      return false;
    }
  }
  update(pass, [&](Task& t) { t.pull_stopped_at = epoch(clock_.now()); });
  return true;
}

protocol::Result<EnvList> TaskController::secret_environment(Pass& pass,
                                                             const std::string& container) {
  if (!identity_.secrets) return EnvList{};
  {
    std::lock_guard lock(mu_);
    if (auto it = secrets_.find(pass.ref.task_arn); it != secrets_.end()) {
      auto c = it->second.find(container);
      return c == it->second.end() ? EnvList{} : c->second;
    }
  }
  // Resolved before a restart: again, now.
  auto env = identity_.secrets->resolve(pass.ref.account, pass.ref.region, pass.defs,
                                        execution_authorizer(pass));
  if (!env) return env.error();
  std::lock_guard lock(mu_);
  auto& all = secrets_[pass.ref.task_arn] = std::move(*env);
  auto c = all.find(container);
  return c == all.end() ? EnvList{} : c->second;
}

void TaskController::forget_identity(const std::string& task_arn) {
  {
    std::lock_guard lock(mu_);
    secrets_.erase(task_arn);
  }
  if (identity_.credentials) identity_.credentials->forget(task_arn);
}

// PENDING: images first, then the containers in dependsOn order; ACTIVATING once all run.
ReconcileResult TaskController::start_containers(Pass& pass) {
  if (!prepare_containers(pass)) return ReconcileResult::done();
  StartPlan plan = plan_container_starts(pass.defs, pass.seen);
  for (const std::string& name : plan.start) {
    ContainerLaunch launch = container_launch(pass.task, name, pass.task_definition, pass.defs,
                                              pass.ref.region, options_.default_api_endpoint);
    auto secrets = secret_environment(pass, name);
    if (!secrets) {
      fail(pass, secrets.error().message, "");
      return ReconcileResult::done();
    }
    for (auto& kv : *secrets) launch.extra_environment.push_back(std::move(kv));
    auto started = containers_.start(pass.ref, launch);
    if (!started) {
      fail(pass, "CannotStartContainerError: " + started.error().message, name);
      return ReconcileResult::done();
    }
    pass.seen[name] = ContainerState{name, ContainerPhase::Running, std::nullopt, false, *started};
  }
  if (!plan.failure.empty()) {
    fail(pass, "Dependency failure: " + plan.failure, plan.failed_container);
    return ReconcileResult::done();
  }
  if (!plan.all_started) return ReconcileResult::requeue_after(kPollWhileStarting);
  {
    std::lock_guard lock(mu_);
    secrets_.erase(pass.ref.task_arn);  // every container has its values now
  }
  // ECS reports ACTIVATING between the containers starting and RUNNING (where it registers
  // load balancer targets and service discovery); the next pass makes the task RUNNING.
  update(pass, [&](Task& t) {
    observe_containers(t, pass.seen, pass.defs, pass.now);
    t.last_status = "ACTIVATING";
  });
  return ReconcileResult::requeue_after(core::Duration::zero());
}

}  // namespace services::ecs
