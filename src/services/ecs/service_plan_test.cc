#include "services/ecs/service_plan.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace services::ecs {
namespace {

namespace json = boost::json;

// A service rolling from deployment "old" to "new", as stored.
Service rolling_service(int64_t desired, int64_t min, int64_t max, bool breaker = false) {
  json::object doc{{"serviceArn", "arn:aws:ecs:us-east-1:000000000000:service/c/web"},
                   {"serviceName", "web"},
                   {"status", "ACTIVE"},
                   {"desiredCount", desired},
                   {"deploymentConfiguration",
                    {{"deploymentCircuitBreaker", {{"enable", breaker}, {"rollback", breaker}}},
                     {"maximumPercent", max},
                     {"minimumHealthyPercent", min}}},
                   {"deployments", json::array{json::object{{"id", "new"},
                                                            {"status", "PRIMARY"},
                                                            {"desiredCount", desired},
                                                            {"failedTasks", 0},
                                                            {"rolloutState", "IN_PROGRESS"}},
                                               json::object{{"id", "old"},
                                                            {"status", "ACTIVE"},
                                                            {"desiredCount", desired},
                                                            {"rolloutState", "COMPLETED"}}}}};
  return service_from_json(std::move(doc));
}

RolloutTask running(std::string arn, std::string deployment) {
  return RolloutTask{std::move(arn), std::move(deployment), true, true, 0};
}

RolloutTask pending(std::string arn, std::string deployment) {
  return RolloutTask{std::move(arn), std::move(deployment), false, false, 0};
}

ServicePlanInput with_tasks(std::vector<RolloutTask> tasks) {
  ServicePlanInput in;
  in.now = 1000;
  in.findings.live = std::move(tasks);
  return in;
}

// desiredCount 4 at 100/200 (min healthy 4, at most 8): two old tasks serve, one new is
// pending. Three more new ones start (want 4 - 1, room 8 - 3); no old task may go yet, as no
// new task is available.
TEST(ServicePlanTest, RollingDefaultsStartTheMissingNewTasksAndKeepTheOldOnes) {
  ServicePlan plan =
      plan_service(rolling_service(4, 100, 200),
                   with_tasks({running("o1", "old"), running("o2", "old"), pending("n1", "new")}));
  EXPECT_EQ(plan.primary_id, "new");
  EXPECT_EQ(plan.rollout.start, 3);
  EXPECT_TRUE(plan.rollout.stop.empty());
}

// 50/100 (min healthy 2, at most 4): the two old tasks are the minimum, and with three tasks
// counted only one more fits.
TEST(ServicePlanTest, MaximumPercent100LeavesRoomForOneTask) {
  ServicePlan plan =
      plan_service(rolling_service(4, 50, 100),
                   with_tasks({running("o1", "old"), running("o2", "old"), pending("n1", "new")}));
  EXPECT_EQ(plan.rollout.start, 1);
  EXPECT_TRUE(plan.rollout.stop.empty());
}

// Once two new tasks are available at 100/200, two old ones go (4 healthy remain) and two more
// new ones start.
TEST(ServicePlanTest, AvailableNewTasksReleaseOldOnes) {
  ServicePlan plan =
      plan_service(rolling_service(4, 100, 200),
                   with_tasks({running("o1", "old"), running("o2", "old"), running("o3", "old"),
                               running("o4", "old"), running("n1", "new"), running("n2", "new")}));
  EXPECT_EQ(plan.rollout.start, 2);
  EXPECT_EQ(plan.rollout.stop, (std::vector<std::string>{"o1", "o2"}));
}

// desiredCount 4: the threshold is 3. Two failures were recorded, this pass found a third: the
// breaker trips and nothing more launches.
TEST(ServicePlanTest, FailuresReachingTheCircuitBreakerThresholdStopLaunches) {
  Service service = rolling_service(4, 100, 200, /*breaker=*/true);
  service.deployments.front().failed_tasks = 2;
  ServicePlanInput in = with_tasks({running("o1", "old")});
  in.findings.failed["new"] = 1;
  ServicePlan plan = plan_service(service, in);
  EXPECT_TRUE(plan.breaker_trips);
  EXPECT_EQ(plan.rollout.start, 0);

  in.findings.failed["new"] = 0;
  plan = plan_service(service, in);
  EXPECT_FALSE(plan.breaker_trips);
  EXPECT_EQ(plan.rollout.start, 4);
}

// Two launches had failed before; a third that never ran throttles: 10 s of AWS time (1 s at a
// time scale of 10) before the next launch.
TEST(ServicePlanTest, ThirdFailedLaunchInARowDelaysTheNextOne) {
  Service service = rolling_service(2, 100, 200);
  service.scheduler.consecutive_failures = 2;
  service.scheduler.deployment = "new";
  ServicePlanInput in = with_tasks({});
  in.findings.failed_to_start = 1;
  in.time_scale = 10;
  ServicePlan plan = plan_service(service, in);
  EXPECT_TRUE(plan.throttled);
  EXPECT_EQ(plan.consecutive_failures, 3);
  EXPECT_DOUBLE_EQ(plan.launch_not_before, 1001);
  EXPECT_EQ(plan.rollout.start, 0);

  // A fourth doubles the delay.
  service.scheduler.consecutive_failures = 3;
  in.time_scale = 1;
  plan = plan_service(service, in);
  EXPECT_DOUBLE_EQ(plan.launch_not_before, 1020);
}

TEST(ServicePlanTest, ANewDeploymentStartsTheThrottleAfresh) {
  Service service = rolling_service(2, 100, 200);
  service.scheduler.consecutive_failures = 5;
  service.scheduler.launch_not_before = 5000;
  service.scheduler.deployment = "old";
  ServicePlan plan = plan_service(service, with_tasks({}));
  EXPECT_FALSE(plan.throttled);
  EXPECT_EQ(plan.consecutive_failures, 0);
  EXPECT_EQ(plan.launch_not_before, 0);
  EXPECT_EQ(plan.rollout.start, 2);
}

TEST(ServicePlanTest, WaitsOutAnEarlierThrottle) {
  Service service = rolling_service(2, 100, 200);
  service.scheduler.deployment = "new";
  service.scheduler.launch_not_before = 1500;
  EXPECT_EQ(plan_service(service, with_tasks({})).rollout.start, 0);
  service.scheduler.launch_not_before = 900;
  EXPECT_EQ(plan_service(service, with_tasks({})).rollout.start, 2);
}

TEST(ServicePlanTest, DrainingServiceStopsEverythingAndStartsNothing) {
  Service service = rolling_service(2, 100, 200);
  service.status = "DRAINING";
  ServicePlan plan = plan_service(service, with_tasks({running("n1", "new")}));
  EXPECT_EQ(plan.rollout.start, 0);
  EXPECT_EQ(plan.rollout.stop, (std::vector<std::string>{"n1"}));
}

// Subnets a and b in zone 1, c in zone 2; one task already in a. New tasks go to the least-used
// zone, then the least-used subnet, and list the other subnets after it.
TEST(ServicePlanTest, PlacesNewTasksOverZonesThenSubnets) {
  std::map<std::string, std::string> zone_of{{"a", "z1"}, {"b", "z1"}, {"c", "z2"}};
  std::map<std::string, int64_t> use{{"a", 1}};
  auto placed = place_tasks({"a", "b", "c"}, zone_of, use, 3);
  ASSERT_EQ(placed.size(), 3u);
  EXPECT_EQ(placed[0], (std::vector<std::string>{"c", "a", "b"}));
  EXPECT_EQ(placed[1], (std::vector<std::string>{"b", "c", "a"}));
  EXPECT_EQ(placed[2], (std::vector<std::string>{"c", "a", "b"}));
  EXPECT_EQ(use["c"], 2);
}

}  // namespace
}  // namespace services::ecs
