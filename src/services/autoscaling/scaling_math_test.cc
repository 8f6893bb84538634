#include "services/autoscaling/scaling_math.h"

#include <gtest/gtest.h>

#include "testing/manual_clock.h"

namespace services::autoscaling {
namespace {

using std::chrono::seconds;

TEST(ScalingMathTest, TargetTrackingScalesOutProportionally) {
  // 2 tasks at 95 % of a 70 % target: ceil(2 * 95 / 70) = ceil(2.71) = 3.
  EXPECT_EQ(target_tracking_capacity(2, 95, 70, true), 3);
  // 1 task at 100 %: ceil(1.43) = 2; 4 tasks at 200 %: ceil(11.4) = 12.
  EXPECT_EQ(target_tracking_capacity(1, 100, 70, true), 2);
  EXPECT_EQ(target_tracking_capacity(4, 200, 70, true), 12);
}

TEST(ScalingMathTest, TargetTrackingScaleOutNeverShrinksAndStartsFromZero) {
  EXPECT_EQ(target_tracking_capacity(3, 50, 70, true), 3);
  EXPECT_EQ(target_tracking_capacity(0, 95, 70, true), 1);
}

TEST(ScalingMathTest, TargetTrackingScalesInGradually) {
  // Proportional would be ceil(10 * 20 / 70) = 3; at most 10 % (one task) goes per activity.
  EXPECT_EQ(target_tracking_capacity(10, 20, 70, false), 9);
  EXPECT_EQ(target_tracking_capacity(30, 20, 70, false), 27);
  // Never below the proportional capacity: 3 tasks at 60 % of 70 % still need 3.
  EXPECT_EQ(target_tracking_capacity(3, 60, 70, false), 3);
  EXPECT_EQ(target_tracking_capacity(3, 5, 70, false), 2);
}

TEST(ScalingMathTest, StepBoundsAreInclusiveBelowAndExclusiveAboveOverTheThreshold) {
  std::vector<StepAdjustment> steps = {{0.0, 10.0, 1}, {10.0, std::nullopt, 3}};
  // Threshold 70: 70 and 79.9 are in the first step, 80 in the second.
  EXPECT_EQ(matching_step(steps, 70, 70)->adjustment, 1);
  EXPECT_EQ(matching_step(steps, 79.9, 70)->adjustment, 1);
  EXPECT_EQ(matching_step(steps, 80, 70)->adjustment, 3);
  EXPECT_FALSE(matching_step(steps, 69, 70));
}

TEST(ScalingMathTest, StepBoundsBelowTheThresholdAreExclusiveBelowAndInclusiveAbove) {
  std::vector<StepAdjustment> steps = {{-10.0, 0.0, -1}, {std::nullopt, -10.0, -2}};
  // Threshold 30: 30 and 20 fall in the first step; 19.9 in the second.
  EXPECT_EQ(matching_step(steps, 30, 30)->adjustment, -1);
  EXPECT_EQ(matching_step(steps, 20, 30)->adjustment, -2);
  EXPECT_EQ(matching_step(steps, 21, 30)->adjustment, -1);
}

TEST(ScalingMathTest, StepCapacityByAdjustmentType) {
  EXPECT_EQ(step_capacity(4, AdjustmentType::ChangeInCapacity, 2, std::nullopt), 6);
  EXPECT_EQ(step_capacity(4, AdjustmentType::ExactCapacity, 2, std::nullopt), 2);
  // 50 % of 4 is 2; 10 % of 4 is 0.4 -> 1; -10 % -> -1; 25 % of 10 is 2.5 -> 2.
  EXPECT_EQ(step_capacity(4, AdjustmentType::PercentChangeInCapacity, 50, std::nullopt), 6);
  EXPECT_EQ(step_capacity(4, AdjustmentType::PercentChangeInCapacity, 10, std::nullopt), 5);
  EXPECT_EQ(step_capacity(4, AdjustmentType::PercentChangeInCapacity, -10, std::nullopt), 3);
  EXPECT_EQ(step_capacity(10, AdjustmentType::PercentChangeInCapacity, 25, std::nullopt), 12);
  // MinAdjustmentMagnitude 2 raises +1 to +2.
  EXPECT_EQ(step_capacity(4, AdjustmentType::PercentChangeInCapacity, 10, 2), 6);
}

TEST(ScalingMathTest, ClampKeepsCapacityWithinBounds) {
  EXPECT_EQ(clamp_capacity(12, 1, 6), 6);
  EXPECT_EQ(clamp_capacity(0, 1, 6), 1);
  EXPECT_EQ(clamp_capacity(4, 1, 6), 4);
}

// A clock whose AWS timers run `scale` times faster.
class ScaledClock : public core::Clock {
 public:
  explicit ScaledClock(double scale) : scale_(scale) {}
  core::TimePoint now() const override { return manual.now(); }
  double time_scale() const override { return scale_; }
  fakes::ManualClock manual;

 private:
  double scale_;
};

TEST(ScalingMathTest, CooldownIsAwsTimeDividedByTheTimeScale) {
  ScaledClock clock(60);
  int64_t last = core::to_epoch_millis(clock.now());
  // 300 s of AWS time are 5 s at time scale 60.
  clock.manual.advance(seconds(4));
  EXPECT_FALSE(cooldown_over(last, seconds(300), clock.now(), clock));
  clock.manual.advance(seconds(1));
  EXPECT_TRUE(cooldown_over(last, seconds(300), clock.now(), clock));
  EXPECT_TRUE(cooldown_over(0, seconds(300), clock.now(), clock));
}

TEST(ScalingMathTest, AggregatesAsMetricAggregationTypeSays) {
  EXPECT_DOUBLE_EQ(aggregate({1, 2, 6}, "Average"), 3);
  EXPECT_DOUBLE_EQ(aggregate({1, 2, 6}, "Minimum"), 1);
  EXPECT_DOUBLE_EQ(aggregate({1, 2, 6}, "Maximum"), 6);
}

}  // namespace
}  // namespace services::autoscaling
