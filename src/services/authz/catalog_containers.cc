// ECS, ECR and CloudWatch Logs resources, from the Service Authorization Reference:
// list_amazonelasticcontainerservice.html, list_amazonelasticcontainerregistry.html,
// list_amazoncloudwatchlogs.html.
#include <functional>
#include <unordered_map>

#include "core/json.h"
#include "services/authz/catalog.h"

namespace services::authz::catalog_detail {
namespace {

using Doc = boost::json::object;
using Build = std::function<void(const Doc&, const Arns&, ActionTarget&)>;

bool run(const std::unordered_map<std::string_view, Build>& table, std::string_view op,
         const Doc& in, const Arns& a, ActionTarget& out) {
  auto it = table.find(op);
  if (it == table.end()) return false;
  it->second(in, a, out);
  return true;
}

// ---- ECS: arn:aws:ecs:<region>:<account>:cluster/<name>, service/<cluster>/<name>, ...
std::string cluster_name(const Doc& in) { return name_of(core::str(in, "cluster", "default")); }

std::string cluster_arn(const Arns& a, std::string_view cluster) {
  return is_arn(cluster) ? std::string(cluster) : a.arn("ecs", "cluster/" + name_of(cluster));
}

// `id` (a name or an ARN) of a resource inside the request's cluster.
std::string in_cluster(const Doc& in, const Arns& a, std::string_view type, std::string_view id) {
  if (is_arn(id)) return std::string(id);
  return a.arn("ecs", std::string(type) + "/" + cluster_name(in) + "/" + std::string(id));
}

std::string task_definition_arn(const Arns& a, std::string_view td) {
  if (is_arn(td)) return std::string(td);
  // A family without a revision means its latest, which the request does not name.
  std::string r(td);
  if (r.find(':') == std::string::npos) r += ":*";
  return a.arn("ecs", "task-definition/" + r);
}

void with_cluster_key(const Doc& in, const Arns& a, ActionTarget& out) {
  out.keys["ecs:cluster"] = {cluster_arn(a, core::str(in, "cluster", "default"))};
}

void each_in_cluster(const Doc& in, const Arns& a, ActionTarget& out, std::string_view member,
                     std::string_view type) {
  for (const std::string& id : members(in, member)) {
    out.resources.push_back(in_cluster(in, a, type, id));
  }
  with_cluster_key(in, a, out);
}

void cluster(const Doc& in, const Arns& a, ActionTarget& out) {
  out.resources = {cluster_arn(a, core::str(in, "cluster", "default"))};
}

void task_definition_run(const Doc& in, const Arns& a, ActionTarget& out) {
  out.resources = {task_definition_arn(a, core::str(in, "taskDefinition"))};
  with_cluster_key(in, a, out);
}

const std::unordered_map<std::string_view, Build>& ecs_table() {
  static const std::unordered_map<std::string_view, Build> t{
      {"DescribeClusters",
       [](const Doc& in, const Arns& a, ActionTarget& out) {
         std::vector<std::string> names = members(in, "clusters");
         if (names.empty()) names = {"default"};
         for (const std::string& c : names) out.resources.push_back(cluster_arn(a, c));
       }},
      {"UpdateCluster", cluster},
      {"UpdateClusterSettings", cluster},
      {"PutClusterCapacityProviders", cluster},
      {"DeleteCluster", cluster},
      {"ListContainerInstances", cluster},
      {"CreateService",
       [](const Doc& in, const Arns& a, ActionTarget& out) {
         out.resources = {in_cluster(in, a, "service", core::str(in, "serviceName"))};
         with_cluster_key(in, a, out);
         if (auto td = core::opt_str(in, "taskDefinition")) {
           out.keys["ecs:task-definition"] = {task_definition_arn(a, *td)};
         }
       }},
      {"UpdateService",
       [](const Doc& in, const Arns& a, ActionTarget& out) {
         each_in_cluster(in, a, out, "service", "service");
         if (auto td = core::opt_str(in, "taskDefinition")) {
           out.keys["ecs:task-definition"] = {task_definition_arn(a, *td)};
         }
       }},
      {"DeleteService",
       [](const Doc& in, const Arns& a, ActionTarget& o) { each_in_cluster(in, a, o, "service", "service"); }},
      {"ListServiceDeployments",
       [](const Doc& in, const Arns& a, ActionTarget& o) { each_in_cluster(in, a, o, "service", "service"); }},
      {"DescribeServices",
       [](const Doc& in, const Arns& a, ActionTarget& o) { each_in_cluster(in, a, o, "services", "service"); }},
      {"DescribeServiceDeployments",
       [](const Doc& in, const Arns&, ActionTarget& o) { o.resources = members(in, "serviceDeploymentArns"); }},
      {"DescribeServiceRevisions",
       [](const Doc& in, const Arns&, ActionTarget& o) { o.resources = members(in, "serviceRevisionArns"); }},
      {"ListServices", with_cluster_key},
      {"ListTasks", with_cluster_key},
      {"RunTask", task_definition_run},
      {"StartTask", task_definition_run},
      {"StopTask",
       [](const Doc& in, const Arns& a, ActionTarget& o) { each_in_cluster(in, a, o, "task", "task"); }},
      {"DescribeTasks",
       [](const Doc& in, const Arns& a, ActionTarget& o) { each_in_cluster(in, a, o, "tasks", "task"); }},
      {"DeleteTaskDefinitions",
       [](const Doc& in, const Arns& a, ActionTarget& o) {
         for (const std::string& td : members(in, "taskDefinitions")) {
           o.resources.push_back(task_definition_arn(a, td));
         }
       }},
      {"CreateCapacityProvider",
       [](const Doc& in, const Arns& a, ActionTarget& o) {
         o.resources = {a.arn("ecs", "capacity-provider/" + core::str(in, "name"))};
       }},
      {"UpdateCapacityProvider",
       [](const Doc& in, const Arns& a, ActionTarget& o) {
         o.resources = {a.arn("ecs", "capacity-provider/" + core::str(in, "name"))};
       }},
      {"DeleteCapacityProvider",
       [](const Doc& in, const Arns& a, ActionTarget& o) {
         std::string cp = core::str(in, "capacityProvider");
         o.resources = {is_arn(cp) ? cp : a.arn("ecs", "capacity-provider/" + cp)};
       }},
  };
  return t;
}

// ---- ECR: arn:aws:ecr:<region>:<account>:repository/<name>
void repository(const Doc& in, const Arns& a, ActionTarget& out) {
  out.resources = {a.arn("ecr", "repository/" + core::str(in, "repositoryName"))};
}

// ---- Logs: arn:aws:logs:<region>:<account>:log-group:<name>[:log-stream:<stream>]
std::string log_group_arn(const Doc& in, const Arns& a) {
  if (auto id = core::opt_str(in, "logGroupIdentifier"); id && is_arn(*id)) return *id;
  std::string name = core::str(in, "logGroupName", core::str(in, "logGroupIdentifier"));
  return a.arn("logs", "log-group:" + name);
}

void log_group(const Doc& in, const Arns& a, ActionTarget& out) {
  out.resources = {log_group_arn(in, a)};
}

void log_stream(const Doc& in, const Arns& a, ActionTarget& out) {
  out.resources = {log_group_arn(in, a) + ":log-stream:" + core::str(in, "logStreamName")};
}

}  // namespace

bool ecs_resources(std::string_view op, const Doc& in, const Arns& a, ActionTarget& out) {
  return run(ecs_table(), op, in, a, out);
}

bool ecr_resources(std::string_view op, const Doc& in, const Arns& a, ActionTarget& out) {
  // Every repository operation names repositoryName; GetAuthorizationToken, DescribeRegistry
  // and DescribeRepositories without names are "*".
  if (op == "DescribeRepositories") {
    for (const std::string& r : members(in, "repositoryNames")) {
      out.resources.push_back(a.arn("ecr", "repository/" + r));
    }
    return true;
  }
  if (!in.contains("repositoryName")) return false;
  repository(in, a, out);
  return true;
}

bool logs_resources(std::string_view op, const Doc& in, const Arns& a, ActionTarget& out) {
  if (op == "PutLogEvents" || op == "GetLogEvents" || op == "DeleteLogStream") {
    log_stream(in, a, out);
    return true;
  }
  if (op == "DescribeLogGroups" || op == "TestMetricFilter") return false;  // "*"
  if (!in.contains("logGroupName") && !in.contains("logGroupIdentifier")) return false;
  log_group(in, a, out);
  return true;
}

}  // namespace services::authz::catalog_detail
