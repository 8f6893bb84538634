#include "services/ecs/service_targets.h"

#include <boost/json.hpp>

#include "core/log.h"
#include "services/ecs/ecs_json.h"

namespace services::ecs {
namespace {

namespace json = boost::json;

protocol::Result<json::object> call(const protocol::ServiceRegistry& registry,
                                    const protocol::RequestContext& ctx, std::string_view op,
                                    const json::object& in) {
  protocol::Result<json::object> r = registry.call(ctx, "elbv2", op, in);
  if (!r) {
    core::log::warn("service scheduler: ELBv2 call failed",
                    {{"operation", std::string(op)},
                     {"target_group", str(in, "TargetGroupArn")},
                     {"error", r.error().code + ": " + r.error().message}});
  }
  return r;
}

json::object one_target(const std::string& group, const std::string& id, int64_t port) {
  return json::object{{"TargetGroupArn", group},
                      {"Targets", json::array{json::object{{"Id", id}, {"Port", port}}}}};
}

}  // namespace

std::string target_key(std::string_view id, int64_t port) {
  return std::string(id) + ":" + std::to_string(port);
}

TargetHealthMap describe_target_health(const protocol::ServiceRegistry& registry,
                                       const protocol::RequestContext& ctx,
                                       const std::vector<std::string>& target_groups) {
  TargetHealthMap out;
  for (const std::string& group : target_groups) {
    if (out.contains(group)) continue;
    auto r = call(registry, ctx, "DescribeTargetHealth", json::object{{"TargetGroupArn", group}});
    if (!r) {
      out[group] = std::nullopt;
      continue;
    }
    std::map<std::string, TargetHealthState> targets;
    if (const json::array* ds = arr(*r, "TargetHealthDescriptions")) {
      for (const json::value& v : *ds) {
        const json::object* t = obj(v.as_object(), "Target");
        const json::object* h = obj(v.as_object(), "TargetHealth");
        if (!t || !h) continue;
        targets[target_key(str(*t, "Id"), opt_int(*t, "Port").value_or(0))] =
            TargetHealthState{str(*h, "State"), str(*h, "Description", str(*h, "Reason"))};
      }
    }
    out[group] = std::move(targets);
  }
  return out;
}

bool register_target(const protocol::ServiceRegistry& registry, const protocol::RequestContext& ctx,
                     const std::string& target_group, const std::string& id, int64_t port) {
  return static_cast<bool>(
      call(registry, ctx, "RegisterTargets", one_target(target_group, id, port)));
}

bool deregister_target(const protocol::ServiceRegistry& registry,
                       const protocol::RequestContext& ctx, const std::string& target_group,
                       const std::string& id, int64_t port) {
  return static_cast<bool>(
      call(registry, ctx, "DeregisterTargets", one_target(target_group, id, port)));
}

}  // namespace services::ecs
