#pragma once
// The CloudWatch Logs module: the operation table and the retention sweeper. It offers the
// LogSink through which ECS's awslogs driver writes container output.

#include <memory>

#include "module/module.h"
#include "services/logs/log_sink.h"

namespace services::logs {

class LogsModule : public module::Module {
 public:
  virtual LogSink& sink() = 0;
};

std::unique_ptr<LogsModule> make_logs_module(module::ModuleContext& ctx);

}  // namespace services::logs
