#include "services/ecs/service_scheduler.h"

#include <boost/json.hpp>
#include <map>
#include <set>

#include "core/ids.h"
#include "core/log.h"
#include "services/ecs/ecs_json.h"
#include "services/ecs/ecs_store.h"
#include "services/ecs/service_events.h"
#include "services/ecs/service_plan.h"
#include "services/ecs/service_status.h"
#include "services/ecs/service_targets.h"
#include "services/ecs/task_document.h"
#include "services/ecs/task_lifecycle.h"
#include "services/ecs/validation.h"

namespace services::ecs {
namespace {

namespace json = boost::json;
using reconcile::ReconcileResult;

constexpr const char* kSchedulerStopCode = "ServiceSchedulerInitiated";
constexpr auto kRepeatEventsAfter = std::chrono::hours(6);

// True when `message` was already recorded within `window` seconds: ECS omits duplicate event
// messages until six hours have passed.
bool recent_duplicate(const json::object& service, std::string_view message, double now,
                      double window) {
  if (const json::array* events = arr(service, "events")) {
    for (const json::value& e : *events) {
      const json::object& o = e.as_object();
      const json::value* at = o.if_contains("createdAt");
      double created = at && at->is_number() ? at->to_number<double>() : 0;
      if (str(o, "message") == message && now - created < window) return true;
    }
  }
  return false;
}

// A failed launch counts once, as soon as the task is bound to stop (the circuit breaker and
// the throttle then hold the next launch back in this very pass).
bool newly_failed(const Task& task) {
  const std::string code = task.stop_code.value_or("");
  const bool stopping = task.last_status == "STOPPED" || task.desired_status == "STOPPED";
  return stopping && !task.scheduler.failure_counted &&
         (task.scheduler.health_failed || code == "TaskFailedToStart" ||
          code == "EssentialContainerExited" ||
          (task.last_status == "STOPPED" && !task.started_at && code != "UserInitiated" &&
           code != kSchedulerStopCode));
}

// True once no target group lists the targets any more (draining done).
bool drained(const std::vector<TaskTarget>& targets, const TargetHealthMap& health) {
  for (const TaskTarget& t : targets) {
    auto h = health.find(t.target_group_arn);
    if (h != health.end() && h->second && h->second->contains(target_key(t.id, t.port))) {
      return false;
    }
  }
  return true;
}

// Available: RUNNING and healthy in every target group. Unhealthy after the grace period: the
// first group that says so, with its reason.
struct Availability {
  bool available = false;
  std::string unhealthy_group;
  std::string unhealthy_reason;
  bool container_unhealthy = false;  // an essential container failed its health checks
};

Availability availability(const Task& task, bool running,
                          const std::vector<ServiceLoadBalancer>& lbs,
                          const std::vector<TaskTarget>& targets, const TargetHealthMap& health,
                          double now, double grace) {
  Availability out{running, "", "", false};
  // "If a task's health status is UNHEALTHY, the service scheduler replaces it", after the same
  // grace period as for load balancer health checks.
  out.container_unhealthy = running && task.health_status.value_or("") == "UNHEALTHY" &&
                            now >= task.started_at.value_or(now) + grace;
  for (const ServiceLoadBalancer& lb : lbs) {
    const TaskTarget* mine = nullptr;
    for (const TaskTarget& t : targets) {
      if (t.target_group_arn == lb.target_group_arn) mine = &t;
    }
    auto h = health.find(lb.target_group_arn);
    const TargetHealthState* th = nullptr;
    if (mine && h != health.end() && h->second) {
      auto it = h->second->find(target_key(mine->id, mine->port));
      if (it != h->second->end()) th = &it->second;
    }
    // "unused": the group serves no load balancer (ECS refuses such a service; nothing is
    // protected by waiting), so the target counts as ready.
    out.available = out.available && th && (th->state == "healthy" || th->state == "unused");
    if (th && th->state == "unhealthy" && out.unhealthy_group.empty() &&
        now >= task.started_at.value_or(now) + grace) {
      out.unhealthy_group = lb.target_group_arn;
      out.unhealthy_reason = th->description;
    }
  }
  return out;
}

// Sets on `into` what `marks` set (the scheduler's notes only ever gain flags).
void merge_notes(TaskSchedulerNotes& into, const TaskSchedulerNotes& marks) {
  into.failure_counted = into.failure_counted || marks.failure_counted;
  into.accounted = into.accounted || marks.accounted;
  if (!marks.targets.empty()) into.targets = marks.targets;
  if (marks.registered_at) into.registered_at = marks.registered_at;
  into.health_failed = into.health_failed || marks.health_failed;
  into.was_available = into.was_available || marks.was_available;
  into.deregistered = into.deregistered || marks.deregistered;
  into.released = into.released || marks.released;
  into.draining = into.draining || marks.draining;
  if (marks.stop_reason) into.stop_reason = marks.stop_reason;
}

}  // namespace

// What one reconcile read, and the work it decided, applied in one write transaction.
struct RollingServiceScheduler::Pass {
  protocol::RequestContext ctx;
  Service service;
  json::object cluster;
  std::optional<json::object> task_definition;
  std::vector<Task> tasks;
  TargetHealthMap health;
  double now = 0;
  double grace = 0;  // healthCheckGracePeriodSeconds, time-scaled

  std::map<std::string, TaskSchedulerNotes> marks;  // task ARN → notes to set
  std::map<std::string, std::string> stop_now;      // task ARN → stoppedReason
  std::vector<Task> new_tasks;
  std::vector<std::string> events;          // oldest first
  std::vector<std::string> deduped_events;  // added unless recorded within six hours
  TaskFindings findings;
  std::set<std::string> available;
  std::map<std::string, int64_t> subnet_use;  // unstopped tasks per subnet
  int64_t drains_begun = 0;
  bool draining = false;
};

RollingServiceScheduler::RollingServiceScheduler(store::Db& db, const core::Clock& clock,
                                                 TaskLauncher& launcher,
                                                 const protocol::ServiceRegistry& registry,
                                                 ServiceSchedulerOptions options)
    : db_(db),
      clock_(clock),
      launcher_(launcher),
      registry_(registry),
      options_(std::move(options)) {
  reconcile::ControllerOptions copts;
  copts.workers = options_.workers;
  copts.resync_period = options_.resync_period;
  copts.list_keys = [this] { return live_service_arns(db_); };
  controller_ = std::make_unique<reconcile::Controller>(
      "ecs-services", clock_, [this](const std::string& arn) { return reconcile(arn); },
      std::move(copts));
}

RollingServiceScheduler::~RollingServiceScheduler() { stop(); }

void RollingServiceScheduler::start() { controller_->start(); }
void RollingServiceScheduler::stop() { controller_->stop(); }

void RollingServiceScheduler::service_changed(const ServiceRef& service) {
  controller_->enqueue(service.service_arn);
}

void RollingServiceScheduler::task_changed(const TaskRef& task, const std::string& service_name) {
  protocol::RequestContext ctx;
  ctx.account = task.account;
  ctx.region = task.region;
  controller_->enqueue(
      ecs_arn(ctx, "service/" + name_from_ref(task.cluster_arn) + "/" + service_name));
}

ReconcileResult RollingServiceScheduler::reconcile(const std::string& service_arn) {
  std::optional<Pass> pass = read(service_arn);
  if (!pass) return ReconcileResult::done();
  Pass& p = *pass;
  review_tasks(p);

  // Plan: which tasks to start for the PRIMARY deployment, which to stop.
  ServicePlanInput input{p.now, clock_.time_scale(), p.task_definition.has_value(), p.findings};
  ServicePlan plan = plan_service(p.service, input);
  if (plan.throttled) p.deduped_events.push_back(start_impaired_event(p.service.name));

  std::map<std::string, const Task*> by_arn;
  for (const Task& t : p.tasks) by_arn[t.arn] = &t;
  for (const std::string& arn : plan.rollout.stop) {
    const Task& task = *by_arn.at(arn);
    auto marked = p.marks.find(arn);
    const bool registered_now = marked != p.marks.end() && !marked->second.targets.empty();
    begin_stop(p, task, registered_now ? marked->second.targets : task.scheduler.targets,
               scaling_activity_reason(plan.primary_id));
  }
  if (p.drains_begun > 0) {
    p.events.insert(p.events.begin(),
                    draining_event(p.service.name, static_cast<std::size_t>(p.drains_begun)));
  }
  if (plan.rollout.start > 0) launch_tasks(p, *p.service.primary(), plan.rollout.start);
  std::vector<std::string> stopped_now;
  for (const auto& [arn, reason] : p.stop_now) stopped_now.push_back(arn);
  if (!stopped_now.empty()) p.events.push_back(stopped_tasks_event(p.service.name, stopped_now));
  return write(p, plan);
}

// Read: the service, its cluster, the PRIMARY's task definition, every task that still matters
// (not stopped, or stopped and not yet accounted for) and its target groups' health. Nothing
// for a service that is gone, INACTIVE, DAEMON (which needs container instances) or deployed
// by another controller.
std::optional<RollingServiceScheduler::Pass> RollingServiceScheduler::read(
    const std::string& service_arn) {
  core::ids::ParsedArn parsed;
  if (!core::ids::parse_arn(service_arn, &parsed)) return std::nullopt;
  Pass p;
  p.ctx = protocol::RequestContext::internal(parsed.account, parsed.region);
  std::optional<Service> service;
  std::optional<json::object> cluster;
  {
    store::Transaction tx = db_.read();
    EcsStore st(tx, p.ctx.account, p.ctx.region);
    service = st.service(service_arn);
    if (service) {
      cluster = st.get(Table::Clusters, service->cluster_arn);
      if (!service->deployments.empty()) {
        p.task_definition =
            st.get(Table::TaskDefinitions, service->deployments.front().task_definition);
      }
      p.tasks = st.service_tasks(service->cluster_arn, service->name);
    }
  }
  if (!service || !cluster || service->status == "INACTIVE") return std::nullopt;
  if (service->scheduling_strategy == "DAEMON" || service->deployment_controller != "ECS") {
    return std::nullopt;
  }
  p.service = std::move(*service);
  p.cluster = std::move(*cluster);
  p.now = epoch(clock_.now());
  p.grace = std::chrono::duration<double>(
                clock_.scaled(std::chrono::seconds(p.service.health_check_grace_period_seconds)))
                .count();
  std::vector<std::string> groups;
  for (const ServiceLoadBalancer& lb : p.service.load_balancers) {
    groups.push_back(lb.target_group_arn);
  }
  p.health = describe_target_health(registry_, p.ctx, groups);
  return p;
}

void RollingServiceScheduler::review_tasks(Pass& p) {
  for (const Task& task : p.tasks) review_task(p, task);
}

void RollingServiceScheduler::review_task(Pass& p, const Task& task) {
  const std::string& arn = task.arn;
  const TaskSchedulerNotes& sched = task.scheduler;
  const bool registered = !sched.targets.empty();
  if (newly_failed(task)) {
    p.findings.failed[task.started_by]++;
    p.findings.failed_to_start += task.started_at ? 0 : 1;
    p.marks[arn].failure_counted = true;
  }
  if (task.last_status == "STOPPED") {
    // Once per stopped task: its targets go.
    if (registered && !sched.deregistered) deregister(p, sched.targets);
    p.marks[arn].accounted = true;
    return;
  }
  p.subnet_use[task.eni_detail("subnetId")]++;
  if (task.desired_status == "STOPPED") {
    // Stopped by someone else (StopTask): its targets drain while it deactivates; the task
    // controller sends SIGTERM once they are released.
    if (registered && !sched.deregistered && !sched.draining) {
      deregister(p, sched.targets);
      p.marks[arn].deregistered = true;
      p.draining = true;
    } else if (registered && !sched.released) {
      if (drained(sched.targets, p.health)) {
        p.marks[arn].released = true;
      } else {
        p.draining = true;
      }
    }
    return;
  }
  if (sched.draining) {
    if (drained(sched.targets, p.health)) {
      p.stop_now[arn] = sched.stop_reason.value_or(scaling_activity_reason(""));
      p.marks[arn].deregistered = true;
      p.marks[arn].released = true;
    } else {
      p.draining = true;
    }
    return;
  }
  const bool running = task.last_status == "RUNNING";
  std::vector<TaskTarget> targets = sched.targets;
  if (running && !p.service.load_balancers.empty() && !registered) {
    std::string ip = task.eni_detail("privateIPv4Address");
    for (const ServiceLoadBalancer& lb : p.service.load_balancers) {
      if (ip.empty()) break;
      if (!register_target(registry_, p.ctx, lb.target_group_arn, ip, lb.container_port)) continue;
      targets.push_back({lb.target_group_arn, ip, lb.container_port});
      p.events.push_back(registered_targets_event(p.service.name, 1, lb.target_group_arn));
    }
    if (!targets.empty()) {
      p.marks[arn].targets = targets;
      p.marks[arn].registered_at = p.now;
    }
  }
  Availability a =
      availability(task, running, p.service.load_balancers, targets, p.health, p.now, p.grace);
  if (!a.unhealthy_group.empty() || a.container_unhealthy) {
    if (!a.unhealthy_group.empty()) {
      p.events.push_back(
          unhealthy_target_event(p.service.name, arn, a.unhealthy_group, a.unhealthy_reason));
    }
    p.marks[arn].health_failed = true;
    begin_stop(p, task, targets,
               a.unhealthy_group.empty() ? std::string(kFailedContainerHealthChecksReason)
                                         : failed_elb_health_checks_reason(a.unhealthy_group));
    return;
  }
  if (a.available) {
    p.available.insert(arn);
    if (!sched.was_available) {
      p.marks[arn].was_available = true;
      p.findings.became_available = true;
    }
  }
  p.findings.live.push_back(
      RolloutTask{arn, task.started_by, a.available, running, task.created_at});
}

// Deregisters targets from their groups; one event per group.
void RollingServiceScheduler::deregister(Pass& p, const std::vector<TaskTarget>& targets) {
  for (const TaskTarget& t : targets) {
    if (deregister_target(registry_, p.ctx, t.target_group_arn, t.id, t.port)) {
      p.events.push_back(deregistered_targets_event(p.service.name, 1, t.target_group_arn));
    }
  }
}

void RollingServiceScheduler::begin_stop(Pass& p, const Task& task,
                                         const std::vector<TaskTarget>& targets,
                                         const std::string& reason) {
  if (targets.empty()) {
    p.stop_now[task.arn] = reason;
    return;
  }
  deregister(p, targets);
  p.marks[task.arn].draining = true;
  p.marks[task.arn].stop_reason = reason;
  p.draining = true;
  p.drains_begun++;
}

// Starts: Fargate only (no container instances exist to place EC2 tasks on), spread over the
// zones of the PRIMARY's subnets.
void RollingServiceScheduler::launch_tasks(Pass& p, const Deployment& primary, int64_t count) {
  TaskLaunch launch;
  if (primary.capacity_provider_strategy) {
    launch.strategy = *primary.capacity_provider_strategy;
  } else {
    launch.launch_type = primary.launch_type.value_or("EC2");
  }
  launch.fargate = launch.launch_type == "FARGATE";
  for (const json::value& item : launch.strategy) {
    launch.fargate =
        launch.fargate || is_builtin_capacity_provider(str(item.as_object(), "capacityProvider"));
  }
  if (!launch.fargate) {
    p.deduped_events.push_back(no_container_instance_event(p.service.name));
    return;
  }
  if (options_.launch_check && p.task_definition) {
    if (auto e = options_.launch_check(p.ctx, *p.task_definition, json::object{})) {
      p.deduped_events.push_back(failed_to_launch_event(p.service.name, e->message));
      return;
    }
  }
  const std::optional<json::object>& nc = primary.network_configuration;
  const std::vector<std::string>& subnets = primary.subnets;
  std::map<std::string, std::string> zone_of;
  for (const std::string& s : subnets) {
    zone_of[s] = options_.subnet_zone ? options_.subnet_zone(p.ctx.account, p.ctx.region, s) : "";
    if (zone_of[s].empty()) zone_of[s] = s;
  }
  std::vector<std::vector<std::string>> placed = place_tasks(subnets, zone_of, p.subnet_use, count);
  std::vector<std::string> started;
  for (int64_t i = 0; i < count; ++i) {
    json::object in{{"group", "service:" + p.service.name},
                    {"startedBy", primary.id},
                    {"enableExecuteCommand", p.service.enable_execute_command}};
    if (primary.platform_version) in["platformVersion"] = *primary.platform_version;
    if (nc) {
      json::object network = *nc;
      if (!subnets.empty()) {
        json::array rotated;
        for (const std::string& s : placed[static_cast<std::size_t>(i)])
          rotated.push_back(json::string(s));
        network["awsvpcConfiguration"].as_object()["subnets"] = std::move(rotated);
      }
      in["networkConfiguration"] = std::move(network);
    }
    Task task = task_from_json(new_task(p.ctx, p.cluster, *p.task_definition, in, launch, p.now));
    started.push_back(task.arn);
    p.new_tasks.push_back(std::move(task));
  }
  p.events.push_back(started_tasks_event(p.service.name, started));
}

namespace {

// Tags of new tasks: propagateTags (SERVICE or TASK_DEFINITION) and ECS's managed tags.
json::array new_task_tags(EcsStore& st, const Service& service,
                          const std::optional<json::object>& task_definition) {
  json::array tags;
  if (service.propagate_tags == "SERVICE") {
    tags = st.tags(service.arn);
  } else if (service.propagate_tags == "TASK_DEFINITION" && task_definition) {
    tags = st.tags(str(*task_definition, "taskDefinitionArn"));
  }
  if (service.enable_ecs_managed_tags) {
    tags.push_back(json::object{{"key", "aws:ecs:clusterName"},
                                {"value", name_from_ref(service.cluster_arn)}});
    tags.push_back(json::object{{"key", "aws:ecs:serviceName"}, {"value", service.name}});
  }
  return tags;
}

// The service's events, failed tasks and throttle after this pass, before its status.
void record_pass(Service& fresh, std::vector<std::string>& events,
                 const std::map<std::string, int64_t>& failed, const ServicePlan& plan,
                 double now) {
  for (std::string& e : events) add_service_event(fresh.doc, std::move(e), now);
  if (!fresh.doc.contains("_scheduler")) fresh.doc["_scheduler"] = json::object{};
  fresh.scheduler.consecutive_failures = plan.consecutive_failures;
  fresh.scheduler.launch_not_before = plan.launch_not_before;
  fresh.scheduler.deployment = plan.primary_id;
  for (Deployment& d : fresh.deployments) {
    auto it = failed.find(d.id);
    if (it == failed.end() || it->second == 0) continue;
    d.failed_tasks = d.failed_tasks.value_or(0) + it->second;
    d.updated_at = now;
  }
}

}  // namespace

// Write: task marks, stops and new tasks, then the service's observed state, in one transaction
// over fresh rows (a concurrent UpdateService or task change is never lost); then tell the
// task controller.
ReconcileResult RollingServiceScheduler::write(Pass& p, const ServicePlan& plan) {
  const protocol::RequestContext& ctx = p.ctx;
  std::vector<TaskRef> to_stop;
  std::vector<TaskRef> to_start;
  bool steady = false;
  {
    store::Transaction tx = db_.begin();
    EcsStore st(tx, ctx.account, ctx.region);
    std::optional<Service> fresh = st.service(p.service.arn);
    if (!fresh) return ReconcileResult::done();
    const std::string cluster_arn = fresh->cluster_arn;
    for (const auto& [arn, marks] : p.marks) {
      std::optional<Task> t = st.task(arn);
      if (!t) continue;
      merge_notes(t->scheduler, marks);
      st.put_task(*t);
    }
    for (const auto& [arn, reason] : p.stop_now) {
      std::optional<Task> t = st.task(arn);
      if (!t || t->desired_status != "RUNNING") continue;
      request_stop(*t, kSchedulerStopCode, reason, p.now);
      t->version++;
      st.put_task(*t);
      to_stop.push_back({ctx.account, ctx.region, cluster_arn, arn});
    }
    json::array tags = new_task_tags(st, *fresh, p.task_definition);
    for (const Task& t : p.new_tasks) {
      st.put_task(t);
      if (!tags.empty()) st.add_tags(t.arn, tags);
      to_start.push_back({ctx.account, ctx.region, cluster_arn, t.arn});
    }
    record_pass(*fresh, p.events, p.findings.failed, plan, p.now);
    const double repeat_window =
        std::chrono::duration<double>(clock_.scaled(kRepeatEventsAfter)).count();
    for (std::string& e : p.deduped_events) {
      if (!recent_duplicate(fresh->doc, e, p.now, repeat_window)) {
        add_service_event(fresh->doc, std::move(e), p.now);
      }
    }
    ensure_status_members(fresh->doc);
    update_service_status(*fresh, st.service_tasks(cluster_arn, fresh->name),
                          StatusInput{p.now, repeat_window, p.available});
    steady = fresh->scheduler.steady.value_or(false);
    st.put_service(*fresh);
    tx.commit();
  }
  if (!to_start.empty() || !to_stop.empty()) {
    core::log::info("service scheduled", {{"service", p.service.arn},
                                          {"started", std::to_string(to_start.size())},
                                          {"stopped", std::to_string(to_stop.size())}});
  }
  for (const TaskRef& ref : to_stop) launcher_.task_stop_requested(ref);
  for (const TaskRef& ref : to_start) launcher_.task_created(ref);
  if (steady && !p.draining && to_stop.empty() && to_start.empty()) {
    return ReconcileResult::done();
  }
  return ReconcileResult::requeue_after(options_.poll_period);
}

}  // namespace services::ecs
