// The CloudWatch module (cloudwatch_module.h).

#include "services/cloudwatch/cloudwatch_module.h"

#include "services/cloudwatch/alarm_evaluator.h"
#include "services/cloudwatch/cloudwatch_service.h"
#include "services/cloudwatch/metric_retention.h"
#include "services/cloudwatch/store_metric_sink.h"

namespace services::cloudwatch {
namespace {

class CloudWatchModuleImpl final : public CloudWatchModule {
 public:
  explicit CloudWatchModuleImpl(module::ModuleContext& ctx)
      : service_(ctx.db, ctx.clock),
        sink_(ctx.db, ctx.clock),
        evaluator_(ctx.db, ctx.clock),
        retention_(ctx.db, ctx.clock) {
    service_.set_alarm_listener([this](int64_t id) { evaluator_.enqueue(id); });
    service_.set_state_listener(
        [this](int64_t id, const std::string& old) { evaluator_.run_actions(id, old); });
    service_.register_operations(ctx.registry);
  }
  ~CloudWatchModuleImpl() override { stop(); }

  MetricSink& metrics() override { return sink_; }
  void add_action_sink(AlarmActionSink& sink) override { evaluator_.add_action_sink(sink); }

  void start() override {
    evaluator_.start();
    retention_.start();
  }
  void stop() override {
    retention_.stop();
    evaluator_.stop();
  }

 private:
  CloudWatchService service_;
  StoreMetricSink sink_;
  AlarmEvaluator evaluator_;
  MetricRetention retention_;
};

}  // namespace

std::unique_ptr<CloudWatchModule> make_cloudwatch_module(module::ModuleContext& ctx) {
  return std::make_unique<CloudWatchModuleImpl>(ctx);
}

}  // namespace services::cloudwatch
