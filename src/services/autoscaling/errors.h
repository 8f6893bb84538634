#pragma once
// Application Auto Scaling errors as the service sends them: codes from the botocore model,
// messages in the service's wording.

#include <string>

#include "protocol/aws_error.h"

// Early return of a failed protocol::Result in a handler.
#define AAS_CHECK(expr)                \
  if (auto aas_r_ = (expr); !aas_r_) { \
    return aas_r_.error();             \
  }
#define AAS_ASSIGN(type, name, expr) \
  auto name##_result = (expr);       \
  if (!name##_result) {              \
    return name##_result.error();    \
  }                                  \
  type name = std::move(*name##_result)

namespace services::autoscaling::errors {

inline protocol::AwsError validation(std::string m) {
  return {"ValidationException", std::move(m)};
}
inline protocol::AwsError object_not_found(std::string m) {
  return {"ObjectNotFoundException", std::move(m)};
}
inline protocol::AwsError concurrent_update(std::string m) {
  return {"ConcurrentUpdateException", std::move(m)};
}
inline protocol::AwsError limit_exceeded(std::string m) {
  return {"LimitExceededException", std::move(m)};
}
inline protocol::AwsError failed_resource_access(std::string m) {
  return {"FailedResourceAccessException", std::move(m)};
}
inline protocol::AwsError resource_not_found(std::string m) {
  return {"ResourceNotFoundException", std::move(m)};
}
inline protocol::AwsError invalid_next_token() {
  return {"InvalidNextTokenException", "Invalid token"};
}

// "No scalable target registered for service namespace: ecs, resource ID: service/c/s,
// scalable dimension: ecs:service:DesiredCount"
inline protocol::AwsError no_target(const std::string& ns, const std::string& resource_id,
                                    const std::string& dimension) {
  return object_not_found("No scalable target registered for service namespace: " + ns +
                          ", resource ID: " + resource_id + ", scalable dimension: " + dimension);
}

}  // namespace services::autoscaling::errors
