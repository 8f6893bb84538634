// Service operations: desired state only; the scheduler (issue 7) converges tasks to it.

#include <algorithm>

#include "core/ids.h"
#include "services/ecs/ecs_json.h"
#include "services/ecs/ecs_service.h"
#include "services/ecs/ecs_store.h"
#include "services/ecs/errors.h"
#include "services/ecs/list_handlers.h"
#include "services/ecs/service_rules.h"
#include "services/ecs/validation.h"

namespace services::ecs {

namespace json = boost::json;

namespace {

constexpr const char* kServiceLinkedRole =
    "role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS";

std::string service_arn_for(const Ctx& ctx, const Doc& cluster, std::string_view ref) {
  if (is_arn(ref)) {
    return std::string(ref);
  }
  return ecs_arn(ctx, "service/" + str(cluster, "clusterName") + "/" + std::string(ref));
}

// The wire form: internal members ("_history") dropped, tags on request.
Doc present_service(EcsStore& st, Doc service, bool with_tags) {
  std::vector<std::string> internal;
  for (const auto& [k, v] : service) {
    if (k.starts_with("_")) {
      internal.emplace_back(k);
    }
  }
  for (const std::string& k : internal) {
    service.erase(k);
  }
  if (with_tags) {
    service["tags"] = st.tags(str(service, "serviceArn"));
  }
  return service;
}

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

// Replaces the PRIMARY deployment: the old one becomes ACTIVE (it still owns tasks until the
// scheduler drains it).
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

// A checked networkConfiguration as the service keeps it: assignPublicIp DISABLED and no
// securityGroups unless given.
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

// UpdateService and DeleteService: the ACTIVE service in["service"] names in the cluster
// find_cluster(st) gives, changed by change(st, service), which answers the reply or an error that
// leaves everything as it was; the changed service is stored and the scheduler told.
template <class FindCluster, class Change>
Reply change_service(store::Db& db, ServiceScheduler& scheduler, const Ctx& ctx, const Doc& in,
                     FindCluster find_cluster, Change change) {
  store::Transaction tx = db.begin();
  EcsStore st(tx, ctx.account, ctx.region);
  protocol::Result<Doc> cluster = find_cluster(st);
  if (!cluster) {
    return cluster.error();
  }
  std::string arn = service_arn_for(ctx, *cluster, str(in, "service"));
  std::optional<Doc> service = st.get(Table::Services, arn);
  if (!service) {
    return errors::service_not_found();
  }
  if (str(*service, "status") != "ACTIVE") {
    return errors::service_not_active();
  }
  Reply out = change(st, *service);
  if (!out) {
    return out;
  }
  st.put_service(*service, "");
  tx.commit();
  scheduler.service_changed({ctx.account, ctx.region, str(*cluster, "clusterArn"), arn});
  return out;
}

}  // namespace

// CreateService — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html
Reply EcsService::create_service(const Ctx& ctx, const Doc& in) {
  std::string name = str(in, "serviceName");
  if (!valid_resource_name(name)) {
    return errors::invalid_parameter(
        "Service name can only contain letters (uppercase and lowercase), numbers, hyphens and "
        "underscores, and must be 1-255 characters long.");
  }
  // An empty capacityProviderStrategy counts as none: the Terraform provider sends
  // "capacityProviderStrategy":[] next to launchType for every service, and ECS accepts it.
  const json::array* requested_strategy = arr(in, "capacityProviderStrategy");
  if (requested_strategy && requested_strategy->empty()) {
    requested_strategy = nullptr;
  }
  if (in.contains("launchType") && requested_strategy) {
    return errors::invalid_parameter(
        "Specifying both a launch type and capacity provider strategy is not supported. Remove "
        "one and try again.");
  }
  std::string strategy = str(in, "schedulingStrategy", "REPLICA");
  std::optional<int64_t> desired = opt_int(in, "desiredCount");
  if (desired && *desired < 0) {
    return errors::invalid_parameter("desiredCount must be greater than or equal to 0.");
  }
  json::array tags;
  if (const json::array* t = arr(in, "tags")) {
    tags = *t;
  }
  if (std::string e = check_tags(tags); !e.empty()) {
    return errors::invalid_parameter(e);
  }
  if (auto r = check_network_exists(ctx, in); !r) {
    return r.error();
  }

  store::Transaction tx = db_.begin();
  EcsStore st(tx, ctx.account, ctx.region);
  protocol::Result<Doc> cluster = active_cluster(st, ctx, in, true);
  if (!cluster) {
    return cluster.error();
  }
  std::string arn = service_arn_for(ctx, *cluster, name);
  std::string client_token = str(in, "clientToken");
  if (std::optional<Doc> existing = st.get(Table::Services, arn)) {
    std::string status = str(*existing, "status");
    if (status == "ACTIVE") {
      if (!client_token.empty() && st.service_client_token(arn) == client_token) {
        return json::object{{"service", present_service(st, *existing, false)}};
      }
      return errors::invalid_parameter("Creation of service was not idempotent.");
    }
    if (status == "DRAINING") {
      return errors::invalid_parameter("Unable to Start a service that is still Draining.");
    }
  }

  Doc service{{"serviceArn", arn},
              {"serviceName", name},
              {"clusterArn", str(*cluster, "clusterArn")}};
  json::array lbs;
  if (const json::array* l = arr(in, "loadBalancers")) {
    lbs = *l;
  }
  service["loadBalancers"] = lbs;
  service["serviceRegistries"] =
      arr(in, "serviceRegistries") ? json::value(*arr(in, "serviceRegistries")) : json::array();
  service["status"] = "ACTIVE";
  service["desiredCount"] = strategy == "DAEMON" ? 0 : desired.value_or(0);
  service["runningCount"] = 0;
  service["pendingCount"] = 0;

  std::string launch_type;
  if (const json::array* cps = requested_strategy) {
    if (std::string e = check_capacity_provider_strategy(*cps); !e.empty()) {
      return errors::invalid_parameter(e);
    }
    service["capacityProviderStrategy"] = *cps;
  } else if (in.contains("launchType")) {
    launch_type = str(in, "launchType");
  } else if (const json::array* d = arr(*cluster, "defaultCapacityProviderStrategy");
             d && !d->empty()) {
    service["capacityProviderStrategy"] = *d;
  } else {
    launch_type = "EC2";
  }
  bool fargate = launch_type == "FARGATE";
  if (const json::array* cps = arr(service, "capacityProviderStrategy")) {
    for (const json::value& item : *cps) {
      fargate = fargate || is_builtin_capacity_provider(str(item.as_object(), "capacityProvider"));
    }
  }
  if (!launch_type.empty()) {
    service["launchType"] = launch_type;
  }
  if (in.contains("platformVersion") && launch_type == "EC2") {
    return errors::invalid_parameter(
        "The platform version must be null when specifying an EC2 launch type.");
  }
  if (fargate) {
    service["platformVersion"] = str(in, "platformVersion", "LATEST");
    service["platformFamily"] = "Linux";
  }

  if (strategy == "DAEMON") {
    if (fargate) {
      return errors::invalid_parameter(
          "The daemon scheduling strategy is not supported with the FARGATE launch type.");
    }
    if (desired) {
      return errors::invalid_parameter(
          "The daemon scheduling strategy does not support a desired count for services.");
    }
    if (in.contains("placementStrategy")) {
      return errors::invalid_parameter(
          "The daemon scheduling strategy does not support placement strategies.");
    }
  }

  std::string td_ref = str(in, "taskDefinition");
  std::optional<Doc> td = find_task_definition(st, ctx, td_ref);
  if (!td) {
    return errors::invalid_parameter("TaskDefinition not found.");
  }
  if (str(*td, "status") != "ACTIVE") {
    return errors::invalid_parameter("TaskDefinition is inactive.");
  }
  if (fargate) {
    std::vector<std::string> compat = strings(*td, "compatibilities");
    if (std::find(compat.begin(), compat.end(), "FARGATE") == compat.end()) {
      return errors::invalid_parameter("Task definition does not support launch_type FARGATE.");
    }
  }
  service["taskDefinition"] = str(*td, "taskDefinitionArn");

  if (std::string e = apply_deployment_configuration(service, obj(in, "deploymentConfiguration"));
      !e.empty()) {
    return errors::invalid_parameter(e);
  }
  const json::object* nc = obj(in, "networkConfiguration");
  if (std::string e = check_network_configuration(*td, nc, launch_type); !e.empty()) {
    return errors::invalid_parameter(e);
  }
  if (nc) {
    service["networkConfiguration"] = with_network_defaults(*nc);
  }
  if (std::string e = check_load_balancers(*td, lbs); !e.empty()) {
    return errors::invalid_parameter(e);
  }
  if (in.contains("healthCheckGracePeriodSeconds") && lbs.empty()) {
    return errors::invalid_parameter(
        "Health check grace period is only valid for services configured to use load "
        "balancers");
  }
  if (std::optional<std::string> role = opt_str(in, "role")) {
    service["roleArn"] = is_arn(*role)
                             ? *role
                             : core::ids::arn("iam", "", ctx.account, "role/" + *role);
  } else if (!lbs.empty()) {
    service["roleArn"] = core::ids::arn("iam", "", ctx.account, kServiceLinkedRole);
  }

  double now = epoch(clock_.now());
  service["events"] = json::array();
  service["createdAt"] = now;
  service["placementConstraints"] =
      arr(in, "placementConstraints") ? json::value(*arr(in, "placementConstraints"))
                                      : json::array();
  service["placementStrategy"] =
      arr(in, "placementStrategy") ? json::value(*arr(in, "placementStrategy")) : json::array();
  if (!lbs.empty() || in.contains("healthCheckGracePeriodSeconds")) {
    service["healthCheckGracePeriodSeconds"] =
        opt_int(in, "healthCheckGracePeriodSeconds").value_or(0);
  }
  service["schedulingStrategy"] = strategy;
  service["deploymentController"] =
      obj(in, "deploymentController") ? json::value(*obj(in, "deploymentController"))
                                      : json::value(json::object{{"type", "ECS"}});
  if (!ctx.caller_arn.empty()) {
    service["createdBy"] = ctx.caller_arn;
  }
  service["enableECSManagedTags"] = opt_bool(in, "enableECSManagedTags").value_or(false);
  service["propagateTags"] = str(in, "propagateTags", "NONE");
  service["enableExecuteCommand"] = opt_bool(in, "enableExecuteCommand").value_or(false);
  for (std::string_view key : {"serviceConnectConfiguration", "volumeConfigurations",
                               "vpcLatticeConfigurations", "availabilityZoneRebalancing"}) {
    if (const json::value* v = in.if_contains(key)) {
      service[key] = *v;
    }
  }
  start_deployment(service, now);

  st.put_service(service, client_token);
  // A service created again under the ARN of a deleted one starts with only the tags it is
  // created with, not the old service's.
  st.clear_tags(arn);
  st.add_tags(arn, tags);
  Doc out{{"service", present_service(st, service, !tags.empty())}};
  tx.commit();
  scheduler_->service_changed({ctx.account, ctx.region, str(*cluster, "clusterArn"), arn});
  return out;
}

// UpdateService — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html
// A change of task definition, network configuration, platform version, capacity provider
// strategy or load balancers, or forceNewDeployment, starts a new PRIMARY deployment.
Reply EcsService::update_service(const Ctx& ctx, const Doc& in) {
  if (auto r = check_network_exists(ctx, in); !r) {
    return r.error();
  }
  return change_service(
      db_, *scheduler_, ctx, in, [&](EcsStore& st) { return active_cluster(st, ctx, in, false); },
      [&](EcsStore& st, Doc& service) -> Reply {
        bool daemon = str(service, "schedulingStrategy") == "DAEMON";
        bool redeploy = opt_bool(in, "forceNewDeployment").value_or(false);
        std::optional<Doc> td = find_task_definition(st, ctx, str(service, "taskDefinition"));
        if (std::optional<std::string> ref = opt_str(in, "taskDefinition")) {
          td = find_task_definition(st, ctx, *ref);
          if (!td) {
            return errors::invalid_parameter("TaskDefinition not found.");
          }
          if (str(*td, "status") != "ACTIVE") {
            return errors::invalid_parameter("TaskDefinition is inactive.");
          }
          if (str(*td, "taskDefinitionArn") != str(service, "taskDefinition")) {
            service["taskDefinition"] = str(*td, "taskDefinitionArn");
            redeploy = true;
          }
        }
        if (!td) {
          return errors::invalid_parameter("TaskDefinition not found.");
        }
        if (std::optional<int64_t> desired = opt_int(in, "desiredCount")) {
          if (daemon) {
            return errors::invalid_parameter(
                "The daemon scheduling strategy does not support a desired count for services.");
          }
          if (*desired < 0) {
            return errors::invalid_parameter("desiredCount must be greater than or equal to 0.");
          }
          service["desiredCount"] = *desired;
        }
        if (const json::array* cps = arr(in, "capacityProviderStrategy")) {
          if (std::string e = check_capacity_provider_strategy(*cps); !e.empty()) {
            return errors::invalid_parameter(e);
          }
          if (service.contains("launchType") && !cps->empty()) {
            // ECS allows moving from a launch type to a strategy only with a new deployment.
            service.erase("launchType");
          }
          service["capacityProviderStrategy"] = *cps;
          redeploy = true;
        }
        if (const json::object* nc = obj(in, "networkConfiguration")) {
          if (std::string e = check_network_configuration(*td, nc, str(service, "launchType"));
              !e.empty()) {
            return errors::invalid_parameter(e);
          }
          service["networkConfiguration"] = with_network_defaults(*nc);
          redeploy = true;
        } else if (std::string e = check_network_configuration(
                       *td, obj(service, "networkConfiguration"), str(service, "launchType"));
                   !e.empty()) {
          return errors::invalid_parameter(e);
        }
        if (std::optional<std::string> pv = opt_str(in, "platformVersion")) {
          if (str(service, "launchType") == "EC2") {
            return errors::invalid_parameter(
                "The platform version must be null when specifying an EC2 launch type.");
          }
          redeploy = redeploy || *pv != str(service, "platformVersion");
          service["platformVersion"] = *pv;
        }
        if (const json::array* lbs = arr(in, "loadBalancers")) {
          service["loadBalancers"] = *lbs;
          redeploy = true;
        }
        if (std::string e = check_load_balancers(*td, service["loadBalancers"].as_array());
            !e.empty()) {
          return errors::invalid_parameter(e);
        }
        if (std::string e =
                apply_deployment_configuration(service, obj(in, "deploymentConfiguration"));
            !e.empty()) {
          return errors::invalid_parameter(e);
        }
        if (std::optional<int64_t> grace = opt_int(in, "healthCheckGracePeriodSeconds")) {
          if (service["loadBalancers"].as_array().empty()) {
            return errors::invalid_parameter(
                "Health check grace period is only valid for services configured to use load "
                "balancers");
          }
          service["healthCheckGracePeriodSeconds"] = *grace;
        }
        for (std::string_view key :
             {"placementConstraints", "placementStrategy", "serviceRegistries", "propagateTags",
              "enableECSManagedTags", "enableExecuteCommand", "serviceConnectConfiguration",
              "volumeConfigurations", "vpcLatticeConfigurations", "availabilityZoneRebalancing"}) {
          if (const json::value* v = in.if_contains(key)) {
            service[key] = *v;
          }
        }
        double now = epoch(clock_.now());
        if (redeploy) {
          start_deployment(service, now);
        } else if (json::value* d = service.if_contains("deployments"); d && d->is_array()) {
          for (json::value& dep : d->as_array()) {
            json::object& o = dep.as_object();
            if (str(o, "status") == "PRIMARY") {
              o["desiredCount"] = service["desiredCount"];
              o["updatedAt"] = now;
            }
          }
        }
        return Doc{{"service", present_service(st, service, false)}};
      });
}

// DescribeServices — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServices.html
Reply EcsService::describe_services(const Ctx& ctx, const Doc& in) {
  return describe_in_cluster(
      ctx, in, "services", 10, Table::Services, "services",
      [&](const Doc& cluster, std::string_view ref) { return service_arn_for(ctx, cluster, ref); },
      present_service);
}

// ListServices — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListServices.html
// Up to 10 results unless maxResults (at most 100) says otherwise.
Reply EcsService::list_services(const Ctx& ctx, const Doc& in) {
  return list_in_cluster(
      db_, ctx, in, 10, "serviceArns",
      [&](EcsStore& st) { return active_cluster(st, ctx, in, false); },
      [&](EcsStore& st, const Doc& cluster, const Page& page) {
        std::optional<std::string> launch_type = opt_str(in, "launchType");
        std::optional<std::string> strategy = opt_str(in, "schedulingStrategy");
        return st.service_arns(
            str(cluster, "clusterArn"),
            launch_type ? std::optional<std::string_view>(*launch_type) : std::nullopt,
            strategy ? std::optional<std::string_view>(*strategy) : std::nullopt, page.after,
            page.limit + 1);
      });
}

// ListServicesByNamespace — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListServicesByNamespace.html
Reply EcsService::list_services_by_namespace(const Ctx& ctx, const Doc& in) {
  protocol::Result<Page> page = read_page(in, 10, 100);
  if (!page) {
    return page.error();
  }
  store::Transaction tx = db_.read();
  EcsStore st(tx, ctx.account, ctx.region);
  std::vector<std::string> arns = st.service_arns_in_namespace(str(in, "namespace"));
  auto it = std::upper_bound(arns.begin(), arns.end(), page->after);
  std::vector<std::string> slice(it, arns.end());
  return page_out(std::move(slice), *page, "serviceArns");
}

// DeleteService — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteService.html
// ACTIVE → DRAINING → INACTIVE. With no runtime to drain tasks, the row goes INACTIVE at once;
// the reply shows DRAINING, as ECS's does.
Reply EcsService::delete_service(const Ctx& ctx, const Doc& in) {
  return change_service(
      db_, *scheduler_, ctx, in, [&](EcsStore& st) { return active_cluster(st, ctx, in, false); },
      [&](EcsStore& st, Doc& service) -> Reply {
        bool force = opt_bool(in, "force").value_or(false);
        if (str(service, "schedulingStrategy") != "DAEMON" &&
            opt_int(service, "desiredCount").value_or(0) > 0 && !force) {
          return errors::invalid_parameter(
              "The service cannot be stopped while it is scaled above 0.");
        }
        double now = epoch(clock_.now());
        service["desiredCount"] = 0;
        service["status"] = "DRAINING";
        if (json::value* d = service.if_contains("deployments"); d && d->is_array()) {
          for (json::value& dep : d->as_array()) {
            dep.as_object()["desiredCount"] = 0;
            dep.as_object()["updatedAt"] = now;
          }
        }
        Doc out{{"service", present_service(st, service, false)}};
        if (!launcher_->drives_task_lifecycle()) {
          service["status"] = "INACTIVE";
        }
        return out;
      });
}

}  // namespace services::ecs
