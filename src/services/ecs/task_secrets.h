#pragma once
// A task's sensitive data, resolved when it starts, as the ECS agent does before it creates any
// container:
//   - containerDefinitions[].secrets [{name, valueFrom}] become environment variables. valueFrom
//     is an SSM parameter name (this region), an SSM parameter ARN, or a Secrets Manager secret
//     ARN, optionally followed by ":json-key:version-stage:version-id" (each part may be empty).
//     SecureString parameters are decrypted.
//     https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-ssm-paramstore.html
//     https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html
//   - repositoryCredentials.credentialsParameter is read (a JSON secret with username and
//     password) and checked as the agent checks it. Images come only from Gantry's own ECR (or
//     images loaded locally), so the credentials are not used for anything else.
// A failure is an AwsError whose message is the task's stoppedReason in the agent's words
// ("ResourceInitializationError: unable to pull secrets or registry auth: execution resource
// retrieval failed: ..."). The values are returned to the caller only: nothing here stores or
// logs them.
//
// In `--auth enforce` mode the caller passes an Authorize hook that checks the task execution
// role (ssm:GetParameters on the parameter, secretsmanager:GetSecretValue on the secret); a
// denial fails the task with AccessDeniedException in the same wording.
//
// Thread-safe if the readers are (they are).

#include <boost/json/object.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/aws_error.h"
#include "services/secretsmanager/secret_reader.h"
#include "services/ssm/parameter_reader.h"

namespace services::ecs {

// The start of every stoppedReason of this kind.
inline constexpr std::string_view kSecretsFailurePrefix =
    "ResourceInitializationError: unable to pull secrets or registry auth: execution resource "
    "retrieval failed: ";

struct SecretPorts {
  ssm::ParameterReader* ssm = nullptr;                // null: `secrets` from SSM are ignored
  secretsmanager::SecretReader* secrets = nullptr;    // null: those from Secrets Manager too
};

// The denial sentence for `action` on `resource` by the execution role, or nullopt if allowed.
using Authorize =
    std::function<std::optional<std::string>(const std::string& action,
                                             const std::string& resource)>;

// One valueFrom, parsed.
struct SecretRef {
  bool secrets_manager = false;
  std::string account, region;  // where it lives (an ARN may name another region)
  std::string id;               // SSM: the name or ARN as given; Secrets Manager: the secret ARN
  std::string json_key, version_stage, version_id;  // Secrets Manager only
};

// nullopt with *error set (the agent's sentence) when a Secrets Manager ARN has the wrong number
// of parts.
std::optional<SecretRef> parse_value_from(std::string_view value_from, std::string_view account,
                                          std::string_view region, std::string* error);

// The ARN IAM sees for an SSM parameter reference ("db", "/app/db", "/app/db:3", or an ARN).
std::string ssm_parameter_arn(const SecretRef& ref);

using EnvList = std::vector<std::pair<std::string, std::string>>;

class TaskSecrets {
 public:
  explicit TaskSecrets(SecretPorts ports) : ports_(ports) {}

  // The secrets of every container of `defs` (name → containerDefinition), by container name.
  // `authorize` may be null (no execution-role check).
  protocol::Result<std::map<std::string, EnvList>> resolve(
      const std::string& account, const std::string& region,
      const std::map<std::string, boost::json::object>& defs, const Authorize& authorize) const;

  // repositoryCredentials.credentialsParameter of every container, read and checked.
  protocol::Result<void> check_registry_auth(
      const std::string& account, const std::string& region,
      const std::map<std::string, boost::json::object>& defs, const Authorize& authorize) const;

 private:
  protocol::Result<std::string> read_ssm(const SecretRef& ref, const Authorize& authorize,
                                         std::vector<std::string>& invalid) const;
  protocol::Result<std::string> read_asm(const SecretRef& ref, const Authorize& authorize) const;

  SecretPorts ports_;
};

}  // namespace services::ecs
