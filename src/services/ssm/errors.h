#pragma once
// SSM Parameter Store errors as the service sends them: codes from the botocore model (plus
// ValidationException and AccessDeniedException, which AWS sends and the model omits), messages
// in Parameter Store's wording.

#include <cstdint>
#include <string>

#include "protocol/aws_error.h"

namespace services::ssm::errors {

inline protocol::AwsError validation(std::string m) {
  return {"ValidationException", std::move(m)};
}
// "1 validation error detected: Value 'x' at 'field' failed to satisfy constraint: <what>".
inline protocol::AwsError constraint(const std::string& field, const std::string& value,
                                     const std::string& what) {
  return validation("1 validation error detected: Value '" + value + "' at '" + field +
                    "' failed to satisfy constraint: " + what);
}
// AWS answers ParameterNotFound without a message.
inline protocol::AwsError parameter_not_found() { return {"ParameterNotFound", ""}; }
inline protocol::AwsError version_not_found(const std::string& version, const std::string& name) {
  return {"ParameterVersionNotFound", "Systems Manager could not find version " + version + " of " +
                                          name + ". Verify the version and try again."};
}
inline protocol::AwsError already_exists() {
  return {"ParameterAlreadyExists",
          "The parameter already exists. To overwrite this value, set the overwrite option in the "
          "request to true."};
}
inline protocol::AwsError reserved_name(const std::string& name) {
  return {"AccessDeniedException", "No access to reserved parameter name: " + name + "."};
}
inline protocol::AwsError hierarchy_too_deep() {
  return {"HierarchyLevelLimitExceededException",
          "A hierarchy can have a maximum of 15 levels. For more information, see Requirements "
          "and constraints for parameter names in the Amazon Web Services Systems Manager User "
          "Guide."};
}
inline protocol::AwsError pattern_mismatch(const std::string& pattern) {
  return {"ParameterPatternMismatchException",
          "Parameter value, cannot be validated against allowedPattern: " + pattern};
}
inline protocol::AwsError invalid_allowed_pattern(const std::string& why) {
  return {"InvalidAllowedPatternException",
          "The allowed pattern is not a valid regular expression: " + why};
}
inline protocol::AwsError max_versions(const std::string& name, int64_t oldest) {
  return {"ParameterMaxVersionLimitExceeded",
          "You attempted to create a new version of " + name +
              " by calling the PutParameter API with the overwrite flag. Version " +
              std::to_string(oldest) +
              ", the oldest version, can't be deleted because it has a label associated with it. "
              "Move the label to another version of the parameter, and try again."};
}
inline protocol::AwsError label_limit() {
  return {"ParameterVersionLabelLimitExceeded",
          "A parameter version can have maximum 10 labels.Move one or more labels to another "
          "version and try again."};
}
inline protocol::AwsError invalid_next_token() {
  return {"InvalidNextToken", "The specified token is not valid."};
}
inline protocol::AwsError invalid_filter_key(std::string m) {
  return {"InvalidFilterKey", std::move(m)};
}
inline protocol::AwsError invalid_filter_option(std::string m) {
  return {"InvalidFilterOption", std::move(m)};
}
inline protocol::AwsError invalid_filter_value(std::string m) {
  return {"InvalidFilterValue", std::move(m)};
}
inline protocol::AwsError invalid_resource_type() {
  return {"InvalidResourceType", "Invalid Resource Type"};
}
inline protocol::AwsError invalid_resource_id() {
  return {"InvalidResourceId", "Invalid Resource Id"};
}
inline protocol::AwsError too_many_tags() {
  return {"TooManyTagsError",
          "The Targets parameter includes too many tags. Remove one or more tags and try the "
          "request again."};
}

}  // namespace services::ssm::errors
