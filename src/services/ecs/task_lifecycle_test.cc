#include "services/ecs/task_lifecycle.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace services::ecs {
namespace {

namespace json = boost::json;

constexpr const char* kArn = "arn:aws:ecs:us-east-1:000000000000:task/c/0123456789abcdef";

// A RUNNING awsvpc task with containers "web" and "sidecar", as stored.
Task running_task() {
  json::object doc{
      {"taskArn", kArn},
      {"attachments", json::array{json::object{{"id", "att-1"},
                                               {"type", "ElasticNetworkInterface"},
                                               {"status", "ATTACHED"},
                                               {"details", json::array()}}}},
      {"containers", json::array{json::object{{"name", "web"}, {"lastStatus", "RUNNING"}},
                                 json::object{{"name", "sidecar"}, {"lastStatus", "RUNNING"}}}},
      {"desiredStatus", "RUNNING"},
      {"lastStatus", "RUNNING"},
      {"startedAt", 100.0},
      {"version", 3}};
  return task_from_json(std::move(doc));
}

ContainerDefinitions two_containers() {
  return definitions(json::object{
      {"containerDefinitions",
       json::array{json::object{{"name", "web"}, {"essential", true}},
                   json::object{{"name", "sidecar"}, {"essential", false}, {"stopTimeout", 5}}}}});
}

ContainerState exited(std::string name, int code) {
  return ContainerState{std::move(name), ContainerPhase::Exited, code, false, "rt-" + name};
}

ContainerState alive(std::string name) {
  return ContainerState{std::move(name), ContainerPhase::Running, std::nullopt, false,
                        "rt-" + name};
}

// The essential container exits: the task is bound to stop with ECS's code and reason, goes
// through DEACTIVATING, has its other container stopped, and ends STOPPED.
TEST(TaskLifecycleTest, EssentialContainerExitStopsTheTaskWithEcsCodeAndReason) {
  Task task = running_task();
  ContainerStates seen{{"web", exited("web", 137)}, {"sidecar", alive("sidecar")}};
  observe_containers(task, seen, two_containers(), 200);
  EXPECT_EQ(task.desired_status, "STOPPED");
  EXPECT_EQ(task.stop_code, "EssentialContainerExited");
  EXPECT_EQ(task.stopped_reason, "Essential container in task exited");
  EXPECT_EQ(task.stopping_at, 200);
  EXPECT_EQ(task.containers[0].last_status, "STOPPED");
  EXPECT_EQ(task.containers[0].exit_code, 137);
  EXPECT_EQ(task.health_status, "UNKNOWN");

  EXPECT_EQ(plan_task_step(task, seen, 0), TaskStep::Deactivate);
  mark_deactivating(task, 201);
  EXPECT_EQ(task.last_status, "DEACTIVATING");
  EXPECT_EQ(task.stopping_at, 200);  // kept
  EXPECT_EQ(plan_task_step(task, seen, 1), TaskStep::StopContainers);
  EXPECT_EQ(stop_timeout_seconds(two_containers(), "sidecar"), 5);
  EXPECT_EQ(stop_timeout_seconds(two_containers(), "web"), 30);

  seen["sidecar"] = exited("sidecar", 0);
  EXPECT_EQ(plan_task_step(task, seen, 2), TaskStep::Deprovision);
  mark_deprovisioning(task, 202);
  mark_stopped(task, 203);
  EXPECT_EQ(task.last_status, "STOPPED");
  EXPECT_EQ(task.execution_stopped_at, 202);
  EXPECT_EQ(task.stopped_at, 203);
  EXPECT_EQ(task.connectivity, "DISCONNECTED");
  EXPECT_EQ(task.containers[1].last_status, "STOPPED");
  EXPECT_EQ(task.attachments[0].status, "DELETED");
  EXPECT_EQ(plan_task_step(task, seen, 3), TaskStep::Done);

  json::object doc = to_json(task);
  EXPECT_EQ(doc.at("stopCode"), "EssentialContainerExited");
  EXPECT_EQ(doc.at("version"), 3);  // bumped by the controller's write, not here
}

TEST(TaskLifecycleTest, NonEssentialExitKeepsTheTaskRunning) {
  Task task = running_task();
  ContainerStates seen{{"web", alive("web")}, {"sidecar", exited("sidecar", 0)}};
  observe_containers(task, seen, two_containers(), 200);
  EXPECT_EQ(task.desired_status, "RUNNING");
  EXPECT_FALSE(task.stop_code);
  EXPECT_EQ(plan_task_step(task, seen, 0), TaskStep::Done);
}

TEST(TaskLifecycleTest, StopTaskBehindALoadBalancerWaitsForTheDrainAtMost300Seconds) {
  Task task = running_task();
  request_stop(task, "UserInitiated", "Task stopped by user", 100);
  task.last_status = "DEACTIVATING";
  task.scheduler.targets = {TaskTarget{"tg", "10.0.1.5", 80}};
  ContainerStates seen{{"web", alive("web")}};
  EXPECT_TRUE(awaits_target_drain(task));
  EXPECT_EQ(plan_task_step(task, seen, 299), TaskStep::AwaitDrain);
  EXPECT_EQ(plan_task_step(task, seen, 300), TaskStep::StopContainers);
  task.scheduler.released = true;
  EXPECT_EQ(plan_task_step(task, seen, 0), TaskStep::StopContainers);
}

TEST(TaskLifecycleTest, StoppingSetsUserInitiatedOnlyWhenNoCodeWasGiven) {
  Task task = running_task();
  task.desired_status = "STOPPED";
  mark_stopping(task, 50);
  EXPECT_EQ(task.stop_code, "UserInitiated");
  EXPECT_EQ(task.stopping_at, 50);
  Task failed = running_task();
  fail_to_start(failed, "CannotPullContainerError: nope", "web", 60);
  mark_stopping(failed, 70);
  EXPECT_EQ(failed.stop_code, "TaskFailedToStart");
  EXPECT_EQ(failed.stopping_at, 60);
  EXPECT_EQ(failed.containers[0].reason, "CannotPullContainerError: nope");
  EXPECT_FALSE(failed.containers[1].reason);
}

TEST(TaskLifecycleTest, WalksProvisioningPendingActivatingRunning) {
  Task task = task_from_json(json::object{
      {"taskArn", kArn},
      {"lastStatus", "PROVISIONING"},
      {"desiredStatus", "RUNNING"},
      {"attachments",
       json::array{json::object{
           {"id", "att-1"}, {"type", "ElasticNetworkInterface"}, {"status", "PRECREATED"}}}},
      {"containers",
       json::array{json::object{{"name", "web"}, {"networkInterfaces", json::array()}}}}});
  EXPECT_EQ(plan_task_step(task, {}, 0), TaskStep::AttachNetwork);
  TaskNetwork net{"eni-1", "10.0.1.5",   "02:00:00:00:00:01", "subnet-1",
                  "vpc-1", "us-east-1a", "/run/netns/t",      "http://10.0.1.1:4566"};
  mark_network_attached(task, &net, "us-east-1", 10);
  EXPECT_EQ(task.last_status, "PENDING");
  EXPECT_EQ(task.attachments[0].status, "ATTACHED");
  EXPECT_EQ(task.eni_detail("privateDnsName"), "ip-10-0-1-5.ec2.internal");
  EXPECT_EQ(task.eni_detail("subnetId"), "subnet-1");
  EXPECT_EQ(task.containers[0].network_interfaces[0].attachment_id, "att-1");
  EXPECT_EQ(task.connectivity, "CONNECTED");
  EXPECT_EQ(plan_task_step(task, {}, 0), TaskStep::StartContainers);

  ContainerDefinitions defs = definitions(
      json::object{{"containerDefinitions", json::array{json::object{{"name", "web"}}}}});
  ContainerLaunch launch = container_launch(task, "web", {}, defs, "us-east-1", "");
  EXPECT_EQ(launch.netns_path, "/run/netns/t");
  EXPECT_EQ(launch.hostname, "ip-10-0-1-5.ec2.internal");
  EXPECT_EQ(launch.private_ip, "10.0.1.5");
  EXPECT_EQ(launch.extra_environment.front(),
            (std::pair<std::string, std::string>{"AWS_ENDPOINT_URL", "http://10.0.1.1:4566"}));

  task.last_status = "ACTIVATING";
  EXPECT_EQ(plan_task_step(task, {}, 0), TaskStep::Activate);
  mark_running(task, 20);
  EXPECT_EQ(task.last_status, "RUNNING");
  EXPECT_EQ(task.started_at, 20);
  EXPECT_EQ(task.connectivity_at, 10);  // kept from the attachment
}

ContainerDefinitions init_then_app(std::string condition) {
  return definitions(json::object{
      {"containerDefinitions",
       json::array{
           json::object{{"name", "init"}, {"essential", false}},
           json::object{{"name", "app"},
                        {"dependsOn", json::array{json::object{{"containerName", "init"},
                                                               {"condition", condition}}}}}}}});
}

TEST(TaskLifecycleTest, StartsContainersInDependsOnOrder) {
  StartPlan plan = plan_container_starts(init_then_app("COMPLETE"), {});
  EXPECT_EQ(plan.start, (std::vector<std::string>{"init"}));
  EXPECT_FALSE(plan.all_started);

  // Containers are looked at in name order: "app" waits for the next pass even on START.
  plan = plan_container_starts(init_then_app("START"), {});
  EXPECT_EQ(plan.start, (std::vector<std::string>{"init"}));
  EXPECT_FALSE(plan.all_started);
  plan = plan_container_starts(init_then_app("START"), {{"init", alive("init")}});
  EXPECT_EQ(plan.start, (std::vector<std::string>{"app"}));
  EXPECT_TRUE(plan.all_started);

  plan = plan_container_starts(init_then_app("SUCCESS"), {{"init", exited("init", 0)}});
  EXPECT_EQ(plan.start, (std::vector<std::string>{"app"}));

  plan = plan_container_starts(init_then_app("SUCCESS"), {{"init", exited("init", 2)}});
  EXPECT_TRUE(plan.start.empty());
  EXPECT_EQ(plan.failed_container, "app");
  EXPECT_EQ(plan.failure, "Container init exited with code 2, dependency of app required SUCCESS");
}

}  // namespace
}  // namespace services::ecs
