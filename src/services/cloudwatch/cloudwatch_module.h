#pragma once
// The CloudWatch module: the operation table, the alarm evaluator and the metric retention
// sweeper. It offers the MetricSink through which other modules publish metrics in process, and
// takes AlarmActionSinks that carry out alarm actions (Application Auto Scaling's policies).

#include <memory>

#include "module/module.h"
#include "services/cloudwatch/alarm_action_sink.h"
#include "services/cloudwatch/metric_sink.h"

namespace services::cloudwatch {

class CloudWatchModule : public module::Module {
 public:
  virtual MetricSink& metrics() = 0;
  // Alarm actions whose ARN `sink` handles go to it. Call before start(); the sink outlives the
  // module's stop().
  virtual void add_action_sink(AlarmActionSink& sink) = 0;
};

std::unique_ptr<CloudWatchModule> make_cloudwatch_module(module::ModuleContext& ctx);

}  // namespace services::cloudwatch
