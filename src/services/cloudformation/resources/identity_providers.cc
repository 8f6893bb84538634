// The identity group's providers (providers.h): one add() per type, each type in its own file.

#include "services/cloudformation/resources/identity_providers.h"

#include "services/cloudformation/resources/providers.h"

namespace services::cloudformation::resources {

void add_identity_providers(engine::ResourceProviders& out, const ServiceClient& client) {
  out.add("AWS::IAM::Role", make_iam_role(client));
  out.add("AWS::IAM::Policy", make_iam_policy(client));
  out.add("AWS::IAM::ManagedPolicy", make_iam_managed_policy(client));
  out.add("AWS::IAM::InstanceProfile", make_iam_instance_profile(client));
  out.add("AWS::IAM::User", make_iam_user(client));
  out.add("AWS::IAM::Group", make_iam_group(client));
  out.add("AWS::IAM::ServiceLinkedRole", make_iam_service_linked_role(client));
  out.add("AWS::SSM::Parameter", make_ssm_parameter(client));
  out.add("AWS::SecretsManager::Secret", make_secretsmanager_secret(client));
  out.add("AWS::KMS::Key", make_kms_key(client));
  out.add("AWS::KMS::Alias", make_kms_alias(client));
}

}  // namespace services::cloudformation::resources
