#include "services/ecs/service_status.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "services/ecs/ecs_json.h"

namespace services::ecs {
namespace {

namespace json = boost::json;

json::object deployment(std::string id, std::string status, std::string rollout,
                        int64_t desired = 2) {
  return json::object{{"id", id},
                      {"status", status},
                      {"taskDefinition", "td:" + id},
                      {"desiredCount", desired},
                      {"runningCount", 0},
                      {"pendingCount", 0},
                      {"failedTasks", 0},
                      {"rolloutState", rollout}};
}

json::object service_with(json::array deployments, int64_t desired = 2) {
  return json::object{{"serviceName", "web"},    {"status", "ACTIVE"},
                      {"desiredCount", desired}, {"taskDefinition", "td:new"},
                      {"events", json::array()}, {"deployments", std::move(deployments)}};
}

json::object task(std::string arn, std::string deployment, std::string last,
                  std::string desired = "RUNNING") {
  return json::object{{"taskArn", arn},
                      {"startedBy", deployment},
                      {"lastStatus", last},
                      {"desiredStatus", desired}};
}

TEST(ServiceStatusTest, CircuitBreakerThresholdIsHalfTheDesiredCountBetween3And200) {
  EXPECT_EQ(circuit_breaker_threshold(1), 3);
  EXPECT_EQ(circuit_breaker_threshold(7), 4);
  EXPECT_EQ(circuit_breaker_threshold(10), 5);
  EXPECT_EQ(circuit_breaker_threshold(1000), 200);
}

TEST(ServiceStatusTest, CountsRunningAndPendingPerDeployment) {
  json::object s = service_with(json::array{deployment("new", "PRIMARY", "IN_PROGRESS"),
                                            deployment("old", "ACTIVE", "COMPLETED")});
  update_service_status(s,
                        {task("a", "new", "PENDING"), task("b", "new", "RUNNING"),
                         task("c", "old", "RUNNING"), task("d", "old", "STOPPED", "STOPPED")},
                        {});
  EXPECT_EQ(s["runningCount"], 2);
  EXPECT_EQ(s["pendingCount"], 1);
  const json::array& ds = s["deployments"].as_array();
  EXPECT_EQ(ds[0].at("runningCount"), 1);
  EXPECT_EQ(ds[0].at("pendingCount"), 1);
  EXPECT_EQ(ds[1].at("runningCount"), 1);
}

TEST(ServiceStatusTest, RolloutCompletesOnlyOnceEveryNewTaskIsAvailable) {
  json::object s = service_with(json::array{deployment("new", "PRIMARY", "IN_PROGRESS")});
  std::vector<json::object> tasks{task("a", "new", "RUNNING"), task("b", "new", "RUNNING")};
  update_service_status(s, tasks, StatusInput{100, 21600, {"a"}});
  EXPECT_EQ(s["deployments"].as_array()[0].at("rolloutState"), "IN_PROGRESS");
  update_service_status(s, tasks, StatusInput{101, 21600, {"a", "b"}});
  EXPECT_EQ(s["deployments"].as_array()[0].at("rolloutState"), "COMPLETED");
  EXPECT_EQ(s["events"].as_array()[0].at("message"), "(service web) has reached a steady state.");
}

TEST(ServiceStatusTest, OldDeploymentsLeaveOnlyWhenTheirLastTaskStopped) {
  json::object s = service_with(json::array{deployment("new", "PRIMARY", "IN_PROGRESS"),
                                            deployment("old", "ACTIVE", "COMPLETED")});
  std::vector<json::object> tasks{task("a", "new", "RUNNING"), task("b", "new", "RUNNING"),
                                  task("c", "old", "DEACTIVATING", "STOPPED")};
  update_service_status(s, tasks, StatusInput{100, 21600, {"a", "b"}});
  EXPECT_EQ(s["deployments"].as_array().size(), 2u);
  tasks[2]["lastStatus"] = "STOPPED";
  update_service_status(s, tasks, StatusInput{101, 21600, {"a", "b"}});
  EXPECT_EQ(s["deployments"].as_array().size(), 1u);
}

TEST(ServiceStatusTest, DrainingServiceGoesInactiveWhenNoTaskIsLeft) {
  json::object s = service_with(json::array{deployment("new", "PRIMARY", "COMPLETED", 0)}, 0);
  s["status"] = "DRAINING";
  update_service_status(s, {task("a", "new", "STOPPING", "STOPPED")}, {});
  EXPECT_EQ(s["status"], "DRAINING");
  update_service_status(s, {task("a", "new", "STOPPED", "STOPPED")}, {});
  EXPECT_EQ(s["status"], "INACTIVE");
}

TEST(ServiceStatusTest, TrippedBreakerWithoutRollbackLeavesTheDeploymentFailed) {
  json::object s = service_with(json::array{deployment("new", "PRIMARY", "IN_PROGRESS")});
  s["deploymentConfiguration"] = json::object{
      {"deploymentCircuitBreaker", json::object{{"enable", true}, {"rollback", false}}}};
  s["deployments"].as_array()[0].as_object()["failedTasks"] = 3;
  update_service_status(s, {}, {});
  const json::object& d = s["deployments"].as_array()[0].as_object();
  EXPECT_EQ(d.at("rolloutState"), "FAILED");
  EXPECT_EQ(d.at("rolloutStateReason"), "ECS deployment circuit breaker: tasks failed to start.");
  EXPECT_EQ(s["deployments"].as_array().size(), 1u);
}

// desiredCount 4: the threshold is 3 failed tasks. Below it nothing happens; at it the PRIMARY
// fails and, with rollback on, the last COMPLETED deployment is the target; failing that, an
// older one still running its full count.
TEST(ServiceStatusTest, BreakerTripsAtTheThresholdAndRollsBackToTheLastCompletedDeployment) {
  json::object s = service_with(json::array{deployment("new", "PRIMARY", "IN_PROGRESS", 4),
                                            deployment("mid", "ACTIVE", "IN_PROGRESS", 4),
                                            deployment("old", "ACTIVE", "COMPLETED", 4)},
                                4);
  s["deploymentConfiguration"] = json::object{
      {"deploymentCircuitBreaker", json::object{{"enable", true}, {"rollback", true}}}};
  s["deployments"].as_array()[0].as_object()["failedTasks"] = 2;
  Service service = service_from_json(s);
  EXPECT_FALSE(plan_circuit_breaker(service, {}).trips);

  service.deployments[0].failed_tasks = 3;
  BreakerDecision d = plan_circuit_breaker(service, {});
  EXPECT_TRUE(d.trips);
  ASSERT_NE(d.rollback_to, nullptr);
  EXPECT_EQ(d.rollback_to->id, "old");

  service.deployments[2].rollout_state = "IN_PROGRESS";
  EXPECT_EQ(plan_circuit_breaker(service, {{"mid", 3}}).rollback_to, nullptr);
  d = plan_circuit_breaker(service, {{"mid", 4}});
  ASSERT_NE(d.rollback_to, nullptr);
  EXPECT_EQ(d.rollback_to->id, "mid");

  // Applied: the failed PRIMARY turns ACTIVE behind a new PRIMARY on the target's definition.
  s["deployments"].as_array()[0].as_object()["failedTasks"] = 3;
  update_service_status(s, {task("a", "old", "RUNNING")}, {});
  const json::array& ds = s["deployments"].as_array();
  ASSERT_EQ(ds.size(), 4u);
  EXPECT_EQ(ds[0].at("status"), "PRIMARY");
  EXPECT_EQ(ds[0].at("taskDefinition"), "td:old");
  EXPECT_EQ(ds[1].at("rolloutState"), "FAILED");
  EXPECT_EQ(ds[1].at("status"), "ACTIVE");
  EXPECT_EQ(s["taskDefinition"], "td:old");
  EXPECT_EQ(s["_scheduler"].at("rollback").at("failed"), "new");
}

}  // namespace
}  // namespace services::ecs
