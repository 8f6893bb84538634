#pragma once
// CloudWatch errors as the service sends them: query codes from the botocore model (the JSON and
// CBOR codecs map them to their shapes and x-amzn-query-error), messages in CloudWatch's wording.

#include <string>

#include "protocol/aws_error.h"

namespace services::cloudwatch::errors {

inline protocol::AwsError invalid_value(std::string m) {
  return {"InvalidParameterValue", std::move(m)};
}
// "The value X for parameter P is invalid."
inline protocol::AwsError invalid_value(const std::string& param, const std::string& value) {
  return invalid_value("The value " + value + " for parameter " + param + " is invalid.");
}
inline protocol::AwsError combination(std::string m) {
  return {"InvalidParameterCombination", std::move(m)};
}
inline protocol::AwsError missing(const std::string& param) {
  return {"MissingParameter", "The parameter " + param + " is required."};
}
inline protocol::AwsError alarm_not_found(const std::string& m) {
  return {"ResourceNotFound", m, 404};
}
inline protocol::AwsError resource_not_found(std::string m) {
  return {"ResourceNotFoundException", std::move(m), 404};
}
inline protocol::AwsError dashboard_not_found(std::string m) {
  return {"ResourceNotFound", std::move(m), 404};
}
inline protocol::AwsError dashboard_invalid(std::string m) {
  return {"InvalidParameterInput", std::move(m)};
}
inline protocol::AwsError limit_exceeded(std::string m) { return {"LimitExceeded", std::move(m)}; }
inline protocol::AwsError invalid_format(std::string m) { return {"InvalidFormat", std::move(m)}; }
inline protocol::AwsError invalid_next_token() {
  return {"InvalidNextToken", "The service returned an invalid NextToken."};
}
// Metric math errors (GetMetricData, math alarms): CloudWatch answers ValidationError.
inline protocol::AwsError validation(std::string m) { return {"ValidationError", std::move(m)}; }

}  // namespace services::cloudwatch::errors
