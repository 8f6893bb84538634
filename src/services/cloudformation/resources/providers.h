#pragma once
// Every resource type Gantry's CloudFormation creates, one provider per type, each in its own file
// resources/<service>_<type>.cc (ec2_vpc.cc, ecs_service.cc, ...), registered here by group.
// A type without a provider fails the stack before anything is created ("Template format error:
// Unrecognized resource types: [...]"): never skipped.

#include "services/cloudformation/engine/resource_provider.h"
#include "services/cloudformation/resources/service_client.h"

namespace services::cloudformation::resources {

// Each group's types, over `client` (which must outlive the providers).
void add_ec2_providers(engine::ResourceProviders& out, const ServiceClient& client);
void add_container_providers(engine::ResourceProviders& out, const ServiceClient& client);  // ECR, ECS
void add_load_balancing_providers(engine::ResourceProviders& out,
                                  const ServiceClient& client);  // ELBv2, Logs
void add_identity_providers(engine::ResourceProviders& out,
                            const ServiceClient& client);  // IAM, SSM, Secrets Manager, KMS
void add_scaling_providers(engine::ResourceProviders& out,
                           const ServiceClient& client);  // Application Auto Scaling, CloudWatch
void add_data_providers(engine::ResourceProviders& out,
                        const ServiceClient& client);  // DynamoDB
void add_stack_providers(engine::ResourceProviders& out,
                         const ServiceClient& client);  // CDK::Metadata, WaitCondition(Handle)

// All of the above.
void add_all_providers(engine::ResourceProviders& out, const ServiceClient& client);

}  // namespace services::cloudformation::resources
