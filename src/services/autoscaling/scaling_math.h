#pragma once
// The arithmetic of Application Auto Scaling's policies, as pure functions
// (https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking.html,
//  .../application-auto-scaling-step-scaling-policies.html).
// Thread-safe.

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/clock.h"

namespace services::autoscaling {

// Target tracking. Scale-out is proportional, so that the metric lands at the target: 2 tasks at
// 95 % CPU with a 70 % target need ceil(2 * 95 / 70) = 3. Scale-in is conservative, as AWS's is
// ("removes capacity gradually"): it goes toward the proportional capacity but removes at most
// 10 % of the current capacity, and at least one, per activity: 10 tasks at 20 % of a 70 %
// target drop to 9, not to ceil(10 * 20 / 70) = 3.
int64_t target_tracking_capacity(int64_t current, double metric, double target, bool scale_out);

// One step of a StepScaling policy: bounds relative to the alarm threshold, null = infinite.
struct StepAdjustment {
  std::optional<double> lower;
  std::optional<double> upper;
  int64_t adjustment = 0;
};

enum class AdjustmentType { ChangeInCapacity, PercentChangeInCapacity, ExactCapacity };

// The step whose interval holds metric - threshold. Above the threshold the lower bound is
// inclusive and the upper bound exclusive; below it, the other way round (AWS's rule).
std::optional<StepAdjustment> matching_step(const std::vector<StepAdjustment>& steps, double metric,
                                            double threshold);

// The capacity a step asks for. PercentChangeInCapacity rounds a change toward zero, except that
// one smaller than 1 in magnitude becomes 1 (or -1); MinAdjustmentMagnitude then raises a smaller
// change to it: 10 % of 4 tasks is 0.4, i.e. +1; with MinAdjustmentMagnitude 2, +2.
int64_t step_capacity(int64_t current, AdjustmentType type, int64_t adjustment,
                      std::optional<int64_t> min_magnitude);

// The capacity kept within [min, max].
int64_t clamp_capacity(int64_t capacity, int64_t min, int64_t max);

// A scale-out (or scale-in) waits for its cooldown since the last one in the same direction; the
// cooldown is AWS time, divided by the clock's time scale. last_ms 0 = never.
bool cooldown_over(int64_t last_ms, std::chrono::seconds cooldown, core::TimePoint now,
                   const core::Clock& clock);

// Aggregates the alarm's datapoints as MetricAggregationType says (Average, Minimum, Maximum).
double aggregate(const std::vector<double>& values, std::string_view aggregation);

}  // namespace services::autoscaling
