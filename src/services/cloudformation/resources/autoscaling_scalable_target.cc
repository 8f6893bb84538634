// AWS::ApplicationAutoScaling::ScalableTarget over Application Auto Scaling's
// RegisterScalableTarget, PutScheduledAction and DeregisterScalableTarget.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-applicationautoscaling-scalabletarget.html
//
// Ref and GetAtt Id: "<ResourceId>|<ScalableDimension>|<ServiceNamespace>"
// (service/my-cluster/my-service|ecs:service:DesiredCount|ecs), the id a ScalingPolicy's
// ScalingTargetId names. ResourceId, ScalableDimension and ServiceNamespace are replaced;
// capacities, RoleARN, SuspendedState and ScheduledActions are updated in place.

#include <boost/json.hpp>
#include <set>

#include "core/json.h"
#include "services/cloudformation/resources/container_support.h"
#include "services/cloudformation/resources/scaling_providers.h"
#include "services/cloudformation/resources/scaling_support.h"

namespace services::cloudformation::resources {
namespace {

namespace json = boost::json;

constexpr std::string_view kService = "application-autoscaling";

class ScalableTarget final : public ClientProvider {
 public:
  using ClientProvider::ClientProvider;

  Result<ProvisionResult> create(const ResourceRequest& req) override {
    for (std::string_view p :
         {"ResourceId", "ScalableDimension", "ServiceNamespace", "MinCapacity", "MaxCapacity"}) {
      if (!prop(req, p)) return missing_property(req, p);
    }
    ScalingKey key = key_from_properties(req);
    if (auto r = register_target(req); !r) return r.error();
    if (auto r = sync_scheduled_actions(req, key); !r) return r.error();
    return ProvisionResult{key.id(), {{"Id", key.id()}}};
  }

  Result<ProvisionResult> update(const ResourceRequest& req) override {
    ScalingKey key = ScalingKey::parse(req.physical_id);
    if (auto r = register_target(req); !r) return r.error();
    if (changed(req, "ScheduledActions")) {
      if (auto r = sync_scheduled_actions(req, key); !r) return r.error();
    }
    return read(req);
  }

  Result<void> remove(const ResourceRequest& req) override {
    ScalingKey key = ScalingKey::parse(req.physical_id);
    auto r = client_.call(*req.stack, kService, "DeregisterScalableTarget", key.input());
    if (!r && !is_code(r.error(), {"ObjectNotFoundException"})) return r.error();
    return {};
  }

  Result<ProvisionResult> read(const ResourceRequest& req) override {
    ScalingKey key = ScalingKey::parse(req.physical_id);
    auto out = client_.call(*req.stack, kService, "DescribeScalableTargets",
                            {{"ServiceNamespace", key.service_namespace},
                             {"ResourceIds", json::array{json::value(key.resource_id)}},
                             {"ScalableDimension", key.scalable_dimension}});
    if (!out) return out.error();
    const json::array* targets = core::arr(*out, "ScalableTargets");
    if (!targets || targets->empty()) {
      return protocol::AwsError{"ObjectNotFoundException",
                                "No scalable target registered for service namespace: " +
                                    key.service_namespace + ", resource ID: " + key.resource_id +
                                    ", scalable dimension: " + key.scalable_dimension};
    }
    return ProvisionResult{key.id(), {{"Id", key.id()}}};
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    return behavior_of(
        property, {"MaxCapacity", "MinCapacity", "RoleARN", "ScheduledActions", "SuspendedState"});
  }

 private:
  Result<void> register_target(const ResourceRequest& req) {
    json::object in = api_input(kService, "RegisterScalableTarget", properties(req.properties));
    auto r = client_.call(*req.stack, kService, "RegisterScalableTarget", in);
    if (!r) return r.error();
    return {};
  }

  // Puts every scheduled action the template gives and deletes those an update removed.
  Result<void> sync_scheduled_actions(const ResourceRequest& req, const ScalingKey& key) {
    std::set<std::string> now;
    if (const json::value* actions = prop(req, "ScheduledActions");
        actions && actions->is_array()) {
      for (const json::value& a : actions->get_array()) {
        if (!a.is_object()) continue;
        json::object in = api_input(kService, "PutScheduledAction", a.get_object());
        for (auto& [k, v] : key.input()) in[k] = v;
        now.insert(core::str(in, "ScheduledActionName"));
        if (auto r = client_.call(*req.stack, kService, "PutScheduledAction", in); !r) {
          return r.error();
        }
      }
    }
    const json::value* before =
        req.previous_properties.is_object()
            ? req.previous_properties.get_object().if_contains("ScheduledActions")
            : nullptr;
    if (!before || !before->is_array()) return {};
    for (const json::value& a : before->get_array()) {
      std::string name = a.is_object() ? core::str(a.get_object(), "ScheduledActionName") : "";
      if (name.empty() || now.contains(name)) continue;
      json::object in = key.input();
      in["ScheduledActionName"] = name;
      auto r = client_.call(*req.stack, kService, "DeleteScheduledAction", in);
      if (!r && !is_code(r.error(), {"ObjectNotFoundException"})) return r.error();
    }
    return {};
  }
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_autoscaling_scalable_target(
    const ServiceClient& client) {
  return std::make_unique<ScalableTarget>(client);
}

}  // namespace services::cloudformation::resources
