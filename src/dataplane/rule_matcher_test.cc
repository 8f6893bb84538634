#include "dataplane/rule_matcher.h"

#include <gtest/gtest.h>

namespace dataplane {
namespace {


RuleAction fixed(int status) {
  RuleAction a;
  a.type = ActionType::FixedResponse;
  a.fixed_response.status_code = status;
  return a;
}

SnapshotRule rule(int priority, std::vector<RuleCondition> conditions, int status) {
  SnapshotRule r;
  r.priority = priority;
  r.conditions = std::move(conditions);
  r.actions = {fixed(status)};
  return r;
}

SnapshotRule default_rule(int status) {
  SnapshotRule r;
  r.is_default = true;
  r.actions = {fixed(status)};
  return r;
}

RuleCondition cond(ConditionField f, std::vector<std::string> values, std::string header = "") {
  RuleCondition c;
  c.field = f;
  c.values = std::move(values);
  c.header_name = std::move(header);
  return c;
}

AlbRequest get(std::string path, std::string host = "app.example.com") {
  AlbRequest r;
  r.method = "GET";
  r.path = std::move(path);
  r.host = std::move(host);
  r.source_ip = "127.0.0.1";
  return r;
}

int status_of(const SnapshotListener& l, const AlbRequest& r) {
  const RuleAction* a = match_action(l, r);
  return a == nullptr ? -1 : a->fixed_response.status_code;
}

TEST(WildcardMatch, StarMatchesAnyRunIncludingEmpty) {
  EXPECT_TRUE(wildcard_match("/stats*", "/stats", false));
  EXPECT_TRUE(wildcard_match("/stats*", "/stats/cpu/1", false));
  EXPECT_TRUE(wildcard_match("*", "", false));
  EXPECT_TRUE(wildcard_match("/a*b*c", "/aXXbYYc", false));
  EXPECT_FALSE(wildcard_match("/a*b*c", "/aXXbYY", false));
}

TEST(WildcardMatch, QuestionMarkMatchesExactlyOneCharacter) {
  EXPECT_TRUE(wildcard_match("/img?.png", "/img1.png", false));
  EXPECT_FALSE(wildcard_match("/img?.png", "/img.png", false));
  EXPECT_FALSE(wildcard_match("/img?.png", "/img12.png", false));
}

TEST(WildcardMatch, CaseSensitivityIsTheCallersChoice) {
  EXPECT_FALSE(wildcard_match("/Stats", "/stats", false));
  EXPECT_TRUE(wildcard_match("*.Example.COM", "api.example.com", true));
}

TEST(CidrContains, MatchesNetworksAndRejectsGarbage) {
  EXPECT_TRUE(cidr_contains("10.0.0.0/8", "10.200.3.4"));
  EXPECT_FALSE(cidr_contains("10.0.0.0/8", "11.0.0.1"));
  EXPECT_TRUE(cidr_contains("0.0.0.0/0", "8.8.8.8"));
  EXPECT_TRUE(cidr_contains("192.168.1.7/32", "192.168.1.7"));
  EXPECT_TRUE(cidr_contains("192.168.1.7", "192.168.1.7"));
  EXPECT_FALSE(cidr_contains("192.168.1.0/33", "192.168.1.7"));
  EXPECT_FALSE(cidr_contains("nonsense/8", "10.0.0.1"));
  EXPECT_FALSE(cidr_contains("10.0.0.0/8", "not-an-ip"));
}

TEST(MatchAction, PathPatternIsCaseSensitive) {
  SnapshotListener l;
  l.rules = {rule(1, {cond(ConditionField::PathPattern, {"/stats*"})}, 201), default_rule(404)};
  EXPECT_EQ(status_of(l, get("/stats/x")), 201);
  EXPECT_EQ(status_of(l, get("/STATS/x")), 404);
}

TEST(MatchAction, HostHeaderIsCaseInsensitiveAndIgnoresPort) {
  SnapshotListener l;
  l.rules = {rule(1, {cond(ConditionField::HostHeader, {"*.example.com"})}, 201),
             default_rule(404)};
  EXPECT_EQ(status_of(l, get("/", "API.Example.Com:8080")), 201);
  EXPECT_EQ(status_of(l, get("/", "example.org")), 404);
}

TEST(MatchAction, RulesAreTriedInOrderAndTheFirstMatchWins) {
  SnapshotListener l;
  l.rules = {rule(1, {cond(ConditionField::PathPattern, {"/a/*"})}, 201),
             rule(2, {cond(ConditionField::PathPattern, {"/a/b"})}, 202), default_rule(404)};
  EXPECT_EQ(status_of(l, get("/a/b")), 201);
}

TEST(MatchAction, ConditionsAreAndedAndValuesOred) {
  SnapshotListener l;
  l.rules = {rule(1,
                  {cond(ConditionField::PathPattern, {"/x", "/y"}),
                   cond(ConditionField::HttpRequestMethod, {"POST", "PUT"})},
                  201),
             default_rule(404)};
  AlbRequest r = get("/y");
  EXPECT_EQ(status_of(l, r), 404);
  r.method = "PUT";
  EXPECT_EQ(status_of(l, r), 201);
  r.path = "/z";
  EXPECT_EQ(status_of(l, r), 404);
}

TEST(MatchAction, HttpHeaderNameAndValueAreCaseInsensitive) {
  SnapshotListener l;
  l.rules = {rule(1, {cond(ConditionField::HttpHeader, {"*mobile*"}, "User-Agent")}, 201),
             default_rule(404)};
  AlbRequest r = get("/");
  r.headers = {{"user-agent", "Something MOBILE Safari"}};
  EXPECT_EQ(status_of(l, r), 201);
  r.headers = {{"user-agent", "Desktop"}};
  EXPECT_EQ(status_of(l, r), 404);
  r.headers = {};
  EXPECT_EQ(status_of(l, r), 404);
}

TEST(MatchAction, QueryStringMatchesKeyValuePairsWithOptionalKey) {
  SnapshotListener l;
  RuleCondition q;
  q.field = ConditionField::QueryString;
  q.query = {{"version", "v2*"}, {"", "beta"}};
  l.rules = {rule(1, {q}, 201), default_rule(404)};
  AlbRequest r = get("/");
  r.query = "a=1&version=V2.1";
  EXPECT_EQ(status_of(l, r), 201);
  r.query = "flag=beta";
  EXPECT_EQ(status_of(l, r), 201);
  r.query = "version=v1";
  EXPECT_EQ(status_of(l, r), 404);
  r.query = "name=hello%20world&version=v%32";
  EXPECT_EQ(status_of(l, r), 201);
}

TEST(MatchAction, SourceIpMatchesAnyCidr) {
  SnapshotListener l;
  l.rules = {rule(1, {cond(ConditionField::SourceIp, {"10.0.0.0/8", "127.0.0.1/32"})}, 201),
             default_rule(404)};
  AlbRequest r = get("/");
  EXPECT_EQ(status_of(l, r), 201);
  r.source_ip = "192.0.2.1";
  EXPECT_EQ(status_of(l, r), 404);
}

TEST(MatchAction, TheTerminalActionIsTheOneWithTheHighestOrder) {
  SnapshotListener l;
  SnapshotRule r = default_rule(0);
  RuleAction auth;
  auth.type = ActionType::AuthenticateOidc;
  auth.order = 1;
  RuleAction last = fixed(418);
  last.order = 2;
  r.actions = {auth, last};
  l.rules = {r};
  EXPECT_EQ(status_of(l, get("/")), 418);
}

TEST(MatchAction, NoRuleMatchingReturnsNull) {
  SnapshotListener l;
  l.rules = {rule(1, {cond(ConditionField::PathPattern, {"/only"})}, 201)};
  EXPECT_EQ(match_action(l, get("/other")), nullptr);
}

AlbSnapshot two_lbs_on_port_80() {
  AlbSnapshot s;
  for (int i = 0; i < 2; ++i) {
    SnapshotLoadBalancer lb;
    lb.arn = "arn:lb/" + std::to_string(i);
    lb.dns_name = "lb" + std::to_string(i) + "-1.us-east-1.elb.localhost";
    SnapshotListener l;
    l.port = 80;
    l.rules = {default_rule(200 + i)};
    lb.listeners = {l};
    s.load_balancers.push_back(lb);
  }
  return s;
}

TEST(SelectLoadBalancer, SharedPortIsToldApartByHost) {
  auto s = two_lbs_on_port_80();
  EXPECT_EQ(select_load_balancer(s, 80, "LB1-1.us-east-1.elb.localhost:80")->arn, "arn:lb/1");
  EXPECT_EQ(select_load_balancer(s, 80, "lb0-1.us-east-1.elb.localhost")->arn, "arn:lb/0");
  EXPECT_EQ(select_load_balancer(s, 80, "127.0.0.1"), nullptr);
  EXPECT_EQ(select_load_balancer(s, 81, "lb0-1.us-east-1.elb.localhost"), nullptr);
  EXPECT_EQ(match_action(s, 80, get("/", "lb1-1.us-east-1.elb.localhost"))->fixed_response.status_code,
            201);
}

TEST(SelectLoadBalancer, TheOnlyLoadBalancerOnAPortTakesAnyHost) {
  auto s = two_lbs_on_port_80();
  s.load_balancers.pop_back();
  EXPECT_EQ(select_load_balancer(s, 80, "127.0.0.1:80")->arn, "arn:lb/0");
  EXPECT_EQ(select_load_balancer(s, 80, "")->arn, "arn:lb/0");
}

TEST(PickTargetGroup, FollowsWeightsAndSkipsZero) {
  ForwardAction f;
  f.target_groups = {{"a", 1}, {"b", 0}, {"c", 3}};
  int counts[2] = {0, 0};
  for (uint64_t d = 0; d < 400; ++d) {
    const auto* g = pick_target_group(f, d);
    ASSERT_NE(g, nullptr);
    ASSERT_NE(g->arn, "b");
    counts[g->arn == "c"]++;
  }
  EXPECT_EQ(counts[0], 100);
  EXPECT_EQ(counts[1], 300);
  f.target_groups = {{"a", 0}};
  EXPECT_EQ(pick_target_group(f, 7), nullptr);
}

TEST(RedirectLocation, DefaultsReproduceTheRequestUrl) {
  RedirectAction r;
  AlbRequest req = get("/a/b", "h.example.com:8080");
  req.query = "x=1";
  EXPECT_EQ(redirect_location(r, req, "HTTP", 8080), "http://h.example.com:8080/a/b?x=1");
}

TEST(RedirectLocation, HttpsKeepsItsDefaultPortAndDropsAnEmptyQuery) {
  RedirectAction r;
  r.protocol = "HTTPS";
  r.port = "443";
  EXPECT_EQ(redirect_location(r, get("/login", "h.example.com"), "HTTP", 80),
            "https://h.example.com:443/login");
}

TEST(RedirectLocation, PlaceholdersComposeInsideFields) {
  RedirectAction r;
  r.host = "new.#{host}";
  r.path = "/v2/#{path}";
  r.query = "#{query}&from=#{port}";
  AlbRequest req = get("/items", "old.com");
  req.query = "id=4";
  EXPECT_EQ(redirect_location(r, req, "HTTP", 80), "http://new.old.com:80/v2/items?id=4&from=80");
}

}  // namespace
}  // namespace dataplane
