#include "services/ecs/service_status.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "services/ecs/ecs_json.h"
#include "services/ecs/service_events.h"
#include "services/ecs/service_rules.h"

namespace services::ecs {

namespace json = boost::json;

namespace {

struct Counts {
  int64_t running = 0;
  int64_t pending = 0;
  int64_t available = 0;
  int64_t unstopped = 0;  // anything not STOPPED yet, draining and stopping included
};

struct TaskCounts {
  std::map<std::string, Counts> by_deployment;
  Counts total;
};

bool is_pending(const std::string& last) {
  return last == "PROVISIONING" || last == "PENDING" || last == "ACTIVATING";
}

TaskCounts count_tasks(const std::vector<Task>& tasks, const std::set<std::string>& available) {
  TaskCounts out;
  for (const Task& t : tasks) {
    if (t.last_status == "STOPPED") continue;
    Counts& c = out.by_deployment[t.started_by];
    bool desired_running = t.desired_status == "RUNNING";
    c.unstopped++;
    if (t.last_status == "RUNNING") {
      c.running++;
      out.total.running++;
    } else if (desired_running && is_pending(t.last_status)) {
      c.pending++;
      out.total.pending++;
    }
    if (desired_running && available.contains(t.arn)) c.available++;
  }
  return out;
}

// runningCount and pendingCount of the service and of each deployment.
void write_counts(Service& service, TaskCounts& counts, double now) {
  service.running_count = counts.total.running;
  service.pending_count = counts.total.pending;
  for (Deployment& d : service.deployments) {
    const Counts& c = counts.by_deployment[d.id];
    if (d.running_count != c.running || d.pending_count != c.pending) {
      d.running_count = c.running;
      d.pending_count = c.pending;
      d.updated_at = now;
    }
  }
}

// The PRIMARY fails; with a rollback target, a new PRIMARY with that deployment's settings.
void trip_circuit_breaker(Service& service, const BreakerDecision& decision, double now) {
  Deployment& primary = service.deployments.front();
  std::string failed_id = primary.id;
  primary.rollout_state = "FAILED";
  primary.rollout_state_reason = kCircuitBreakerFailedReason;
  primary.updated_at = now;
  add_service_event(service.doc, deployment_failed_event(service.name, failed_id), now);
  if (!decision.rollback_to) {
    set_history_status(service.doc, failed_id, "FAILED", now);
    return;
  }
  const Deployment target = *decision.rollback_to;
  json::object source = to_json(service);
  json::object target_doc = to_json(target);
  for (std::string_view key : {"taskDefinition", "networkConfiguration", "launchType",
                               "capacityProviderStrategy", "platformVersion"}) {
    if (const json::value* v = target_doc.if_contains(key)) source[key] = *v;
  }
  Deployment next = deployment_from_json(new_deployment(source, now));
  next.rollout_state_reason = rollback_reason(target.id);
  service.task_definition = target.task_definition;
  service.deployments.front().status = "ACTIVE";
  service.scheduler.rollback = Rollback{next.id, failed_id};
  service.deployments.insert(service.deployments.begin(), std::move(next));
  set_history_status(service.doc, failed_id, "ROLLBACK_IN_PROGRESS", now);
  add_service_event(service.doc, rolling_back_event(service.name, target.id), now);
}

// Nothing left of older deployments and the PRIMARY at its desired count: COMPLETED.
void complete_rollout(Service& service, TaskCounts& counts, double now) {
  Deployment& primary = service.deployments.front();
  const Counts& pc = counts.by_deployment[primary.id];
  const int64_t desired = service.desired_count;
  bool old_gone = true;
  for (std::size_t i = 1; i < service.deployments.size(); ++i) {
    old_gone = old_gone && counts.by_deployment[service.deployments[i].id].unstopped == 0;
  }
  if (primary.rollout_state != "IN_PROGRESS" || !old_gone || pc.running != desired ||
      pc.available != desired || pc.unstopped != desired) {
    return;
  }
  const std::string primary_id = primary.id;
  primary.rollout_state = "COMPLETED";
  primary.rollout_state_reason = rollout_completed_reason(primary_id);
  primary.updated_at = now;
  service.deployments.resize(1);
  set_history_status(service.doc, primary_id, "SUCCESSFUL", now);
  if (const std::optional<Rollback>& rb = service.scheduler.rollback;
      rb && rb->deployment == primary_id) {
    set_history_status(service.doc, rb->failed, "ROLLBACK_SUCCESSFUL", now);
    service.scheduler.rollback.reset();
  }
  add_service_event(service.doc, deployment_completed_event(service.name, primary_id), now);
}

// Steady state: one deployment, at its desired count. ECS repeats the event only after six
// hours of the same state.
void note_steady_state(Service& service, TaskCounts& counts, const StatusInput& in) {
  const Deployment& p = service.deployments.front();
  const Counts& pc = counts.by_deployment[p.id];
  const int64_t desired = service.desired_count;
  bool steady = service.deployments.size() == 1 && p.rollout_state == "COMPLETED" &&
                pc.running == desired && pc.pending == 0 && pc.unstopped == desired;
  ServiceSchedulerState& st = service.scheduler;
  bool was_steady = st.steady.value_or(false);
  double last_event = st.steady_event_at.value_or(0);
  if (steady && (!was_steady || in.now - last_event >= in.repeat_after_seconds)) {
    add_service_event(service.doc, steady_state_event(service.name), in.now);
    st.steady_event_at = in.now;
  }
  st.steady = steady;
}

}  // namespace

int64_t circuit_breaker_threshold(int64_t desired_count) {
  int64_t half = (std::max<int64_t>(desired_count, 0) + 1) / 2;
  return std::clamp<int64_t>(half, 3, 200);
}

// The rollback target: the newest older deployment that completed. Failing that, the newest
// older deployment still running its full desired count (an update that arrives before a
// deployment's targets turned healthy, which under a time scale takes a moment rather than
// minutes, leaves it IN_PROGRESS though it is sound).
BreakerDecision plan_circuit_breaker(const Service& service,
                                     const std::map<std::string, int64_t>& running) {
  BreakerDecision out;
  const Deployment* primary = service.primary();
  const DeploymentConfig& config = service.deployment_config;
  if (!primary || !config.circuit_breaker || primary->rollout_state != "IN_PROGRESS" ||
      primary->failed_tasks.value_or(0) < circuit_breaker_threshold(primary->desired_count)) {
    return out;
  }
  out.trips = true;
  if (!config.rollback) return out;
  const std::vector<Deployment>& ds = service.deployments;
  for (std::size_t i = 1; i < ds.size() && !out.rollback_to; ++i) {
    if (ds[i].rollout_state == "COMPLETED") out.rollback_to = &ds[i];
  }
  for (std::size_t i = 1; i < ds.size() && !out.rollback_to; ++i) {
    auto it = running.find(ds[i].id);
    if (it != running.end() && ds[i].desired_count > 0 && it->second >= ds[i].desired_count) {
      out.rollback_to = &ds[i];
    }
  }
  return out;
}

void set_history_status(json::object& service, const std::string& deployment_id,
                        const std::string& status, double now) {
  json::value* h = service.if_contains("_history");
  if (!h || !h->is_array()) return;
  for (json::value& e : h->as_array()) {
    json::object& entry = e.as_object();
    if (str(entry, "id") != deployment_id) continue;
    entry["status"] = status;
    entry["updatedAt"] = now;
    if (status != "IN_PROGRESS" && status != "ROLLBACK_IN_PROGRESS" && status != "PENDING") {
      entry["finishedAt"] = now;
    }
  }
}

void update_service_status(Service& service, const std::vector<Task>& tasks,
                           const StatusInput& in) {
  TaskCounts counts = count_tasks(tasks, in.available);
  write_counts(service, counts, in.now);
  if (service.status == "DRAINING") {
    int64_t unstopped = 0;
    for (const auto& [id, c] : counts.by_deployment) unstopped += c.unstopped;
    if (unstopped == 0) service.status = "INACTIVE";
    return;
  }
  if (!service.primary()) return;
  std::map<std::string, int64_t> running;
  for (const auto& [id, c] : counts.by_deployment) running[id] = c.running;
  if (BreakerDecision breaker = plan_circuit_breaker(service, running); breaker.trips) {
    trip_circuit_breaker(service, breaker, in.now);
  }
  complete_rollout(service, counts, in.now);
  note_steady_state(service, counts, in);
}

void ensure_status_members(json::object& service) {
  for (std::string_view key : {"events", "deployments"}) {
    if (!service.contains(key) || !service.at(key).is_array()) service[key] = json::array();
  }
  if (json::value& v = service["_scheduler"]; !v.is_object()) v = json::object{};
  for (std::string_view key : {"runningCount", "pendingCount"}) {
    if (!service.contains(key)) service[key] = 0;
  }
}

void update_service_status(json::object& service, const std::vector<json::object>& tasks,
                           const StatusInput& in) {
  ensure_status_members(service);
  Service s = service_from_json(service);
  std::vector<Task> typed;
  for (const json::object& t : tasks) typed.push_back(task_from_json(t));
  update_service_status(s, typed, in);
  service = to_json(s);
}

}  // namespace services::ecs
