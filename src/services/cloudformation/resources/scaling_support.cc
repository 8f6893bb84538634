// ScalingKey (scaling_support.h).

#include "services/cloudformation/resources/scaling_support.h"

#include "services/cloudformation/resources/container_support.h"

namespace services::cloudformation::resources {

std::string ScalingKey::id() const {
  return resource_id + "|" + scalable_dimension + "|" + service_namespace;
}

ScalingKey ScalingKey::parse(const std::string& id) {
  ScalingKey key;
  std::size_t a = id.find('|');
  std::size_t b = a == std::string::npos ? a : id.find('|', a + 1);
  if (b == std::string::npos) {
    key.resource_id = id;
    return key;
  }
  key.resource_id = id.substr(0, a);
  key.scalable_dimension = id.substr(a + 1, b - a - 1);
  key.service_namespace = id.substr(b + 1);
  return key;
}

boost::json::object ScalingKey::input() const {
  return {{"ServiceNamespace", service_namespace},
          {"ResourceId", resource_id},
          {"ScalableDimension", scalable_dimension}};
}

ScalingKey key_from_properties(const engine::ResourceRequest& req) {
  if (std::string id = prop_str(req, "ScalingTargetId"); !id.empty()) return ScalingKey::parse(id);
  return {prop_str(req, "ResourceId"), prop_str(req, "ScalableDimension"),
          prop_str(req, "ServiceNamespace")};
}

}  // namespace services::cloudformation::resources
