#pragma once
// What the SSM module offers other modules, in process: a parameter's value as GetParameter
// returns it. ECS resolves a container's `secrets` whose valueFrom names an SSM parameter, and
// (later) CloudFormation resolves {{resolve:ssm:...}} and {{resolve:ssm-secure:...}}.
//
//   Result<ssm::ParameterValue> v = ssm.get(account, region, "/app/db-password", true);
//
// Thread-safe; each call runs its own store transaction (do not call from inside one).

#include <cstdint>
#include <string>
#include <string_view>

#include "protocol/aws_error.h"

namespace services::ssm {

struct ParameterValue {
  std::string name;  // "/app/db-password"
  std::string arn;   // arn:aws:ssm:<region>:<account>:parameter/app/db-password
  std::string type;  // "String", "StringList" or "SecureString"
  std::string value;  // decrypted when asked (SecureString), else as GetParameter shows it
  int64_t version = 1;
  std::string key_id;  // SecureString: the KMS key ARN that encrypts it; else empty
};

class ParameterReader {
 public:
  virtual ~ParameterReader() = default;
  // `name` as GetParameter's Name takes it: a name ("db" or "/app/db"), "name:3" (a version),
  // "name:label", or a parameter ARN (of this account and region). Failures are the AwsError
  // GetParameter would answer: ParameterNotFound, ParameterVersionNotFound, or the KMS error
  // wrapped as SSM wraps it.
  virtual protocol::Result<ParameterValue> get(std::string_view account, std::string_view region,
                                               std::string_view name, bool with_decryption) = 0;
};

}  // namespace services::ssm
