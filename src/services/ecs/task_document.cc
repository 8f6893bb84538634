#include "services/ecs/task_document.h"

#include <algorithm>

#include "core/ids.h"
#include "services/ecs/ecs_json.h"
#include "services/ecs/errors.h"
#include "services/ecs/model.h"
#include "services/ecs/validation.h"

namespace services::ecs {

namespace json = boost::json;

namespace {

// The ENI attachment of an awsvpc task (PRECREATED: the task controller attaches it). The
// networkConfiguration itself is kept for the controller; it is not a member of the Task shape,
// so it is never sent.
void attach_network(json::object& task, const json::object& nc) {
  task["networkConfiguration"] = nc;
  json::array details;
  if (const json::object* vpc = obj(nc, "awsvpcConfiguration")) {
    std::vector<std::string> subnets = strings(*vpc, "subnets");
    if (!subnets.empty()) {
      details.push_back(json::object{{"name", "subnetId"}, {"value", subnets.front()}});
    }
  }
  task["attachments"] = json::array{json::object{{"id", core::ids::uuid4()},
                                                 {"type", "ElasticNetworkInterface"},
                                                 {"status", "PRECREATED"},
                                                 {"details", std::move(details)}}};
}

// One PENDING container per container definition, with its own ARN under the task's.
json::array new_containers(const protocol::RequestContext& ctx, const json::object& td,
                           std::string_view cluster_name, std::string_view task_id,
                           std::string_view task_arn) {
  json::array containers;
  const json::array* cds = arr(td, "containerDefinitions");
  if (!cds) {
    return containers;
  }
  for (const json::value& v : *cds) {
    const json::object& cd = v.as_object();
    std::string path = "container/" + std::string(cluster_name) + "/" + std::string(task_id) +
                       "/" + core::ids::uuid4();
    json::object c{{"containerArn", ecs_arn(ctx, path)},
                   {"taskArn", task_arn},
                   {"name", str(cd, "name")},
                   {"image", str(cd, "image")},
                   {"lastStatus", "PENDING"},
                   {"networkInterfaces", json::array()},
                   {"cpu", std::to_string(opt_int(cd, "cpu").value_or(0))}};
    if (std::optional<int64_t> m = opt_int(cd, "memory")) {
      c["memory"] = std::to_string(*m);
    }
    if (std::optional<int64_t> m = opt_int(cd, "memoryReservation")) {
      c["memoryReservation"] = std::to_string(*m);
    }
    containers.push_back(std::move(c));
  }
  return containers;
}

// RunTask's overrides over ECS's empty defaults.
json::object task_overrides(const json::object& in) {
  json::object overrides{{"containerOverrides", json::array()},
                         {"inferenceAcceleratorOverrides", json::array()}};
  if (const json::object* o = obj(in, "overrides")) {
    for (const auto& [k, v] : *o) {
      overrides[k] = v;
    }
  }
  return overrides;
}

// What a Fargate task adds: platform version and family, ephemeral storage (20 GiB default).
void set_fargate_members(json::object& task, const json::object& td, const json::object& in) {
  std::string pv = str(in, "platformVersion", "LATEST");
  task["platformVersion"] = pv == "LATEST" ? kLatestFargatePlatform : pv;
  task["platformFamily"] = "Linux";
  task["ephemeralStorage"] = td.contains("ephemeralStorage")
                                 ? td.at("ephemeralStorage")
                                 : json::value(json::object{{"sizeInGiB", 20}});
  task["fargateEphemeralStorage"] = task["ephemeralStorage"];
}

}  // namespace

protocol::Result<TaskLaunch> resolve_launch(const json::array* requested, const json::object& in,
                                            const json::object& cluster) {
  TaskLaunch launch;
  if (requested) {
    if (std::string e = check_capacity_provider_strategy(*requested); !e.empty()) {
      return errors::invalid_parameter(e);
    }
    launch.strategy = *requested;
  } else if (in.contains("launchType")) {
    launch.launch_type = str(in, "launchType");
  } else if (const json::array* d = arr(cluster, "defaultCapacityProviderStrategy");
             d && !d->empty()) {
    launch.strategy = *d;
  } else {
    launch.launch_type = "EC2";
  }
  launch.fargate = launch.launch_type == "FARGATE";
  for (const json::value& item : launch.strategy) {
    launch.fargate =
        launch.fargate || is_builtin_capacity_provider(str(item.as_object(), "capacityProvider"));
  }
  return launch;
}

protocol::Result<void> check_platform_version(const TaskLaunch& launch, const json::object& in) {
  if (launch.launch_type == "EC2" && in.contains("platformVersion")) {
    return errors::invalid_parameter(
        "The platform version must be null when specifying an EC2 launch type.");
  }
  return {};
}

bool supports_fargate(const json::object& td) {
  std::vector<std::string> compat = strings(td, "compatibilities");
  return std::find(compat.begin(), compat.end(), "FARGATE") != compat.end();
}

json::object new_task(const protocol::RequestContext& ctx, const json::object& cluster,
                      const json::object& td, const json::object& in, const TaskLaunch& launch,
                      double now) {
  std::string id = core::ids::random_hex(32);
  std::string cluster_name = str(cluster, "clusterName");
  std::string arn = ecs_arn(ctx, "task/" + cluster_name + "/" + id);
  json::object task{{"attachments", json::array()},
                    {"attributes", json::array{json::object{{"name", "ecs.cpu-architecture"},
                                                            {"value", "x86_64"}}}},
                    {"clusterArn", str(cluster, "clusterArn")}};
  if (const json::object* nc = obj(in, "networkConfiguration")) {
    attach_network(task, *nc);
  }
  if (!launch.strategy.empty()) {
    task["capacityProviderName"] = str(launch.strategy.front().as_object(), "capacityProvider");
  }
  task["containers"] = new_containers(ctx, td, cluster_name, id, arn);
  if (td.contains("cpu")) {
    task["cpu"] = td.at("cpu");
  }
  if (td.contains("memory")) {
    task["memory"] = td.at("memory");
  }
  task["createdAt"] = now;
  task["desiredStatus"] = "RUNNING";
  task["enableExecuteCommand"] = opt_bool(in, "enableExecuteCommand").value_or(false);
  task["group"] = str(in, "group", "family:" + str(td, "family"));
  task["lastStatus"] = "PROVISIONING";
  if (!launch.launch_type.empty()) {
    task["launchType"] = launch.launch_type;
  }
  task["overrides"] = task_overrides(in);
  if (launch.fargate) {
    set_fargate_members(task, td, in);
  }
  if (std::optional<std::string> by = opt_str(in, "startedBy")) {
    task["startedBy"] = *by;
  }
  task["taskArn"] = arn;
  task["taskDefinitionArn"] = str(td, "taskDefinitionArn");
  task["version"] = 1;
  return task;
}

}  // namespace services::ecs
