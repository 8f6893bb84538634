#include "services/autoscaling/autoscaling_test_support.h"

namespace services::autoscaling {
namespace {

namespace json = boost::json;
using std::chrono::seconds;

class ScheduledActionRunnerTest : public AutoscalingTest {
 protected:
  void put_action(const std::string& name, const std::string& schedule, const std::string& rest) {
    ok("PutScheduledAction", J(R"({"ServiceNamespace":"ecs","ResourceId":"service/c/web",
             "ScalableDimension":"ecs:service:DesiredCount","ScheduledActionName":")" +
                               name + R"(","Schedule":")" + schedule + "\"" + rest + "}"));
  }
  json::object target() {
    return ok("DescribeScalableTargets", J(R"({"ServiceNamespace":"ecs"})"))
        .at("ScalableTargets")
        .as_array()[0]
        .as_object();
  }
};

TEST_F(ScheduledActionRunnerTest, AtActionSetsMinMaxAtItsTimeAndRaisesCapacity) {
  register_web(1, 6);
  put_action("peak", "at(2026-12-07T10:00:30)",
             R"(,"ScalableTargetAction":{"MinCapacity":3,"MaxCapacity":8})");
  EXPECT_EQ(runner_.run_due(), 0);
  clock_.advance(seconds(29));
  EXPECT_EQ(runner_.run_due(), 0);
  clock_.advance(seconds(1));
  EXPECT_EQ(runner_.run_due(), 1);
  EXPECT_EQ(target().at("MinCapacity"), 3);
  EXPECT_EQ(target().at("MaxCapacity"), 8);
  EXPECT_EQ(ecs_.services["c/web"].desired, 3);
  json::array acts = activities();
  ASSERT_EQ(acts.size(), 2u);  // newest first
  EXPECT_EQ(acts[1].at("Description"), "Setting min capacity to 3 and max capacity to 8");
  EXPECT_EQ(acts[1].at("Cause"), "scheduled action name peak was triggered");
  EXPECT_EQ(acts[0].at("Description"), "Setting desired count to 3.");
  // An at() action fires once.
  clock_.advance(seconds(3600));
  EXPECT_EQ(runner_.run_due(), 0);
}

TEST_F(ScheduledActionRunnerTest, RateActionRepeatsAndSuspensionSkipsIt) {
  register_web(1, 6);
  ecs_.services["c/web"].desired = 5;
  put_action("shrink", "rate(5 minutes)", R"(,"ScalableTargetAction":{"MaxCapacity":2})");
  clock_.advance(seconds(300));
  EXPECT_EQ(runner_.run_due(), 1);
  EXPECT_EQ(ecs_.services["c/web"].desired, 2);
  ok("RegisterScalableTarget", J(R"({"ServiceNamespace":"ecs","ResourceId":"service/c/web",
           "ScalableDimension":"ecs:service:DesiredCount","MaxCapacity":6,
           "SuspendedState":{"ScheduledScalingSuspended":true}})"));
  clock_.advance(seconds(300));
  EXPECT_EQ(runner_.run_due(), 1);
  EXPECT_EQ(target().at("MaxCapacity"), 6);  // skipped
}

TEST_F(ScheduledActionRunnerTest, ActionsAreDescribedUpdatedAndDeleted) {
  register_web();
  put_action("night", "cron(0 22 * * ? *)", R"(,"Timezone":"Europe/Paris",
             "ScalableTargetAction":{"MaxCapacity":2})");
  put_action("night", "cron(0 23 * * ? *)", "");
  json::array actions = ok("DescribeScheduledActions", J(R"({"ServiceNamespace":"ecs"})"))
                            .at("ScheduledActions")
                            .as_array();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].at("Schedule"), "cron(0 23 * * ? *)");
  EXPECT_EQ(actions[0].at("Timezone"), "Europe/Paris");
  EXPECT_EQ(actions[0].at("ScalableTargetAction").at("MaxCapacity"), 2);
  EXPECT_EQ(err("PutScheduledAction", J(R"J({"ServiceNamespace":"ecs","ResourceId":"service/c/web",
                      "ScalableDimension":"ecs:service:DesiredCount",
                      "ScheduledActionName":"bad","Schedule":"rate(5 weeks)"})J"))
                .code,
            "ValidationException");
  const char* del = R"({"ServiceNamespace":"ecs","ResourceId":"service/c/web",
      "ScalableDimension":"ecs:service:DesiredCount","ScheduledActionName":"night"})";
  ok("DeleteScheduledAction", J(del));
  EXPECT_EQ(err("DeleteScheduledAction", J(del)).code, "ObjectNotFoundException");
}

}  // namespace
}  // namespace services::autoscaling
