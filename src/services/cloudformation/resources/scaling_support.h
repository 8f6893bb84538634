#pragma once
// What the scaling group's providers share: the key of an Application Auto Scaling scalable
// target and the id CloudFormation gives it.

#include <boost/json/object.hpp>
#include <string>

#include "services/cloudformation/engine/resource_provider.h"

namespace services::cloudformation::resources {

struct ScalingKey {
  std::string resource_id, scalable_dimension, service_namespace;

  // A ScalableTarget's Ref: "<ResourceId>|<ScalableDimension>|<ServiceNamespace>".
  std::string id() const;
  static ScalingKey parse(const std::string& id);
  // {ServiceNamespace, ResourceId, ScalableDimension}, as every operation on a target takes them.
  boost::json::object input() const;
};

// The target a resource's properties name: ScalingTargetId when given, else its ResourceId,
// ScalableDimension and ServiceNamespace.
ScalingKey key_from_properties(const engine::ResourceRequest& req);

}  // namespace services::cloudformation::resources
