// Cluster operations.

#include <algorithm>

#include "services/ecs/ecs_json.h"
#include "services/ecs/ecs_service.h"
#include "services/ecs/ecs_store.h"
#include "services/ecs/errors.h"
#include "services/ecs/validation.h"

namespace services::ecs {

namespace json = boost::json;

namespace {

bool includes(const Doc& in, std::string_view what) {
  std::vector<std::string> include = strings(in, "include");
  return std::find(include.begin(), include.end(), what) != include.end();
}

// Counts are live: they come from the task and service rows, not from the stored document.
Doc present_cluster(EcsStore& st, Doc cluster, const Doc& in, bool all_fields) {
  std::string arn = str(cluster, "clusterArn");
  cluster["runningTasksCount"] = st.count_tasks(arn, "RUNNING");
  cluster["pendingTasksCount"] = st.count_tasks(arn, "PENDING") +
                                 st.count_tasks(arn, "PROVISIONING") +
                                 st.count_tasks(arn, "ACTIVATING");
  cluster["activeServicesCount"] = st.count_services(arn, "ACTIVE");
  cluster["registeredContainerInstancesCount"] = 0;
  cluster.erase("createdAt");  // ours, not on the wire
  bool tags = all_fields || includes(in, "TAGS");
  cluster["tags"] = tags ? st.tags(arn) : json::array();
  if (!all_fields && !includes(in, "SETTINGS")) {
    cluster.erase("settings");
  }
  if (!all_fields && !includes(in, "CONFIGURATIONS")) {
    cluster.erase("configuration");
  }
  if (!all_fields && !includes(in, "ATTACHMENTS")) {
    cluster.erase("attachments");
  } else if (!cluster.contains("attachments")) {
    cluster["attachments"] = json::array();
  }
  json::array statistics;
  if (includes(in, "STATISTICS")) {
    auto stat = [&](std::string_view name, int64_t value) {
      statistics.push_back(json::object{{"name", name}, {"value", std::to_string(value)}});
    };
    stat("runningEC2TasksCount", 0);
    stat("runningFargateTasksCount", cluster["runningTasksCount"].as_int64());
    stat("pendingEC2TasksCount", 0);
    stat("pendingFargateTasksCount", cluster["pendingTasksCount"].as_int64());
    stat("activeEC2ServiceCount", 0);
    stat("activeFargateServiceCount", cluster["activeServicesCount"].as_int64());
    stat("drainingEC2ServiceCount", 0);
    stat("drainingFargateServiceCount", st.count_services(arn, "DRAINING"));
  }
  cluster["statistics"] = std::move(statistics);
  return cluster;
}

// Applies `settings` ([{name, value}]) over the cluster's, keeping the order of first use.
std::string merge_settings(Doc& cluster, const json::array& settings) {
  json::array merged = cluster.contains("settings") ? cluster["settings"].as_array()
                                                    : json::array();
  for (const json::value& s : settings) {
    if (!s.is_object()) {
      continue;
    }
    std::string name = str(s.get_object(), "name");
    std::string value = str(s.get_object(), "value");
    if (name == "containerInsights" && value != "enabled" && value != "disabled" &&
        value != "enhanced") {
      return "The value '" + value +
             "' is not valid for the containerInsights setting. Valid values are enabled, "
             "disabled and enhanced.";
    }
    bool replaced = false;
    for (json::value& m : merged) {
      if (str(m.as_object(), "name") == name) {
        m.as_object()["value"] = value;
        replaced = true;
      }
    }
    if (!replaced) {
      merged.push_back(json::object{{"name", name}, {"value", value}});
    }
  }
  cluster["settings"] = std::move(merged);
  return {};
}

// capacityProviders and defaultCapacityProviderStrategy of CreateCluster and
// PutClusterCapacityProviders.
std::string apply_capacity_providers(EcsStore& st, Doc& cluster, const Doc& in) {
  std::vector<std::string> providers = strings(in, "capacityProviders");
  for (const std::string& p : providers) {
    if (!is_builtin_capacity_provider(p) && !st.capacity_provider_by_name(name_from_ref(p))) {
      return "The specified capacity provider '" + p +
             "' is not in an ACTIVE state. Specify a valid capacity provider and try again.";
    }
  }
  json::array strategy;
  if (const json::array* s = arr(in, "defaultCapacityProviderStrategy")) {
    strategy = *s;
  }
  if (std::string e = check_capacity_provider_strategy(strategy); !e.empty()) {
    return e;
  }
  for (const json::value& item : strategy) {
    std::string p = str(item.as_object(), "capacityProvider");
    if (std::find(providers.begin(), providers.end(), p) == providers.end()) {
      return "The specified capacity provider strategy cannot contain a capacity provider that "
             "is not associated with the cluster. Associate the capacity provider with the "
             "cluster or specify a valid capacity provider and try again.";
    }
  }
  json::array list;
  for (const std::string& p : providers) {
    list.push_back(json::string(p));
  }
  cluster["capacityProviders"] = std::move(list);
  cluster["defaultCapacityProviderStrategy"] = std::move(strategy);
  if (!providers.empty()) {
    cluster["attachmentsStatus"] = "UPDATE_COMPLETE";
  }
  return {};
}

}  // namespace

// CreateCluster — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html
// Idempotent: creating an ACTIVE cluster's name again returns that cluster.
Reply EcsService::create_cluster(const Ctx& ctx, const Doc& in) {
  std::string name = str(in, "clusterName", kDefaultClusterName);
  if (!valid_cluster_name(name)) {
    return errors::invalid_parameter(
        "Cluster name can only contain alphanumeric characters, hyphens and underscores, and "
        "must be 1-255 characters long.");
  }
  json::array tags;
  if (const json::array* t = arr(in, "tags")) {
    tags = *t;
  }
  if (std::string e = check_tags(tags, ctx.via_cloudformation()); !e.empty()) {
    return errors::invalid_parameter(e);
  }
  store::Transaction tx = db_.begin();
  EcsStore st(tx, ctx.account, ctx.region);
  if (std::optional<Doc> existing = st.cluster_by_name(name);
      existing && str(*existing, "status") == "ACTIVE") {
    return json::object{{"cluster", present_cluster(st, *existing, in, true)}};
  }
  Doc cluster = new_cluster(ctx, name);
  cluster["createdAt"] = epoch(clock_.now());
  std::string insights = st.setting(ctx.caller_arn, "containerInsights")
                             .value_or(st.setting("", "containerInsights").value_or("disabled"));
  cluster["settings"] = json::array{json::object{{"name", "containerInsights"},
                                                 {"value", insights}}};
  if (const json::array* s = arr(in, "settings")) {
    if (std::string e = merge_settings(cluster, *s); !e.empty()) {
      return errors::invalid_parameter(e);
    }
  }
  if (const json::object* c = obj(in, "configuration")) {
    cluster["configuration"] = *c;
  }
  if (const json::object* d = obj(in, "serviceConnectDefaults")) {
    cluster["serviceConnectDefaults"] = *d;
  }
  if (std::string e = apply_capacity_providers(st, cluster, in); !e.empty()) {
    return errors::invalid_parameter(e);
  }
  st.put_cluster(cluster);
  st.clear_tags(str(cluster, "clusterArn"));
  st.add_tags(str(cluster, "clusterArn"), tags);
  Doc out{{"cluster", present_cluster(st, cluster, in, true)}};
  tx.commit();
  return out;
}

// DescribeClusters — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeClusters.html
Reply EcsService::describe_clusters(const Ctx& ctx, const Doc& in) {
  std::vector<std::string> refs = strings(in, "clusters");
  if (refs.empty()) {
    refs.push_back(kDefaultClusterName);
  }
  if (refs.size() > 100) {
    return errors::invalid_parameter("The clusters list can contain at most 100 entries.");
  }
  store::Transaction tx = db_.read();
  EcsStore st(tx, ctx.account, ctx.region);
  json::array clusters;
  json::array failures;
  for (const std::string& ref : refs) {
    std::optional<Doc> cluster =
        is_arn(ref) ? st.get(Table::Clusters, ref) : st.cluster_by_name(ref);
    if (!cluster) {
      failures.push_back(failure(is_arn(ref) ? ref : ecs_arn(ctx, "cluster/" + ref), "MISSING"));
      continue;
    }
    clusters.push_back(present_cluster(st, std::move(*cluster), in, false));
  }
  return json::object{{"clusters", std::move(clusters)}, {"failures", std::move(failures)}};
}

// ListClusters — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListClusters.html
Reply EcsService::list_clusters(const Ctx& ctx, const Doc& in) {
  protocol::Result<Page> page = read_page(in, 100, 100);
  if (!page) {
    return page.error();
  }
  store::Transaction tx = db_.read();
  EcsStore st(tx, ctx.account, ctx.region);
  std::vector<std::string> arns = st.cluster_arns(page->after, page->limit + 1);
  return page_out(std::move(arns), *page, "clusterArns");
}

// The update operations' shared shape: the ACTIVE cluster the request names, changed by
// `change` (which returns an InvalidParameterException message, or "" to go on), stored and
// returned with its settings.
Reply EcsService::change_cluster(const Ctx& ctx, const Doc& in,
                                 const std::function<std::string(EcsStore&, Doc&)>& change) {
  store::Transaction tx = db_.begin();
  EcsStore st(tx, ctx.account, ctx.region);
  protocol::Result<Doc> cluster = active_cluster(st, ctx, in, false);
  if (!cluster) {
    return cluster.error();
  }
  if (std::string e = change(st, *cluster); !e.empty()) {
    return errors::invalid_parameter(e);
  }
  st.put_cluster(*cluster);
  Doc out{{"cluster", present_cluster(st, *cluster, in, true)}};
  tx.commit();
  return out;
}

// UpdateCluster — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateCluster.html
Reply EcsService::update_cluster(const Ctx& ctx, const Doc& in) {
  return change_cluster(ctx, in, [&](EcsStore&, Doc& cluster) -> std::string {
    if (const json::array* s = arr(in, "settings")) {
      if (std::string e = merge_settings(cluster, *s); !e.empty()) return e;
    }
    if (const json::object* c = obj(in, "configuration")) {
      cluster["configuration"] = *c;
    }
    if (const json::object* d = obj(in, "serviceConnectDefaults")) {
      cluster["serviceConnectDefaults"] = *d;
    }
    return {};
  });
}

// UpdateClusterSettings — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateClusterSettings.html
Reply EcsService::update_cluster_settings(const Ctx& ctx, const Doc& in) {
  return change_cluster(ctx, in, [&](EcsStore&, Doc& cluster) -> std::string {
    const json::array* s = arr(in, "settings");
    return s ? merge_settings(cluster, *s) : std::string();
  });
}

// PutClusterCapacityProviders — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PutClusterCapacityProviders.html
Reply EcsService::put_cluster_capacity_providers(const Ctx& ctx, const Doc& in) {
  return change_cluster(ctx, in, [&](EcsStore& st, Doc& cluster) {
    return apply_capacity_providers(st, cluster, in);
  });
}

// DeleteCluster — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteCluster.html
// The cluster stays describable as INACTIVE, as in ECS.
Reply EcsService::delete_cluster(const Ctx& ctx, const Doc& in) {
  store::Transaction tx = db_.begin();
  EcsStore st(tx, ctx.account, ctx.region);
  protocol::Result<Doc> cluster = active_cluster(st, ctx, in, false);
  if (!cluster) {
    return cluster.error();
  }
  std::string arn = str(*cluster, "clusterArn");
  if (st.count_services(arn, "ACTIVE") + st.count_services(arn, "DRAINING") > 0) {
    return errors::cluster_contains_services();
  }
  if (st.count_unstopped_tasks(arn) > 0) {
    return errors::cluster_contains_tasks();
  }
  (*cluster)["status"] = "INACTIVE";
  st.put_cluster(*cluster);
  Doc out{{"cluster", present_cluster(st, *cluster, in, true)}};
  tx.commit();
  return out;
}

// ListContainerInstances — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListContainerInstances.html
// Fargate only: a cluster never has container instances here.
Reply EcsService::list_container_instances(const Ctx& ctx, const Doc& in) {
  store::Transaction tx = db_.read();
  EcsStore st(tx, ctx.account, ctx.region);
  protocol::Result<Doc> cluster = active_cluster(st, ctx, in, false);
  if (!cluster) {
    return cluster.error();
  }
  return json::object{{"containerInstanceArns", json::array()}};
}

}  // namespace services::ecs
