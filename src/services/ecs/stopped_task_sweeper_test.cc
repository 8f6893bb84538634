#include "services/ecs/stopped_task_sweeper.h"

#include "services/ecs/ecs_test_support.h"
#include "store/transaction.h"

namespace services::ecs {
namespace {

namespace json = boost::json;
using std::chrono::minutes;
using std::chrono::seconds;

StoppedTaskRow row(std::string arn, double stopped_at, bool pending = false) {
  return {"123456789012", "us-east-1", std::move(arn), stopped_at, pending};
}

std::vector<std::string> arns(const std::vector<StoppedTaskRow>& rows) {
  std::vector<std::string> out;
  for (const StoppedTaskRow& r : rows) out.push_back(r.arn);
  return out;
}

TEST(ExpiredTasksTest, ExpiresTasksStoppedAtLeastTheWindowAgo) {
  // Window 3600 s at now = 10000: stopped at 6400 (exactly 1 h ago) goes, 6401 stays.
  std::vector<StoppedTaskRow> rows = {row("a", 6400), row("b", 6401), row("c", 100)};
  EXPECT_EQ(arns(expired_tasks(rows, 10000, seconds(3600))),
            (std::vector<std::string>{"a", "c"}));
}

TEST(ExpiredTasksTest, KeepsATaskItsServiceSchedulerHasNotAccountedFor) {
  std::vector<StoppedTaskRow> rows = {row("svc", 0, true), row("done", 0)};
  EXPECT_EQ(arns(expired_tasks(rows, 10000, seconds(3600))), (std::vector<std::string>{"done"}));
}

class StoppedTaskSweeperTest : public EcsHandlersTest {
 protected:
  void SetUp() override {
    ok("CreateCluster", R"({"clusterName":"c"})");
    register_web();
  }
  // A task run and stopped at once (no runtime drives it); returns its ARN.
  std::string stopped_task() {
    std::string arn = S(ok("RunTask", J(R"({"cluster":"c","taskDefinition":"web",
        "launchType":"FARGATE","networkConfiguration":)" + std::string(kNetwork) +
                                            R"(,"tags":[{"key":"k","value":"v"}]})"))["tasks"]
                            .as_array()[0]
                            .at("taskArn"));
    ok("StopTask", json::object{{"cluster", "c"}, {"task", arn}});
    return arn;
  }
  json::object describe(const std::string& arn) {
    return ok("DescribeTasks", json::object{{"cluster", "c"}, {"tasks", json::array{json::string(arn)}}});
  }
  size_t listed_stopped() {
    return ok("ListTasks", R"({"cluster":"c","desiredStatus":"STOPPED"})")["taskArns"]
        .as_array()
        .size();
  }
  StoppedTaskSweeper sweeper_{db_, clock_, kDefaultStoppedTaskTtl};
};

// "Currently, stopped tasks appear in the returned results for at least one hour."
// (DescribeTasks, API reference)
TEST_F(StoppedTaskSweeperTest, AStoppedTaskStaysForAnHourThenIsMissing) {
  std::string arn = stopped_task();
  clock_.advance(minutes(59));
  EXPECT_EQ(sweeper_.sweep(), 0u);
  EXPECT_EQ(describe(arn)["tasks"].as_array().size(), 1u);
  EXPECT_EQ(listed_stopped(), 1u);

  clock_.advance(minutes(1));
  EXPECT_EQ(sweeper_.sweep(), 1u);
  json::object out = describe(arn);
  EXPECT_TRUE(out["tasks"].as_array().empty());
  EXPECT_EQ(out["failures"].as_array()[0].at("reason"), "MISSING");
  EXPECT_EQ(listed_stopped(), 0u);
  // Its tags went with it.
  int64_t tags = -1;
  store::Transaction tx = db_.read();
  tx.query("SELECT COUNT(*) FROM ecs_tags", [&](const store::Statement& r) { tags = r.int64(0); });
  EXPECT_EQ(tags, 0);
}

TEST_F(StoppedTaskSweeperTest, NeverExpiresATaskThatIsNotStopped) {
  std::string arn = S(ok("RunTask", J(R"({"cluster":"c","taskDefinition":"web",
      "launchType":"FARGATE","networkConfiguration":)" + std::string(kNetwork) + "}"))["tasks"]
                          .as_array()[0]
                          .at("taskArn"));
  clock_.advance(std::chrono::hours(48));
  EXPECT_EQ(sweeper_.sweep(), 0u);
  EXPECT_EQ(describe(arn)["tasks"].as_array().size(), 1u);
}

TEST_F(StoppedTaskSweeperTest, TheResyncSweepsOnItsOwn) {
  stopped_task();
  clock_.advance(minutes(61));
  sweeper_.run_ready();
  EXPECT_EQ(listed_stopped(), 0u);
}

}  // namespace
}  // namespace services::ecs
