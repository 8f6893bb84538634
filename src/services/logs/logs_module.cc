// Installs CloudWatch Logs into the server (see src/module/module.h): the operation table, the
// in-process sink for awslogs (log_sink_instance()) and the retention sweeper.

#include <memory>

#include "module/module.h"
#include "services/logs/log_sink.h"
#include "services/logs/logs_service.h"
#include "services/logs/retention_sweeper.h"
#include "services/logs/store_log_sink.h"

namespace services::logs {
namespace {

class LogsModule final : public module::Module {
 public:
  explicit LogsModule(module::ModuleContext& ctx)
      : service_(ctx.db, ctx.clock), sink_(ctx.db, ctx.clock), sweeper_(ctx.db, ctx.clock) {
    service_.set_retention_listener([this](int64_t group_id) { sweeper_.enqueue(group_id); });
    service_.register_operations(ctx.registry);
    ctx.on_reset([this] { sink_.discard(); });
    set_log_sink_instance(&sink_);
  }
  ~LogsModule() override {
    set_log_sink_instance(nullptr);
    stop();
  }

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
}  // namespace services::logs

namespace module {

std::unique_ptr<Module> make_logs_module(ModuleContext& ctx) {
  return std::make_unique<services::logs::LogsModule>(ctx);
}

}  // namespace module
