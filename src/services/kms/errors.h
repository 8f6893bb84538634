#pragma once
// KMS errors as the service sends them: codes from the botocore model (plus the two AWS sends
// that the model does not list, NotAuthorizedException and AccessDeniedException), messages in
// KMS's wording, which names the key by its ARN.

#include <string>

#include "protocol/aws_error.h"

namespace services::kms::errors {

inline protocol::AwsError validation(std::string m) {
  return {"ValidationException", std::move(m)};
}
// "1 validation error detected: Value 'x' at 'field' failed to satisfy constraint: <what>".
inline protocol::AwsError constraint(const std::string& field, const std::string& value,
                                     const std::string& what) {
  return validation("1 validation error detected: Value '" + value + "' at '" + field +
                    "' failed to satisfy constraint: " + what);
}
inline protocol::AwsError key_not_found(const std::string& key_arn) {
  return {"NotFoundException", "Key '" + key_arn + "' does not exist"};
}
inline protocol::AwsError invalid_key_id(const std::string& key_id) {
  return {"NotFoundException", "Invalid keyId '" + key_id + "'"};
}
inline protocol::AwsError invalid_arn(const std::string& what) {
  return {"NotFoundException", "Invalid arn " + what};
}
inline protocol::AwsError alias_not_found(const std::string& alias_arn) {
  return {"NotFoundException", "Alias " + alias_arn + " is not found."};
}
inline protocol::AwsError alias_exists(const std::string& alias_arn) {
  return {"AlreadyExistsException", "An alias with the name " + alias_arn + " already exists"};
}
inline protocol::AwsError alias_prefix() {
  return validation(
      "Alias must start with the prefix \"alias/\". Please see "
      "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html");
}
inline protocol::AwsError invalid_alias_name(std::string m) {
  return {"InvalidAliasNameException", std::move(m)};
}
// Names under alias/aws/ belong to AWS managed keys.
inline protocol::AwsError reserved_alias() { return {"NotAuthorizedException", ""}; }
inline protocol::AwsError disabled(const std::string& key_arn) {
  return {"DisabledException", key_arn + " is disabled."};
}
inline protocol::AwsError pending_deletion(const std::string& key_arn) {
  return {"KMSInvalidStateException", key_arn + " is pending deletion."};
}
inline protocol::AwsError not_pending_deletion(const std::string& key_arn) {
  return {"KMSInvalidStateException", key_arn + " is not pending deletion."};
}
// AWS sends InvalidCiphertextException without a message.
inline protocol::AwsError invalid_ciphertext() { return {"InvalidCiphertextException", ""}; }
inline protocol::AwsError incorrect_key() {
  return {"IncorrectKeyException",
          "The key ID in the request does not identify a KMS key that can perform this "
          "operation."};
}
inline protocol::AwsError invalid_key_usage(std::string m) {
  return {"InvalidKeyUsageException", std::move(m)};
}
inline protocol::AwsError unsupported(std::string m) {
  return {"UnsupportedOperationException", std::move(m)};
}
inline protocol::AwsError malformed_policy(std::string m) {
  return {"MalformedPolicyDocumentException", std::move(m)};
}
inline protocol::AwsError tag_error(std::string m) { return {"TagException", std::move(m)}; }
inline protocol::AwsError invalid_marker() {
  return {"InvalidMarkerException", "The marker is not valid."};
}
inline protocol::AwsError dry_run() {
  return {"DryRunOperationException",
          "The request would have succeeded, but the DryRun option is set."};
}
// What the key policy of an AWS managed key answers to a change (it allows only use and reads).
inline protocol::AwsError access_denied(const std::string& caller_arn, const std::string& action,
                                        const std::string& key_arn) {
  return {"AccessDeniedException",
          "User: " + caller_arn + " is not authorized to perform: kms:" + action +
              " on resource: " + key_arn +
              " because no resource-based policy allows the kms:" + action + " action"};
}

}  // namespace services::kms::errors
