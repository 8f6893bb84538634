#pragma once
// IAM errors as the service sends them: query protocol codes and HTTP statuses from the botocore
// model (NoSuchEntity 404; EntityAlreadyExists, DeleteConflict, LimitExceeded 409; the rest 400),
// messages in IAM's wording.

#include <string>

#include "protocol/aws_error.h"

namespace services::iam::errors {

inline protocol::AwsError validation(std::string m) { return {"ValidationError", std::move(m)}; }
// "1 validation error detected: Value 'x' at 'roleName' failed to satisfy constraint: ...".
inline protocol::AwsError constraint(const std::string& field, const std::string& value,
                                     const std::string& what) {
  return validation("1 validation error detected: Value '" + value + "' at '" + field +
                    "' failed to satisfy constraint: " + what);
}
inline protocol::AwsError invalid_input(std::string m) { return {"InvalidInput", std::move(m)}; }
inline protocol::AwsError no_such_entity(std::string m) {
  return {"NoSuchEntity", std::move(m), 404};
}
// "The role with name X cannot be found." (kind: "role", "user", "group", "role policy", ...).
inline protocol::AwsError not_found(const std::string& kind, const std::string& name) {
  return no_such_entity("The " + kind + " with name " + name + " cannot be found.");
}
inline protocol::AwsError policy_not_found(const std::string& arn) {
  return no_such_entity("Policy " + arn + " was not found.");
}
inline protocol::AwsError not_attachable(const std::string& arn) {
  return no_such_entity("Policy " + arn + " does not exist or is not attachable.");
}
inline protocol::AwsError already_exists(std::string m) {
  return {"EntityAlreadyExists", std::move(m), 409};
}
inline protocol::AwsError delete_conflict(std::string m) {
  return {"DeleteConflict", std::move(m), 409};
}
inline protocol::AwsError limit_exceeded(std::string m) {
  return {"LimitExceeded", std::move(m), 409};
}
inline protocol::AwsError malformed_policy(std::string m) {
  return {"MalformedPolicyDocument", std::move(m)};
}
inline protocol::AwsError unmodifiable(std::string m) {
  return {"UnmodifiableEntity", std::move(m)};
}
inline protocol::AwsError service_failure(std::string m) {
  return {"ServiceFailure", std::move(m), 500, false};
}

}  // namespace services::iam::errors
