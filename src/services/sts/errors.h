#pragma once
// STS errors as the service sends them (query protocol codes from the botocore model).

#include <string>

#include "protocol/aws_error.h"

namespace services::sts::errors {

inline protocol::AwsError validation(std::string m) { return {"ValidationError", std::move(m)}; }
inline protocol::AwsError access_denied(std::string m) {
  return {"AccessDenied", std::move(m), 403};
}
inline protocol::AwsError invalid_identity_token(std::string m) {
  return {"InvalidIdentityToken", std::move(m)};
}
inline protocol::AwsError expired_token(std::string m) {
  return {"ExpiredTokenException", std::move(m)};
}
// IAM's wording, for services that assume a role themselves (CredentialIssuer).
inline protocol::AwsError no_such_role(const std::string& name) {
  return {"NoSuchEntity", "The role with name " + name + " cannot be found.", 404};
}
// "1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint:
// Member must satisfy regular expression pattern: [\w+=,.@-]*"
inline protocol::AwsError pattern_mismatch(const std::string& value, const std::string& field,
                                           const std::string& pattern) {
  return validation("1 validation error detected: Value '" + value + "' at '" + field +
                    "' failed to satisfy constraint: Member must satisfy regular expression "
                    "pattern: " +
                    pattern);
}

}  // namespace services::sts::errors
