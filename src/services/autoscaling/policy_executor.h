#pragma once
// Runs scaling policies when their CloudWatch alarms invoke them: the AlarmActionSink for
// Application Auto Scaling policy ARNs
// (arn:aws:autoscaling:<region>:<account>:scalingPolicy:<uuid>:resource/ecs/service/<cluster>/
// <service>:policyName/<name>). It reads the policy, its target, the alarm's reading and the ECS
// service, decides with decide_policy() and applies the new desiredCount through the Scaler
// (ECS's UpdateService, so the service scheduler starts or stops the tasks).
//
// CloudWatch invokes an Auto Scaling action at every evaluation while the alarm stays in ALARM;
// the cooldowns keep that from scaling at every minute. Only ALARM acts: OK and
// INSUFFICIENT_DATA do nothing.
//
// Threads: invoke() on CloudWatch's evaluator thread (or a SetAlarmState request's), with no
// transaction open. Invocations are serialised, so that two alarms of one target never both
// scale from the same current capacity.

#include <mutex>

#include "core/clock.h"
#include "services/autoscaling/ports.h"
#include "services/autoscaling/scaler.h"
#include "services/cloudwatch/alarm_action_sink.h"
#include "store/db.h"

namespace services::autoscaling {

class PolicyExecutor final : public cloudwatch::AlarmActionSink {
 public:
  PolicyExecutor(store::Db& db, const core::Clock& clock, ServiceCapacity& capacity,
                 PolicyAlarms& alarms, Scaler& scaler)
      : db_(db), clock_(clock), capacity_(capacity), alarms_(alarms), scaler_(scaler) {}

  bool handles(std::string_view action_arn) const override;
  cloudwatch::ActionOutcome invoke(const cloudwatch::AlarmActionEvent& event) override;

 private:
  store::Db& db_;
  const core::Clock& clock_;
  ServiceCapacity& capacity_;
  PolicyAlarms& alarms_;
  Scaler& scaler_;
  std::mutex mu_;
};

}  // namespace services::autoscaling
