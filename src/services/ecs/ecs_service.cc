#include "services/ecs/ecs_service.h"

#include <algorithm>

#include "services/ecs/ecs_json.h"
#include "services/ecs/ecs_store.h"
#include "services/ecs/errors.h"
#include "services/ecs/service_document.h"

namespace services::ecs {

namespace json = boost::json;

namespace {

// Service documents DescribeServices keeps parsed: a few KiB each, text and tree.
constexpr std::size_t kCachedServiceDocs = 4096;

}  // namespace

EcsService::EcsService(store::Db& db, const core::Clock& clock)
    : db_(db), clock_(clock), service_docs_(kCachedServiceDocs, without_internal_members) {}

protocol::Result<void> EcsService::check_network_exists(const Ctx& ctx, const Doc& in) const {
  const json::object* nc = obj(in, "networkConfiguration");
  const json::object* vpc = nc ? obj(*nc, "awsvpcConfiguration") : nullptr;
  if (!network_checker_ || !vpc) {
    return {};
  }
  std::string e = network_checker_(ctx, strings(*vpc, "subnets"), strings(*vpc, "securityGroups"));
  if (!e.empty()) {
    return errors::invalid_parameter(e);
  }
  return {};
}

void EcsService::register_operations(protocol::ServiceRegistry& registry) {
  registry.add(
      "ecs",
      {
          {"CreateCluster", protocol::method(this, &EcsService::create_cluster)},
          {"DescribeClusters", protocol::method(this, &EcsService::describe_clusters)},
          {"ListClusters", protocol::method(this, &EcsService::list_clusters)},
          {"UpdateCluster", protocol::method(this, &EcsService::update_cluster)},
          {"UpdateClusterSettings", protocol::method(this, &EcsService::update_cluster_settings)},
          {"PutClusterCapacityProviders",
           protocol::method(this, &EcsService::put_cluster_capacity_providers)},
          {"DeleteCluster", protocol::method(this, &EcsService::delete_cluster)},
          {"ListContainerInstances", protocol::method(this, &EcsService::list_container_instances)},
          {"RegisterTaskDefinition", protocol::method(this, &EcsService::register_task_definition)},
          {"DescribeTaskDefinition", protocol::method(this, &EcsService::describe_task_definition)},
          {"ListTaskDefinitions", protocol::method(this, &EcsService::list_task_definitions)},
          {"ListTaskDefinitionFamilies",
           protocol::method(this, &EcsService::list_task_definition_families)},
          {"DeregisterTaskDefinition",
           protocol::method(this, &EcsService::deregister_task_definition)},
          {"DeleteTaskDefinitions", protocol::method(this, &EcsService::delete_task_definitions)},
          {"CreateService", protocol::method(this, &EcsService::create_service)},
          {"UpdateService", protocol::method(this, &EcsService::update_service)},
          {"DescribeServices", protocol::method(this, &EcsService::describe_services)},
          {"ListServices", protocol::method(this, &EcsService::list_services)},
          {"ListServicesByNamespace",
           protocol::method(this, &EcsService::list_services_by_namespace)},
          {"DeleteService", protocol::method(this, &EcsService::delete_service)},
          {"ListServiceDeployments", protocol::method(this, &EcsService::list_service_deployments)},
          {"DescribeServiceDeployments",
           protocol::method(this, &EcsService::describe_service_deployments)},
          {"DescribeServiceRevisions",
           protocol::method(this, &EcsService::describe_service_revisions)},
          {"RunTask", protocol::method(this, &EcsService::run_task)},
          {"StartTask", protocol::method(this, &EcsService::start_task)},
          {"StopTask", protocol::method(this, &EcsService::stop_task)},
          {"DescribeTasks", protocol::method(this, &EcsService::describe_tasks)},
          {"ListTasks", protocol::method(this, &EcsService::list_tasks)},
          {"CreateCapacityProvider", protocol::method(this, &EcsService::create_capacity_provider)},
          {"DescribeCapacityProviders",
           protocol::method(this, &EcsService::describe_capacity_providers)},
          {"UpdateCapacityProvider", protocol::method(this, &EcsService::update_capacity_provider)},
          {"DeleteCapacityProvider", protocol::method(this, &EcsService::delete_capacity_provider)},
          {"TagResource", protocol::method(this, &EcsService::tag_resource)},
          {"UntagResource", protocol::method(this, &EcsService::untag_resource)},
          {"ListTagsForResource", protocol::method(this, &EcsService::list_tags_for_resource)},
          {"ListAccountSettings", protocol::method(this, &EcsService::list_account_settings)},
          {"PutAccountSetting", protocol::method(this, &EcsService::put_account_setting)},
          {"PutAccountSettingDefault",
           protocol::method(this, &EcsService::put_account_setting_default)},
          {"DeleteAccountSetting", protocol::method(this, &EcsService::delete_account_setting)},
      });
}

protocol::Result<Doc> EcsService::active_cluster(EcsStore& st, const Ctx& ctx, const Doc& in,
                                                 bool create_default) {
  std::string ref = str(in, "cluster", kDefaultClusterName);
  if (ref.empty()) {
    ref = kDefaultClusterName;
  }
  std::optional<Doc> cluster;
  if (is_arn(ref)) {
    cluster = st.get(Table::Clusters, ref);
  } else {
    cluster = st.cluster_by_name(ref);
  }
  if (cluster && str(*cluster, "status") == "ACTIVE") {
    return *cluster;
  }
  if (create_default && ref == kDefaultClusterName) {
    Doc created = new_cluster(ctx, kDefaultClusterName);
    created["createdAt"] = epoch(clock_.now());
    st.put_cluster(created);
    return created;
  }
  return errors::cluster_not_found();
}

Reply EcsService::create_in_cluster(const Ctx& ctx, const Doc& in, const CreateInCluster& create) {
  if (auto r = check_network_exists(ctx, in); !r) {
    return r.error();
  }
  store::Transaction tx = db_.begin();
  EcsStore st(tx, ctx.account, ctx.region);
  protocol::Result<Doc> cluster = active_cluster(st, ctx, in, true);
  if (!cluster) {
    return cluster.error();
  }
  return create(tx, st, *cluster);
}

std::optional<Doc> EcsService::find_task_definition(EcsStore& st, const Ctx& ctx,
                                                    std::string_view ref) {
  std::string family_rev = name_from_ref(ref);
  if (is_arn(ref)) {
    // arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>
    if (ref.find(":task-definition/") == std::string_view::npos) {
      return std::nullopt;
    }
    return st.get(Table::TaskDefinitions, ref);
  }
  auto colon = family_rev.rfind(':');
  if (colon == std::string::npos) {
    return st.latest_active_task_definition(family_rev);
  }
  std::string revision = family_rev.substr(colon + 1);
  if (revision.empty() || revision.size() > 9 ||
      revision.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return st.task_definition(family_rev.substr(0, colon), std::stoll(revision));
}

}  // namespace services::ecs

namespace services::ecs {

Reply EcsService::describe_in_cluster(
    const Ctx& ctx, const Doc& in, std::string_view refs_member, std::size_t max, Table table,
    std::string_view out,
    const std::function<std::string(const Doc& cluster, std::string_view ref)>& arn_for,
    const WireDoc& wire_doc) {
  std::vector<std::string> refs = strings(in, refs_member);
  if (refs.empty() || refs.size() > max) {
    return errors::invalid_parameter(std::string(refs_member) + " can have at most " +
                                     std::to_string(max) + " items and at least 1 item.");
  }
  std::vector<std::string> include = strings(in, "include");
  bool with_tags = std::find(include.begin(), include.end(), "TAGS") != include.end();
  struct Row {
    std::string arn;
    std::optional<std::string> text;
    json::array tags;
  };
  std::vector<Row> rows;
  std::string cluster_arn;
  {
    store::Transaction tx = db_.read();
    EcsStore st(tx, ctx.account, ctx.region);
    protocol::Result<Doc> cluster = active_cluster(st, ctx, in, false);
    if (!cluster) {
      return cluster.error();
    }
    cluster_arn = str(*cluster, "clusterArn");
    for (const std::string& ref : refs) {
      Row& row = rows.emplace_back(Row{arn_for(*cluster, ref), std::nullopt, {}});
      row.text = st.doc_text(table, row.arn);
      if (row.text && with_tags) {
        row.tags = st.tags(row.arn);
      }
    }
  }
  json::array found;
  json::array failures;
  for (Row& row : rows) {
    std::shared_ptr<const Doc> doc = row.text ? wire_doc(row.arn, *row.text) : nullptr;
    if (!doc || str(*doc, "clusterArn") != cluster_arn) {
      failures.push_back(failure(row.arn, "MISSING"));
      continue;
    }
    json::object& shown = found.emplace_back(*doc).as_object();
    if (with_tags) {
      shown["tags"] = std::move(row.tags);
    }
  }
  return json::object{{out, std::move(found)}, {"failures", std::move(failures)}};
}

}  // namespace services::ecs
