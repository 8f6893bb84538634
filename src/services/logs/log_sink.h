#pragma once
// The in-process way into CloudWatch Logs, for the awslogs log driver: container output goes
// straight to the store without HTTP, SigV4 or JSON.
//
//   services::logs::LogSink& sink = logs_module->sink();  // handed to ECS by the server
//   LogTarget target{account, region, "/ecs/web", "ecs/app/<task-id>"};
//   if (auto r = sink.ensure_group(account, region, "/ecs/web", create_group); !r) {
//     stop_task(r.error().message);  // ECS's stoppedReason, word for word
//   }
//   sink.ensure_stream(target);
//   sink.append(target, {{now_ms, "line"}});
//
// Thread-safe: every method may be called from any thread, but never while the caller holds a
// store::Transaction (append may wait for the flusher, which needs the database).

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/aws_error.h"

namespace services::logs {

struct LogTarget {
  std::string account;
  std::string region;
  std::string group;
  std::string stream;
};

struct LogEvent {
  int64_t timestamp_ms = 0;  // epoch milliseconds
  std::string message;
};

class LogSink {
 public:
  virtual ~LogSink() = default;

  // Queues events for `t`. They are written within about 200 ms (or as soon as 1000 are
  // waiting), in one transaction per flush, and none is lost by stop(). Events may be in any
  // order; readers see them ordered by timestamp. Events for a group that no longer exists are
  // dropped; a missing stream of an existing group is created. Blocks only when a very large
  // backlog is waiting (back-pressure on a chatty container).
  virtual void append(const LogTarget& t, std::vector<LogEvent> events) = 0;

  // Makes sure the group exists, creating it when create_if_missing (awslogs-create-group).
  // A missing group otherwise fails with code "ResourceInitializationError" and, as message, the
  // stoppedReason ECS gives such a task:
  //   "ResourceInitializationError: failed to validate logger args: create stream has been
  //    retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The
  //    specified log group does not exist. : exit status 1"
  virtual protocol::Result<void> ensure_group(const std::string& account, const std::string& region,
                                              const std::string& group, bool create_if_missing) = 0;

  // Makes sure t.stream exists in t.group (creating it; an existing stream is fine). Fails as
  // ensure_group does when the group is missing.
  virtual protocol::Result<void> ensure_stream(const LogTarget& t) = 0;

  // Writes everything queued so far before returning (for a container that exited, before its
  // task is reported STOPPED).
  virtual void flush() = 0;
};

// The error ensure_group/ensure_stream return for a missing group (see above).
protocol::AwsError awslogs_group_missing();

}  // namespace services::logs
