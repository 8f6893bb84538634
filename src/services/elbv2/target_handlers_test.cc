#include <gtest/gtest.h>

#include "services/elbv2/elbv2_test_support.h"

namespace services::elbv2 {
namespace {

namespace json = boost::json;

class TargetHandlersTest : public Elbv2Test {
 protected:
  void register_ip(const std::string& tg, const std::string& ip, int port = 8080) {
    ok("RegisterTargets", {{"TargetGroupArn", tg},
                           {"Targets", json::array{json::object{{"Id", ip}, {"Port", port}}}}});
  }
  void deregister_ip(const std::string& tg, const std::string& ip, int port = 8080) {
    ok("DeregisterTargets", {{"TargetGroupArn", tg},
                             {"Targets", json::array{json::object{{"Id", ip}, {"Port", port}}}}});
  }
  std::string state_of(const json::array& descriptions, std::size_t i = 0) {
    return std::string(
        descriptions.at(i).as_object().at("TargetHealth").as_object().at("State").as_string());
  }
  std::string reason_of(const json::array& descriptions, std::size_t i = 0) {
    const json::object& h = descriptions.at(i).as_object().at("TargetHealth").as_object();
    return h.contains("Reason") ? std::string(h.at("Reason").as_string()) : "";
  }
};

TEST_F(TargetHandlersTest, TargetGroupHasAwsHealthCheckDefaults) {
  auto out = ok("CreateTargetGroup", {{"Name", "frontend"},
                                      {"Protocol", "HTTP"},
                                      {"Port", 80},
                                      {"VpcId", "vpc-1"},
                                      {"TargetType", "ip"}});
  json::object tg = out["TargetGroups"].as_array()[0].as_object();
  EXPECT_EQ(tg["HealthCheckPath"], "/");
  EXPECT_EQ(tg["HealthCheckIntervalSeconds"], 30);
  EXPECT_EQ(tg["HealthCheckTimeoutSeconds"], 5);
  EXPECT_EQ(tg["HealthyThresholdCount"], 5);
  EXPECT_EQ(tg["UnhealthyThresholdCount"], 2);
  EXPECT_EQ(tg["Matcher"], (json::object{{"HttpCode", "200"}}));
  EXPECT_EQ(tg["HealthCheckPort"], "traffic-port");
  EXPECT_EQ(tg["HealthCheckProtocol"], "HTTP");
  EXPECT_EQ(tg["ProtocolVersion"], "HTTP1");
  EXPECT_EQ(tg["LoadBalancerArns"], json::array{});
  auto attrs = ok("DescribeTargetGroupAttributes", {{"TargetGroupArn", tg["TargetGroupArn"]}});
  std::map<std::string, std::string> m;
  for (const json::value& a : attrs["Attributes"].as_array()) {
    m[std::string(a.as_object().at("Key").as_string())] =
        std::string(a.as_object().at("Value").as_string());
  }
  EXPECT_EQ(m["deregistration_delay.timeout_seconds"], "300");
  EXPECT_EQ(m["slow_start.duration_seconds"], "0");
  EXPECT_EQ(m["stickiness.enabled"], "false");
  EXPECT_EQ(m["stickiness.type"], "lb_cookie");
  EXPECT_EQ(m["load_balancing.algorithm.type"], "round_robin");
}

// Terraform's aws_lb_target_group sends ProtocolVersion="" when protocol_version is unset;
// AWS creates an HTTP1 group.
TEST_F(TargetHandlersTest, EmptyProtocolVersionMeansHttp1) {
  auto out = ok("CreateTargetGroup", {{"Name", "tf"},
                                      {"Protocol", "HTTP"},
                                      {"Port", 80},
                                      {"VpcId", "vpc-1"},
                                      {"TargetType", "ip"},
                                      {"ProtocolVersion", ""}});
  json::object tg = out["TargetGroups"].as_array()[0].as_object();
  EXPECT_EQ(tg["ProtocolVersion"], "HTTP1");
  EXPECT_EQ(tg["Matcher"], (json::object{{"HttpCode", "200"}}));
  EXPECT_EQ(error_code("CreateTargetGroup", {{"Name", "bad"},
                                             {"Protocol", "HTTP"},
                                             {"Port", 80},
                                             {"VpcId", "vpc-1"},
                                             {"ProtocolVersion", "HTTP3"}}),
            "ValidationError");
}

TEST_F(TargetHandlersTest, HealthCheckTimeoutMustBeBelowInterval) {
  EXPECT_EQ(error_code("CreateTargetGroup", {{"Name", "tg"},
                                             {"Protocol", "HTTP"},
                                             {"Port", 80},
                                             {"VpcId", "vpc-1"},
                                             {"HealthCheckIntervalSeconds", 10},
                                             {"HealthCheckTimeoutSeconds", 10}}),
            "ValidationError");
  EXPECT_EQ(error_code("CreateTargetGroup",
                       {{"Name", "tg"}, {"Protocol", "HTTP"}, {"Port", 80}, {"VpcId", "vpc-9"}}),
            "ValidationError");
}

TEST_F(TargetHandlersTest, TargetsOfAnUnusedGroupAreUnused) {
  std::string tg = make_tg();
  register_ip(tg, "10.0.1.20");
  json::array h = health(tg);
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(state_of(h), "unused");
  EXPECT_EQ(reason_of(h), "Target.NotInUse");
}

TEST_F(TargetHandlersTest, TargetsOfAUsedGroupStartInitialAndFollowHealthReports) {
  std::string tg = make_tg();
  make_listener(make_lb(), tg);
  register_ip(tg, "10.0.1.20");
  json::array h = health(tg);
  EXPECT_EQ(state_of(h), "initial");
  EXPECT_EQ(reason_of(h), "Elb.RegistrationInProgress");
  EXPECT_EQ(h[0].as_object()["HealthCheckPort"], "8080");

  service_.health_reporter().report_health(
      {{{tg, "10.0.1.20", 8080}, TargetState::Healthy, "", ""}});
  EXPECT_EQ(state_of(health(tg)), "healthy");
  EXPECT_EQ(service_.snapshots().current()->target_group(tg)->targets.at(0).state,
            TargetState::Healthy);

  service_.health_reporter().report_health({{{tg, "10.0.1.20", 8080},
                                             TargetState::Unhealthy,
                                             "Target.ResponseCodeMismatch",
                                             "Health checks failed with these codes: [502]"}});
  h = health(tg);
  EXPECT_EQ(state_of(h), "unhealthy");
  EXPECT_EQ(reason_of(h), "Target.ResponseCodeMismatch");
  EXPECT_EQ(h[0].as_object()["TargetHealth"].as_object()["Description"],
            "Health checks failed with these codes: [502]");
}

TEST_F(TargetHandlersTest, RegistrationIsIdempotentAndChecksAddresses) {
  std::string tg = make_tg();
  register_ip(tg, "10.0.1.20");
  register_ip(tg, "10.0.1.20");
  EXPECT_EQ(health(tg).size(), 1u);
  EXPECT_EQ(error_code("RegisterTargets", {{"TargetGroupArn", tg},
                                           {"Targets", json::array{json::object{{"Id", "nope"}}}}}),
            "InvalidTarget");
  EXPECT_EQ(
      error_code("RegisterTargets", {{"TargetGroupArn", tg},
                                     {"Targets", json::array{json::object{{"Id", "8.8.8.8"}}}}}),
      "InvalidTarget");
  // A target without a port takes the group's.
  ok("RegisterTargets",
     {{"TargetGroupArn", tg}, {"Targets", json::array{json::object{{"Id", "10.0.1.21"}}}}});
  EXPECT_EQ(health(tg)[1].as_object()["Target"].as_object()["Port"], 8080);
}

TEST_F(TargetHandlersTest, DeregisteredTargetDrainsForTheDelayThenDisappears) {
  std::string tg = make_tg();
  make_listener(make_lb(), tg);
  register_ip(tg, "10.0.1.20");
  ok("ModifyTargetGroupAttributes",
     {{"TargetGroupArn", tg},
      {"Attributes", json::array{json::object{{"Key", "deregistration_delay.timeout_seconds"},
                                              {"Value", "30"}}}}});
  deregister_ip(tg, "10.0.1.20");
  json::array h = health(tg);
  EXPECT_EQ(state_of(h), "draining");
  EXPECT_EQ(reason_of(h), "Target.DeregistrationInProgress");
  ASSERT_TRUE(service_.snapshots().current()->target_group(tg)->targets.at(0).drain_deadline);

  clock_.advance(std::chrono::seconds(29));
  service_.run_background();
  EXPECT_EQ(health(tg).size(), 1u);
  clock_.advance(std::chrono::seconds(1));
  service_.run_background();
  EXPECT_TRUE(health(tg).empty());
  EXPECT_TRUE(service_.snapshots().current()->target_group(tg)->targets.empty());

  // The target-deregistered waiter asks about the target: unused / Target.NotRegistered.
  auto out = ok("DescribeTargetHealth",
                {{"TargetGroupArn", tg},
                 {"Targets", json::array{json::object{{"Id", "10.0.1.20"}, {"Port", 8080}}}}});
  EXPECT_EQ(state_of(out["TargetHealthDescriptions"].as_array()), "unused");
  EXPECT_EQ(reason_of(out["TargetHealthDescriptions"].as_array()), "Target.NotRegistered");
}

TEST_F(TargetHandlersTest, DataPlaneCanEndDrainingEarly) {
  std::string tg = make_tg();
  make_listener(make_lb(), tg);
  register_ip(tg, "10.0.1.20");
  deregister_ip(tg, "10.0.1.20");
  EXPECT_EQ(state_of(health(tg)), "draining");
  service_.health_reporter().report_drained({tg, "10.0.1.20", 8080});
  EXPECT_TRUE(health(tg).empty());
}

TEST_F(TargetHandlersTest, HealthReportsDoNotResurrectDrainingTargets) {
  std::string tg = make_tg();
  make_listener(make_lb(), tg);
  register_ip(tg, "10.0.1.20");
  deregister_ip(tg, "10.0.1.20");
  service_.health_reporter().report_health(
      {{{tg, "10.0.1.20", 8080}, TargetState::Healthy, "", ""}});
  EXPECT_EQ(state_of(health(tg)), "draining");
}

TEST_F(TargetHandlersTest, RegisteringADrainingTargetAgainRestartsIt) {
  std::string tg = make_tg();
  make_listener(make_lb(), tg);
  register_ip(tg, "10.0.1.20");
  deregister_ip(tg, "10.0.1.20");
  register_ip(tg, "10.0.1.20");
  EXPECT_EQ(state_of(health(tg)), "initial");
}

TEST_F(TargetHandlersTest, UnusedGroupDeregistersAtOnce) {
  std::string tg = make_tg();
  register_ip(tg, "10.0.1.20");
  deregister_ip(tg, "10.0.1.20");
  EXPECT_TRUE(health(tg).empty());
}

TEST_F(TargetHandlersTest, InstanceTargetsAreNeverRunning) {
  std::string tg = make_tg("instances", "instance");
  EXPECT_EQ(error_code("RegisterTargets",
                       {{"TargetGroupArn", tg},
                        {"Targets", json::array{json::object{{"Id", "i-0123456789abcdef0"}}}}}),
            "InvalidTarget");
}

TEST_F(TargetHandlersTest, UnknownGroupIsTargetGroupNotFound) {
  std::string tg = make_tg();
  ok("DeleteTargetGroup", {{"TargetGroupArn", tg}});
  EXPECT_EQ(error_code("DescribeTargetHealth", {{"TargetGroupArn", tg}}), "TargetGroupNotFound");
  // Deleting it again succeeds.
  ok("DeleteTargetGroup", {{"TargetGroupArn", tg}});
}

}  // namespace
}  // namespace services::elbv2
