// Stored documents <-> records.h. The members each to_json() writes are listed in the order the
// controllers first add them to a document, so that a member added by a write lands where the
// controllers always put it; a member that exists is overwritten in place.
#include <boost/json.hpp>

#include "services/ecs/ecs_json.h"
#include "services/ecs/records.h"

namespace services::ecs {
namespace {

namespace json = boost::json;

std::optional<double> opt_number(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_number()) return std::nullopt;
  return v->to_number<double>();
}

bool same(const json::value& a, const json::value& b) {
  if (a.is_number() && b.is_number()) return a.to_number<double>() == b.to_number<double>();
  return a == b;
}

// Sets doc[key] unless it already holds an equal value (so that the stored bytes of an unchanged
// member stay as they were: 5 stays 5, not 5.0).
void put(json::object& doc, std::string_view key, json::value v) {
  if (const json::value* old = doc.if_contains(key); old && same(*old, v)) return;
  doc[key] = std::move(v);
}

template <class T>
void put(json::object& doc, std::string_view key, const std::optional<T>& v) {
  if (v) put(doc, key, json::value(*v));
}

// A string member the record always reads ("" when absent): written once it has a value.
void put_str(json::object& doc, std::string_view key, const std::string& v) {
  if (doc.contains(key) || !v.empty()) put(doc, key, json::value(v));
}

// A flag that is only ever set.
void put_flag(json::object& doc, std::string_view key, bool v) {
  if (v) put(doc, key, json::value(true));
}

json::object object_or_empty(const json::object& doc, std::string_view key) {
  const json::object* o = obj(doc, key);
  return o ? *o : json::object{};
}

// --- Tasks -----------------------------------------------------------------------------------

TaskAttachment attachment_from_json(json::object doc) {
  TaskAttachment a;
  a.id = str(doc, "id");
  a.type = str(doc, "type");
  a.status = str(doc, "status");
  if (const json::array* details = arr(doc, "details")) {
    for (const json::value& kv : *details) {
      if (kv.is_object())
        a.details.emplace_back(str(kv.as_object(), "name"), str(kv.as_object(), "value"));
    }
  }
  a.doc = std::move(doc);
  return a;
}

json::object to_json(const TaskAttachment& a) {
  json::object doc = a.doc;
  put_str(doc, "status", a.status);
  json::array details;
  for (const auto& [name, value] : a.details) {
    details.push_back(json::object{{"name", name}, {"value", value}});
  }
  if (doc.contains("details") || !details.empty()) put(doc, "details", std::move(details));
  return doc;
}

TaskContainer container_from_json(json::object doc) {
  TaskContainer c;
  c.name = str(doc, "name");
  c.last_status = str(doc, "lastStatus");
  c.exit_code = opt_int(doc, "exitCode");
  c.reason = opt_str(doc, "reason");
  c.runtime_id = opt_str(doc, "runtimeId");
  c.image_digest = opt_str(doc, "imageDigest");
  c.health_status = opt_str(doc, "healthStatus");
  if (const json::array* nics = arr(doc, "networkInterfaces")) {
    for (const json::value& v : *nics) {
      if (v.is_object())
        c.network_interfaces.push_back(
            {str(v.as_object(), "attachmentId"), str(v.as_object(), "privateIpv4Address")});
    }
  }
  c.doc = std::move(doc);
  return c;
}

json::object to_json(const TaskContainer& c) {
  json::object doc = c.doc;
  put_str(doc, "lastStatus", c.last_status);
  json::array nics;
  for (const ContainerInterface& n : c.network_interfaces) {
    nics.push_back(
        json::object{{"attachmentId", n.attachment_id}, {"privateIpv4Address", n.private_ipv4}});
  }
  if (doc.contains("networkInterfaces") || !nics.empty()) {
    put(doc, "networkInterfaces", std::move(nics));
  }
  put(doc, "runtimeId", c.runtime_id);
  put(doc, "imageDigest", c.image_digest);
  put(doc, "exitCode", c.exit_code);
  put(doc, "reason", c.reason);
  put(doc, "healthStatus", c.health_status);
  return doc;
}

TaskSchedulerNotes notes_from_json(json::object doc) {
  TaskSchedulerNotes n;
  n.failure_counted = opt_bool(doc, "failureCounted").value_or(false);
  n.accounted = opt_bool(doc, "accounted").value_or(false);
  if (const json::array* ts = arr(doc, "targets")) {
    for (const json::value& v : *ts) {
      const json::object& t = v.as_object();
      n.targets.push_back({str(t, "targetGroupArn"), str(t, "id"), opt_int(t, "port").value_or(0)});
    }
  }
  n.registered_at = opt_number(doc, "registeredAt");
  n.health_failed = opt_bool(doc, "healthFailed").value_or(false);
  n.was_available = opt_bool(doc, "wasAvailable").value_or(false);
  n.deregistered = opt_bool(doc, "deregistered").value_or(false);
  n.released = opt_bool(doc, "released").value_or(false);
  n.draining = opt_bool(doc, "draining").value_or(false);
  n.stop_reason = opt_str(doc, "stopReason");
  n.doc = std::move(doc);
  return n;
}

json::object to_json(const TaskSchedulerNotes& n) {
  json::object doc = n.doc;
  put_flag(doc, "failureCounted", n.failure_counted);
  put_flag(doc, "accounted", n.accounted);
  if (!n.targets.empty()) {
    json::array targets;
    for (const TaskTarget& t : n.targets) {
      targets.push_back(
          json::object{{"targetGroupArn", t.target_group_arn}, {"id", t.id}, {"port", t.port}});
    }
    put(doc, "targets", std::move(targets));
  }
  put(doc, "registeredAt", n.registered_at);
  put_flag(doc, "healthFailed", n.health_failed);
  put_flag(doc, "wasAvailable", n.was_available);
  put_flag(doc, "deregistered", n.deregistered);
  put_flag(doc, "released", n.released);
  put_flag(doc, "draining", n.draining);
  put(doc, "stopReason", n.stop_reason);
  return doc;
}

}  // namespace

std::string TaskAttachment::detail(std::string_view name) const {
  for (const auto& [n, v] : details) {
    if (n == name) return v;
  }
  return {};
}

std::string Task::eni_detail(std::string_view name) const {
  for (const TaskAttachment& a : attachments) {
    if (std::string v = a.detail(name); !v.empty()) return v;
  }
  return {};
}

Task task_from_json(json::object doc) {
  Task t;
  t.arn = str(doc, "taskArn");
  t.cluster_arn = str(doc, "clusterArn");
  t.task_definition_arn = str(doc, "taskDefinitionArn");
  t.group = str(doc, "group");
  t.started_by = str(doc, "startedBy");
  t.last_status = str(doc, "lastStatus");
  t.desired_status = str(doc, "desiredStatus");
  t.stop_code = opt_str(doc, "stopCode");
  t.stopped_reason = opt_str(doc, "stoppedReason");
  t.health_status = opt_str(doc, "healthStatus");
  t.availability_zone = opt_str(doc, "availabilityZone");
  t.connectivity = opt_str(doc, "connectivity");
  t.created_at = opt_number(doc, "createdAt").value_or(0);
  t.connectivity_at = opt_number(doc, "connectivityAt");
  t.pull_started_at = opt_number(doc, "pullStartedAt");
  t.pull_stopped_at = opt_number(doc, "pullStoppedAt");
  t.started_at = opt_number(doc, "startedAt");
  t.stopping_at = opt_number(doc, "stoppingAt");
  t.execution_stopped_at = opt_number(doc, "executionStoppedAt");
  t.stopped_at = opt_number(doc, "stoppedAt");
  t.version = opt_int(doc, "version").value_or(1);
  if (const json::object* nc = obj(doc, "networkConfiguration")) {
    t.has_network_configuration = true;
    if (const json::object* vpc = obj(*nc, "awsvpcConfiguration")) {
      t.subnets = strings(*vpc, "subnets");
      t.security_groups = strings(*vpc, "securityGroups");
    }
  }
  if (const json::array* atts = arr(doc, "attachments")) {
    for (const json::value& v : *atts) t.attachments.push_back(attachment_from_json(v.as_object()));
  }
  if (const json::array* cs = arr(doc, "containers")) {
    for (const json::value& v : *cs) t.containers.push_back(container_from_json(v.as_object()));
  }
  if (const json::object* g = obj(doc, "gantryNetwork")) {
    t.gantry_network = GantryNetwork{str(*g, "netnsPath"), str(*g, "apiEndpoint")};
  }
  t.scheduler = notes_from_json(object_or_empty(doc, "_scheduler"));
  t.doc = std::move(doc);
  return t;
}

json::object to_json(const Task& t) {
  json::object doc = t.doc;
  put_str(doc, "lastStatus", t.last_status);
  put_str(doc, "desiredStatus", t.desired_status);
  if (doc.contains("attachments") || !t.attachments.empty()) {
    json::array atts;
    for (const TaskAttachment& a : t.attachments) atts.push_back(to_json(a));
    put(doc, "attachments", std::move(atts));
  }
  if (doc.contains("containers") || !t.containers.empty()) {
    json::array cs;
    for (const TaskContainer& c : t.containers) cs.push_back(to_json(c));
    put(doc, "containers", std::move(cs));
  }
  put(doc, "healthStatus", t.health_status);
  put(doc, "availabilityZone", t.availability_zone);
  put(doc, "pullStartedAt", t.pull_started_at);
  put(doc, "pullStoppedAt", t.pull_stopped_at);
  put(doc, "startedAt", t.started_at);
  put(doc, "stopCode", t.stop_code);
  put(doc, "stoppedReason", t.stopped_reason);
  put(doc, "executionStoppedAt", t.execution_stopped_at);
  put(doc, "stoppingAt", t.stopping_at);
  put(doc, "stoppedAt", t.stopped_at);
  put(doc, "connectivity", t.connectivity);
  put(doc, "connectivityAt", t.connectivity_at);
  if (t.gantry_network) {
    put(doc, "gantryNetwork",
        json::object{{"netnsPath", t.gantry_network->netns_path},
                     {"apiEndpoint", t.gantry_network->api_endpoint}});
  }
  json::object notes = to_json(t.scheduler);
  if (doc.contains("_scheduler") || !notes.empty()) put(doc, "_scheduler", std::move(notes));
  if (doc.contains("version") || t.version != 1) put(doc, "version", json::value(t.version));
  return doc;
}

// --- Services and their deployments -----------------------------------------------------------

Deployment deployment_from_json(json::object doc) {
  Deployment d;
  d.id = str(doc, "id");
  d.status = str(doc, "status");
  d.task_definition = str(doc, "taskDefinition");
  d.rollout_state = str(doc, "rolloutState");
  d.rollout_state_reason = opt_str(doc, "rolloutStateReason");
  d.desired_count = opt_int(doc, "desiredCount").value_or(0);
  d.running_count = opt_int(doc, "runningCount");
  d.pending_count = opt_int(doc, "pendingCount");
  d.failed_tasks = opt_int(doc, "failedTasks");
  d.updated_at = opt_number(doc, "updatedAt");
  d.launch_type = opt_str(doc, "launchType");
  if (const json::array* cps = arr(doc, "capacityProviderStrategy")) {
    d.capacity_provider_strategy = *cps;
  }
  if (const json::object* nc = obj(doc, "networkConfiguration")) {
    d.network_configuration = *nc;
    if (const json::object* vpc = obj(*nc, "awsvpcConfiguration")) {
      d.subnets = strings(*vpc, "subnets");
    }
  }
  if (const json::value* pv = doc.if_contains("platformVersion")) d.platform_version = *pv;
  d.doc = std::move(doc);
  return d;
}

json::object to_json(const Deployment& d) {
  json::object doc = d.doc;
  put_str(doc, "status", d.status);
  put(doc, "runningCount", d.running_count);
  put(doc, "pendingCount", d.pending_count);
  put(doc, "failedTasks", d.failed_tasks);
  put_str(doc, "rolloutState", d.rollout_state);
  put(doc, "rolloutStateReason", d.rollout_state_reason);
  put(doc, "updatedAt", d.updated_at);
  return doc;
}

const Deployment* Service::primary() const {
  return !deployments.empty() && deployments.front().status == "PRIMARY" ? &deployments.front()
                                                                         : nullptr;
}

Deployment* Service::primary() {
  return !deployments.empty() && deployments.front().status == "PRIMARY" ? &deployments.front()
                                                                         : nullptr;
}

namespace {

ServiceSchedulerState scheduler_state_from_json(json::object doc) {
  ServiceSchedulerState s;
  s.consecutive_failures = opt_int(doc, "consecutiveFailures");
  s.launch_not_before = opt_number(doc, "launchNotBefore");
  s.deployment = opt_str(doc, "deployment");
  s.steady = opt_bool(doc, "steady");
  s.steady_event_at = opt_number(doc, "steadyEventAt");
  if (const json::object* rb = obj(doc, "rollback")) {
    s.rollback = Rollback{str(*rb, "deployment"), str(*rb, "failed")};
  }
  s.doc = std::move(doc);
  return s;
}

json::object to_json(const ServiceSchedulerState& s) {
  json::object doc = s.doc;
  put(doc, "consecutiveFailures", s.consecutive_failures);
  put(doc, "launchNotBefore", s.launch_not_before);
  put(doc, "deployment", s.deployment);
  if (s.rollback) {
    put(doc, "rollback",
        json::object{{"deployment", s.rollback->deployment}, {"failed", s.rollback->failed}});
  } else {
    doc.erase("rollback");
  }
  put(doc, "steadyEventAt", s.steady_event_at);
  put(doc, "steady", s.steady);
  return doc;
}

DeploymentConfig deployment_config_from_json(const json::object& service) {
  DeploymentConfig c;
  const json::object* config = obj(service, "deploymentConfiguration");
  if (!config) return c;
  c.present = true;
  c.minimum_healthy_percent = opt_int(*config, "minimumHealthyPercent").value_or(100);
  c.maximum_percent = opt_int(*config, "maximumPercent").value_or(200);
  if (const json::object* breaker = obj(*config, "deploymentCircuitBreaker")) {
    c.circuit_breaker = opt_bool(*breaker, "enable").value_or(false);
    c.rollback = opt_bool(*breaker, "rollback").value_or(false);
  }
  return c;
}

}  // namespace

Service service_from_json(json::object doc) {
  Service s;
  s.arn = str(doc, "serviceArn");
  s.name = str(doc, "serviceName");
  s.cluster_arn = str(doc, "clusterArn");
  s.status = str(doc, "status");
  s.task_definition = str(doc, "taskDefinition");
  s.scheduling_strategy = str(doc, "schedulingStrategy");
  const json::object* controller = obj(doc, "deploymentController");
  s.deployment_controller = controller ? str(*controller, "type", "ECS") : "ECS";
  s.propagate_tags = str(doc, "propagateTags", "NONE");
  s.desired_count = opt_int(doc, "desiredCount").value_or(0);
  s.running_count = opt_int(doc, "runningCount");
  s.pending_count = opt_int(doc, "pendingCount");
  s.health_check_grace_period_seconds = opt_int(doc, "healthCheckGracePeriodSeconds").value_or(0);
  s.enable_execute_command = opt_bool(doc, "enableExecuteCommand").value_or(false);
  s.enable_ecs_managed_tags = opt_bool(doc, "enableECSManagedTags").value_or(false);
  s.deployment_config = deployment_config_from_json(doc);
  if (const json::array* lbs = arr(doc, "loadBalancers")) {
    for (const json::value& v : *lbs) {
      const json::object& lb = v.as_object();
      if (lb.contains("targetGroupArn")) {
        s.load_balancers.push_back(
            {str(lb, "targetGroupArn"), opt_int(lb, "containerPort").value_or(0)});
      }
    }
  }
  if (const json::array* ds = arr(doc, "deployments")) {
    for (const json::value& v : *ds) s.deployments.push_back(deployment_from_json(v.as_object()));
  }
  s.scheduler = scheduler_state_from_json(object_or_empty(doc, "_scheduler"));
  s.doc = std::move(doc);
  return s;
}

json::object to_json(const Service& s) {
  json::object doc = s.doc;
  put_str(doc, "status", s.status);
  put_str(doc, "taskDefinition", s.task_definition);
  put(doc, "runningCount", s.running_count);
  put(doc, "pendingCount", s.pending_count);
  if (doc.contains("deployments") || !s.deployments.empty()) {
    json::array ds;
    for (const Deployment& d : s.deployments) ds.push_back(to_json(d));
    put(doc, "deployments", std::move(ds));
  }
  json::object state = to_json(s.scheduler);
  if (doc.contains("_scheduler") || !state.empty()) put(doc, "_scheduler", std::move(state));
  return doc;
}

}  // namespace services::ecs
