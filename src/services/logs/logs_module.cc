// The CloudWatch Logs module (logs_module.h): the operation table, the in-process sink for
// awslogs and the retention sweeper.

#include "services/logs/logs_module.h"

#include <memory>

#include "services/logs/logs_service.h"
#include "services/logs/retention_sweeper.h"
#include "services/logs/store_log_sink.h"

namespace services::logs {
namespace {

class LogsModuleImpl final : public LogsModule {
 public:
  LogsModuleImpl(module::ModuleContext& ctx, LogsPorts ports)
      : metric_filters_(ports.metrics),
        service_(ctx.db, ctx.clock),
        sink_(ctx.db, ctx.clock),
        sweeper_(ctx.db, ctx.clock) {
    service_.set_retention_listener([this](int64_t group_id) { sweeper_.enqueue(group_id); });
    service_.set_metric_filters(&metric_filters_);
    sink_.set_metric_filters(&metric_filters_);
    service_.register_operations(ctx.registry);
    ctx.on_reset([this] {
      sink_.discard();
      metric_filters_.clear();
    });
  }
  ~LogsModuleImpl() override { stop(); }

  LogSink& sink() override { return sink_; }

  void start() override {
    sink_.start();
    sweeper_.start();
  }
  void stop() override {
    sweeper_.stop();
    sink_.stop();
  }

 private:
  MetricFilterIndex metric_filters_;
  LogsService service_;
  StoreLogSink sink_;
  RetentionSweeper sweeper_;
};

}  // namespace

std::unique_ptr<LogsModule> make_logs_module(module::ModuleContext& ctx, LogsPorts ports) {
  return std::make_unique<LogsModuleImpl>(ctx, ports);
}

}  // namespace services::logs
