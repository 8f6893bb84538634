#include "services/ecs/task_controller.h"

#include <boost/json.hpp>
#include <map>

#include "core/ids.h"
#include "core/log.h"
#include "services/ecs/ecs_json.h"
#include "services/ecs/task_metadata.h"
#include "services/ecs/ecs_store.h"

namespace services::ecs {
namespace {

namespace json = boost::json;
using reconcile::ReconcileResult;

constexpr int kDefaultStopTimeoutSeconds = 30;  // Fargate's default stopTimeout
constexpr auto kPollWhileStarting = std::chrono::milliseconds(500);
constexpr auto kPollWhileStopping = std::chrono::milliseconds(250);
constexpr double kMaxDrainSeconds = 300;  // ALB's default deregistration delay

// A task the service scheduler registered in target groups and has not yet seen drained
// (service_scheduler.cc keeps this in the row's "_scheduler"), stopped by StopTask.
bool awaits_target_drain(const json::object& task) {
  if (str(task, "stopCode") != "UserInitiated") return false;
  const json::object* sched = obj(task, "_scheduler");
  if (!sched) return false;
  const json::array* targets = arr(*sched, "targets");
  return targets && !targets->empty() && !opt_bool(*sched, "released").value_or(false);
}

std::optional<double> opt_double(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_number()) return std::nullopt;
  return v->to_number<double>();
}

std::optional<TaskRef> ref_of(std::string_view task_arn, const json::object* task) {
  core::ids::ParsedArn p;
  if (!core::ids::parse_arn(task_arn, &p)) return std::nullopt;
  TaskRef ref{p.account, p.region, "", std::string(task_arn)};
  if (task) ref.cluster_arn = str(*task, "clusterArn");
  return ref;
}

const char* phase_status(ContainerPhase p) {
  switch (p) {
    case ContainerPhase::Absent: return "PENDING";
    case ContainerPhase::Created: return "PENDING";
    case ContainerPhase::Running: return "RUNNING";
    case ContainerPhase::Exited: return "STOPPED";
  }
  return "PENDING";
}

std::map<std::string, ContainerState> by_name(const std::vector<ContainerState>& states) {
  std::map<std::string, ContainerState> out;
  for (const ContainerState& s : states) out[s.name] = s;
  return out;
}

// The containerDefinitions of the task's task definition, by name.
std::map<std::string, json::object> definitions(const json::object& td) {
  std::map<std::string, json::object> out;
  if (const json::array* cds = arr(td, "containerDefinitions")) {
    for (const json::value& v : *cds) {
      if (v.is_object()) out[str(v.as_object(), "name")] = v.as_object();
    }
  }
  return out;
}

bool is_essential(const json::object& def) { return opt_bool(def, "essential").value_or(true); }

// True when every dependsOn condition of `def` holds; sets `failed` when one never can.
bool dependencies_met(const json::object& def, const std::map<std::string, ContainerState>& seen,
                      std::string* failed) {
  const json::array* deps = arr(def, "dependsOn");
  if (deps == nullptr) return true;
  for (const json::value& v : *deps) {
    if (!v.is_object()) continue;
    std::string name = str(v.as_object(), "containerName");
    std::string condition = str(v.as_object(), "condition", "START");
    auto it = seen.find(name);
    ContainerPhase phase = it == seen.end() ? ContainerPhase::Absent : it->second.phase;
    if (condition == "START") {
      if (phase != ContainerPhase::Running && phase != ContainerPhase::Exited) return false;
    } else if (condition == "COMPLETE") {
      if (phase != ContainerPhase::Exited) return false;
    } else if (condition == "SUCCESS") {
      if (phase != ContainerPhase::Exited) return false;
      if (it->second.exit_code.value_or(1) != 0) {
        *failed = "Container " + name + " exited with code " +
                  std::to_string(it->second.exit_code.value_or(-1)) +
                  ", dependency of " + str(def, "name") + " required SUCCESS";
        return false;
      }
    } else if (condition == "HEALTHY") {
      if (phase == ContainerPhase::Exited) {
        *failed = "Container " + name + " exited before becoming HEALTHY";
        return false;
      }
      if (phase != ContainerPhase::Running || it->second.health != "HEALTHY") return false;
    }
  }
  return true;
}

// Writes what the runtime reports into containers[] and the task's healthStatus.
void apply_observations(json::object& task, const std::map<std::string, ContainerState>& seen,
                        const std::map<std::string, json::object>& defs) {
  json::array* containers = task.contains("containers") && task.at("containers").is_array()
                                ? &task.at("containers").as_array()
                                : nullptr;
  if (containers == nullptr) return;
  bool any_unhealthy = false, all_healthy = true, any_check = false;
  for (json::value& v : *containers) {
    json::object& c = v.as_object();
    auto it = seen.find(str(c, "name"));
    if (it == seen.end()) continue;
    const ContainerState& s = it->second;
    if (str(c, "lastStatus") != "STOPPED" || s.phase == ContainerPhase::Exited) {
      if (s.phase != ContainerPhase::Absent) c["lastStatus"] = phase_status(s.phase);
    }
    if (!s.runtime_id.empty()) c["runtimeId"] = s.runtime_id;
    if (!s.image_digest.empty()) c["imageDigest"] = s.image_digest;
    if (s.phase == ContainerPhase::Exited && s.exit_code) {
      c["exitCode"] = *s.exit_code;
      if (s.oom_killed) c["reason"] = "OutOfMemoryError: Container killed due to memory usage";
    }
    auto def = defs.find(str(c, "name"));
    if (def != defs.end() && def->second.contains("healthCheck")) {
      any_check = true;
      c["healthStatus"] = s.health;
      any_unhealthy = any_unhealthy || (is_essential(def->second) && s.health == "UNHEALTHY");
      all_healthy = all_healthy && (!is_essential(def->second) || s.health == "HEALTHY");
    }
  }
  task["healthStatus"] = !any_check      ? "UNKNOWN"
                         : any_unhealthy ? "UNHEALTHY"
                         : all_healthy   ? "HEALTHY"
                                         : "UNKNOWN";
}

}  // namespace

TaskController::TaskController(store::Db& db, const core::Clock& clock, TaskNetworkPort& network,
                               ContainerPort& containers, TaskControllerOptions options)
    : db_(db), clock_(clock), network_(network), containers_(containers),
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
  std::optional<TaskRef> ref = ref_of(task_arn, nullptr);
  if (!ref) return ReconcileResult::done();
  std::optional<json::object> task;
  std::optional<json::object> td;
  {
    store::Transaction tx = db_.read();
    EcsStore st(tx, ref->account, ref->region);
    task = st.get(Table::Tasks, task_arn);
    if (task) td = st.get(Table::TaskDefinitions, str(*task, "taskDefinitionArn"));
  }
  if (!task || str(*task, "lastStatus") == "STOPPED") return ReconcileResult::done();
  ref->cluster_arn = str(*task, "clusterArn");
  const auto defs = definitions(td.value_or(json::object{}));
  const double now = epoch(clock_.now());

  // Applies `change` to the freshly read row in one transaction, so that a concurrent StopTask
  // (which writes desiredStatus) is never overwritten with stale fields.
  auto update = [&](const std::function<void(json::object&)>& change) {
    store::Transaction tx = db_.begin();
    EcsStore st(tx, ref->account, ref->region);
    std::optional<json::object> fresh = st.get(Table::Tasks, task_arn);
    if (!fresh) return;
    change(*fresh);
    (*fresh)["version"] = opt_int(*fresh, "version").value_or(1) + 1;
    st.put_task(*fresh);
    tx.commit();
    task = std::move(*fresh);
    if (std::string group = str(*task, "group");
        on_task_changed_ && group.starts_with("service:")) {
      on_task_changed_(*ref, group.substr(8));
    }
  };
  // Ends a task that never started: ECS's TaskFailedToStart.
  auto fail_to_start = [&](const std::string& reason, const std::string& container) {
    core::log::info("task failed to start", {{"task", task_arn}, {"reason", reason}});
    update([&](json::object& t) {
      t["desiredStatus"] = "STOPPED";
      t["stopCode"] = "TaskFailedToStart";
      t["stoppedReason"] = reason;
      t["stoppingAt"] = now;
      if (!container.empty()) {
        for (json::value& v : t["containers"].as_array()) {
          if (str(v.as_object(), "name") == container) v.as_object()["reason"] = reason;
        }
      }
    });
    controller_->enqueue(task_arn);
  };

  std::map<std::string, ContainerState> seen = by_name(containers_.observe(*ref));

  // Observed state first: container phases, exit codes, health.
  std::string desired = str(*task, "desiredStatus");
  std::string essential_exit;
  for (const auto& [name, def] : defs) {
    auto it = seen.find(name);
    if (it != seen.end() && it->second.phase == ContainerPhase::Exited && is_essential(def)) {
      essential_exit = name;
    }
  }
  update([&](json::object& t) {
    apply_observations(t, seen, defs);
    if (str(t, "desiredStatus") == "RUNNING" && !essential_exit.empty()) {
      t["desiredStatus"] = "STOPPED";
      t["stopCode"] = "EssentialContainerExited";
      t["stoppedReason"] = "Essential container in task exited";
      t["stoppingAt"] = now;
    }
  });
  desired = str(*task, "desiredStatus");
  std::string last = str(*task, "lastStatus");

  if (desired == "STOPPED" && (last == "RUNNING" || last == "ACTIVATING")) {
    // DEACTIVATING comes first, as on ECS (targets are deregistered here); then STOPPING.
    update([&](json::object& t) {
      t["lastStatus"] = "DEACTIVATING";
      if (!t.contains("stoppingAt")) t["stoppingAt"] = now;
    });
    return ReconcileResult::requeue_after(core::Duration::zero());
  }

  if (desired == "STOPPED" && last == "DEACTIVATING" && awaits_target_drain(*task)) {
    // StopTask of a service's task behind a load balancer: as on ECS, the containers get their
    // SIGTERM only once the scheduler has drained the targets (at most ALB's default 300 s of
    // deregistration delay, time-scaled), so that in-flight requests finish.
    double since = epoch(clock_.now()) - opt_double(*task, "stoppingAt").value_or(0);
    if (since * clock_.time_scale() < kMaxDrainSeconds) {
      return ReconcileResult::requeue_after(kPollWhileStopping);
    }
  }

  if (desired == "STOPPED") {
    bool any_alive = false;
    for (const auto& [name, s] : seen) {
      if (s.phase == ContainerPhase::Running || s.phase == ContainerPhase::Created) {
        any_alive = true;
        std::string key = task_arn + "/" + name;
        bool send = false;
        {
          std::lock_guard lock(mu_);
          send = stop_sent_.insert(key).second;
        }
        if (send) {
          int timeout = kDefaultStopTimeoutSeconds;
          if (auto d = defs.find(name); d != defs.end()) {
            timeout = static_cast<int>(opt_int(d->second, "stopTimeout").value_or(timeout));
          }
          containers_.stop(*ref, name, timeout);
        }
      }
    }
    if (any_alive) {
      if (last != "STOPPING") {
        update([&](json::object& t) {
          t["lastStatus"] = "STOPPING";
          if (!t.contains("stoppingAt")) t["stoppingAt"] = now;
          if (!t.contains("stopCode")) t["stopCode"] = "UserInitiated";
        });
      }
      return ReconcileResult::requeue_after(kPollWhileStopping);
    }
    update([&](json::object& t) {
      t["lastStatus"] = "DEPROVISIONING";
      t["executionStoppedAt"] = now;
      if (!t.contains("stoppingAt")) t["stoppingAt"] = now;
    });
    containers_.remove(*ref);
    network_.detach(*ref);
    {
      std::lock_guard lock(mu_);
      for (auto it = stop_sent_.lower_bound(task_arn + "/");
           it != stop_sent_.end() && it->starts_with(task_arn + "/");) {
        it = stop_sent_.erase(it);
      }
    }
    update([&](json::object& t) {
      t["lastStatus"] = "STOPPED";
      t["stoppedAt"] = epoch(clock_.now());
      t["connectivity"] = "DISCONNECTED";
      for (json::value& v : t["containers"].as_array()) {
        v.as_object()["lastStatus"] = "STOPPED";
      }
      for (json::value& v : t["attachments"].as_array()) {
        v.as_object()["status"] = "DELETED";
      }
    });
    core::log::info("task stopped", {{"task", task_arn}, {"reason", str(*task, "stoppedReason")}});
    return ReconcileResult::done();
  }

  if (last == "PROVISIONING") {
    TaskNetwork net;
    if (const json::object* nc = obj(*task, "networkConfiguration")) {
      const json::object* vpc = obj(*nc, "awsvpcConfiguration");
      auto attached = network_.attach(*ref, vpc ? strings(*vpc, "subnets") : std::vector<std::string>{},
                                      vpc ? strings(*vpc, "securityGroups") : std::vector<std::string>{});
      if (!attached) {
        fail_to_start("ResourceInitializationError: failed to configure ENI: " +
                          attached.error().message,
                      "");
        return ReconcileResult::done();
      }
      net = *attached;
    }
    update([&](json::object& t) {
      t["lastStatus"] = "PENDING";
      if (!net.eni_id.empty()) {
        std::string attachment_id;
        for (json::value& v : t["attachments"].as_array()) {
          json::object& a = v.as_object();
          if (str(a, "type") != "ElasticNetworkInterface") continue;
          attachment_id = str(a, "id");
          a["status"] = "ATTACHED";
          std::string dashed = net.private_ip;
          for (char& c : dashed) c = c == '.' ? '-' : c;
          a["details"] = json::array{
              json::object{{"name", "subnetId"}, {"value", net.subnet_id}},
              json::object{{"name", "networkInterfaceId"}, {"value", net.eni_id}},
              json::object{{"name", "macAddress"}, {"value", net.mac}},
              json::object{{"name", "privateDnsName"},
                           {"value", "ip-" + dashed + "." +
                                         (ref->region == "us-east-1"
                                              ? std::string("ec2.internal")
                                              : ref->region + ".compute.internal")}},
              json::object{{"name", "privateIPv4Address"}, {"value", net.private_ip}}};
        }
        for (json::value& v : t["containers"].as_array()) {
          v.as_object()["networkInterfaces"] = json::array{json::object{
              {"attachmentId", attachment_id}, {"privateIpv4Address", net.private_ip}}};
        }
        t["availabilityZone"] = net.availability_zone;
        t["connectivity"] = "CONNECTED";
        t["connectivityAt"] = now;
        t["gantryNetwork"] = json::object{{"netnsPath", net.netns_path},
                                          {"apiEndpoint", net.api_endpoint}};
      }
    });
    return ReconcileResult::requeue_after(core::Duration::zero());
  }

  if (last == "PENDING") {
    if (!task->contains("pullStoppedAt")) {
      update([&](json::object& t) { t["pullStartedAt"] = now; });
      for (const auto& [name, def] : defs) {
        auto pulled = containers_.pull(*ref, str(def, "image"));
        if (!pulled) {
          fail_to_start("CannotPullContainerError: " + pulled.error().message, name);
          return ReconcileResult::done();
        }
      }
      for (const auto& [name, def] : defs) {
        auto logging = containers_.prepare_logging(*ref, def);
        if (!logging) {
          fail_to_start(logging.error().message, name);
          return ReconcileResult::done();
        }
      }
      update([&](json::object& t) { t["pullStoppedAt"] = epoch(clock_.now()); });
    }
    std::string netns, endpoint = options_.default_api_endpoint;
    if (const json::object* g = obj(*task, "gantryNetwork")) {
      netns = str(*g, "netnsPath");
      if (!str(*g, "apiEndpoint").empty()) endpoint = str(*g, "apiEndpoint");
    }
    bool all_started = true;
    for (const auto& [name, def] : defs) {
      auto it = seen.find(name);
      if (it != seen.end() && it->second.phase != ContainerPhase::Absent) continue;
      std::string failed;
      if (!dependencies_met(def, seen, &failed)) {
        if (!failed.empty()) {
          fail_to_start("Dependency failure: " + failed, name);
          return ReconcileResult::done();
        }
        all_started = false;
        continue;
      }
      ContainerLaunch launch{name, def, *td, netns, {}};
      if (const json::array* atts = arr(*task, "attachments")) {
        for (const json::value& a : *atts) {
          if (const json::array* details = arr(a.as_object(), "details")) {
            for (const json::value& kv : *details) {
              const json::object& d = kv.as_object();
              if (str(d, "name") == "privateDnsName") launch.hostname = str(d, "value");
              if (str(d, "name") == "privateIPv4Address") launch.private_ip = str(d, "value");
            }
          }
        }
      }
      if (!endpoint.empty()) launch.extra_environment.emplace_back("AWS_ENDPOINT_URL", endpoint);
      launch.extra_environment.emplace_back("AWS_REGION", ref->region);
      launch.extra_environment.emplace_back("AWS_DEFAULT_REGION", ref->region);
      launch.extra_environment.emplace_back("AWS_EXECUTION_ENV", "AWS_ECS_FARGATE");
      launch.extra_environment.emplace_back("ECS_CONTAINER_METADATA_URI_V4",
                                            "http://169.254.170.2/v4/" + metadata_token(task_arn, name));
      launch.extra_environment.emplace_back("ECS_CONTAINER_METADATA_URI",
                                            "http://169.254.170.2/v3/" + metadata_token(task_arn, name));
      auto started = containers_.start(*ref, launch);
      if (!started) {
        fail_to_start("CannotStartContainerError: " + started.error().message, name);
        return ReconcileResult::done();
      }
      seen[name] = ContainerState{name, ContainerPhase::Running, std::nullopt, false, *started};
    }
    if (!all_started) return ReconcileResult::requeue_after(kPollWhileStarting);
    // ECS reports ACTIVATING between the containers starting and RUNNING (where it registers
    // load balancer targets and service discovery); the next pass makes the task RUNNING.
    update([&](json::object& t) {
      apply_observations(t, seen, defs);
      t["lastStatus"] = "ACTIVATING";
    });
    return ReconcileResult::requeue_after(core::Duration::zero());
  }

  if (last == "ACTIVATING") {
    update([&](json::object& t) {
      t["lastStatus"] = "RUNNING";
      t["startedAt"] = epoch(clock_.now());
      if (!t.contains("connectivity")) {
        t["connectivity"] = "CONNECTED";
        t["connectivityAt"] = now;
      }
    });
    core::log::info("task running", {{"task", task_arn}});
    return ReconcileResult::done();
  }
  return ReconcileResult::done();
}

}  // namespace services::ecs
