#pragma once
// The identity group's providers (providers.h): IAM, SSM, Secrets Manager and KMS, one AWS type
// per file (iam_role.cc, ssm_parameter.cc, ...), each over the in-process client, which must
// outlive it.

#include <memory>

#include "services/cloudformation/engine/resource_provider.h"
#include "services/cloudformation/resources/service_client.h"

namespace services::cloudformation::resources {

std::unique_ptr<engine::ResourceProvider> make_iam_role(const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_iam_policy(const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_iam_managed_policy(const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_iam_instance_profile(const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_iam_user(const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_iam_group(const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_iam_service_linked_role(const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_ssm_parameter(const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_secretsmanager_secret(const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_kms_key(const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_kms_alias(const ServiceClient& client);

}  // namespace services::cloudformation::resources
