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

bool is_pending(const std::string& last) {
  return last == "PROVISIONING" || last == "PENDING" || last == "ACTIVATING";
}

json::object& scheduler_state(json::object& service) {
  json::value& v = service["_scheduler"];
  if (!v.is_object()) v = json::object{};
  return v.as_object();
}

// The circuit breaker's rollback target: the newest older deployment that completed. Failing
// that, the newest older deployment still running its full desired count (an update that
// arrives before a deployment's targets turned healthy, which under a time scale takes a moment
// rather than minutes, leaves it IN_PROGRESS though it is sound).
const json::object* rollback_target(const json::array& deployments,
                                    const std::map<std::string, Counts>& counts) {
  for (std::size_t i = 1; i < deployments.size(); ++i) {
    const json::object& d = deployments[i].as_object();
    if (str(d, "rolloutState") == "COMPLETED") return &d;
  }
  for (std::size_t i = 1; i < deployments.size(); ++i) {
    const json::object& d = deployments[i].as_object();
    auto it = counts.find(str(d, "id"));
    int64_t desired = opt_int(d, "desiredCount").value_or(0);
    if (it != counts.end() && desired > 0 && it->second.running >= desired) return &d;
  }
  return nullptr;
}

}  // namespace

int64_t circuit_breaker_threshold(int64_t desired_count) {
  int64_t half = (std::max<int64_t>(desired_count, 0) + 1) / 2;
  return std::clamp<int64_t>(half, 3, 200);
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

void update_service_status(json::object& service, const std::vector<json::object>& tasks,
                           const StatusInput& in) {
  // Every member written below exists before references into the object are taken: adding a
  // member may move the others.
  for (std::string_view key : {"events", "deployments"}) {
    if (!service.contains(key) || !service.at(key).is_array()) service[key] = json::array();
  }
  scheduler_state(service);
  for (std::string_view key : {"runningCount", "pendingCount"}) {
    if (!service.contains(key)) service[key] = 0;
  }
  std::map<std::string, Counts> by_deployment;
  Counts total;
  for (const json::object& t : tasks) {
    std::string last = str(t, "lastStatus");
    if (last == "STOPPED") continue;
    Counts& c = by_deployment[str(t, "startedBy")];
    bool desired_running = str(t, "desiredStatus") == "RUNNING";
    c.unstopped++;
    if (last == "RUNNING") {
      c.running++;
      total.running++;
    } else if (desired_running && is_pending(last)) {
      c.pending++;
      total.pending++;
    }
    if (desired_running && in.available.contains(str(t, "taskArn"))) c.available++;
  }
  service["runningCount"] = total.running;
  service["pendingCount"] = total.pending;

  json::array& deployments = service.at("deployments").as_array();
  for (json::value& v : deployments) {
    json::object& d = v.as_object();
    const Counts& c = by_deployment[str(d, "id")];
    if (opt_int(d, "runningCount") != c.running || opt_int(d, "pendingCount") != c.pending) {
      d["runningCount"] = c.running;
      d["pendingCount"] = c.pending;
      d["updatedAt"] = in.now;
    }
  }
  std::string name = str(service, "serviceName");
  json::object& state = scheduler_state(service);

  if (str(service, "status") == "DRAINING") {
    int64_t unstopped = 0;
    for (const auto& [id, c] : by_deployment) unstopped += c.unstopped;
    if (unstopped == 0) service["status"] = "INACTIVE";
    return;
  }
  if (deployments.empty() || str(deployments[0].as_object(), "status") != "PRIMARY") return;

  // Circuit breaker: enough failed tasks in the PRIMARY deployment fail it.
  {
    json::object& primary = deployments[0].as_object();
    const json::object* config = obj(service, "deploymentConfiguration");
    const json::object* breaker = config ? obj(*config, "deploymentCircuitBreaker") : nullptr;
    bool enabled = breaker && opt_bool(*breaker, "enable").value_or(false);
    bool rollback = breaker && opt_bool(*breaker, "rollback").value_or(false);
    int64_t desired = opt_int(primary, "desiredCount").value_or(0);
    if (enabled && str(primary, "rolloutState") == "IN_PROGRESS" &&
        opt_int(primary, "failedTasks").value_or(0) >= circuit_breaker_threshold(desired)) {
      std::string failed_id = str(primary, "id");
      primary["rolloutState"] = "FAILED";
      primary["rolloutStateReason"] = kCircuitBreakerFailedReason;
      primary["updatedAt"] = in.now;
      add_service_event(service, deployment_failed_event(name, failed_id), in.now);
      const json::object* target = rollback ? rollback_target(deployments, by_deployment) : nullptr;
      if (target) {
        // A new PRIMARY with the last completed deployment's settings.
        json::object source = service;
        for (std::string_view key : {"taskDefinition", "networkConfiguration", "launchType",
                                     "capacityProviderStrategy", "platformVersion"}) {
          if (const json::value* v = target->if_contains(key)) source[key] = *v;
        }
        json::object next = new_deployment(source, in.now);
        next["rolloutStateReason"] = rollback_reason(str(*target, "id"));
        std::string target_id = str(*target, "id");
        service["taskDefinition"] = str(*target, "taskDefinition");
        primary["status"] = "ACTIVE";
        state["rollback"] = json::object{{"deployment", str(next, "id")}, {"failed", failed_id}};
        deployments.insert(deployments.begin(), std::move(next));
        set_history_status(service, failed_id, "ROLLBACK_IN_PROGRESS", in.now);
        add_service_event(service, rolling_back_event(name, target_id), in.now);
      } else {
        set_history_status(service, failed_id, "FAILED", in.now);
      }
    }
  }

  // Completion: nothing left of older deployments and the PRIMARY at its desired count.
  json::object& primary = deployments[0].as_object();
  std::string primary_id = str(primary, "id");
  const Counts& pc = by_deployment[primary_id];
  int64_t desired = opt_int(service, "desiredCount").value_or(0);
  bool old_gone = true;
  for (std::size_t i = 1; i < deployments.size(); ++i) {
    old_gone = old_gone && by_deployment[str(deployments[i].as_object(), "id")].unstopped == 0;
  }
  if (str(primary, "rolloutState") == "IN_PROGRESS" && old_gone && pc.running == desired &&
      pc.available == desired && pc.unstopped == desired) {
    primary["rolloutState"] = "COMPLETED";
    primary["rolloutStateReason"] = rollout_completed_reason(primary_id);
    primary["updatedAt"] = in.now;
    json::array kept;
    kept.push_back(primary);
    deployments = std::move(kept);
    set_history_status(service, primary_id, "SUCCESSFUL", in.now);
    if (const json::object* rb = obj(state, "rollback");
        rb && str(*rb, "deployment") == primary_id) {
      set_history_status(service, str(*rb, "failed"), "ROLLBACK_SUCCESSFUL", in.now);
      state.erase("rollback");
    }
    add_service_event(service, deployment_completed_event(name, primary_id), in.now);
  }

  // Steady state: one deployment, at its desired count. ECS repeats the event only after six
  // hours of the same state.
  json::object& p = deployments[0].as_object();
  bool steady = deployments.size() == 1 && str(p, "rolloutState") == "COMPLETED" &&
                pc.running == desired && pc.pending == 0 && pc.unstopped == desired;
  json::object& st = scheduler_state(service);
  bool was_steady = opt_bool(st, "steady").value_or(false);
  double last_event = st.contains("steadyEventAt") && st.at("steadyEventAt").is_number()
                          ? st.at("steadyEventAt").to_number<double>()
                          : 0;
  if (steady && (!was_steady || in.now - last_event >= in.repeat_after_seconds)) {
    add_service_event(service, steady_state_event(name), in.now);
    st["steadyEventAt"] = in.now;
  }
  st["steady"] = steady;
}

}  // namespace services::ecs
