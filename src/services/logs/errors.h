#pragma once
// CloudWatch Logs errors as the service sends them: codes from the botocore model, messages in
// CloudWatch Logs' wording.

#include <string>

#include "protocol/aws_error.h"

namespace services::logs::errors {

inline protocol::AwsError invalid_parameter(std::string m) {
  return {"InvalidParameterException", std::move(m)};
}
inline protocol::AwsError group_already_exists() {
  return {"ResourceAlreadyExistsException", "The specified log group already exists"};
}
inline protocol::AwsError stream_already_exists() {
  return {"ResourceAlreadyExistsException", "The specified log stream already exists"};
}
inline protocol::AwsError group_not_found() {
  return {"ResourceNotFoundException", "The specified log group does not exist."};
}
inline protocol::AwsError stream_not_found() {
  return {"ResourceNotFoundException", "The specified log stream does not exist."};
}
inline protocol::AwsError resource_not_found() {
  return {"ResourceNotFoundException", "The specified resource does not exist."};
}
inline protocol::AwsError metric_filter_not_found() {
  return {"ResourceNotFoundException", "The specified metric filter does not exist."};
}
inline protocol::AwsError limit_exceeded() {
  return {"LimitExceededException", "Resource limit exceeded."};
}
inline protocol::AwsError too_many_tags(std::string m) {
  return {"TooManyTagsException", std::move(m)};
}
inline protocol::AwsError validation(std::string m) {
  return {"ValidationException", std::move(m)};
}
inline protocol::AwsError operation_aborted(std::string m) {
  return {"OperationAbortedException", std::move(m)};
}

// "1 validation error detected: Value 'x' at 'field' failed to satisfy constraint: <what>", the
// wording CloudWatch Logs uses (with InvalidParameterException) for values its model forbids.
inline protocol::AwsError constraint(const std::string& field, const std::string& value,
                                     const std::string& what) {
  return invalid_parameter("1 validation error detected: Value '" + value + "' at '" + field +
                           "' failed to satisfy constraint: " + what);
}

}  // namespace services::logs::errors
