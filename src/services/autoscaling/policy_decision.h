#pragma once
// What one invocation of a scaling policy by its alarm decides, as a pure function of the policy,
// the alarm's reading, the ECS service and the target (bounds, suspension, cooldowns):
//
//  - target tracking: the AlarmHigh alarm scales out, the AlarmLow alarm scales in
//    (target_tracking_capacity) unless DisableScaleIn; the metric is the newest datapoint;
//  - step scaling: the metric aggregated as MetricAggregationType (default Average) picks the
//    step whose bounds, relative to the alarm's threshold, hold it;
//
// then the capacity is clamped to [MinCapacity, MaxCapacity]; nothing happens when it is
// unchanged, when dynamic scaling in that direction is suspended, while the direction's cooldown
// runs (ScaleOutCooldown/ScaleInCooldown, or Cooldown for step scaling; 300 s for ECS by
// default, AWS time), or for a scale-in while the ECS service has a deployment in progress
// ("Application Auto Scaling turns off scale-in processes while Amazon ECS deployments are in
// progress").
//
// Thread-safe.

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

#include "core/clock.h"
#include "services/autoscaling/autoscaling_store.h"
#include "services/autoscaling/ports.h"

namespace services::autoscaling {

struct PolicyDecision {
  bool scale = false;
  int64_t desired = 0;
  bool out = false;
  std::string why_not;  // when !scale, for the log
};

PolicyDecision decide_policy(const boost::json::object& policy, const std::string& alarm_name,
                             const AlarmReading& reading, const ServiceCapacityState& service,
                             const TargetRow& target, const core::Clock& clock);

}  // namespace services::autoscaling
