// ApiPlane in --auth enforce mode: signed requests by a non-root principal reach the handler only
// when its identity policies allow the call, and a denial is answered in each protocol's shape.
#include <gtest/gtest.h>

#include "core/time_format.h"
#include "protocol/api_plane.h"
#include "protocol/sigv4.h"
#include "services/authz/api_authorizer.h"
#include "services/authz/authz_test_support.h"
#include "services/authz/policy_authority.h"
#include "testing/manual_clock.h"

namespace services::authz {
namespace {

constexpr const char* kAcct = "123456789012";
const std::string kUserArn = "arn:aws:iam::123456789012:user/ci";
const std::string kSessionArn = "arn:aws:sts::123456789012:assumed-role/deploy/s1";

class Keys final : public protocol::IdentityResolver {
 public:
  std::optional<protocol::Principal> lookup(std::string_view key) const override {
    if (key == "AKIAROOT") return protocol::Principal{.account = kAcct, .arn = "arn:aws:iam::123456789012:root",
                                                      .user_id = kAcct, .secret_access_key = "root-secret"};
    if (key == "ASIASESSION") {
      return protocol::Principal{.account = kAcct, .arn = kSessionArn, .user_id = "AROADEPLOY:s1",
                                 .secret_access_key = "session-secret",
                                 .session_tags = {{"team", "web"}}};
    }
    if (key == "AKIAUSER") return protocol::Principal{.account = kAcct, .arn = kUserArn,
                                                      .user_id = "AIDAUSER", .secret_access_key = "user-secret"};
    return std::nullopt;
  }
};

struct Call {
  std::string service;  // SigV4 scope
  std::string content_type;
  std::string target;   // X-Amz-Target, or empty for query/ec2
  std::string body;
};

class EnforceTest : public ::testing::Test {
 protected:
  EnforceTest() {
    auto ok = [this](const protocol::RequestContext& ctx, const boost::json::object&)
        -> protocol::Result<boost::json::object> {
      handled.push_back(ctx.operation);
      return boost::json::object{};
    };
    registry.add("ecs", {{"DescribeClusters", ok}, {"CreateCluster", ok}});
    registry.add("elbv2", {{"DescribeLoadBalancers", ok}});
    registry.add("ec2", {{"CreateVpc", ok}});
    dir.allow(kUserArn, R"({"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":"ecs:Describe*","Resource":"*"},
        {"Effect":"Allow","Action":"ecs:CreateCluster","Resource":"*",
         "Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}]})");
  }

  http::Response send(const Call& c, const std::string& key, const std::string& secret,
                      const std::string& peer = "127.0.0.1",
                      const protocol::ApiPlane* plane = nullptr) {
    http::Request req;
    req.method = "POST";
    req.target = "/";
    req.remote_address = peer;
    req.body = c.body;
    std::string date = core::format_amz_date(clock.now());
    req.headers = {{"Host", "localhost"}, {"Content-Type", c.content_type}, {"X-Amz-Date", date}};
    if (!c.target.empty()) req.headers.emplace_back("X-Amz-Target", c.target);
    std::string scope = key + "/" + date.substr(0, 8) + "/us-east-1/" + c.service + "/aws4_request";
    std::string head = "AWS4-HMAC-SHA256 Credential=" + scope +
                       ", SignedHeaders=content-type;host;x-amz-date, Signature=";
    req.headers.emplace_back("Authorization", head + std::string(64, '0'));
    auto parsed = protocol::sigv4::parse(req);
    EXPECT_TRUE(parsed);
    req.headers.back().second = head + protocol::sigv4::compute_signature(secret, *parsed, req);
    http::Response res;
    protocol::CallSummary summary;
    (plane ? *plane : api).handle(req, res, summary);
    return res;
  }

  const Call describe{"ecs", "application/x-amz-json-1.1",
                      "AmazonEC2ContainerServiceV20141113.DescribeClusters", "{}"};
  const Call create{"ecs", "application/x-amz-json-1.1",
                    "AmazonEC2ContainerServiceV20141113.CreateCluster", R"({"clusterName":"web"})"};

  fakes::ManualClock clock;
  protocol::ServiceRegistry registry;
  Keys keys;
  testing::FakeDirectory dir;
  PolicyAuthority authority{&dir, clock};
  ApiAuthorizer authorizer{authority, &keys};
  protocol::ApiPlane api{registry, keys, clock,
                         protocol::ApiOptions{kAcct, "us-east-1", protocol::AuthMode::Enforce},
                         &authorizer};
  std::vector<std::string> handled;
};

TEST_F(EnforceTest, RootKeysStayAllPowerful) {
  EXPECT_EQ(send(create, "AKIAROOT", "root-secret").status, 200);
  EXPECT_EQ(handled, std::vector<std::string>{"CreateCluster"});
}

TEST_F(EnforceTest, AnAllowedCallReachesTheHandler) {
  http::Response res = send(describe, "AKIAUSER", "user-secret");
  EXPECT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(handled, std::vector<std::string>{"DescribeClusters"});
}

TEST_F(EnforceTest, JsonDenialIsAccessDeniedExceptionInAwsWords) {
  http::Response res = send(create, "AKIAUSER", "user-secret");
  EXPECT_EQ(res.status, 400);
  EXPECT_NE(res.body.find(R"("__type":"AccessDeniedException")"), std::string::npos) << res.body;
  EXPECT_NE(res.body.find("User: arn:aws:iam::123456789012:user/ci is not authorized to perform: "
                          "ecs:CreateCluster on resource: * because no identity-based policy "
                          "allows the ecs:CreateCluster action"),
            std::string::npos)
      << res.body;
  EXPECT_TRUE(handled.empty());
}

TEST_F(EnforceTest, SourceIpComesFromThePeer) {
  EXPECT_EQ(send(create, "AKIAUSER", "user-secret", "192.0.2.10").status, 200);
}

TEST_F(EnforceTest, QueryDenialIsAccessDenied403) {
  Call c{"elasticloadbalancing", "application/x-www-form-urlencoded", "",
         "Action=DescribeLoadBalancers&Version=2015-12-01"};
  http::Response res = send(c, "AKIAUSER", "user-secret");
  EXPECT_EQ(res.status, 403);
  EXPECT_NE(res.body.find("<Code>AccessDenied</Code>"), std::string::npos) << res.body;
  EXPECT_NE(res.body.find("elasticloadbalancing:DescribeLoadBalancers"), std::string::npos);
  EXPECT_EQ(send(c, "AKIAROOT", "root-secret").status, 200);
}

TEST_F(EnforceTest, Ec2DenialIsUnauthorizedOperationWithAnEncodedMessage) {
  Call c{"ec2", "application/x-www-form-urlencoded", "",
         "Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0%2F16"};
  http::Response res = send(c, "AKIAUSER", "user-secret");
  EXPECT_EQ(res.status, 403);
  EXPECT_NE(res.body.find("<Code>UnauthorizedOperation</Code>"), std::string::npos) << res.body;
  EXPECT_NE(res.body.find("You are not authorized to perform this operation. User: "
                          "arn:aws:iam::123456789012:user/ci is not authorized to perform: "
                          "ec2:CreateVpc on resource: arn:aws:ec2:us-east-1:123456789012:vpc/*"),
            std::string::npos)
      << res.body;
  EXPECT_NE(res.body.find("Encoded authorization failure message: "), std::string::npos);
}

TEST_F(EnforceTest, AnAssumedRoleSessionsTagsAreItsPrincipalTags) {
  dir.allow(kSessionArn, R"({"Version":"2012-10-17","Statement":{"Effect":"Allow",
      "Action":"ecs:CreateCluster","Resource":"*",
      "Condition":{"StringEquals":{"aws:PrincipalTag/team":"web","aws:userid":"AROADEPLOY:s1"}}}})");
  EXPECT_EQ(send(create, "ASIASESSION", "session-secret").status, 200);
  dir.policies.clear();
  dir.allow(kSessionArn, R"({"Version":"2012-10-17","Statement":{"Effect":"Allow",
      "Action":"ecs:CreateCluster","Resource":"*",
      "Condition":{"StringEquals":{"aws:PrincipalTag/team":"db"}}}})");
  http::Response res = send(create, "ASIASESSION", "session-secret");
  EXPECT_EQ(res.status, 400);
  EXPECT_NE(res.body.find("User: arn:aws:sts::123456789012:assumed-role/deploy/s1 is not "
                          "authorized to perform: ecs:CreateCluster"),
            std::string::npos)
      << res.body;
}

// --auth strict behaves as before: signatures checked, policies not.
TEST_F(EnforceTest, StrictModeDoesNotAuthorize) {
  protocol::ApiPlane strict{registry, keys, clock,
                            protocol::ApiOptions{kAcct, "us-east-1", protocol::AuthMode::Strict},
                            &authorizer};
  EXPECT_EQ(send(create, "AKIAUSER", "user-secret").status, 400);
  EXPECT_EQ(send(create, "AKIAUSER", "user-secret", "127.0.0.1", &strict).status, 200);
  EXPECT_EQ(send(create, "AKIAUSER", "wrong-secret", "127.0.0.1", &strict).status, 403);
}

}  // namespace
}  // namespace services::authz
