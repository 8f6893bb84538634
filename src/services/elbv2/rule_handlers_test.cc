#include <gtest/gtest.h>

#include "services/elbv2/elbv2_test_support.h"

namespace services::elbv2 {
namespace {

namespace json = boost::json;

class RuleHandlersTest : public Elbv2Test {
 protected:
  void SetUp() override {
    lb_ = make_lb();
    frontend_ = make_tg("frontend");
    backend_ = make_tg("backend");
    listener_ = make_listener(lb_, frontend_);
  }
  json::object path_rule(const std::string& pattern, int priority, const std::string& tg) {
    return {{"ListenerArn", listener_},
            {"Priority", priority},
            {"Conditions", json::array{json::object{{"Field", "path-pattern"},
                                                    {"Values", json::array{pattern}}}}},
            {"Actions", json::array{json::object{{"Type", "forward"}, {"TargetGroupArn", tg}}}}};
  }
  std::string create(json::object in) {
    auto out = ok("CreateRule", std::move(in));
    return std::string(out["Rules"].as_array()[0].as_object()["RuleArn"].as_string());
  }
  std::vector<std::string> priorities() {
    auto out = ok("DescribeRules", {{"ListenerArn", listener_}});
    std::vector<std::string> p;
    for (const json::value& r : out["Rules"].as_array()) {
      p.emplace_back(r.as_object().at("Priority").as_string());
    }
    return p;
  }

  std::string lb_, frontend_, backend_, listener_;
};

TEST_F(RuleHandlersTest, ListenerHasADefaultRuleListedLast) {
  create(path_rule("/stats*", 10, backend_));
  auto out = ok("DescribeRules", {{"ListenerArn", listener_}});
  const json::array& rules = out["Rules"].as_array();
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[1].as_object().at("Priority"), "default");
  EXPECT_EQ(rules[1].as_object().at("IsDefault"), true);
  const json::object& cond = rules[0].as_object().at("Conditions").as_array()[0].as_object();
  EXPECT_EQ(cond.at("Values"), (json::array{"/stats*"}));
  EXPECT_EQ(cond.at("PathPatternConfig"), (json::object{{"Values", json::array{"/stats*"}}}));
  // A forward to one group also carries its ForwardConfig.
  const json::object& action = rules[0].as_object().at("Actions").as_array()[0].as_object();
  EXPECT_EQ(action.at("TargetGroupArn"), json::value(backend_));
  EXPECT_EQ(action.at("ForwardConfig").as_object().at("TargetGroups").as_array()[0],
            (json::object{{"TargetGroupArn", backend_}, {"Weight", 1}}));
}

TEST_F(RuleHandlersTest, PriorityInUseIsRejected) {
  create(path_rule("/a", 5, backend_));
  auto r = call("CreateRule", path_rule("/b", 5, backend_));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "PriorityInUse");
  EXPECT_EQ(r.error().message, "Priority '5' is currently in use");
}

TEST_F(RuleHandlersTest, SetRulePrioritiesSwapsAtomically) {
  std::string a = create(path_rule("/a", 1, backend_));
  std::string b = create(path_rule("/b", 2, backend_));
  ok("SetRulePriorities",
     {{"RulePriorities", json::array{json::object{{"RuleArn", a}, {"Priority", 2}},
                                     json::object{{"RuleArn", b}, {"Priority", 1}}}}});
  auto out = ok("DescribeRules", {{"RuleArns", json::array{a, b}}});
  EXPECT_EQ(out["Rules"].as_array()[0].as_object()["Priority"], "2");
  EXPECT_EQ(out["Rules"].as_array()[1].as_object()["Priority"], "1");
  std::string c = create(path_rule("/c", 3, backend_));
  EXPECT_EQ(
      error_code("SetRulePriorities",
                 {{"RulePriorities", json::array{json::object{{"RuleArn", c}, {"Priority", 1}}}}}),
      "PriorityInUse");
  EXPECT_EQ(priorities(), (std::vector<std::string>{"1", "2", "3", "default"}));
}

TEST_F(RuleHandlersTest, DefaultRuleCannotBeDeletedOrReprioritised) {
  auto out = ok("DescribeRules", {{"ListenerArn", listener_}});
  std::string default_rule(out["Rules"].as_array()[0].as_object()["RuleArn"].as_string());
  EXPECT_EQ(error_code("DeleteRule", {{"RuleArn", default_rule}}), "OperationNotPermitted");
  EXPECT_EQ(error_code("SetRulePriorities",
                       {{"RulePriorities",
                         json::array{json::object{{"RuleArn", default_rule}, {"Priority", 9}}}}}),
            "OperationNotPermitted");
}

TEST_F(RuleHandlersTest, TargetGroupInUseCannotBeDeleted) {
  std::string rule = create(path_rule("/stats*", 10, backend_));
  EXPECT_EQ(error_code("DeleteTargetGroup", {{"TargetGroupArn", backend_}}), "ResourceInUse");
  ok("DeleteRule", {{"RuleArn", rule}});
  ok("DeleteTargetGroup", {{"TargetGroupArn", backend_}});
  EXPECT_EQ(error_code("DeleteTargetGroup", {{"TargetGroupArn", frontend_}}), "ResourceInUse");
}

TEST_F(RuleHandlersTest, TargetGroupServesOneLoadBalancerOnly) {
  std::string other = make_lb("other");
  EXPECT_EQ(
      error_code("CreateListener",
                 {{"LoadBalancerArn", other},
                  {"Protocol", "HTTP"},
                  {"Port", 80},
                  {"DefaultActions",
                   json::array{json::object{{"Type", "forward"}, {"TargetGroupArn", frontend_}}}}}),
      "TargetGroupAssociationLimit");
}

TEST_F(RuleHandlersTest, ListenerPortsAreUniquePerLoadBalancer) {
  EXPECT_EQ(make_listener(lb_, frontend_), listener_);  // same settings: the same listener
  EXPECT_EQ(
      error_code("CreateListener",
                 {{"LoadBalancerArn", lb_},
                  {"Protocol", "HTTP"},
                  {"Port", 80},
                  {"DefaultActions",
                   json::array{json::object{{"Type", "forward"}, {"TargetGroupArn", backend_}}}}}),
      "DuplicateListener");
}

TEST_F(RuleHandlersTest, ValidatesConditionsAndActions) {
  json::object too_many = path_rule("/a", 1, backend_);
  too_many["Conditions"] = json::array{json::object{
      {"Field", "path-pattern"}, {"Values", json::array{"/1", "/2", "/3", "/4", "/5", "/6"}}}};
  EXPECT_EQ(error_code("CreateRule", too_many), "ValidationError");
  json::object bad_cidr = path_rule("/a", 1, backend_);
  bad_cidr["Conditions"] = json::array{
      json::object{{"Field", "source-ip"},
                   {"SourceIpConfig", json::object{{"Values", json::array{"10.0.0.1"}}}}}};
  EXPECT_EQ(error_code("CreateRule", bad_cidr), "ValidationError");
  json::object unknown_tg = path_rule("/a", 1, frontend_ + "x");
  EXPECT_EQ(error_code("CreateRule", unknown_tg), "TargetGroupNotFound");
  json::object no_conditions = path_rule("/a", 1, backend_);
  no_conditions["Conditions"] = json::array{};
  EXPECT_EQ(error_code("CreateRule", no_conditions), "ValidationError");
}

TEST_F(RuleHandlersTest, SnapshotHasRulesInEvaluationOrderWithParsedParts) {
  json::object header_rule = path_rule("/x", 20, backend_);
  header_rule["Conditions"] = json::array{
      json::object{{"Field", "http-header"},
                   {"HttpHeaderConfig",
                    json::object{{"HttpHeaderName", "X-Env"}, {"Values", json::array{"canary"}}}}},
      json::object{
          {"Field", "query-string"},
          {"QueryStringConfig",
           json::object{{"Values", json::array{json::object{{"Key", "v"}, {"Value", "2"}}}}}}}};
  header_rule["Actions"] = json::array{json::object{
      {"Type", "forward"},
      {"ForwardConfig",
       json::object{
           {"TargetGroups", json::array{json::object{{"TargetGroupArn", frontend_}, {"Weight", 3}},
                                        json::object{{"TargetGroupArn", backend_}, {"Weight", 1}}}},
           {"TargetGroupStickinessConfig",
            json::object{{"Enabled", true}, {"DurationSeconds", 60}}}}}}};
  create(header_rule);
  create(path_rule("/stats*", 10, backend_));
  json::object fixed = path_rule("/teapot", 30, backend_);
  fixed["Actions"] = json::array{
      json::object{{"Type", "fixed-response"},
                   {"FixedResponseConfig", json::object{{"StatusCode", "418"},
                                                        {"ContentType", "text/plain"},
                                                        {"MessageBody", "short and stout"}}}}};
  create(fixed);

  auto snapshot = service_.snapshots().current();
  ASSERT_EQ(snapshot->load_balancers.size(), 1u);
  const SnapshotListener& l = snapshot->load_balancers[0].listeners.at(0);
  EXPECT_EQ(l.port, 80);
  ASSERT_EQ(l.rules.size(), 4u);
  EXPECT_EQ(l.rules[0].priority, 10);
  EXPECT_EQ(l.rules[0].conditions.at(0).field, ConditionField::PathPattern);
  EXPECT_EQ(l.rules[0].conditions.at(0).values, (std::vector<std::string>{"/stats*"}));
  EXPECT_EQ(l.rules[1].priority, 20);
  EXPECT_EQ(l.rules[1].conditions.at(0).header_name, "X-Env");
  EXPECT_EQ(l.rules[1].conditions.at(1).query.at(0),
            (std::pair<std::string, std::string>{"v", "2"}));
  const ForwardAction& fwd = l.rules[1].actions.at(0).forward;
  ASSERT_EQ(fwd.target_groups.size(), 2u);
  EXPECT_EQ(fwd.target_groups[0].weight, 3);
  EXPECT_TRUE(fwd.stickiness_enabled);
  EXPECT_EQ(l.rules[2].actions.at(0).type, ActionType::FixedResponse);
  EXPECT_EQ(l.rules[2].actions.at(0).fixed_response.status_code, 418);
  EXPECT_TRUE(l.rules[3].is_default);
  EXPECT_EQ(l.rules[3].actions.at(0).forward.target_groups.at(0).arn, frontend_);
  EXPECT_EQ(snapshot->target_group(backend_)->load_balancer_arns, (std::vector<std::string>{lb_}));
}

TEST_F(RuleHandlersTest, ModifyListenerDefaultActionsUpdatesTheDefaultRule) {
  ok("ModifyListener",
     {{"ListenerArn", listener_},
      {"DefaultActions",
       json::array{json::object{
           {"Type", "redirect"},
           {"RedirectConfig",
            json::object{{"Protocol", "HTTPS"}, {"Port", "443"}, {"StatusCode", "HTTP_301"}}}}}}});
  auto out = ok("DescribeRules", {{"ListenerArn", listener_}});
  const json::object& action =
      out["Rules"].as_array()[0].as_object().at("Actions").as_array()[0].as_object();
  EXPECT_EQ(action.at("Type"), "redirect");
  EXPECT_EQ(action.at("RedirectConfig").as_object().at("Host"), "#{host}");
  // frontend is no longer used by anything.
  ok("DeleteTargetGroup", {{"TargetGroupArn", frontend_}});
}

TEST_F(RuleHandlersTest, DeletingTheLoadBalancerDeletesListenersAndRules) {
  std::string rule = create(path_rule("/stats*", 10, backend_));
  ok("DeleteLoadBalancer", {{"LoadBalancerArn", lb_}});
  EXPECT_EQ(error_code("DescribeRules", {{"RuleArns", json::array{rule}}}), "RuleNotFound");
  EXPECT_EQ(error_code("DescribeListeners", {{"ListenerArns", json::array{listener_}}}),
            "ListenerNotFound");
  ok("DeleteTargetGroup", {{"TargetGroupArn", backend_}});
}

TEST_F(RuleHandlersTest, TagsRoundTripOnEveryResourceKind) {
  std::string rule = create(path_rule("/stats*", 10, backend_));
  for (const std::string& arn : {lb_, frontend_, listener_, rule}) {
    ok("AddTags", {{"ResourceArns", json::array{arn}},
                   {"Tags", json::array{json::object{{"Key", "env"}, {"Value", "prod"}}}}});
  }
  auto out = ok("DescribeTags", {{"ResourceArns", json::array{lb_, rule}}});
  EXPECT_EQ(out["TagDescriptions"].as_array()[1].as_object()["Tags"],
            (json::array{json::object{{"Key", "env"}, {"Value", "prod"}}}));
  ok("RemoveTags", {{"ResourceArns", json::array{lb_}}, {"TagKeys", json::array{"env"}}});
  out = ok("DescribeTags", {{"ResourceArns", json::array{lb_}}});
  EXPECT_TRUE(out["TagDescriptions"].as_array()[0].as_object()["Tags"].as_array().empty());
  EXPECT_EQ(
      error_code("AddTags",
                 {{"ResourceArns", json::array{lb_}},
                  {"Tags", json::array{json::object{{"Key", "a"}}, json::object{{"Key", "a"}}}}}),
      "DuplicateTagKeys");
}

}  // namespace
}  // namespace services::elbv2
