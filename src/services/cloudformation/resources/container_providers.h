#pragma once
// The container group's resource types (ECR, ECS), one provider per file, registered by
// add_container_providers (providers.h).

#include <chrono>
#include <memory>

#include "services/cloudformation/engine/resource_provider.h"
#include "services/cloudformation/resources/service_client.h"

namespace services::cloudformation::resources {

std::unique_ptr<engine::ResourceProvider> make_ecr_repository(const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_ecs_cluster(const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_ecs_task_definition(const ServiceClient& client);
// Deleting a service waits at most `drain_limit` for ECS to stop its tasks; a service not stable
// `stabilize_limit` after its create or update fails it ("did not stabilize"). Both are AWS
// durations, divided by the client's time scale (ServiceClient::scaled).
std::unique_ptr<engine::ResourceProvider> make_ecs_service(
    const ServiceClient& client, std::chrono::milliseconds drain_limit = std::chrono::minutes(15),
    std::chrono::milliseconds stabilize_limit = std::chrono::hours(3));
std::unique_ptr<engine::ResourceProvider> make_ecs_cluster_capacity_provider_associations(
    const ServiceClient& client);

}  // namespace services::cloudformation::resources
