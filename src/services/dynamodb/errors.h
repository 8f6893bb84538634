#pragma once
// DynamoDB errors as the service sends them: codes from the botocore model, messages in
// DynamoDB's wording (the JSON encoder prefixes the type with com.amazonaws.dynamodb.v20120810#).

#include <boost/json/object.hpp>
#include <string>

#include "protocol/aws_error.h"

namespace services::dynamodb::errors {

inline protocol::AwsError validation(std::string m) {
  return {"ValidationException", std::move(m)};
}
// "One or more parameter values were invalid: <what>".
inline protocol::AwsError invalid(const std::string& what) {
  return validation("One or more parameter values were invalid: " + what);
}
// ResourceNotFoundException for an operation on a table that does not exist (or is not ACTIVE
// where the operation needs it).
inline protocol::AwsError table_not_found() {
  return {"ResourceNotFoundException", "Requested resource not found"};
}
inline protocol::AwsError table_not_found(const std::string& name) {
  return {"ResourceNotFoundException", "Requested resource not found: Table: " + name +
                                           " not found"};
}
inline protocol::AwsError table_exists(const std::string& name) {
  return {"ResourceInUseException", "Table already exists: " + name};
}
inline protocol::AwsError resource_in_use(std::string m) {
  return {"ResourceInUseException", std::move(m)};
}
inline protocol::AwsError limit_exceeded(std::string m) {
  return {"LimitExceededException", std::move(m)};
}
inline protocol::AwsError conditional_check_failed() {
  return {"ConditionalCheckFailedException", "The conditional request failed"};
}
inline protocol::AwsError conditional_check_failed(boost::json::object item) {
  protocol::AwsError e = conditional_check_failed();
  e.fields["Item"] = std::move(item);
  return e;
}
inline protocol::AwsError idempotent_parameter_mismatch() {
  return {"IdempotentParameterMismatchException",
          "Request is an idempotent retry but its parameters differ from the original request"};
}

}  // namespace services::dynamodb::errors
