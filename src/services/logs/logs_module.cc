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
  explicit LogsModuleImpl(module::ModuleContext& ctx)
      : service_(ctx.db, ctx.clock), sink_(ctx.db, ctx.clock), sweeper_(ctx.db, ctx.clock) {
    service_.set_retention_listener([this](int64_t group_id) { sweeper_.enqueue(group_id); });
    service_.register_operations(ctx.registry);
    ctx.on_reset([this] { sink_.discard(); });
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
  LogsService service_;
  StoreLogSink sink_;
  RetentionSweeper sweeper_;
};

}  // namespace

std::unique_ptr<LogsModule> make_logs_module(module::ModuleContext& ctx) {
  return std::make_unique<LogsModuleImpl>(ctx);
}

}  // namespace services::logs
