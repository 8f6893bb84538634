// The Application Auto Scaling module (autoscaling_module.h).

#include "services/autoscaling/autoscaling_module.h"

#include "services/autoscaling/autoscaling_service.h"
#include "services/autoscaling/policy_executor.h"
#include "services/autoscaling/registry_ports.h"
#include "services/autoscaling/scaler.h"
#include "services/autoscaling/scheduled_action_runner.h"

namespace services::autoscaling {
namespace {

class AutoscalingModuleImpl final : public AutoscalingModule {
 public:
  explicit AutoscalingModuleImpl(module::ModuleContext& ctx)
      : capacity_(ctx.registry),
        alarms_(ctx.registry),
        service_(ctx.db, ctx.clock, capacity_, alarms_),
        scaler_(ctx.db, ctx.clock, capacity_),
        executor_(ctx.db, ctx.clock, capacity_, alarms_, scaler_),
        runner_(ctx.db, ctx.clock, capacity_, scaler_) {
    service_.set_schedule_listener([this] { runner_.wake(); });
    service_.register_operations(ctx.registry);
  }
  ~AutoscalingModuleImpl() override { stop(); }

  cloudwatch::AlarmActionSink& action_sink() override { return executor_; }

  void start() override { runner_.start(); }
  void stop() override { runner_.stop(); }

 private:
  EcsServiceCapacity capacity_;
  CloudWatchPolicyAlarms alarms_;
  AutoscalingService service_;
  Scaler scaler_;
  PolicyExecutor executor_;
  ScheduledActionRunner runner_;
};

}  // namespace

std::unique_ptr<AutoscalingModule> make_autoscaling_module(module::ModuleContext& ctx) {
  return std::make_unique<AutoscalingModuleImpl>(ctx);
}

}  // namespace services::autoscaling
