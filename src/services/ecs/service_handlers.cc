// Service operations: desired state only; the service scheduler converges tasks to it.

#include <algorithm>

#include "core/ids.h"
#include "services/ecs/ecs_json.h"
#include "services/ecs/ecs_service.h"
#include "services/ecs/ecs_store.h"
#include "services/ecs/errors.h"
#include "services/ecs/list_handlers.h"
#include "services/ecs/service_document.h"
#include "services/ecs/service_rules.h"
#include "services/ecs/task_document.h"
#include "services/ecs/validation.h"

namespace services::ecs {

namespace json = boost::json;

namespace {

constexpr const char* kServiceLinkedRole =
    "role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS";

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

namespace {

// An empty capacityProviderStrategy counts as none: the Terraform provider sends
// "capacityProviderStrategy":[] next to launchType for every service, and ECS accepts it.
const json::array* requested_strategy(const Doc& in) {
  const json::array* strategy = arr(in, "capacityProviderStrategy");
  return strategy && !strategy->empty() ? strategy : nullptr;
}

// CreateService's checks that need neither the store nor EC2.
protocol::Result<void> check_create_service_input(const Doc& in, const json::array& tags,
                                                  bool allow_reserved_tags) {
  if (!valid_resource_name(str(in, "serviceName"))) {
    return errors::invalid_parameter(
        "Service name can only contain letters (uppercase and lowercase), numbers, hyphens and "
        "underscores, and must be 1-255 characters long.");
  }
  if (in.contains("launchType") && requested_strategy(in)) {
    return errors::invalid_parameter(
        "Specifying both a launch type and capacity provider strategy is not supported. Remove "
        "one and try again.");
  }
  if (std::optional<int64_t> desired = opt_int(in, "desiredCount"); desired && *desired < 0) {
    return errors::invalid_parameter("desiredCount must be greater than or equal to 0.");
  }
  if (std::string e = check_tags(tags, allow_reserved_tags); !e.empty()) {
    return errors::invalid_parameter(e);
  }
  return {};
}

// What CreateService answers when a service already has its ARN: the same service again for a
// retry with the same clientToken; nullopt when the ARN is free (or its service INACTIVE).
std::optional<Reply> existing_service_reply(EcsStore& st, const std::string& arn,
                                            const std::string& client_token) {
  std::optional<Doc> existing = st.get(Table::Services, arn);
  if (!existing) {
    return std::nullopt;
  }
  std::string status = str(*existing, "status");
  if (status == "ACTIVE") {
    if (!client_token.empty() && st.service_client_token(arn) == client_token) {
      return Reply(json::object{{"service", present_service(st, *existing, false)}});
    }
    return Reply(errors::invalid_parameter("Creation of service was not idempotent."));
  }
  if (status == "DRAINING") {
    return Reply(errors::invalid_parameter("Unable to Start a service that is still Draining."));
  }
  return std::nullopt;
}

// A new ACTIVE service's identity, load balancers and counts.
Doc new_service(const Doc& in, const std::string& arn, const Doc& cluster) {
  Doc service{{"serviceArn", arn},
              {"serviceName", str(in, "serviceName")},
              {"clusterArn", str(cluster, "clusterArn")}};
  service["loadBalancers"] = arr(in, "loadBalancers") ? *arr(in, "loadBalancers") : json::array();
  service["serviceRegistries"] =
      arr(in, "serviceRegistries") ? json::value(*arr(in, "serviceRegistries")) : json::array();
  service["status"] = "ACTIVE";
  bool daemon = str(in, "schedulingStrategy", "REPLICA") == "DAEMON";
  service["desiredCount"] = daemon ? 0 : opt_int(in, "desiredCount").value_or(0);
  service["runningCount"] = 0;
  service["pendingCount"] = 0;
  return service;
}

// The launch members of a new service: strategy or launch type, Fargate's platform.
protocol::Result<void> set_launch_members(Doc& service, const TaskLaunch& launch, const Doc& in) {
  if (!launch.strategy.empty()) {
    service["capacityProviderStrategy"] = launch.strategy;
  }
  if (!launch.launch_type.empty()) {
    service["launchType"] = launch.launch_type;
  }
  if (auto r = check_platform_version(launch, in); !r) {
    return r;
  }
  if (launch.fargate) {
    service["platformVersion"] = str(in, "platformVersion", "LATEST");
    service["platformFamily"] = "Linux";
  }
  return {};
}

// A DAEMON service runs one task per container instance: no Fargate, count or placement strategy.
protocol::Result<void> check_daemon(const Doc& in, bool fargate) {
  if (str(in, "schedulingStrategy", "REPLICA") != "DAEMON") {
    return {};
  }
  if (fargate) {
    return errors::invalid_parameter(
        "The daemon scheduling strategy is not supported with the FARGATE launch type.");
  }
  if (opt_int(in, "desiredCount")) {
    return errors::invalid_parameter(
        "The daemon scheduling strategy does not support a desired count for services.");
  }
  if (in.contains("placementStrategy")) {
    return errors::invalid_parameter(
        "The daemon scheduling strategy does not support placement strategies.");
  }
  return {};
}

// The task definition a service request names, which must exist and be ACTIVE.
protocol::Result<Doc> require_active(std::optional<Doc> td) {
  if (!td) {
    return errors::invalid_parameter("TaskDefinition not found.");
  }
  if (str(*td, "status") != "ACTIVE") {
    return errors::invalid_parameter("TaskDefinition is inactive.");
  }
  return std::move(*td);
}

// How a new service's tasks are deployed and reached: deployment configuration, network,
// load balancers with their grace period and role.
protocol::Result<void> set_wiring_members(Doc& service, const Doc& in, const Doc& td,
                                          const std::string& launch_type, const Ctx& ctx) {
  if (std::string e = apply_deployment_configuration(service, obj(in, "deploymentConfiguration"));
      !e.empty()) {
    return errors::invalid_parameter(e);
  }
  const json::object* nc = obj(in, "networkConfiguration");
  if (std::string e = check_network_configuration(td, nc, launch_type); !e.empty()) {
    return errors::invalid_parameter(e);
  }
  if (nc) {
    service["networkConfiguration"] = with_network_defaults(*nc);
  }
  json::array lbs = service["loadBalancers"].as_array();  // a copy: `service` grows below
  if (std::string e = check_load_balancers(td, lbs); !e.empty()) {
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
  return {};
}

// The rest of a new service: timestamps, placement, flags and what is echoed as given.
void set_remaining_members(Doc& service, const Doc& in, const Ctx& ctx, double now) {
  service["events"] = json::array();
  service["createdAt"] = now;
  service["placementConstraints"] =
      arr(in, "placementConstraints") ? json::value(*arr(in, "placementConstraints"))
                                      : json::array();
  service["placementStrategy"] =
      arr(in, "placementStrategy") ? json::value(*arr(in, "placementStrategy")) : json::array();
  if (!service["loadBalancers"].as_array().empty() ||
      in.contains("healthCheckGracePeriodSeconds")) {
    service["healthCheckGracePeriodSeconds"] =
        opt_int(in, "healthCheckGracePeriodSeconds").value_or(0);
  }
  service["schedulingStrategy"] = str(in, "schedulingStrategy", "REPLICA");
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
}

}  // namespace

// CreateService — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html
Reply EcsService::create_service(const Ctx& ctx, const Doc& in) {
  json::array tags = arr(in, "tags") ? *arr(in, "tags") : json::array();
  if (auto r = check_create_service_input(in, tags, ctx.via_cloudformation()); !r) {
    return r.error();
  }
  return create_in_cluster(
      ctx, in, [&](store::Transaction& tx, EcsStore& st, const Doc& cluster) -> Reply {
        std::string arn = service_arn_for(ctx, cluster, str(in, "serviceName"));
        std::string client_token = str(in, "clientToken");
        if (std::optional<Reply> reply = existing_service_reply(st, arn, client_token)) {
          return std::move(*reply);
        }
        Doc service = new_service(in, arn, cluster);
        protocol::Result<TaskLaunch> launch = resolve_launch(requested_strategy(in), in, cluster);
        if (!launch) {
          return launch.error();
        }
        if (auto r = set_launch_members(service, *launch, in); !r) {
          return r.error();
        }
        if (auto r = check_daemon(in, launch->fargate); !r) {
          return r.error();
        }
        protocol::Result<Doc> td =
            require_active(find_task_definition(st, ctx, str(in, "taskDefinition")));
        if (!td) {
          return td.error();
        }
        if (launch->fargate && !supports_fargate(*td)) {
          return errors::invalid_parameter("Task definition does not support launch_type FARGATE.");
        }
        service["taskDefinition"] = str(*td, "taskDefinitionArn");
        if (auto r = set_wiring_members(service, in, *td, launch->launch_type, ctx); !r) {
          return r.error();
        }
        double now = epoch(clock_.now());
        set_remaining_members(service, in, ctx, now);
        start_deployment(service, now);

        st.put_service(service, client_token);
        // A service created again under the ARN of a deleted one starts with only the tags it is
        // created with, not the old service's.
        st.clear_tags(arn);
        st.add_tags(arn, tags);
        Doc out{{"service", present_service(st, service, !tags.empty())}};
        tx.commit();
        scheduler_->service_changed({ctx.account, ctx.region, str(cluster, "clusterArn"), arn});
        return out;
      });
}

namespace {

// UpdateService's changes to how tasks launch: desired count, capacity provider strategy,
// network configuration, platform version. Returns whether they need a new deployment.
protocol::Result<bool> update_launch(Doc& service, const Doc& in, const Doc& td) {
  bool redeploy = false;
  if (std::optional<int64_t> desired = opt_int(in, "desiredCount")) {
    if (str(service, "schedulingStrategy") == "DAEMON") {
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
  const json::object* nc = obj(in, "networkConfiguration");
  if (std::string e = check_network_configuration(
          td, nc ? nc : obj(service, "networkConfiguration"), str(service, "launchType"));
      !e.empty()) {
    return errors::invalid_parameter(e);
  }
  if (nc) {
    service["networkConfiguration"] = with_network_defaults(*nc);
    redeploy = true;
  }
  if (std::optional<std::string> pv = opt_str(in, "platformVersion")) {
    if (str(service, "launchType") == "EC2") {
      return errors::invalid_parameter(
          "The platform version must be null when specifying an EC2 launch type.");
    }
    redeploy = redeploy || *pv != str(service, "platformVersion");
    service["platformVersion"] = *pv;
  }
  return redeploy;
}

// UpdateService's changes to how tasks are deployed and reached: load balancers, deployment
// configuration, grace period. Returns whether they need a new deployment.
protocol::Result<bool> update_wiring(Doc& service, const Doc& in, const Doc& td) {
  bool redeploy = false;
  if (const json::array* lbs = arr(in, "loadBalancers")) {
    service["loadBalancers"] = *lbs;
    redeploy = true;
  }
  if (std::string e = check_load_balancers(td, service["loadBalancers"].as_array());
      !e.empty()) {
    return errors::invalid_parameter(e);
  }
  if (std::string e = apply_deployment_configuration(service, obj(in, "deploymentConfiguration"));
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
  return redeploy;
}

// After an update: a new PRIMARY deployment, or the PRIMARY one scaled to the desired count.
void deploy_update(Doc& service, bool redeploy, double now) {
  if (redeploy) {
    start_deployment(service, now);
    return;
  }
  json::value* d = service.if_contains("deployments");
  if (!d || !d->is_array()) {
    return;
  }
  for (json::value& dep : d->as_array()) {
    json::object& o = dep.as_object();
    if (str(o, "status") == "PRIMARY") {
      o["desiredCount"] = service["desiredCount"];
      o["updatedAt"] = now;
    }
  }
}

}  // namespace

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
        bool redeploy = opt_bool(in, "forceNewDeployment").value_or(false);
        std::optional<Doc> td = find_task_definition(st, ctx, str(service, "taskDefinition"));
        if (std::optional<std::string> ref = opt_str(in, "taskDefinition")) {
          protocol::Result<Doc> named = require_active(find_task_definition(st, ctx, *ref));
          if (!named) {
            return named.error();
          }
          td = std::move(*named);
          if (str(*td, "taskDefinitionArn") != str(service, "taskDefinition")) {
            service["taskDefinition"] = str(*td, "taskDefinitionArn");
            redeploy = true;
          }
        }
        if (!td) {
          return errors::invalid_parameter("TaskDefinition not found.");
        }
        protocol::Result<bool> launch_changed = update_launch(service, in, *td);
        if (!launch_changed) {
          return launch_changed.error();
        }
        protocol::Result<bool> wiring_changed = update_wiring(service, in, *td);
        if (!wiring_changed) {
          return wiring_changed.error();
        }
        deploy_update(service, redeploy || *launch_changed || *wiring_changed,
                      epoch(clock_.now()));
        return Doc{{"service", present_service(st, service, false)}};
      });
}

// DescribeServices — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServices.html
Reply EcsService::describe_services(const Ctx& ctx, const Doc& in) {
  return describe_in_cluster(
      ctx, in, "services", 10, Table::Services, "services",
      [&](const Doc& cluster, std::string_view ref) { return service_arn_for(ctx, cluster, ref); },
      [this](const std::string& arn, std::string_view text) {
        return service_docs_.get(arn, text);
      });
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
