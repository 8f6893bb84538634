#include "services/logs/log_sink.h"

#include <atomic>

namespace services::logs {

namespace {
std::atomic<LogSink*> g_instance{nullptr};
}  // namespace

protocol::AwsError awslogs_group_missing() {
  return {"ResourceInitializationError",
          "ResourceInitializationError: failed to validate logger args: create stream has been "
          "retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: "
          "The specified log group does not exist. : exit status 1"};
}

LogSink* log_sink_instance() { return g_instance.load(std::memory_order_acquire); }

void set_log_sink_instance(LogSink* sink) { g_instance.store(sink, std::memory_order_release); }

}  // namespace services::logs
