#pragma once
// Secrets Manager errors as the service sends them: codes from the botocore model (plus
// ValidationException and AccessDeniedException, which AWS sends and the model does not list),
// messages in Secrets Manager's wording.

#include <string>

#include "protocol/aws_error.h"

namespace services::secretsmanager::errors {

inline protocol::AwsError not_found() {
  return {"ResourceNotFoundException", "Secrets Manager can't find the specified secret."};
}
// GetSecretValue of a label or version that the secret does not have.
inline protocol::AwsError value_not_found(const std::string& what, const std::string& value) {
  return {"ResourceNotFoundException",
          "Secrets Manager can't find the specified secret value for " + what + ": " + value};
}
inline protocol::AwsError exists(const std::string& name) {
  return {"ResourceExistsException",
          "The operation failed because the secret " + name + " already exists."};
}
inline protocol::AwsError token_in_use(const std::string& token, const std::string& arn) {
  return {"ResourceExistsException", "You can't use ClientRequestToken " + token +
                                         " because that value is already in use for a version "
                                         "of secret " +
                                         arn + "."};
}
inline protocol::AwsError invalid_parameter(std::string m) {
  return {"InvalidParameterException", std::move(m)};
}
inline protocol::AwsError invalid_request(std::string m) {
  return {"InvalidRequestException", std::move(m)};
}
inline protocol::AwsError marked_for_deletion() {
  return invalid_request(
      "You can't perform this operation on the secret because it was marked for deletion.");
}
inline protocol::AwsError scheduled_for_deletion() {
  return invalid_request(
      "You can't create this secret because a secret with this name is already scheduled for "
      "deletion.");
}
inline protocol::AwsError invalid_name() {
  return {"ValidationException",
          "Invalid name. Must be a valid name containing alphanumeric characters, or any of the "
          "following: -/_+=.@!"};
}
inline protocol::AwsError invalid_next_token() {
  return {"InvalidNextTokenException", "The NextToken value is invalid."};
}
inline protocol::AwsError malformed_policy(std::string m) {
  return {"MalformedPolicyDocumentException", std::move(m)};
}
inline protocol::AwsError limit_exceeded(std::string m) {
  return {"LimitExceededException", std::move(m)};
}
// A KMS failure while sealing a new version (the key disabled, pending deletion, not found).
inline protocol::AwsError encryption_failure(const protocol::AwsError& kms) {
  return {"EncryptionFailure",
          "Secrets Manager can't encrypt the protected secret text using the provided KMS key: " +
              kms.code + ": " + kms.message};
}
// A KMS failure while opening a stored version.
inline protocol::AwsError decryption_failure(const protocol::AwsError& kms) {
  return {"DecryptionFailure",
          "Secrets Manager can't decrypt the protected secret text using the provided KMS key: " +
              kms.code + ": " + kms.message};
}
// What RotateSecret answers when it cannot invoke the rotation function; Gantry runs no Lambda, so
// every function is one it cannot invoke.
inline protocol::AwsError cannot_invoke_lambda() {
  return {"AccessDeniedException",
          "Secrets Manager cannot invoke the specified Lambda function. Ensure that the function "
          "policy grants access to the principal secretsmanager.amazonaws.com."};
}

}  // namespace services::secretsmanager::errors
