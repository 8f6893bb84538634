#include "services/autoscaling/policy_decision.h"

#include <boost/json.hpp>

#include "core/json.h"
#include "services/autoscaling/autoscaling_service.h"
#include "services/autoscaling/scaling_math.h"

namespace services::autoscaling {

namespace json = boost::json;

namespace {

constexpr std::chrono::seconds kEcsDefaultCooldown{300};

std::chrono::seconds cooldown(const json::object& config, const char* key) {
  return std::chrono::seconds(core::opt_int(config, key).value_or(kEcsDefaultCooldown.count()));
}

AdjustmentType adjustment_type(const std::string& s) {
  if (s == "PercentChangeInCapacity") return AdjustmentType::PercentChangeInCapacity;
  if (s == "ExactCapacity") return AdjustmentType::ExactCapacity;
  return AdjustmentType::ChangeInCapacity;
}

std::vector<StepAdjustment> steps_of(const json::object& config) {
  std::vector<StepAdjustment> out;
  if (const json::array* steps = core::arr(config, "StepAdjustments")) {
    for (const json::value& v : *steps) {
      const json::object& s = v.as_object();
      out.push_back({opt_number(s, "MetricIntervalLowerBound"),
                     opt_number(s, "MetricIntervalUpperBound"),
                     core::opt_int(s, "ScalingAdjustment").value_or(0)});
    }
  }
  return out;
}

PolicyDecision no(std::string why) { return {false, 0, false, std::move(why)}; }

}  // namespace

PolicyDecision decide_policy(const json::object& policy, const std::string& alarm_name,
                             const AlarmReading& reading, const ServiceCapacityState& service,
                             const TargetRow& target, const core::Clock& clock) {
  if (reading.datapoints.empty()) return no("the alarm has no datapoints");
  int64_t current = service.desired;
  int64_t desired = current;
  std::chrono::seconds out_cooldown;
  std::chrono::seconds in_cooldown;
  if (const json::object* tt = core::obj(policy, "TargetTrackingScalingPolicyConfiguration")) {
    bool high = alarm_name.find("-AlarmHigh-") != std::string::npos;
    if (!high && core::opt_bool(*tt, "DisableScaleIn").value_or(false)) {
      return no("scale-in is disabled");
    }
    desired = target_tracking_capacity(current, reading.datapoints.front(),
                                       opt_number(*tt, "TargetValue").value_or(0), high);
    out_cooldown = cooldown(*tt, "ScaleOutCooldown");
    in_cooldown = cooldown(*tt, "ScaleInCooldown");
  } else if (const json::object* st = core::obj(policy, "StepScalingPolicyConfiguration")) {
    double metric =
        aggregate(reading.datapoints, core::str(*st, "MetricAggregationType", "Average"));
    std::optional<StepAdjustment> step = matching_step(steps_of(*st), metric, reading.threshold);
    if (!step) return no("no step adjustment matches the metric");
    desired = step_capacity(current, adjustment_type(core::str(*st, "AdjustmentType")),
                            step->adjustment, core::opt_int(*st, "MinAdjustmentMagnitude"));
    out_cooldown = in_cooldown = cooldown(*st, "Cooldown");
  } else {
    return no("the policy has no configuration");
  }
  desired = clamp_capacity(desired, core::opt_int(target.doc, "MinCapacity").value_or(0),
                           core::opt_int(target.doc, "MaxCapacity").value_or(0));
  if (desired == current) return no("the capacity stays " + std::to_string(current));
  bool out = desired > current;
  const json::object* suspended = core::obj(target.doc, "SuspendedState");
  if (suspended &&
      core::opt_bool(*suspended, out ? "DynamicScalingOutSuspended" : "DynamicScalingInSuspended")
          .value_or(false)) {
    return no("dynamic scaling is suspended");
  }
  if (!out && service.deploying) return no("a deployment is in progress");
  core::TimePoint now = clock.now();
  if (out ? !cooldown_over(target.last_out_ms, out_cooldown, now, clock)
          : !cooldown_over(target.last_in_ms, in_cooldown, now, clock)) {
    return no("the cooldown is in effect");
  }
  return {true, desired, out, ""};
}

}  // namespace services::autoscaling
