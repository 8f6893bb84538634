#pragma once
// The Application Auto Scaling module: the operation table, the policy executor that CloudWatch
// alarms invoke, and the scheduled action runner. It reaches ECS and CloudWatch through the
// in-process client (registry_ports.h), so it needs no ports of theirs; the composition root
// registers action_sink() with CloudWatch (CloudWatchModule::add_action_sink) before start().

#include <memory>

#include "module/module.h"
#include "services/cloudwatch/alarm_action_sink.h"

namespace services::autoscaling {

class AutoscalingModule : public module::Module {
 public:
  // Runs scaling policies for alarm actions with their ARNs; lives as long as the module.
  virtual cloudwatch::AlarmActionSink& action_sink() = 0;
};

std::unique_ptr<AutoscalingModule> make_autoscaling_module(module::ModuleContext& ctx);

}  // namespace services::autoscaling
