#pragma once
// The CloudWatch Logs module: the operation table and the retention sweeper. It offers the
// LogSink through which ECS's awslogs driver writes container output.

#include <memory>

#include "module/module.h"
#include "services/cloudwatch/metric_sink.h"
#include "services/logs/log_sink.h"

namespace services::logs {

class LogsModule : public module::Module {
 public:
  virtual LogSink& sink() = 0;
};

// What the Logs module uses from other modules.
struct LogsPorts {
  // Where metric filters publish their datums; null: filters are kept but publish nothing.
  cloudwatch::MetricSink* metrics = nullptr;
};

std::unique_ptr<LogsModule> make_logs_module(module::ModuleContext& ctx, LogsPorts ports = {});

}  // namespace services::logs
