// The operation table and the checks every handler shares (autoscaling_service.h).

#include "services/autoscaling/autoscaling_service.h"

#include "core/ids.h"
#include "core/json.h"
#include "services/autoscaling/errors.h"

namespace services::autoscaling {

namespace {

constexpr std::string_view kEcsDimension = "ecs:service:DesiredCount";

}  // namespace

std::optional<double> opt_number(const Doc& in, std::string_view key) {
  const boost::json::value* v = in.if_contains(key);
  if (!v || !v->is_number()) return std::nullopt;
  return v->to_number<double>();
}

std::string child_arn(const TargetKey& k, std::string_view kind, std::string_view label,
                      const std::string& name) {
  std::string arn = "arn:" + std::string(core::ids::partition_for_region(k.region)) +
                    ":autoscaling:" + k.region + ":" + k.account + ":";
  arn += kind;
  arn += ":" + core::ids::uuid4() + ":resource/" + k.ns + "/" + k.resource_id + ":";
  arn += label;
  return arn + "/" + name;
}

bool split_service_id(const std::string& resource_id, std::string* cluster, std::string* service) {
  if (!resource_id.starts_with("service/")) return false;
  size_t slash = resource_id.find('/', 8);
  if (slash == std::string::npos || slash == 8 || slash + 1 == resource_id.size() ||
      resource_id.find('/', slash + 1) != std::string::npos) {
    return false;
  }
  *cluster = resource_id.substr(8, slash - 8);
  *service = resource_id.substr(slash + 1);
  return true;
}

AutoscalingService::AutoscalingService(store::Db& db, const core::Clock& clock,
                                       ServiceCapacity& capacity, PolicyAlarms& alarms)
    : db_(db), clock_(clock), capacity_(capacity), alarms_(alarms) {}

void AutoscalingService::register_operations(protocol::ServiceRegistry& registry) {
  using S = AutoscalingService;
  registry.add(
      "application-autoscaling",
      {
          {"RegisterScalableTarget", protocol::method(this, &S::register_scalable_target)},
          {"DescribeScalableTargets", protocol::method(this, &S::describe_scalable_targets)},
          {"DeregisterScalableTarget", protocol::method(this, &S::deregister_scalable_target)},
          {"PutScalingPolicy", protocol::method(this, &S::put_scaling_policy)},
          {"DescribeScalingPolicies", protocol::method(this, &S::describe_scaling_policies)},
          {"DeleteScalingPolicy", protocol::method(this, &S::delete_scaling_policy)},
          {"PutScheduledAction", protocol::method(this, &S::put_scheduled_action)},
          {"DescribeScheduledActions", protocol::method(this, &S::describe_scheduled_actions)},
          {"DeleteScheduledAction", protocol::method(this, &S::delete_scheduled_action)},
          {"DescribeScalingActivities", protocol::method(this, &S::describe_scaling_activities)},
          {"TagResource", protocol::method(this, &S::tag_resource)},
          {"UntagResource", protocol::method(this, &S::untag_resource)},
          {"ListTagsForResource", protocol::method(this, &S::list_tags_for_resource)},
      });
}

protocol::Result<TargetKey> AutoscalingService::target_key(const Ctx& ctx, const Doc& in) const {
  TargetKey k{ctx.account, ctx.region, core::str(in, "ServiceNamespace"),
              core::str(in, "ResourceId"), core::str(in, "ScalableDimension")};
  if (k.ns != "ecs") {
    // Other namespaces scale resources Gantry does not run (DynamoDB tables, EMR clusters...).
    return errors::validation("Unsupported service namespace: " + k.ns +
                              ". Gantry scales only ECS services (namespace ecs).");
  }
  if (k.dimension != kEcsDimension) {
    return errors::validation("Unsupported scalable dimension " + k.dimension +
                              " for service namespace ecs");
  }
  std::string cluster;
  std::string service;
  if (!split_service_id(k.resource_id, &cluster, &service)) {
    return errors::validation("Unsupported resource ID: " + k.resource_id +
                              ". ECS resource IDs have the form service/<cluster>/<service>.");
  }
  return k;
}

}  // namespace services::autoscaling
