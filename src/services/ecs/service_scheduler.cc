#include "services/ecs/service_scheduler.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <map>
#include <set>

#include "core/ids.h"
#include "core/log.h"
#include "services/ecs/deployment_rollout.h"
#include "services/ecs/ecs_json.h"
#include "services/ecs/ecs_store.h"
#include "services/ecs/service_events.h"
#include "services/ecs/service_status.h"
#include "services/ecs/service_targets.h"
#include "services/ecs/task_document.h"
#include "services/ecs/validation.h"

namespace services::ecs {
namespace {

namespace json = boost::json;
using reconcile::ReconcileResult;

constexpr const char* kSchedulerStopCode = "ServiceSchedulerInitiated";
// Consecutive failed launches before ECS's service throttle delays the next ones, and the
// delays: 10 s doubling up to 15 min (AWS time, scaled by the clock's time scale).
constexpr int64_t kThrottleAfterFailures = 3;
constexpr auto kThrottleBase = std::chrono::seconds(10);
constexpr auto kThrottleMax = std::chrono::minutes(15);
constexpr auto kRepeatEventsAfter = std::chrono::hours(6);

struct LoadBalancer {
  std::string target_group;
  int64_t port = 0;
};

double number(const json::object& o, std::string_view key, double fallback = 0) {
  const json::value* v = o.if_contains(key);
  return v && v->is_number() ? v->to_number<double>() : fallback;
}

json::object scheduler_of(const json::object& doc) {
  const json::object* s = obj(doc, "_scheduler");
  return s ? *s : json::object{};
}

// The private IPv4 address of an awsvpc task's ENI, or "".
std::string task_ip(const json::object& task) {
  if (const json::array* atts = arr(task, "attachments")) {
    for (const json::value& a : *atts) {
      if (const json::array* details = arr(a.as_object(), "details")) {
        for (const json::value& kv : *details) {
          if (str(kv.as_object(), "name") == "privateIPv4Address") {
            return str(kv.as_object(), "value");
          }
        }
      }
    }
  }
  return {};
}

std::string task_subnet(const json::object& task) {
  if (const json::array* atts = arr(task, "attachments")) {
    for (const json::value& a : *atts) {
      if (const json::array* details = arr(a.as_object(), "details")) {
        for (const json::value& kv : *details) {
          if (str(kv.as_object(), "name") == "subnetId") return str(kv.as_object(), "value");
        }
      }
    }
  }
  return {};
}

// True when `message` was already recorded within `window` seconds: ECS omits duplicate event
// messages until six hours have passed.
bool recent_duplicate(const json::object& service, std::string_view message, double now,
                      double window) {
  if (const json::array* events = arr(service, "events")) {
    for (const json::value& e : *events) {
      const json::object& o = e.as_object();
      if (str(o, "message") == message && now - number(o, "createdAt") < window) return true;
    }
  }
  return false;
}

// Work decided while reading, applied in one write transaction.
struct Writes {
  std::map<std::string, json::object> task_marks;  // task ARN → members merged into _scheduler
  std::map<std::string, std::string> stop_now;     // task ARN → stoppedReason
  std::vector<json::object> new_tasks;
  std::vector<std::string> events;          // oldest first
  std::vector<std::string> deduped_events;  // added unless recorded within six hours
  std::map<std::string, int64_t> failed;    // deployment id → tasks that failed
  int64_t failed_to_start = 0;  // of those, tasks that never reached RUNNING (the throttle's)
  bool became_available = false;
  std::set<std::string> available;
  bool draining = false;
};

void mark(Writes& w, const std::string& arn, std::string_view key, json::value value) {
  w.task_marks[arn][key] = std::move(value);
}

}  // namespace

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
  core::ids::ParsedArn parsed;
  if (!core::ids::parse_arn(service_arn, &parsed)) return ReconcileResult::done();
  protocol::RequestContext ctx;
  ctx.account = parsed.account;
  ctx.region = parsed.region;
  ctx.request_id = core::ids::uuid4();

  // Read: the service, its cluster, the PRIMARY's task definition and every task that still
  // matters (not stopped, or stopped and not yet accounted for).
  std::optional<json::object> service;
  std::optional<json::object> cluster;
  std::optional<json::object> task_definition;
  std::vector<json::object> tasks;
  auto load_tasks = [&](store::Transaction& tx, const json::object& svc) {
    std::vector<json::object> out;
    tx.query(
        "SELECT doc FROM ecs_tasks WHERE account = ?1 AND region = ?2 AND cluster_arn = ?3 AND "
        "service_name = ?4 AND (last_status != 'STOPPED' OR "
        "json_extract(doc, '$._scheduler.accounted') IS NULL) ORDER BY created_at_ms, arn",
        [&](const store::Statement& row) { out.push_back(json::parse(row.text(0)).as_object()); },
        ctx.account, ctx.region, str(svc, "clusterArn"), str(svc, "serviceName"));
    return out;
  };
  {
    store::Transaction tx = db_.read();
    EcsStore st(tx, ctx.account, ctx.region);
    service = st.get(Table::Services, service_arn);
    if (service) {
      cluster = st.get(Table::Clusters, str(*service, "clusterArn"));
      const json::array* deps = arr(*service, "deployments");
      if (deps && !deps->empty()) {
        task_definition =
            st.get(Table::TaskDefinitions, str(deps->front().as_object(), "taskDefinition"));
      }
      tasks = load_tasks(tx, *service);
    }
  }
  if (!service || !cluster || str(*service, "status") == "INACTIVE") {
    return ReconcileResult::done();
  }
  const json::object* controller_type = obj(*service, "deploymentController");
  if (str(*service, "schedulingStrategy") == "DAEMON" ||
      (controller_type && str(*controller_type, "type", "ECS") != "ECS")) {
    return ReconcileResult::done();  // DAEMON needs container instances; others deploy alone
  }
  const std::string name = str(*service, "serviceName");
  const bool active = str(*service, "status") == "ACTIVE";
  const double now = epoch(clock_.now());
  const double grace = std::chrono::duration<double>(
                           clock_.scaled(std::chrono::seconds(
                               opt_int(*service, "healthCheckGracePeriodSeconds").value_or(0))))
                           .count();
  const double repeat_window =
      std::chrono::duration<double>(clock_.scaled(kRepeatEventsAfter)).count();

  std::vector<LoadBalancer> lbs;
  if (const json::array* l = arr(*service, "loadBalancers")) {
    for (const json::value& v : *l) {
      const json::object& lb = v.as_object();
      if (lb.contains("targetGroupArn")) {
        lbs.push_back({str(lb, "targetGroupArn"), opt_int(lb, "containerPort").value_or(0)});
      }
    }
  }
  std::vector<std::string> groups;
  for (const LoadBalancer& lb : lbs) groups.push_back(lb.target_group);
  TargetHealthMap health = describe_target_health(registry_, ctx, groups);

  Writes w;
  // Deregisters a task's targets from every group; one event per group.
  auto deregister = [&](const json::object& sched) {
    if (const json::array* ts = arr(sched, "targets")) {
      for (const json::value& v : *ts) {
        const json::object& t = v.as_object();
        std::string group = str(t, "targetGroupArn");
        bool r =
            deregister_target(registry_, ctx, group, str(t, "id"), opt_int(t, "port").value_or(0));
        if (r) w.events.push_back(deregistered_targets_event(name, 1, group));
      }
    }
  };
  // Starts stopping a task: with targets, deregister them and let them drain first.
  auto begin_stop = [&](const json::object& task, const json::object& sched,
                        const std::string& reason) {
    std::string arn = str(task, "taskArn");
    if (arr(sched, "targets") && !arr(sched, "targets")->empty()) {
      deregister(sched);
      mark(w, arn, "draining", true);
      mark(w, arn, "stopReason", json::string(reason));
      w.draining = true;
      return 1;
    }
    w.stop_now[arn] = reason;
    return 0;
  };

  std::vector<RolloutTask> live;
  std::map<std::string, const json::object*> by_arn;
  std::map<std::string, int64_t> subnet_use;
  int64_t drains_begun = 0;
  for (const json::object& task : tasks) {
    const std::string arn = str(task, "taskArn");
    by_arn[arn] = &task;
    const std::string last = str(task, "lastStatus");
    json::object sched = scheduler_of(task);
    const json::array* targets = arr(sched, "targets");
    const bool registered = targets && !targets->empty();

    // A failed launch counts once, as soon as the task is bound to stop (the circuit breaker
    // and the throttle then hold the next launch back in this very pass).
    const std::string code = str(task, "stopCode");
    const bool stopping = last == "STOPPED" || str(task, "desiredStatus") == "STOPPED";
    if (stopping && !opt_bool(sched, "failureCounted").value_or(false) &&
        (opt_bool(sched, "healthFailed").value_or(false) || code == "TaskFailedToStart" ||
         code == "EssentialContainerExited" ||
         (last == "STOPPED" && !task.contains("startedAt") && code != "UserInitiated" &&
          code != kSchedulerStopCode))) {
      w.failed[str(task, "startedBy")]++;
      w.failed_to_start += task.contains("startedAt") ? 0 : 1;
      mark(w, arn, "failureCounted", true);
    }
    if (last == "STOPPED") {
      // Once per stopped task: its targets go.
      if (registered && !opt_bool(sched, "deregistered").value_or(false)) deregister(sched);
      mark(w, arn, "accounted", true);
      continue;
    }
    subnet_use[task_subnet(task)]++;
    // True once no target group lists the task's targets any more (draining done).
    auto drained = [&] {
      bool gone = true;
      for (const json::value& v : *targets) {
        const json::object& t = v.as_object();
        const auto& h = health[str(t, "targetGroupArn")];
        gone = gone &&
               (!h || !h->contains(target_key(str(t, "id"), opt_int(t, "port").value_or(0))));
      }
      return gone;
    };
    if (str(task, "desiredStatus") == "STOPPED") {
      // Stopped by someone else (StopTask): its targets drain while it deactivates; the task
      // controller sends SIGTERM once they are released.
      if (registered && !opt_bool(sched, "deregistered").value_or(false) &&
          !opt_bool(sched, "draining").value_or(false)) {
        deregister(sched);
        mark(w, arn, "deregistered", true);
        w.draining = true;
      } else if (registered && !opt_bool(sched, "released").value_or(false)) {
        if (drained()) {
          mark(w, arn, "released", true);
        } else {
          w.draining = true;
        }
      }
      continue;
    }
    if (opt_bool(sched, "draining").value_or(false)) {
      if (drained()) {
        w.stop_now[arn] = str(sched, "stopReason", scaling_activity_reason(""));
        mark(w, arn, "deregistered", true);
        mark(w, arn, "released", true);
      } else {
        w.draining = true;
      }
      continue;
    }
    const bool running = last == "RUNNING";
    json::array now_registered = targets ? *targets : json::array();
    if (running && !lbs.empty() && !registered) {
      std::string ip = task_ip(task);
      for (const LoadBalancer& lb : lbs) {
        if (ip.empty()) break;
        if (!register_target(registry_, ctx, lb.target_group, ip, lb.port)) continue;
        now_registered.push_back(
            json::object{{"targetGroupArn", lb.target_group}, {"id", ip}, {"port", lb.port}});
        w.events.push_back(registered_targets_event(name, 1, lb.target_group));
      }
      if (!now_registered.empty()) {
        mark(w, arn, "targets", now_registered);
        mark(w, arn, "registeredAt", now);
      }
    }
    // Available: RUNNING and healthy in every target group. Unhealthy after the grace period:
    // replaced.
    bool available = running;
    std::string unhealthy_group, unhealthy_reason;
    for (const LoadBalancer& lb : lbs) {
      const json::object* mine = nullptr;
      for (const json::value& v : now_registered) {
        if (str(v.as_object(), "targetGroupArn") == lb.target_group) mine = &v.as_object();
      }
      const auto& h = health[lb.target_group];
      const TargetHealthState* th = nullptr;
      if (mine && h) {
        auto it = h->find(target_key(str(*mine, "id"), opt_int(*mine, "port").value_or(0)));
        if (it != h->end()) th = &it->second;
      }
      // "unused": the group serves no load balancer (ECS refuses such a service; nothing is
      // protected by waiting), so the target counts as ready.
      available = available && th && (th->state == "healthy" || th->state == "unused");
      if (th && th->state == "unhealthy" && unhealthy_group.empty() &&
          now >= number(task, "startedAt", now) + grace) {
        unhealthy_group = lb.target_group;
        unhealthy_reason = th->description;
      }
    }
    if (!unhealthy_group.empty()) {
      w.events.push_back(unhealthy_target_event(name, arn, unhealthy_group, unhealthy_reason));
      mark(w, arn, "healthFailed", true);
      json::object with_targets = sched;
      with_targets["targets"] = now_registered;
      drains_begun +=
          begin_stop(task, with_targets, failed_elb_health_checks_reason(unhealthy_group));
      continue;
    }
    if (available) {
      w.available.insert(arn);
      if (!opt_bool(sched, "wasAvailable").value_or(false)) {
        mark(w, arn, "wasAvailable", true);
        w.became_available = true;
      }
    }
    live.push_back(
        RolloutTask{arn, str(task, "startedBy"), available, running, number(task, "createdAt")});
  }

  // Plan: which tasks to start for the PRIMARY deployment, which to stop.
  const json::array* deployments = arr(*service, "deployments");
  const json::object* primary = deployments && !deployments->empty() &&
                                        str(deployments->front().as_object(), "status") == "PRIMARY"
                                    ? &deployments->front().as_object()
                                    : nullptr;
  const json::object* config = obj(*service, "deploymentConfiguration");
  const json::object state = scheduler_of(*service);
  RolloutInput input;
  input.desired_count = active ? opt_int(*service, "desiredCount").value_or(0) : 0;
  input.minimum_healthy_percent =
      config ? opt_int(*config, "minimumHealthyPercent").value_or(100) : 100;
  input.maximum_percent = config ? opt_int(*config, "maximumPercent").value_or(200) : 200;
  input.primary_id = primary ? str(*primary, "id") : "";
  if (deployments) {
    for (auto it = deployments->rbegin(); it != deployments->rend(); ++it) {
      if (str(it->as_object(), "status") != "PRIMARY") {
        input.old_ids.push_back(str(it->as_object(), "id"));
      }
    }
  }
  // ECS's service throttle: after repeated failed launches the next ones wait, longer each time;
  // a new deployment starts afresh. The circuit breaker's verdict is anticipated here so that
  // the pass that trips it launches nothing more.
  const bool same_deployment = str(state, "deployment") == input.primary_id;
  // "Tasks that are stopped after they reach the RUNNING state don't start the throttle logic"
  // (ECS Developer Guide, service throttle logic): only launches that never ran count here.
  const int64_t new_failures = w.failed_to_start;
  int64_t streak = same_deployment && !w.became_available
                       ? opt_int(state, "consecutiveFailures").value_or(0)
                       : 0;
  streak += new_failures;
  double not_before = same_deployment && !w.became_available ? number(state, "launchNotBefore") : 0;
  if (new_failures > 0 && streak >= kThrottleAfterFailures) {
    core::Duration delay =
        kThrottleBase * (int64_t{1} << std::min<int64_t>(streak - kThrottleAfterFailures, 10));
    not_before = epoch(clock_.now() + clock_.scaled(std::min<core::Duration>(delay, kThrottleMax)));
    w.deduped_events.push_back(start_impaired_event(name));
  }
  bool breaker_trips = false;
  if (primary && config) {
    const json::object* breaker = obj(*config, "deploymentCircuitBreaker");
    int64_t failed = opt_int(*primary, "failedTasks").value_or(0) + w.failed[input.primary_id];
    breaker_trips =
        breaker && opt_bool(*breaker, "enable").value_or(false) &&
        str(*primary, "rolloutState") == "IN_PROGRESS" &&
        failed >= circuit_breaker_threshold(opt_int(*primary, "desiredCount").value_or(0));
  }
  input.may_launch = active && primary && str(*primary, "rolloutState") != "FAILED" &&
                     !breaker_trips && now >= not_before && task_definition;
  input.tasks = live;
  RolloutPlan plan = plan_rollout(input);

  for (const std::string& arn : plan.stop) {
    const json::object& task = *by_arn.at(arn);
    json::object sched = scheduler_of(task);
    if (auto it = w.task_marks.find(arn); it != w.task_marks.end()) {
      for (const auto& [k, v] : it->second) sched[k] = v;
    }
    drains_begun += begin_stop(task, sched, scaling_activity_reason(input.primary_id));
  }
  if (drains_begun > 0) {
    w.events.insert(w.events.begin(), draining_event(name, static_cast<std::size_t>(drains_begun)));
  }

  // Starts: Fargate only (no container instances exist to place EC2 tasks on).
  if (plan.start > 0) {
    TaskLaunch launch;
    if (const json::array* cps = arr(*primary, "capacityProviderStrategy")) {
      launch.strategy = *cps;
    } else {
      launch.launch_type = str(*primary, "launchType", "EC2");
    }
    launch.fargate = launch.launch_type == "FARGATE";
    for (const json::value& item : launch.strategy) {
      launch.fargate =
          launch.fargate || is_builtin_capacity_provider(str(item.as_object(), "capacityProvider"));
    }
    if (!launch.fargate) {
      w.deduped_events.push_back(no_container_instance_event(name));
    } else {
      std::vector<std::string> subnets;
      const json::object* nc = obj(*primary, "networkConfiguration");
      if (nc && obj(*nc, "awsvpcConfiguration")) {
        subnets = strings(*obj(*nc, "awsvpcConfiguration"), "subnets");
      }
      std::map<std::string, std::string> zone_of;
      std::map<std::string, int64_t> zone_use;
      for (const std::string& s : subnets) {
        zone_of[s] = options_.subnet_zone ? options_.subnet_zone(ctx.account, ctx.region, s) : "";
        if (zone_of[s].empty()) zone_of[s] = s;
      }
      for (const auto& [s, n] : subnet_use) {
        if (zone_of.contains(s)) zone_use[zone_of[s]] += n;
      }
      std::vector<std::string> started;
      for (int64_t i = 0; i < plan.start; ++i) {
        json::object in{
            {"group", "service:" + name},
            {"startedBy", input.primary_id},
            {"enableExecuteCommand", opt_bool(*service, "enableExecuteCommand").value_or(false)}};
        if (primary->contains("platformVersion")) {
          in["platformVersion"] = primary->at("platformVersion");
        }
        if (nc) {
          // The least-used zone (then subnet) first; the ENI goes into the first subnet.
          std::size_t best = 0;
          for (std::size_t k = 1; k < subnets.size(); ++k) {
            auto key = [&](std::size_t j) {
              return std::make_pair(zone_use[zone_of[subnets[j]]], subnet_use[subnets[j]]);
            };
            if (key(k) < key(best)) best = k;
          }
          json::object network = *nc;
          if (!subnets.empty()) {
            json::array rotated;
            for (std::size_t k = 0; k < subnets.size(); ++k) {
              rotated.push_back(json::string(subnets[(best + k) % subnets.size()]));
            }
            network["awsvpcConfiguration"].as_object()["subnets"] = std::move(rotated);
            zone_use[zone_of[subnets[best]]]++;
            subnet_use[subnets[best]]++;
          }
          in["networkConfiguration"] = std::move(network);
        }
        json::object task = new_task(ctx, *cluster, *task_definition, in, launch, now);
        started.push_back(str(task, "taskArn"));
        w.new_tasks.push_back(std::move(task));
      }
      w.events.push_back(started_tasks_event(name, started));
    }
  }
  std::vector<std::string> stopped_now;
  for (const auto& [arn, reason] : w.stop_now) stopped_now.push_back(arn);
  if (!stopped_now.empty()) w.events.push_back(stopped_tasks_event(name, stopped_now));

  // Write: task marks, stops and new tasks, then the service's observed state, in one
  // transaction over fresh rows (a concurrent UpdateService or task change is never lost).
  std::vector<TaskRef> to_stop;
  std::vector<TaskRef> to_start;
  bool steady = false;
  {
    store::Transaction tx = db_.begin();
    EcsStore st(tx, ctx.account, ctx.region);
    std::optional<json::object> fresh = st.get(Table::Services, service_arn);
    if (!fresh) return ReconcileResult::done();
    const std::string cluster_arn = str(*fresh, "clusterArn");
    for (const auto& [arn, marks] : w.task_marks) {
      std::optional<json::object> t = st.get(Table::Tasks, arn);
      if (!t) continue;
      json::object sched = scheduler_of(*t);
      for (const auto& [k, v] : marks) sched[k] = v;
      (*t)["_scheduler"] = std::move(sched);
      st.put_task(*t);
    }
    for (const auto& [arn, reason] : w.stop_now) {
      std::optional<json::object> t = st.get(Table::Tasks, arn);
      if (!t || str(*t, "desiredStatus") != "RUNNING") continue;
      (*t)["desiredStatus"] = "STOPPED";
      (*t)["stopCode"] = kSchedulerStopCode;
      (*t)["stoppedReason"] = reason;
      (*t)["stoppingAt"] = now;
      (*t)["version"] = opt_int(*t, "version").value_or(1) + 1;
      st.put_task(*t);
      to_stop.push_back({ctx.account, ctx.region, cluster_arn, arn});
    }
    // Tags of new tasks: propagateTags (SERVICE or TASK_DEFINITION) and ECS's managed tags.
    json::array tags;
    if (std::string from = str(*fresh, "propagateTags", "NONE"); from == "SERVICE") {
      tags = st.tags(service_arn);
    } else if (from == "TASK_DEFINITION" && task_definition) {
      tags = st.tags(str(*task_definition, "taskDefinitionArn"));
    }
    if (opt_bool(*fresh, "enableECSManagedTags").value_or(false)) {
      tags.push_back(
          json::object{{"key", "aws:ecs:clusterName"}, {"value", name_from_ref(cluster_arn)}});
      tags.push_back(json::object{{"key", "aws:ecs:serviceName"}, {"value", name}});
    }
    for (const json::object& t : w.new_tasks) {
      st.put_task(t);
      if (!tags.empty()) st.add_tags(str(t, "taskArn"), tags);
      to_start.push_back({ctx.account, ctx.region, cluster_arn, str(t, "taskArn")});
    }
    for (std::string& e : w.events) add_service_event(*fresh, std::move(e), now);

    // Failed launches: the deployments' failedTasks, and the throttle decided above.
    if (!fresh->contains("_scheduler")) (*fresh)["_scheduler"] = json::object{};
    json::object& throttle = fresh->at("_scheduler").as_object();
    throttle["consecutiveFailures"] = streak;
    throttle["launchNotBefore"] = not_before;
    throttle["deployment"] = input.primary_id;
    if (json::value* ds = fresh->if_contains("deployments"); ds && ds->is_array()) {
      for (json::value& d : ds->as_array()) {
        auto it = w.failed.find(str(d.as_object(), "id"));
        if (it == w.failed.end() || it->second == 0) continue;
        json::object& dep = d.as_object();
        dep["failedTasks"] = opt_int(dep, "failedTasks").value_or(0) + it->second;
        dep["updatedAt"] = now;
      }
    }
    for (std::string& e : w.deduped_events) {
      if (!recent_duplicate(*fresh, e, now, repeat_window)) {
        add_service_event(*fresh, std::move(e), now);
      }
    }

    StatusInput status{now, repeat_window, w.available};
    update_service_status(*fresh, load_tasks(tx, *fresh), status);
    steady = opt_bool(fresh->at("_scheduler").as_object(), "steady").value_or(false);
    st.put_service(*fresh, "");
    tx.commit();
  }
  if (!to_start.empty() || !to_stop.empty()) {
    core::log::info("service scheduled", {{"service", service_arn},
                                          {"started", std::to_string(to_start.size())},
                                          {"stopped", std::to_string(to_stop.size())}});
  }
  for (const TaskRef& ref : to_stop) launcher_.task_stop_requested(ref);
  for (const TaskRef& ref : to_start) launcher_.task_created(ref);
  if (steady && !w.draining && to_stop.empty() && to_start.empty()) {
    return ReconcileResult::done();
  }
  return ReconcileResult::requeue_after(options_.poll_period);
}

}  // namespace services::ecs
