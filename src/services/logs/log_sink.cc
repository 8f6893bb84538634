#include "services/logs/log_sink.h"

#include <atomic>

namespace services::logs {

protocol::AwsError awslogs_group_missing() {
  return {"ResourceInitializationError",
          "ResourceInitializationError: failed to validate logger args: create stream has been "
          "retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: "
          "The specified log group does not exist. : exit status 1"};
}

}  // namespace services::logs
