// The AWS::ElasticLoadBalancingV2::* providers against the real ELBv2 handlers over an in-memory
// store (the fake EC2 network of elbv2_test_support.h: vpc-1 with subnet-a/b/c, sg-default,
// sg-web).

#include <gtest/gtest.h>

#include "services/cloudformation/resources/load_balancing_test_support.h"
#include "services/cloudformation/resources/providers.h"
#include "services/elbv2/elbv2_test_support.h"

namespace services::cloudformation::resources {
namespace {

namespace json = boost::json;
using engine::Progress;
using engine::ResourceRequest;
using engine::UpdateBehavior;

class Elbv2ProvidersTest : public ::testing::Test {
 protected:
  Elbv2ProvidersTest() {
    service_.register_operations(registry_);
    add_load_balancing_providers(providers_, client_);
  }

  engine::ResourceProvider& provider(std::string_view type) {
    engine::ResourceProvider* p =
        providers_.find(std::string("AWS::ElasticLoadBalancingV2::") + std::string(type));
    EXPECT_NE(p, nullptr) << type;
    return *p;
  }
  ResourceRequest request(std::string logical_id, std::string_view props) {
    return make_request(stack_, std::move(logical_id), props);
  }
  // `req` as an update to `props`, from what it created (`physical_id`).
  static ResourceRequest update_of(ResourceRequest req, const std::string& physical_id,
                                   std::string_view props) {
    req.physical_id = physical_id;
    return as_update(std::move(req), props);
  }
  engine::ProvisionResult created(std::string_view type, const ResourceRequest& req) {
    auto r = provider(type).create(req);
    EXPECT_TRUE(r) << type << ": " << (r ? "" : r.error().code + " " + r.error().message);
    return r ? *r : engine::ProvisionResult{};
  }
  json::object ok(std::string_view op, json::object in) {
    auto r = registry_.call(protocol::RequestContext::internal("123456789012", "us-east-1"),
                            "elbv2", op, in);
    EXPECT_TRUE(r) << op << ": " << (r ? "" : r.error().code + " " + r.error().message);
    return r ? *r : json::object{};
  }
  // A load balancer over subnet-a and subnet-b, and an ip target group in vpc-1.
  std::string make_lb() {
    return created("LoadBalancer", request("Alb", R"({"Subnets":["subnet-a","subnet-b"]})"))
        .physical_id;
  }
  std::string make_tg() {
    return created("TargetGroup", request("Tg", R"({"Port":80,"Protocol":"HTTP","VpcId":"vpc-1",
                                     "TargetType":"ip"})"))
        .physical_id;
  }
  // An HTTP listener on port 80 of `lb` forwarding to `tg`.
  ResourceRequest listener_request(const std::string& lb, const std::string& tg) {
    ResourceRequest req = request("Http", R"({"Port": 80, "Protocol": "HTTP",
        "DefaultActions": [{"Type": "forward", "TargetGroupArn": ")" +
                                              tg + R"("}]})");
    req.properties.as_object()["LoadBalancerArn"] = lb;
    return req;
  }
  // After remove(): remove again succeeds and read() fails with the service's `not_found`.
  void expect_gone(std::string_view type, ResourceRequest req, const std::string& not_found) {
    ASSERT_TRUE(provider(type).remove(req));
    EXPECT_TRUE(provider(type).remove(req)) << "remove is idempotent";
    auto r = provider(type).read(req);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, not_found);
  }

  engine::StackIdentity stack_{"123456789012", "us-east-1", "web-stack",
                               "arn:aws:cloudformation:us-east-1:123456789012:stack/web-stack/1"};
  fakes::ManualClock clock_;
  store::Db db_ = store::Db::open_in_memory();
  elbv2::FakeNetworkLookup network_;
  elbv2::Elbv2Service service_{db_, clock_, network_};
  protocol::ServiceRegistry registry_;
  ServiceClient client_{registry_};
  engine::ResourceProviders providers_;
};

TEST_F(Elbv2ProvidersTest, LoadBalancerGetsAGeneratedNameAndTheDocumentedAttributes) {
  ResourceRequest req = request("PublicAlb", R"({
      "Subnets": ["subnet-a", "subnet-b"], "SecurityGroups": ["sg-web"],
      "LoadBalancerAttributes": [{"Key": "idle_timeout.timeout_seconds", "Value": 120}],
      "Tags": [{"Key": "team", "Value": "web"}]})");
  engine::ProvisionResult lb = created("LoadBalancer", req);
  ASSERT_TRUE(lb.physical_id.starts_with(
      "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web-"))
      << lb.physical_id;
  std::string name(lb.attributes.at("LoadBalancerName").as_string());
  EXPECT_LE(name.size(), 32u);
  EXPECT_EQ(lb.attributes.at("LoadBalancerArn").as_string(), lb.physical_id);
  EXPECT_EQ(lb.attributes.at("LoadBalancerFullName").as_string(),
            lb.physical_id.substr(lb.physical_id.find("app/")));
  EXPECT_TRUE(std::string(lb.attributes.at("DNSName").as_string()).starts_with(name + "-"));
  EXPECT_EQ(lb.attributes.at("CanonicalHostedZoneID"), "Z35SXDOTRQ7X7K");
  EXPECT_EQ(lb.attributes.at("SecurityGroups"), (json::array{"sg-web"}));

  json::object attrs = ok("DescribeLoadBalancerAttributes", {{"LoadBalancerArn", lb.physical_id}});
  EXPECT_NE(json::serialize(attrs).find(R"({"Key":"idle_timeout.timeout_seconds","Value":"120"})"),
            std::string::npos);
  json::object tags =
      ok("DescribeTags", {{"ResourceArns", json::array{json::string(lb.physical_id)}}});
  EXPECT_NE(json::serialize(tags).find(R"({"Key":"team","Value":"web"})"), std::string::npos);
}

TEST_F(Elbv2ProvidersTest, LoadBalancerStabilizesOnceActive) {
  ResourceRequest req = request("Alb", R"({"Subnets":["subnet-a","subnet-b"],"Name":"web"})");
  req.physical_id = created("LoadBalancer", req).physical_id;
  EXPECT_EQ(*provider("LoadBalancer").stabilize(req), Progress::InProgress);
  clock_.advance(elbv2::kProvisioningTime);
  service_.run_background();
  EXPECT_EQ(*provider("LoadBalancer").stabilize(req), Progress::Done);
}

TEST_F(Elbv2ProvidersTest, LoadBalancerUpdatesGroupsSubnetsAndAttributesInPlace) {
  ResourceRequest req = request("Alb", R"({"Name":"web","Subnets":["subnet-a","subnet-b"]})");
  std::string arn = created("LoadBalancer", req).physical_id;
  ResourceRequest up = update_of(req, arn, R"({"Name":"web","Subnets":["subnet-c","subnet-b"],
      "SecurityGroups":["sg-web"],
      "LoadBalancerAttributes":[{"Key":"idle_timeout.timeout_seconds","Value":"30"}]})");
  auto r = provider("LoadBalancer").update(up);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->physical_id, arn);
  EXPECT_EQ(r->attributes.at("SecurityGroups"), (json::array{"sg-web"}));
  json::object lb =
      ok("DescribeLoadBalancers", {{"LoadBalancerArns", json::array{json::string(arn)}}})
          .at("LoadBalancers")
          .as_array()[0]
          .as_object();
  std::string zones = json::serialize(lb.at("AvailabilityZones"));
  EXPECT_NE(zones.find("subnet-c"), std::string::npos);
  EXPECT_EQ(zones.find("subnet-a"), std::string::npos);
  json::object attrs = ok("DescribeLoadBalancerAttributes", {{"LoadBalancerArn", arn}});
  EXPECT_NE(json::serialize(attrs).find(R"({"Key":"idle_timeout.timeout_seconds","Value":"30"})"),
            std::string::npos);
}

TEST_F(Elbv2ProvidersTest, LoadBalancerUpdateBehaviorIsTheDocumentedOne) {
  engine::ResourceProvider& p = provider("LoadBalancer");
  expect_update_behaviors(
      p, {"Name", "Scheme", "Type", "SomethingNew"},
      {"SecurityGroups", "Subnets", "SubnetMappings", "LoadBalancerAttributes", "Tags"});
}

TEST_F(Elbv2ProvidersTest, LoadBalancerErrorsAreTheServicesOwn) {
  auto r = provider("LoadBalancer").create(request("Alb", R"({"Subnets":["subnet-a"]})"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "ValidationError");
  EXPECT_EQ(r.error().message,
            "At least two subnets in two different Availability Zones must be specified");
}

TEST_F(Elbv2ProvidersTest, LoadBalancerReadsThenRemovesIdempotently) {
  ResourceRequest req = request("Alb", R"({"Subnets":["subnet-a","subnet-b"]})");
  engine::ProvisionResult lb = created("LoadBalancer", req);
  req.physical_id = lb.physical_id;
  auto read = provider("LoadBalancer").read(req);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->attributes, lb.attributes);
  EXPECT_EQ(read->properties.at("Subnets"), (json::array{"subnet-a", "subnet-b"}));
  EXPECT_EQ(read->properties.at("Scheme"), "internet-facing");
  expect_gone("LoadBalancer", req, "LoadBalancerNotFound");
  EXPECT_TRUE(network_.live().empty()) << "the load balancer's interfaces are released";
}

TEST_F(Elbv2ProvidersTest, TargetGroupTakesTemplateTypesHealthChecksAttributesAndTargets) {
  ResourceRequest req = request("WebTargets", R"({
      "Port": "8080", "Protocol": "HTTP", "VpcId": "vpc-1", "TargetType": "ip",
      "HealthCheckPath": "/health", "HealthCheckIntervalSeconds": "10",
      "HealthCheckEnabled": "true", "Matcher": {"HttpCode": "200-299"},
      "TargetGroupAttributes": [{"Key": "deregistration_delay.timeout_seconds", "Value": 30}],
      "Targets": [{"Id": "10.0.1.5", "Port": 8080}]})");
  engine::ProvisionResult tg = created("TargetGroup", req);
  std::string name(tg.attributes.at("TargetGroupName").as_string());
  EXPECT_TRUE(name.starts_with("web-")) << name;
  EXPECT_LE(name.size(), 32u);
  EXPECT_EQ(tg.attributes.at("TargetGroupArn").as_string(), tg.physical_id);
  EXPECT_EQ(tg.attributes.at("TargetGroupFullName").as_string(),
            tg.physical_id.substr(tg.physical_id.find("targetgroup/")));
  EXPECT_EQ(tg.attributes.at("LoadBalancerArns"), json::array{});

  json::object doc =
      ok("DescribeTargetGroups", {{"TargetGroupArns", json::array{json::string(tg.physical_id)}}})
          .at("TargetGroups")
          .as_array()[0]
          .as_object();
  EXPECT_EQ(doc.at("Port"), 8080);
  EXPECT_EQ(doc.at("HealthCheckPath"), "/health");
  EXPECT_EQ(doc.at("HealthCheckIntervalSeconds"), 10);
  EXPECT_EQ(doc.at("Matcher"), (json::object{{"HttpCode", "200-299"}}));
  json::object attrs = ok("DescribeTargetGroupAttributes", {{"TargetGroupArn", tg.physical_id}});
  EXPECT_NE(
      json::serialize(attrs).find(R"({"Key":"deregistration_delay.timeout_seconds","Value":"30"})"),
      std::string::npos);
  json::object health = ok("DescribeTargetHealth", {{"TargetGroupArn", tg.physical_id}});
  EXPECT_NE(json::serialize(health).find("10.0.1.5"), std::string::npos);
}

TEST_F(Elbv2ProvidersTest, TargetGroupUpdatesHealthCheckAndTargetsInPlace) {
  ResourceRequest req = request("Tg", R"({"Port":80,"Protocol":"HTTP","VpcId":"vpc-1",
      "TargetType":"ip","Targets":[{"Id":"10.0.1.5"}]})");
  std::string arn = created("TargetGroup", req).physical_id;
  ResourceRequest up = update_of(req, arn, R"({"Port":80,"Protocol":"HTTP","VpcId":"vpc-1",
      "TargetType":"ip","HealthCheckPath":"/ready","Targets":[{"Id":"10.0.1.6"}]})");
  auto r = provider("TargetGroup").update(up);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->physical_id, arn);
  json::object doc =
      ok("DescribeTargetGroups", {{"TargetGroupArns", json::array{json::string(arn)}}})
          .at("TargetGroups")
          .as_array()[0]
          .as_object();
  EXPECT_EQ(doc.at("HealthCheckPath"), "/ready");
  std::string health = json::serialize(ok("DescribeTargetHealth", {{"TargetGroupArn", arn}}));
  EXPECT_NE(health.find("10.0.1.6"), std::string::npos);
  // The dropped target is gone or draining, never still serving.
  std::size_t old = health.find("10.0.1.5");
  EXPECT_TRUE(old == std::string::npos || health.find("draining") != std::string::npos) << health;
}

TEST_F(Elbv2ProvidersTest, TargetGroupUpdateBehaviorAndRemoval) {
  engine::ResourceProvider& p = provider("TargetGroup");
  expect_update_behaviors(p, {"Name", "Port", "Protocol", "VpcId", "TargetType"},
                          {"HealthCheckPath", "Matcher", "TargetGroupAttributes", "Targets"});
  ResourceRequest req = request("Tg", R"({"Port":80,"Protocol":"HTTP","VpcId":"vpc-1",
      "TargetType":"ip","Targets":[{"Id":"10.0.1.5"}]})");
  req.physical_id = created("TargetGroup", req).physical_id;
  auto live = p.read(req);
  ASSERT_TRUE(live);
  EXPECT_EQ(live->properties.at("Port"), 80);
  EXPECT_EQ(live->properties.at("HealthCheckPath"), "/");
  // Changed behind the stack's back: read() shows it (drift detection's MODIFIED).
  ok("ModifyTargetGroup", {{"TargetGroupArn", req.physical_id}, {"HealthCheckPath", "/changed"}});
  EXPECT_EQ(p.read(req)->properties.at("HealthCheckPath"), "/changed");
  expect_gone("TargetGroup", req, "TargetGroupNotFound");
}

TEST_F(Elbv2ProvidersTest, ListenerForwardsThenChangesItsDefaultActionInPlace) {
  std::string lb = make_lb(), tg = make_tg();
  ResourceRequest req = listener_request(lb, tg);
  engine::ProvisionResult listener = created("Listener", req);
  EXPECT_TRUE(listener.physical_id.starts_with(
      "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/"));
  EXPECT_EQ(listener.attributes, (json::object{{"ListenerArn", listener.physical_id}}));
  ResourceRequest tg_req = request("Tg", "{}");
  tg_req.physical_id = tg;
  EXPECT_EQ(provider("TargetGroup").read(tg_req)->attributes.at("LoadBalancerArns"),
            (json::array{json::string(lb)}));

  json::value props = req.properties;
  props.as_object()["Port"] = "8080";
  props.as_object()["DefaultActions"] = json::parse(R"([{"Type": "fixed-response",
      "FixedResponseConfig": {"StatusCode": 404, "ContentType": "text/plain",
                              "MessageBody": "nope"}}])");
  ResourceRequest up = update_of(req, listener.physical_id, json::serialize(props));
  auto r = provider("Listener").update(up);
  ASSERT_TRUE(r) << r.error().code << " " << r.error().message;
  EXPECT_EQ(r->physical_id, listener.physical_id);
  json::object doc =
      ok("DescribeListeners", {{"ListenerArns", json::array{json::string(listener.physical_id)}}})
          .at("Listeners")
          .as_array()[0]
          .as_object();
  EXPECT_EQ(doc.at("Port"), 8080);
  json::object action = doc.at("DefaultActions").as_array()[0].as_object();
  EXPECT_EQ(action.at("Type"), "fixed-response");
  EXPECT_EQ(action.at("FixedResponseConfig").at("StatusCode"), "404");
}

TEST_F(Elbv2ProvidersTest, ListenerTakesAWeightedForwardConfig) {
  std::string lb = make_lb(), tg = make_tg();
  std::string blue =
      created("TargetGroup", request("Blue", R"({"Port":80,"Protocol":"HTTP","VpcId":"vpc-1",
                                                 "TargetType":"ip"})"))
          .physical_id;
  ResourceRequest req = request("Http", R"({"Port": "80", "Protocol": "HTTP",
      "DefaultActions": [{"Type": "forward", "ForwardConfig": {"TargetGroups": [
          {"TargetGroupArn": ")" + tg + R"(", "Weight": "3"},
          {"TargetGroupArn": ")" + blue + R"(", "Weight": 1}],
        "TargetGroupStickinessConfig": {"Enabled": "false"}}}]})");
  req.properties.as_object()["LoadBalancerArn"] = lb;
  engine::ProvisionResult listener = created("Listener", req);
  json::object doc =
      ok("DescribeListeners", {{"ListenerArns", json::array{json::string(listener.physical_id)}}})
          .at("Listeners")
          .as_array()[0]
          .as_object();
  std::string actions = json::serialize(doc.at("DefaultActions"));
  EXPECT_NE(actions.find(R"("Weight":3)"), std::string::npos) << actions;
  EXPECT_NE(actions.find(R"("Weight":1)"), std::string::npos) << actions;
}

TEST_F(Elbv2ProvidersTest, ListenerNeedsItsRequiredPropertiesAndRemovesIdempotently) {
  auto missing = provider("Listener").create(request("Http", R"({"Port": 80})"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "ValidationError");
  EXPECT_EQ(missing.error().message,
            "Properties validation failed for resource Http with message: #: required key "
            "[LoadBalancerArn] not found");
  engine::ResourceProvider& p = provider("Listener");
  expect_update_behaviors(p, {"LoadBalancerArn"},
                          {"Port", "Protocol", "DefaultActions", "Certificates", "SslPolicy"});
  std::string lb = make_lb();
  ResourceRequest req = request("Http", R"({"Port": 80, "Protocol": "HTTP",
      "DefaultActions": [{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS",
                          "Port": 443, "StatusCode": "HTTP_301"}}]})");
  req.properties.as_object()["LoadBalancerArn"] = lb;
  req.physical_id = created("Listener", req).physical_id;
  ASSERT_TRUE(p.read(req));
  expect_gone("Listener", req, "ListenerNotFound");
}

TEST_F(Elbv2ProvidersTest, ListenerRuleTakesBothConditionFormsAndUpdatesInPlace) {
  std::string lb = make_lb(), tg = make_tg();
  ResourceRequest lreq = listener_request(lb, tg);
  std::string listener = created("Listener", lreq).physical_id;

  std::string actions = R"([{"Type": "forward", "TargetGroupArn": ")" + tg + R"("}])";
  ResourceRequest req = request("ApiRule", R"({"ListenerArn": ")" + listener + R"(",
      "Priority": "10", "Actions": )" + actions +
                                               R"(, "Conditions": [
        {"Field": "path-pattern", "Values": ["/api/*"]},
        {"Field": "host-header", "HostHeaderConfig": {"Values": ["api.example.com"]}},
        {"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "X-Env",
                                                      "Values": ["blue"]}},
        {"Field": "query-string", "QueryStringConfig": {"Values": [{"Key": "v", "Value": 2}]}}]})");
  engine::ProvisionResult rule = created("ListenerRule", req);
  EXPECT_TRUE(rule.physical_id.starts_with(
      "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/"));
  EXPECT_EQ(rule.attributes, (json::object{{"RuleArn", rule.physical_id}, {"IsDefault", false}}));
  json::object doc =
      ok("DescribeRules", {{"RuleArns", json::array{json::string(rule.physical_id)}}})
          .at("Rules")
          .as_array()[0]
          .as_object();
  EXPECT_EQ(doc.at("Priority"), "10");
  std::string conditions = json::serialize(doc.at("Conditions"));
  for (const char* want : {"/api/*", "api.example.com", "X-Env", R"({"Key":"v","Value":"2"})"}) {
    EXPECT_NE(conditions.find(want), std::string::npos) << want << " in " << conditions;
  }

  ResourceRequest up = update_of(req, rule.physical_id, R"({"ListenerArn": ")" + listener + R"(",
      "Priority": 20, "Actions": )" + actions + R"(, "Conditions": [
        {"Field": "path-pattern", "PathPatternConfig": {"Values": ["/v2/*"]}}]})");
  auto r = provider("ListenerRule").update(up);
  ASSERT_TRUE(r) << r.error().code << " " << r.error().message;
  EXPECT_EQ(r->physical_id, rule.physical_id);
  doc = ok("DescribeRules", {{"RuleArns", json::array{json::string(rule.physical_id)}}})
            .at("Rules")
            .as_array()[0]
            .as_object();
  EXPECT_EQ(doc.at("Priority"), "20");
  EXPECT_NE(json::serialize(doc.at("Conditions")).find("/v2/*"), std::string::npos);
  EXPECT_EQ(json::serialize(doc.at("Conditions")).find("/api/*"), std::string::npos);
}

TEST_F(Elbv2ProvidersTest, ListenerRuleUpdateBehaviorAndRemoval) {
  engine::ResourceProvider& p = provider("ListenerRule");
  expect_update_behaviors(p, {"ListenerArn"}, {"Actions", "Conditions", "Priority"});
  auto missing = p.create(request("Rule", R"({"Priority": 1, "Conditions": []})"));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("required key [Actions]"), std::string::npos);

  std::string lb = make_lb(), tg = make_tg();
  ResourceRequest lreq = listener_request(lb, tg);
  std::string listener = created("Listener", lreq).physical_id;
  ResourceRequest req = request("Rule", R"({"ListenerArn": ")" + listener + R"(", "Priority": 5,
      "Actions": [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "503"}}],
      "Conditions": [{"Field": "path-pattern", "Values": ["/down"]}]})");
  req.physical_id = created("ListenerRule", req).physical_id;
  ASSERT_TRUE(p.read(req));
  expect_gone("ListenerRule", req, "RuleNotFound");
}

// Gantry has no ACM: certificate ARNs are stored by ELBv2, not checked.
TEST_F(Elbv2ProvidersTest, ListenerCertificateAddsToTheListAndUpdatesItInPlace) {
  engine::ResourceProvider& p = provider("ListenerCertificate");
  expect_update_behaviors(p, {"ListenerArn"}, {"Certificates"});
  auto missing = p.create(request("Extra", R"({"Certificates": []})"));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("required key [ListenerArn]"), std::string::npos);

  std::string lb = make_lb(), tg = make_tg();
  const std::string cert = "arn:aws:acm:us-east-1:123456789012:certificate/";
  ResourceRequest lreq = request("Https", R"({"Port": 443, "Protocol": "HTTPS",
      "Certificates": [{"CertificateArn": ")" +
                                              cert + R"(default"}],
      "DefaultActions": [{"Type": "forward", "TargetGroupArn": ")" +
                                              tg + R"("}]})");
  lreq.properties.as_object()["LoadBalancerArn"] = lb;
  std::string listener = created("Listener", lreq).physical_id;
  auto described = [&] {
    std::vector<std::string> out;
    json::object reply = ok("DescribeListenerCertificates", {{"ListenerArn", listener}});
    for (const json::value& c : reply.at("Certificates").as_array()) {
      out.push_back(std::string(c.at("CertificateArn").as_string()) +
                    (c.at("IsDefault").as_bool() ? " default" : ""));
    }
    return out;
  };

  ResourceRequest req =
      request("Extra", R"({"ListenerArn": ")" + listener + R"(",
      "Certificates": [{"CertificateArn": ")" +
                           cert + R"(a"}, {"CertificateArn": ")" + cert + R"(b"}]})");
  engine::ProvisionResult made = created("ListenerCertificate", req);
  EXPECT_EQ(made.physical_id, listener + "|" + cert + "a");
  EXPECT_EQ(described(),
            (std::vector<std::string>{cert + "default default", cert + "a", cert + "b"}));

  ResourceRequest up = update_of(req, made.physical_id,
                                 R"({"ListenerArn": ")" + listener + R"(",
      "Certificates": [{"CertificateArn": ")" +
                                     cert + R"(b"}, {"CertificateArn": ")" + cert + R"(c"}]})");
  auto r = p.update(up);
  ASSERT_TRUE(r) << r.error().code << " " << r.error().message;
  EXPECT_EQ(r->physical_id, made.physical_id);
  EXPECT_EQ(described(),
            (std::vector<std::string>{cert + "default default", cert + "b", cert + "c"}));

  // One removed behind the stack's back is drift: read() shows only what is left.
  ok("RemoveListenerCertificates",
     {{"ListenerArn", listener},
      {"Certificates", json::array{json::object{{"CertificateArn", cert + "c"}}}}});
  auto live = p.read(up);
  ASSERT_TRUE(live);
  EXPECT_EQ(json::serialize(live->properties.at("Certificates")),
            R"([{"CertificateArn":")" + cert + R"(b"}])");

  ASSERT_TRUE(p.remove(up));
  EXPECT_EQ(described(), (std::vector<std::string>{cert + "default default"}));
  ok("DeleteListener", {{"ListenerArn", listener}});
  EXPECT_TRUE(p.remove(up)) << "remove is idempotent";
  auto gone = p.read(up);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, "ListenerNotFound");
}

}  // namespace
}  // namespace services::cloudformation::resources
