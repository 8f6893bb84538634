#pragma once
// The scaling group's resource types (Application Auto Scaling, CloudWatch), one provider per
// file, registered by add_scaling_providers (providers.h).

#include <memory>

#include "services/cloudformation/engine/resource_provider.h"
#include "services/cloudformation/resources/service_client.h"

namespace services::cloudformation::resources {

std::unique_ptr<engine::ResourceProvider> make_autoscaling_scalable_target(
    const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_autoscaling_scaling_policy(
    const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_cloudwatch_alarm(const ServiceClient& client);

}  // namespace services::cloudformation::resources
