#pragma once
// What the Secrets Manager module offers other modules, in process: a secret's value as
// GetSecretValue returns it. ECS resolves `secrets` and `repositoryCredentials` with it, and
// (later) CloudFormation resolves {{resolve:secretsmanager:...}}.
//
//   Result<secretsmanager::SecretValue> v =
//       secrets.get(account, region, "arn:aws:secretsmanager:...:secret:db-AbCdEf", "", "");
//
// Thread-safe; each call runs its own store transaction (do not call from inside one).

#include <string>
#include <string_view>
#include <vector>

#include "protocol/aws_error.h"

namespace services::secretsmanager {

struct SecretValue {
  std::string arn;   // arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random chars>
  std::string name;
  std::string version_id;
  std::string secret_string;  // empty when the version holds SecretBinary
  std::string secret_binary;  // raw bytes (not base64); empty when it holds SecretString
  std::vector<std::string> version_stages;
};

class SecretReader {
 public:
  virtual ~SecretReader() = default;
  // GetSecretValue: `secret_id` is a name, a full ARN or a partial ARN (without the 6-character
  // suffix); `version_id` and `version_stage` may be empty (then AWSCURRENT). Failures are the
  // AwsError GetSecretValue would answer: ResourceNotFoundException, InvalidRequestException
  // (deleted), or the KMS error wrapped as Secrets Manager wraps it.
  virtual protocol::Result<SecretValue> get(std::string_view account, std::string_view region,
                                            std::string_view secret_id,
                                            std::string_view version_id,
                                            std::string_view version_stage) = 0;
};

}  // namespace services::secretsmanager
