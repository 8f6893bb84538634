#include "runtime/health_tracker.h"

#include <gtest/gtest.h>

#include "testing/manual_clock.h"

namespace runtime {
namespace {

using namespace std::chrono_literals;

class HealthTrackerTest : public ::testing::Test {
 protected:
  HealthCheckSpec spec(std::chrono::seconds start_period = 0s) {
    HealthCheckSpec s;
    s.command = {"/bin/true"};
    s.interval = 10s;
    s.timeout = 2s;
    s.retries = 3;
    s.start_period = start_period;
    return s;
  }
  fakes::ManualClock clock_;
};

TEST_F(HealthTrackerTest, StartsUnknownAndChecksFirstOneIntervalAfterStart) {
  HealthTracker t(spec(), clock_.now());
  EXPECT_EQ(t.status(), HealthStatus::Unknown);
  EXPECT_EQ(t.next_check(), clock_.now() + 10s);
}

TEST_F(HealthTrackerTest, OnePassingCheckMakesItHealthy) {
  HealthTracker t(spec(), clock_.now());
  clock_.advance(10s);
  EXPECT_TRUE(t.record(true, clock_.now()));
  EXPECT_EQ(t.status(), HealthStatus::Healthy);
  EXPECT_EQ(t.next_check(), clock_.now() + 10s);
}

TEST_F(HealthTrackerTest, BecomesUnhealthyAfterRetriesConsecutiveFailures) {
  HealthTracker t(spec(), clock_.now());
  clock_.advance(10s);
  EXPECT_FALSE(t.record(false, clock_.now()));
  EXPECT_FALSE(t.record(false, clock_.now()));
  EXPECT_TRUE(t.record(false, clock_.now()));
  EXPECT_EQ(t.status(), HealthStatus::Unhealthy);
}

TEST_F(HealthTrackerTest, APassResetsTheFailureCount) {
  HealthTracker t(spec(), clock_.now());
  t.record(false, clock_.now() + 10s);
  t.record(false, clock_.now() + 20s);
  t.record(true, clock_.now() + 30s);
  t.record(false, clock_.now() + 40s);
  t.record(false, clock_.now() + 50s);
  EXPECT_EQ(t.status(), HealthStatus::Healthy);
}

TEST_F(HealthTrackerTest, FailuresDuringTheStartPeriodDoNotCount) {
  HealthTracker t(spec(60s), clock_.now());
  for (int i = 1; i <= 5; ++i) {
    t.record(false, clock_.now() + std::chrono::seconds(10 * i));
  }
  EXPECT_EQ(t.status(), HealthStatus::Unknown);
  t.record(false, clock_.now() + 60s);
  t.record(false, clock_.now() + 70s);
  t.record(false, clock_.now() + 80s);
  EXPECT_EQ(t.status(), HealthStatus::Unhealthy);
}

TEST_F(HealthTrackerTest, APassDuringTheStartPeriodCounts) {
  HealthTracker t(spec(60s), clock_.now());
  t.record(true, clock_.now() + 10s);
  EXPECT_EQ(t.status(), HealthStatus::Healthy);
}

}  // namespace
}  // namespace runtime
