#pragma once
// The load_balancing group's providers (providers.h: add_load_balancing_providers), one factory
// per AWS type, each defined in its own file: elbv2_<type>.cc and logs_<type>.cc.

#include <memory>

#include "services/cloudformation/engine/resource_provider.h"
#include "services/cloudformation/resources/service_client.h"

namespace services::cloudformation::resources {

// AWS::ElasticLoadBalancingV2::*
std::unique_ptr<engine::ResourceProvider> make_elbv2_load_balancer(const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_elbv2_target_group(const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_elbv2_listener(const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_elbv2_listener_rule(const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_elbv2_listener_certificate(
    const ServiceClient& client);

// AWS::Logs::*
std::unique_ptr<engine::ResourceProvider> make_logs_log_group(const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_logs_log_stream(const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_logs_metric_filter(const ServiceClient& client);

}  // namespace services::cloudformation::resources
