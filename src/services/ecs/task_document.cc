#include "services/ecs/task_document.h"

#include "core/ids.h"
#include "services/ecs/ecs_json.h"
#include "services/ecs/model.h"

namespace services::ecs {

namespace json = boost::json;

json::object new_task(const protocol::RequestContext& ctx, const json::object& cluster,
                      const json::object& td, const json::object& in, const TaskLaunch& launch,
                      double now) {
  std::string id = core::ids::random_hex(32);
  std::string cluster_name = str(cluster, "clusterName");
  std::string arn = ecs_arn(ctx, "task/" + cluster_name + "/" + id);
  std::string family = str(td, "family");
  json::object task{{"attachments", json::array()},
                    {"attributes", json::array{json::object{{"name", "ecs.cpu-architecture"},
                                                            {"value", "x86_64"}}}},
                    {"clusterArn", str(cluster, "clusterArn")}};
  if (const json::object* nc = obj(in, "networkConfiguration")) {
    // Kept for the task controller; not a member of the Task shape, so never sent.
    task["networkConfiguration"] = *nc;
    json::array details;
    if (const json::object* vpc = obj(*nc, "awsvpcConfiguration")) {
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
  if (!launch.strategy.empty()) {
    task["capacityProviderName"] = str(launch.strategy.front().as_object(), "capacityProvider");
  }
  json::array containers;
  if (const json::array* cds = arr(td, "containerDefinitions")) {
    for (const json::value& v : *cds) {
      const json::object& cd = v.as_object();
      json::object c{{"containerArn", ecs_arn(ctx, "container/" + cluster_name + "/" + id + "/" +
                                                       core::ids::uuid4())},
                     {"taskArn", arn},
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
  }
  task["containers"] = std::move(containers);
  if (td.contains("cpu")) {
    task["cpu"] = td.at("cpu");
  }
  if (td.contains("memory")) {
    task["memory"] = td.at("memory");
  }
  task["createdAt"] = now;
  task["desiredStatus"] = "RUNNING";
  task["enableExecuteCommand"] = opt_bool(in, "enableExecuteCommand").value_or(false);
  task["group"] = str(in, "group", "family:" + family);
  task["lastStatus"] = "PROVISIONING";
  if (!launch.launch_type.empty()) {
    task["launchType"] = launch.launch_type;
  }
  json::object overrides{{"containerOverrides", json::array()},
                         {"inferenceAcceleratorOverrides", json::array()}};
  if (const json::object* o = obj(in, "overrides")) {
    for (const auto& [k, v] : *o) {
      overrides[k] = v;
    }
  }
  task["overrides"] = std::move(overrides);
  if (launch.fargate) {
    std::string pv = str(in, "platformVersion", "LATEST");
    task["platformVersion"] = pv == "LATEST" ? kLatestFargatePlatform : pv;
    task["platformFamily"] = "Linux";
    task["ephemeralStorage"] = td.contains("ephemeralStorage")
                                   ? td.at("ephemeralStorage")
                                   : json::value(json::object{{"sizeInGiB", 20}});
    task["fargateEphemeralStorage"] = task["ephemeralStorage"];
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
