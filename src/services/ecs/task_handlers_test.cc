#include "services/ecs/ecs_test_support.h"

namespace services::ecs {
namespace {

namespace json = boost::json;

class RecordingLauncher final : public TaskLauncher {
 public:
  void task_created(const TaskRef& t) override { created.push_back(t.task_arn); }
  void task_stop_requested(const TaskRef& t) override { stopped.push_back(t.task_arn); }
  bool drives_task_lifecycle() const override { return drives; }
  std::vector<std::string> created, stopped;
  bool drives = false;
};

class TaskHandlersTest : public EcsHandlersTest {
 protected:
  void SetUp() override {
    ecs_.set_task_launcher(launcher_);
    ok("CreateCluster", R"({"clusterName":"c"})");
    register_web();
  }
  json::array run(std::string extra = "") {
    return ok("RunTask", J(R"({"cluster":"c","taskDefinition":"web","launchType":"FARGATE",
        "networkConfiguration":)" + std::string(kNetwork) + extra + "}"))["tasks"].as_array();
  }
  RecordingLauncher launcher_;
};

TEST_F(TaskHandlersTest, RunTaskCreatesProvisioningTasksWithLongArns) {
  json::array tasks = run(R"(,"count":2,"startedBy":"me")");
  ASSERT_EQ(tasks.size(), 2u);
  const json::object& t = tasks[0].as_object();
  std::string arn = S(t.at("taskArn"));
  std::string prefix = "arn:aws:ecs:us-east-1:123456789012:task/c/";
  ASSERT_TRUE(arn.starts_with(prefix));
  std::string id = arn.substr(prefix.size());
  EXPECT_EQ(id.size(), 32u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(t.at("lastStatus"), "PROVISIONING");
  EXPECT_EQ(t.at("desiredStatus"), "RUNNING");
  EXPECT_EQ(t.at("launchType"), "FARGATE");
  EXPECT_EQ(t.at("platformVersion"), "1.4.0");
  EXPECT_EQ(t.at("group"), "family:web");
  EXPECT_EQ(t.at("startedBy"), "me");
  EXPECT_EQ(t.at("cpu"), "256");
  EXPECT_EQ(t.at("createdAt"), 1700000000.0);
  EXPECT_EQ(t.at("attachments").as_array()[0].at("type"), "ElasticNetworkInterface");
  EXPECT_EQ(t.at("containers").as_array()[0].at("name"), "app");
  EXPECT_EQ(launcher_.created.size(), 2u);
}

TEST_F(TaskHandlersTest, RunTaskValidatesInput) {
  EXPECT_EQ(err("RunTask", R"({"cluster":"c","taskDefinition":"web","launchType":"FARGATE"})")
                .message,
            "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  EXPECT_EQ(err("RunTask", R"({"cluster":"nope","taskDefinition":"web"})").code,
            "ClusterNotFoundException");
  EXPECT_EQ(err("RunTask", R"({"cluster":"c","taskDefinition":"nope"})").code,
            "InvalidParameterException");
  EXPECT_EQ(err("RunTask", J(R"({"cluster":"c","taskDefinition":"web","count":11,
      "launchType":"FARGATE","networkConfiguration":)" + std::string(kNetwork) + "}")).code,
            "InvalidParameterException");
}

TEST_F(TaskHandlersTest, UnknownSubnetsAndGroupsAreRejectedBeforeAnyTaskExists) {
  std::vector<std::string> seen_subnets;
  ecs_.set_network_checker([&](const Ctx& c, const std::vector<std::string>& subnets,
                               const std::vector<std::string>& groups) -> std::string {
    seen_subnets = subnets;
    EXPECT_EQ(c.account, "123456789012");
    EXPECT_EQ(groups, std::vector<std::string>{"sg-1"});
    return "Error retrieving subnet information for [subnet-1]: The subnet ID 'subnet-1' does "
           "not exist (ErrorCode: InvalidSubnetID.NotFound)";
  });
  protocol::AwsError e = err("RunTask", J(R"({"cluster":"c","taskDefinition":"web",
      "launchType":"FARGATE","networkConfiguration":)" + std::string(kNetwork) + "}"));
  EXPECT_EQ(e.code, "InvalidParameterException");
  EXPECT_NE(e.message.find("InvalidSubnetID.NotFound"), std::string::npos);
  EXPECT_EQ(seen_subnets, std::vector<std::string>{"subnet-1"});
  EXPECT_TRUE(launcher_.created.empty());
  EXPECT_TRUE(ok("ListTasks", R"({"cluster":"c"})")["taskArns"].as_array().empty());

  ecs_.set_network_checker([](const Ctx&, const std::vector<std::string>&,
                              const std::vector<std::string>&) { return std::string(); });
  EXPECT_EQ(run().size(), 1u);
}

TEST_F(TaskHandlersTest, Ec2LaunchWithoutInstancesReportsFailures) {
  json::object out = ok("RunTask", J(R"({"cluster":"c","taskDefinition":"web",
      "networkConfiguration":)" + std::string(kNetwork) + "}"));
  EXPECT_TRUE(out["tasks"].as_array().empty());
  EXPECT_EQ(out["failures"].as_array()[0].at("reason"),
            "No Container Instances were found in your cluster.");
}

TEST_F(TaskHandlersTest, StopTaskWithoutRuntimeStopsAtOnce) {
  std::string arn = S(run()[0].at("taskArn"));
  clock_.advance(std::chrono::seconds(3));
  json::object t = ok("StopTask", json::object{{"cluster", "c"}, {"task", arn},
                                               {"reason", "done"}})["task"].as_object();
  EXPECT_EQ(t["desiredStatus"], "STOPPED");
  EXPECT_EQ(t["lastStatus"], "STOPPED");
  EXPECT_EQ(t["stopCode"], "UserInitiated");
  EXPECT_EQ(t["stoppedReason"], "done");
  EXPECT_EQ(t["stoppedAt"], 1700000003.0);
  EXPECT_EQ(t["stoppingAt"], 1700000003.0);
  EXPECT_EQ(t["executionStoppedAt"], 1700000003.0);
  EXPECT_EQ(launcher_.stopped, std::vector<std::string>{arn});
  EXPECT_TRUE(ok("ListTasks", R"({"cluster":"c"})")["taskArns"].as_array().empty());
  EXPECT_EQ(ok("ListTasks", R"({"cluster":"c","desiredStatus":"STOPPED"})")["taskArns"]
                .as_array().size(), 1u);
}

TEST_F(TaskHandlersTest, StopTaskWithRuntimeLeavesDrainingToIt) {
  launcher_.drives = true;
  std::string arn = S(run()[0].at("taskArn"));
  json::object t = ok("StopTask", json::object{{"cluster", "c"}, {"task", arn}})["task"]
                       .as_object();
  EXPECT_EQ(t["desiredStatus"], "STOPPED");
  EXPECT_EQ(t["lastStatus"], "PROVISIONING");
}

TEST_F(TaskHandlersTest, StopUnknownTask) {
  protocol::AwsError e = err("StopTask", R"({"cluster":"c","task":"0123"})");
  EXPECT_EQ(e.code, "InvalidParameterException");
  EXPECT_EQ(e.message, "The referenced task was not found.");
}

TEST_F(TaskHandlersTest, DescribeTasksByIdArnAndMissing) {
  std::string arn = S(run(R"(,"tags":[{"key":"k","value":"v"}])")[0].at("taskArn"));
  std::string id = arn.substr(arn.rfind('/') + 1);
  json::object out = ok("DescribeTasks", json::object{
      {"cluster", "c"}, {"tasks", json::array{json::string(id), json::string("ffff")}},
      {"include", json::array{"TAGS"}}});
  ASSERT_EQ(out["tasks"].as_array().size(), 1u);
  EXPECT_EQ(out["tasks"].as_array()[0].at("tags").as_array().size(), 1u);
  EXPECT_EQ(out["failures"].as_array()[0].at("reason"), "MISSING");
}

TEST_F(TaskHandlersTest, ListTasksFiltersAndPaginates) {
  register_web("other");
  run(R"(,"count":3,"startedBy":"a")");
  ok("RunTask", J(R"({"cluster":"c","taskDefinition":"other","launchType":"FARGATE",
      "networkConfiguration":)" + std::string(kNetwork) + "}"));
  EXPECT_EQ(ok("ListTasks", R"({"cluster":"c"})")["taskArns"].as_array().size(), 4u);
  EXPECT_EQ(ok("ListTasks", R"({"cluster":"c","family":"other"})")["taskArns"].as_array().size(),
            1u);
  EXPECT_EQ(ok("ListTasks", R"({"cluster":"c","startedBy":"a"})")["taskArns"].as_array().size(),
            3u);
  EXPECT_EQ(ok("ListTasks", R"({"cluster":"c","launchType":"EC2"})")["taskArns"].as_array()
                .size(), 0u);
  json::object p = ok("ListTasks", R"({"cluster":"c","maxResults":3})");
  EXPECT_EQ(p["taskArns"].as_array().size(), 3u);
  json::object rest = ok("ListTasks", json::object{{"cluster", "c"}, {"maxResults", 3},
                                                   {"nextToken", p["nextToken"]}});
  EXPECT_EQ(rest["taskArns"].as_array().size(), 1u);
  EXPECT_EQ(err("ListTasks", R"({"cluster":"nope"})").code, "ClusterNotFoundException");
}

TEST_F(TaskHandlersTest, ClusterCountsFollowTasks) {
  run(R"(,"count":2)");
  json::object c = ok("DescribeClusters", R"({"clusters":["c"]})")["clusters"].as_array()[0]
                       .as_object();
  EXPECT_EQ(c["pendingTasksCount"], 2);
  EXPECT_EQ(c["runningTasksCount"], 0);
}

}  // namespace
}  // namespace services::ecs
