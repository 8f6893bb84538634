#include "dataplane/alb_slow_start.h"

#include <gtest/gtest.h>

namespace dataplane {
namespace {

using namespace std::chrono_literals;
using State = TargetState;

core::TimePoint at(int seconds) { return core::TimePoint(std::chrono::seconds(seconds)); }

AlbSnapshot snapshot(int slow_start, std::vector<State> states) {
  AlbSnapshot s;
  SnapshotTargetGroup g;
  g.arn = "arn:tg/web";
  g.slow_start_seconds = slow_start;
  for (size_t i = 0; i < states.size(); ++i) {
    SnapshotTarget t;
    t.id = "10.0.0." + std::to_string(i + 1);
    t.port = 80;
    t.state = states[i];
    g.targets.push_back(t);
  }
  s.target_groups[g.arn] = g;
  return s;
}

class SlowStartTrackerTest : public ::testing::Test {
 protected:
  double share_of(const AlbSnapshot& s, size_t i, core::TimePoint now) {
    const auto& g = s.target_groups.begin()->second;
    return tracker_.share(g, g.targets[i], now);
  }
  SlowStartTracker tracker_;
};

TEST_F(SlowStartTrackerTest, ANewlyHealthyTargetRampsUpLinearlyOverTheDuration) {
  tracker_.observe(snapshot(100, {State::Healthy, State::Initial}), at(0));
  auto s = snapshot(100, {State::Healthy, State::Healthy});
  tracker_.observe(s, at(10));
  EXPECT_DOUBLE_EQ(share_of(s, 0, at(10)), 1.0);
  EXPECT_DOUBLE_EQ(share_of(s, 1, at(35)), 0.25);
  EXPECT_DOUBLE_EQ(share_of(s, 1, at(60)), 0.5);
  tracker_.observe(s, at(80));  // a later snapshot keeps the start time
  EXPECT_DOUBLE_EQ(share_of(s, 1, at(85)), 0.75);
  EXPECT_DOUBLE_EQ(share_of(s, 1, at(200)), 1.0);
}

TEST_F(SlowStartTrackerTest, TargetsHealthyInTheFirstSnapshotAreNotInSlowStart) {
  auto s = snapshot(100, {State::Healthy, State::Healthy});
  tracker_.observe(s, at(0));
  EXPECT_DOUBLE_EQ(share_of(s, 1, at(1)), 1.0);
}

TEST_F(SlowStartTrackerTest, NoSlowStartWhenTheGroupHadNoHealthyTarget) {
  tracker_.observe(snapshot(100, {State::Initial, State::Initial}), at(0));
  auto s = snapshot(100, {State::Healthy, State::Initial});
  tracker_.observe(s, at(5));
  EXPECT_DOUBLE_EQ(share_of(s, 0, at(6)), 1.0);
}

TEST_F(SlowStartTrackerTest, TurningHealthyAgainStartsOver) {
  tracker_.observe(snapshot(100, {State::Healthy, State::Initial}), at(0));
  tracker_.observe(snapshot(100, {State::Healthy, State::Healthy}), at(0));
  tracker_.observe(snapshot(100, {State::Healthy, State::Unhealthy}), at(50));
  auto s = snapshot(100, {State::Healthy, State::Healthy});
  tracker_.observe(s, at(60));
  EXPECT_DOUBLE_EQ(share_of(s, 1, at(70)), 0.1);
}

TEST_F(SlowStartTrackerTest, TimeScaleShortensTheDuration) {
  tracker_.observe(snapshot(100, {State::Healthy, State::Initial}), at(0));
  auto s = snapshot(100, {State::Healthy, State::Healthy});
  tracker_.observe(s, at(0));
  const auto& g = s.target_groups.begin()->second;
  EXPECT_DOUBLE_EQ(tracker_.share(g, g.targets[1], at(5), 10.0), 0.5);
}

}  // namespace
}  // namespace dataplane
