#include "services/ecs/task_controller.h"

#include "services/ecs/ecs_store.h"
#include "services/ecs/ecs_test_support.h"
#include "services/ecs/fake_task_ports.h"

namespace services::ecs {
namespace {

namespace json = boost::json;

class TaskControllerTest : public EcsHandlersTest {
 protected:
  void SetUp() override {
    ecs_.set_task_launcher(controller_);
    ok("CreateCluster", R"({"clusterName":"c"})");
  }
  std::string run(std::string_view family = "web") {
    json::object out = ok("RunTask", J(R"({"cluster":"c","taskDefinition":")" +
                                       std::string(family) +
                                       R"(","launchType":"FARGATE","networkConfiguration":)" +
                                       std::string(kNetwork) + "}"));
    return std::string(out["tasks"].as_array()[0].at("taskArn").as_string());
  }
  json::object describe(const std::string& arn) {
    json::object out = ok("DescribeTasks", J(R"({"cluster":"c","tasks":[")" + arn + R"("]})"));
    return out["tasks"].as_array()[0].as_object();
  }
  // Reconciles until the task stops changing lastStatus (bounded).
  void converge(const std::string& arn) {
    for (int i = 0; i < 10; ++i) controller_.reconcile(arn);
  }
  void register_two(std::string_view depends_on) {
    ok("RegisterTaskDefinition", J(std::string(R"({"family":"two",
        "requiresCompatibilities":["FARGATE"],"networkMode":"awsvpc","cpu":"256","memory":"512",
        "containerDefinitions":[
          {"name":"init","image":"busybox","essential":false},
          {"name":"app","image":"nginx","stopTimeout":7,"dependsOn":)") +
                                   std::string(depends_on) + "}]}"));
  }

  FakeTaskNetwork network_;
  FakeContainers containers_;
  TaskController controller_{db_, clock_, network_, containers_};
};

TEST_F(TaskControllerTest, RunTaskReachesRunningWithItsEniAndTimestamps) {
  register_web();
  std::string arn = run();
  controller_.reconcile(arn);
  json::object t = describe(arn);
  EXPECT_EQ(t.at("lastStatus"), "PENDING");
  const json::object& eni = t.at("attachments").as_array()[0].as_object();
  EXPECT_EQ(eni.at("status"), "ATTACHED");
  EXPECT_NE(json::serialize(eni).find("eni-0123456789abcdef0"), std::string::npos);
  EXPECT_NE(json::serialize(eni).find("ip-10-0-1-10.ec2.internal"), std::string::npos);
  controller_.reconcile(arn);
  EXPECT_EQ(describe(arn).at("lastStatus"), "ACTIVATING");
  controller_.reconcile(arn);
  t = describe(arn);
  EXPECT_EQ(t.at("lastStatus"), "RUNNING");
  EXPECT_EQ(t.at("desiredStatus"), "RUNNING");
  EXPECT_TRUE(t.contains("pullStartedAt"));
  EXPECT_TRUE(t.contains("pullStoppedAt"));
  EXPECT_TRUE(t.contains("startedAt"));
  EXPECT_EQ(t.at("availabilityZone"), "us-east-1a");
  const json::object& c = t.at("containers").as_array()[0].as_object();
  EXPECT_EQ(c.at("lastStatus"), "RUNNING");
  EXPECT_EQ(c.at("runtimeId"), "rt-app");
  EXPECT_EQ(c.at("networkInterfaces").as_array()[0].at("privateIpv4Address"), "10.0.1.10");
  ASSERT_EQ(containers_.launches.size(), 1u);
  bool has_endpoint = false;
  for (auto& [k, v] : containers_.launches[0].extra_environment) {
    has_endpoint = has_endpoint || (k == "AWS_ENDPOINT_URL" && v == "http://10.0.1.1:4566");
  }
  EXPECT_TRUE(has_endpoint);
  EXPECT_EQ(containers_.launches[0].netns_path, "/run/netns/gantry-task-x");
}

TEST_F(TaskControllerTest, MissingImageStopsTheTaskWithCannotPullContainerError) {
  register_web();
  containers_.missing_images.insert("nginx");
  std::string arn = run();
  converge(arn);
  json::object t = describe(arn);
  EXPECT_EQ(t.at("lastStatus"), "STOPPED");
  EXPECT_EQ(t.at("desiredStatus"), "STOPPED");
  EXPECT_EQ(t.at("stopCode"), "TaskFailedToStart");
  std::string reason(t.at("stoppedReason").as_string());
  EXPECT_EQ(reason.rfind("CannotPullContainerError: ", 0), 0u);
  EXPECT_EQ(t.at("containers").as_array()[0].at("reason"), t.at("stoppedReason"));
  EXPECT_TRUE(containers_.started.empty());
  EXPECT_EQ(network_.detached, std::vector<std::string>{arn});
  EXPECT_TRUE(t.contains("stoppedAt"));
}

TEST_F(TaskControllerTest, EssentialContainerExitStopsTheTask) {
  register_web();
  std::string arn = run();
  converge(arn);
  containers_.exit(arn, "app", 3);
  converge(arn);
  json::object t = describe(arn);
  EXPECT_EQ(t.at("lastStatus"), "STOPPED");
  EXPECT_EQ(t.at("stopCode"), "EssentialContainerExited");
  EXPECT_EQ(t.at("stoppedReason"), "Essential container in task exited");
  EXPECT_EQ(t.at("containers").as_array()[0].at("exitCode"), 3);
  EXPECT_EQ(t.at("containers").as_array()[0].at("lastStatus"), "STOPPED");
  EXPECT_EQ(t.at("attachments").as_array()[0].at("status"), "DELETED");
}

TEST_F(TaskControllerTest, OomKillIsReportedInEcsWords) {
  register_web();
  std::string arn = run();
  converge(arn);
  containers_.exit(arn, "app", 137, /*oom=*/true);
  converge(arn);
  json::object t = describe(arn);
  EXPECT_EQ(t.at("containers").as_array()[0].at("reason"),
            "OutOfMemoryError: Container killed due to memory usage");
  EXPECT_EQ(t.at("containers").as_array()[0].at("exitCode"), 137);
}

TEST_F(TaskControllerTest, StopTaskSendsOneStopWithTheStopTimeoutThenStops) {
  register_two(R"([{"containerName":"init","condition":"START"}])");
  containers_.stop_exits_at_once = false;
  std::string arn = run("two");
  converge(arn);
  ASSERT_EQ(describe(arn).at("lastStatus"), "RUNNING");
  ok("StopTask", J(R"({"cluster":"c","task":")" + arn + R"(","reason":"bye"})"));
  converge(arn);
  json::object t = describe(arn);
  EXPECT_EQ(t.at("lastStatus"), "STOPPING");
  EXPECT_EQ(t.at("stopCode"), "UserInitiated");
  EXPECT_EQ(t.at("stoppedReason"), "bye");
  std::sort(containers_.stops.begin(), containers_.stops.end());
  EXPECT_EQ(containers_.stops, (std::vector<std::string>{"app:7", "init:30"}));
  containers_.exit(arn, "app", 0);
  containers_.exit(arn, "init", 0);
  converge(arn);
  t = describe(arn);
  EXPECT_EQ(t.at("lastStatus"), "STOPPED");
  EXPECT_EQ(t.at("stoppedReason"), "bye");
  EXPECT_EQ(containers_.removed, std::vector<std::string>{arn});
}

TEST_F(TaskControllerTest, StopTaskOfATaskWithTargetsWaitsForThemToDrain) {
  register_web();
  containers_.stop_exits_at_once = false;
  std::string arn = run();
  converge(arn);
  auto scheduler_state = [&](std::string_view doc) {
    store::Transaction tx = db_.begin();
    EcsStore st(tx, "123456789012", "us-east-1");
    json::object t = *st.get(Table::Tasks, arn);
    t["_scheduler"] = json::parse(doc);
    st.put_task(t);
    tx.commit();
  };
  scheduler_state(R"({"targets":[{"targetGroupArn":"tg","id":"10.0.1.4","port":80}]})");
  ok("StopTask", J(R"({"cluster":"c","task":")" + arn + R"("})"));
  converge(arn);
  EXPECT_EQ(describe(arn).at("lastStatus"), "DEACTIVATING");
  EXPECT_TRUE(containers_.stops.empty());

  scheduler_state(R"({"targets":[{"targetGroupArn":"tg","id":"10.0.1.4","port":80}],
                      "released":true})");
  converge(arn);
  EXPECT_EQ(describe(arn).at("lastStatus"), "STOPPING");
  EXPECT_EQ(containers_.stops.size(), 1u);
}

TEST_F(TaskControllerTest, StopTaskGivesUpWaitingForTargetsAfterTheDeregistrationDelay) {
  register_web();
  containers_.stop_exits_at_once = false;
  std::string arn = run();
  converge(arn);
  {
    store::Transaction tx = db_.begin();
    EcsStore st(tx, "123456789012", "us-east-1");
    json::object t = *st.get(Table::Tasks, arn);
    t["_scheduler"] = json::parse(R"({"targets":[{"targetGroupArn":"tg","id":"10.0.1.4"}]})");
    st.put_task(t);
    tx.commit();
  }
  ok("StopTask", J(R"({"cluster":"c","task":")" + arn + R"("})"));
  converge(arn);
  ASSERT_EQ(describe(arn).at("lastStatus"), "DEACTIVATING");
  clock_.advance(std::chrono::seconds(301));
  converge(arn);
  EXPECT_EQ(describe(arn).at("lastStatus"), "STOPPING");
}

TEST_F(TaskControllerTest, DependsOnCompleteWaitsForTheDependencyToExit) {
  register_two(R"([{"containerName":"init","condition":"COMPLETE"}])");
  std::string arn = run("two");
  converge(arn);
  EXPECT_EQ(containers_.started, std::vector<std::string>{"init"});
  EXPECT_EQ(describe(arn).at("lastStatus"), "PENDING");
  containers_.exit(arn, "init", 0);  // non-essential: the task keeps going
  converge(arn);
  EXPECT_EQ(containers_.started, (std::vector<std::string>{"init", "app"}));
  EXPECT_EQ(describe(arn).at("lastStatus"), "RUNNING");
}

TEST_F(TaskControllerTest, FailedSuccessDependencyStopsTheTask) {
  register_two(R"([{"containerName":"init","condition":"SUCCESS"}])");
  std::string arn = run("two");
  converge(arn);
  containers_.exit(arn, "init", 1);
  converge(arn);
  json::object t = describe(arn);
  EXPECT_EQ(t.at("lastStatus"), "STOPPED");
  EXPECT_EQ(t.at("stopCode"), "TaskFailedToStart");
  EXPECT_EQ(containers_.started, std::vector<std::string>{"init"});
}

TEST_F(TaskControllerTest, ResyncFindsUnstoppedTasksAfterARestart) {
  register_web();
  std::string arn = run();
  // A new controller over the same store (a restart) picks the task up on its first resync.
  FakeContainers fresh_containers;
  TaskController restarted(db_, clock_, network_, fresh_containers);
  EXPECT_GE(restarted.controller().run_ready(), 1u);
  EXPECT_EQ(describe(arn).at("lastStatus"), "PENDING");
}

}  // namespace
}  // namespace services::ecs
