#include "services/ecs/service_document.h"

#include <vector>

#include "services/ecs/ecs_json.h"
#include "services/ecs/ecs_store.h"
#include "services/ecs/service_rules.h"

namespace services::ecs {

namespace json = boost::json;
using Doc = json::object;

namespace {

// Records a deployment in the service's history (service deployments and revisions API).
void record_history(Doc& service, const Doc& deployment, double now) {
  json::array history;
  if (const json::array* h = arr(service, "_history")) {
    history = *h;
  }
  for (json::value& entry : history) {
    json::object& e = entry.as_object();
    if (str(e, "status") == "IN_PROGRESS" || str(e, "status") == "PENDING") {
      e["status"] = "STOPPED";
      e["finishedAt"] = now;
      e["updatedAt"] = now;
    }
  }
  Doc entry{{"id", str(deployment, "id")},
            {"status", "IN_PROGRESS"},
            {"createdAt", now},
            {"startedAt", now},
            {"updatedAt", now},
            {"taskDefinition", str(service, "taskDefinition")},
            {"desiredCount", opt_int(service, "desiredCount").value_or(0)}};
  for (std::string_view key : {"launchType", "capacityProviderStrategy", "platformVersion",
                               "networkConfiguration", "loadBalancers", "serviceRegistries"}) {
    if (const json::value* v = service.if_contains(key)) {
      entry[key] = *v;
    }
  }
  if (const json::value* pf = deployment.if_contains("platformFamily")) {
    entry["platformFamily"] = *pf;
  }
  history.push_back(std::move(entry));
  service["_history"] = std::move(history);
}

}  // namespace

std::string service_arn_for(const protocol::RequestContext& ctx, const Doc& cluster,
                            std::string_view ref) {
  if (is_arn(ref)) {
    return std::string(ref);
  }
  return ecs_arn(ctx, "service/" + str(cluster, "clusterName") + "/" + std::string(ref));
}

Doc without_internal_members(Doc service) {
  std::vector<std::string> internal;
  for (const auto& [k, v] : service) {
    if (k.starts_with("_")) {
      internal.emplace_back(k);
    }
  }
  for (const std::string& k : internal) {
    service.erase(k);
  }
  return service;
}

Doc present_service(EcsStore& st, Doc service, bool with_tags) {
  service = without_internal_members(std::move(service));
  if (with_tags) {
    service["tags"] = st.tags(str(service, "serviceArn"));
  }
  return service;
}

void start_deployment(Doc& service, double now) {
  json::array deployments;
  if (const json::array* d = arr(service, "deployments")) {
    for (const json::value& old : *d) {
      json::object o = old.as_object();
      if (str(o, "status") == "PRIMARY") {
        o["status"] = "ACTIVE";
        o["updatedAt"] = now;
      }
      deployments.push_back(std::move(o));
    }
  }
  Doc primary = new_deployment(service, now);
  record_history(service, primary, now);
  deployments.insert(deployments.begin(), std::move(primary));
  service["deployments"] = std::move(deployments);
}

Doc with_network_defaults(Doc network) {
  json::object& vpc = network["awsvpcConfiguration"].as_object();
  if (!vpc.contains("assignPublicIp")) {
    vpc["assignPublicIp"] = "DISABLED";
  }
  if (!vpc.contains("securityGroups")) {
    vpc["securityGroups"] = json::array();
  }
  return network;
}

}  // namespace services::ecs
