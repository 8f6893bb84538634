#pragma once
// ECS errors as the service sends them: codes from the botocore model, messages in ECS's wording.

#include <string>

#include "protocol/aws_error.h"

namespace services::ecs::errors {

inline protocol::AwsError client(std::string m) { return {"ClientException", std::move(m)}; }
inline protocol::AwsError invalid_parameter(std::string m) {
  return {"InvalidParameterException", std::move(m)};
}
inline protocol::AwsError cluster_not_found() {
  return {"ClusterNotFoundException", "Cluster not found."};
}
inline protocol::AwsError service_not_found() {
  return {"ServiceNotFoundException", "Service not found."};
}
inline protocol::AwsError service_not_active() {
  return {"ServiceNotActiveException", "Service was not ACTIVE."};
}
inline protocol::AwsError cluster_contains_services() {
  return {"ClusterContainsServicesException",
          "The Cluster cannot be deleted while Services are active."};
}
inline protocol::AwsError cluster_contains_tasks() {
  return {"ClusterContainsTasksException",
          "The Cluster cannot be deleted while Tasks are active."};
}
inline protocol::AwsError resource_not_found(std::string m) {
  return {"ResourceNotFoundException", std::move(m)};
}
inline protocol::AwsError resource_in_use(std::string m) {
  return {"ResourceInUseException", std::move(m)};
}
inline protocol::AwsError access_denied(std::string m) {
  return {"AccessDeniedException", std::move(m)};
}
inline protocol::AwsError server(std::string m) {
  return {"ServerException", std::move(m), 500, false};
}

}  // namespace services::ecs::errors
