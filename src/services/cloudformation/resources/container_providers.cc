// The container group's providers (providers.h): one add() per type, each type in its own file.

#include "services/cloudformation/resources/container_providers.h"

#include "services/cloudformation/resources/providers.h"

namespace services::cloudformation::resources {

void add_container_providers(engine::ResourceProviders& out, const ServiceClient& client) {
  out.add("AWS::ECR::Repository", make_ecr_repository(client));
  out.add("AWS::ECS::Cluster", make_ecs_cluster(client));
  out.add("AWS::ECS::TaskDefinition", make_ecs_task_definition(client));
  out.add("AWS::ECS::Service", make_ecs_service(client));
  out.add("AWS::ECS::ClusterCapacityProviderAssociations",
          make_ecs_cluster_capacity_provider_associations(client));
}

}  // namespace services::cloudformation::resources
