#include "services/ecs/deployment_rollout.h"

#include <gtest/gtest.h>

namespace services::ecs {
namespace {

RolloutTask task(std::string arn, std::string deployment, bool available, double created = 0) {
  return RolloutTask{std::move(arn), std::move(deployment), available, available, created};
}

RolloutInput rollout(int64_t desired, int64_t min, int64_t max) {
  RolloutInput in;
  in.desired_count = desired;
  in.minimum_healthy_percent = min;
  in.maximum_percent = max;
  in.primary_id = "new";
  in.old_ids = {"old"};
  return in;
}

TEST(DeploymentRolloutTest, StartsDesiredCountWhenNothingRuns) {
  RolloutPlan plan = plan_rollout(rollout(3, 100, 200));
  EXPECT_EQ(plan.start, 3);
  EXPECT_TRUE(plan.stop.empty());
}

TEST(DeploymentRolloutTest, DefaultConfigurationStartsAllNewTasksAndKeepsOldOnesUntilAvailable) {
  RolloutInput in = rollout(4, 100, 200);
  for (int i = 0; i < 4; ++i) in.tasks.push_back(task("o" + std::to_string(i), "old", true));
  RolloutPlan plan = plan_rollout(in);
  EXPECT_EQ(plan.start, 4);
  EXPECT_TRUE(plan.stop.empty());
}

TEST(DeploymentRolloutTest, StopsOneOldTaskPerNewAvailableTaskAtMinimumHealthy100) {
  RolloutInput in = rollout(4, 100, 200);
  for (int i = 0; i < 4; ++i) in.tasks.push_back(task("o" + std::to_string(i), "old", true));
  in.tasks.push_back(task("n0", "new", true));
  in.tasks.push_back(task("n1", "new", false));
  in.tasks.push_back(task("n2", "new", false));
  in.tasks.push_back(task("n3", "new", false));
  RolloutPlan plan = plan_rollout(in);
  EXPECT_EQ(plan.start, 0);
  ASSERT_EQ(plan.stop.size(), 1u);
  EXPECT_EQ(plan.stop[0], "o0");
}

TEST(DeploymentRolloutTest, HalfHealthyStopsHalfTheOldTasksAtOnce) {
  RolloutInput in = rollout(4, 50, 200);
  for (int i = 0; i < 4; ++i) in.tasks.push_back(task("o" + std::to_string(i), "old", true));
  RolloutPlan plan = plan_rollout(in);
  EXPECT_EQ(plan.stop.size(), 2u);
  EXPECT_EQ(plan.start, 4);
}

TEST(DeploymentRolloutTest, MaximumPercent100StartsOnlyInTheRoomOldTasksLeave) {
  RolloutInput in = rollout(4, 50, 100);
  for (int i = 0; i < 4; ++i) in.tasks.push_back(task("o" + std::to_string(i), "old", true));
  RolloutPlan plan = plan_rollout(in);
  EXPECT_EQ(plan.stop.size(), 2u);
  EXPECT_EQ(plan.start, 2);
}

TEST(DeploymentRolloutTest, MinimumHealthyRoundsUp) {
  // desired 3 at 50%: 1.5 rounds up to 2 healthy, so only one of three old tasks may go.
  RolloutInput in = rollout(3, 50, 100);
  for (int i = 0; i < 3; ++i) in.tasks.push_back(task("o" + std::to_string(i), "old", true));
  RolloutPlan plan = plan_rollout(in);
  EXPECT_EQ(plan.stop.size(), 1u);
  EXPECT_EQ(plan.start, 1);
}

TEST(DeploymentRolloutTest, MaximumPercentRoundsDown) {
  // desired 3 at 150%: 4.5 rounds down to 4 tasks, so one new task fits beside three old ones.
  RolloutInput in = rollout(3, 100, 150);
  for (int i = 0; i < 3; ++i) in.tasks.push_back(task("o" + std::to_string(i), "old", true));
  EXPECT_EQ(plan_rollout(in).start, 1);
}

TEST(DeploymentRolloutTest, OldTasksThatAreNotAvailableStopBeforeAvailableOnes) {
  RolloutInput in = rollout(2, 100, 200);
  in.tasks.push_back(task("o0", "old", true));
  in.tasks.push_back(task("o1", "old", false));
  in.tasks.push_back(task("n0", "new", true));
  RolloutPlan plan = plan_rollout(in);
  ASSERT_EQ(plan.stop.size(), 1u);
  EXPECT_EQ(plan.stop[0], "o1");
}

TEST(DeploymentRolloutTest, StartingOldTasksStopBeforeRunningOnesThatAreNotYetHealthy) {
  // A rollback: the failed deployment still has a task starting; the deployment rolled back to
  // has one task healthy and one still "initial" in its target group.
  RolloutInput in = rollout(2, 100, 200);
  in.primary_id = "rollback";
  in.old_ids = {"old", "failed"};
  in.tasks.push_back(task("o0", "old", false));
  in.tasks.back().running = true;
  in.tasks.push_back(task("o1", "old", true));
  in.tasks.push_back(task("f0", "failed", false));
  RolloutPlan plan = plan_rollout(in);
  EXPECT_EQ(plan.stop, (std::vector<std::string>{"f0"}));
}

TEST(DeploymentRolloutTest, OldTasksNotYetHealthyAreKeptWhileNoNewTaskIsAvailable) {
  // The old deployment's targets are still "initial" when the update arrives: stopping them
  // would leave nothing to serve once they turn healthy.
  RolloutInput in = rollout(2, 100, 200);
  in.tasks.push_back(task("o0", "old", false));
  in.tasks.push_back(task("o1", "old", false));
  RolloutPlan plan = plan_rollout(in);
  EXPECT_TRUE(plan.stop.empty());
  EXPECT_EQ(plan.start, 2);
}

TEST(DeploymentRolloutTest, ScaleInStopsTasksThatServeNothingThenTheNewest) {
  RolloutInput in = rollout(1, 100, 200);
  in.tasks.push_back(task("a", "new", true, 1));
  in.tasks.push_back(task("b", "new", true, 3));
  in.tasks.push_back(task("c", "new", false, 2));
  RolloutPlan plan = plan_rollout(in);
  EXPECT_EQ(plan.stop, (std::vector<std::string>{"c", "b"}));
  EXPECT_EQ(plan.start, 0);
}

TEST(DeploymentRolloutTest, DesiredZeroStopsEverything) {
  RolloutInput in = rollout(0, 100, 200);
  in.tasks.push_back(task("a", "new", true));
  in.tasks.push_back(task("o", "old", true));
  EXPECT_EQ(plan_rollout(in).stop.size(), 2u);
}

TEST(DeploymentRolloutTest, NoLaunchesWhileLaunchingIsHeldBack) {
  RolloutInput in = rollout(2, 100, 200);
  in.may_launch = false;
  EXPECT_EQ(plan_rollout(in).start, 0);
}

TEST(DeploymentRolloutTest, ReplacesAMissingTaskInSteadyState) {
  RolloutInput in = rollout(2, 100, 200);
  in.old_ids.clear();
  in.tasks.push_back(task("a", "new", true));
  RolloutPlan plan = plan_rollout(in);
  EXPECT_EQ(plan.start, 1);
  EXPECT_TRUE(plan.stop.empty());
}

}  // namespace
}  // namespace services::ecs
