#include "services/authz/policy_authority.h"

#include <gtest/gtest.h>

#include "services/authz/authz_test_support.h"
#include "testing/manual_clock.h"

namespace services::authz {
namespace {

constexpr const char* kAcct = "123456789012";
const std::string kUser = "arn:aws:iam::123456789012:user/ci";
const std::string kService = "arn:aws:ecs:us-east-1:123456789012:service/web/api";

class PolicyAuthorityTest : public ::testing::Test {
 protected:
  iam::AuthzResult check(const std::string& action, const std::string& resource,
                         iam::ConditionKeys keys = {}, const std::string& who = kUser) {
    return authority.authorize({.principal_arn = who,
                                .action = action,
                                .resource = resource,
                                .account = kAcct,
                                .region = "us-east-1",
                                .keys = std::move(keys)});
  }

  testing::FakeDirectory dir;
  fakes::ManualClock clock;
  PolicyAuthority authority{&dir, clock};
};

TEST_F(PolicyAuthorityTest, RootIsAllowedEverythingAndNobodyElseWithoutAPolicy) {
  EXPECT_TRUE(check("ecs:CreateService", kService, {}, "arn:aws:iam::123456789012:root").allowed());
  iam::AuthzResult r = check("ecs:CreateService", kService);
  EXPECT_EQ(r.decision, iam::Decision::ImplicitDeny);
  EXPECT_EQ(r.message,
            "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: "
            "ecs:CreateService on resource: arn:aws:ecs:us-east-1:123456789012:service/web/api "
            "because no identity-based policy allows the ecs:CreateService action");
}

TEST_F(PolicyAuthorityTest, ActionsMatchCaseInsensitivelyWithWildcards) {
  dir.allow(kUser, R"({"Version":"2012-10-17","Statement":{"Effect":"Allow",
                      "Action":["ECS:describe*","ecs:List?ervices"],"Resource":"*"}})");
  EXPECT_TRUE(check("ecs:DescribeServices", kService).allowed());
  EXPECT_TRUE(check("ecs:ListServices", "*").allowed());
  EXPECT_FALSE(check("ecs:CreateService", kService).allowed());
  EXPECT_FALSE(check("ecr:DescribeRepositories", "*").allowed());
}

// "An explicit deny in any policy overrides any allows."
TEST_F(PolicyAuthorityTest, ExplicitDenyWinsOverAnAllowInAnotherPolicy) {
  dir.allow(kUser, R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*"}})");
  dir.allow(kUser, R"({"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"ecs:DeleteService",
                      "Resource":"arn:aws:ecs:*:*:service/web/*"}})");
  EXPECT_TRUE(check("ecs:UpdateService", kService).allowed());
  iam::AuthzResult r = check("ecs:DeleteService", kService);
  EXPECT_EQ(r.decision, iam::Decision::ExplicitDeny);
  EXPECT_EQ(r.message,
            "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: "
            "ecs:DeleteService on resource: arn:aws:ecs:us-east-1:123456789012:service/web/api "
            "with an explicit deny in an identity-based policy");
  ASSERT_EQ(r.matched.size(), 1u);
  EXPECT_EQ(r.matched[0], (std::pair<std::string, int>{"p1", 0}));
  EXPECT_TRUE(check("ecs:DeleteService", "arn:aws:ecs:us-east-1:123456789012:service/db/x").allowed());
}

// "The effective permissions ... are the intersection of the entity's identity-based policies
// and its permissions boundaries"; a boundary grants nothing by itself.
TEST_F(PolicyAuthorityTest, APermissionsBoundaryLimitsWhatIdentityPoliciesAllow) {
  dir.boundaries[kUser] = R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Action":["ecs:*","ecr:*"],"Resource":"*"},
      {"Effect":"Deny","Action":"ecs:DeleteService","Resource":"*"}]})";
  EXPECT_FALSE(check("ecs:UpdateService", kService).allowed());  // no identity policy
  dir.allow(kUser, R"({"Version":"2012-10-17","Statement":{"Effect":"Allow",
                      "Action":["ecs:*","logs:*"],"Resource":"*"}})");
  EXPECT_TRUE(check("ecs:UpdateService", kService).allowed());
  iam::AuthzResult r = check("logs:CreateLogGroup", "*");
  EXPECT_EQ(r.decision, iam::Decision::ImplicitDeny);
  EXPECT_EQ(r.message,
            "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: "
            "logs:CreateLogGroup on resource: * because no permissions boundary allows the "
            "logs:CreateLogGroup action");
  r = check("ecs:DeleteService", kService);
  EXPECT_EQ(r.decision, iam::Decision::ExplicitDeny);
  EXPECT_EQ(r.message,
            "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: "
            "ecs:DeleteService on resource: arn:aws:ecs:us-east-1:123456789012:service/web/api "
            "with an explicit deny in a permissions boundary");
}

// "NotAction ... matches everything except the specified list of actions";
// "NotResource ... matches every resource except those specified".
TEST_F(PolicyAuthorityTest, NotActionAndNotResource) {
  dir.allow(kUser, R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","NotAction":"iam:*","Resource":"*"},
      {"Effect":"Deny","Action":"ecs:*","NotResource":"arn:aws:ecs:*:*:service/web/*"}]})");
  EXPECT_TRUE(check("ecs:UpdateService", kService).allowed());
  EXPECT_FALSE(check("iam:CreateUser", "arn:aws:iam::123456789012:user/x").allowed());
  EXPECT_EQ(check("ecs:UpdateService", "arn:aws:ecs:us-east-1:123456789012:service/db/x").decision,
            iam::Decision::ExplicitDeny);
}

TEST_F(PolicyAuthorityTest, ResourceVariablesUseTheCallersUsernameAndTags) {
  dir.tags[kUser] = {{"team", "web"}};
  dir.allow(kUser, R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Action":"iam:*AccessKey*","Resource":"arn:aws:iam::*:user/${aws:username}"},
      {"Effect":"Allow","Action":"ecs:UpdateService",
       "Resource":"arn:aws:ecs:*:*:service/${aws:PrincipalTag/team}/*"}]})");
  EXPECT_TRUE(check("iam:CreateAccessKey", kUser).allowed());
  EXPECT_FALSE(check("iam:CreateAccessKey", "arn:aws:iam::123456789012:user/other").allowed());
  EXPECT_TRUE(check("ecs:UpdateService", kService).allowed());
  // Session tags passed by the caller override the principal's own.
  EXPECT_FALSE(check("ecs:UpdateService", kService, {{"aws:PrincipalTag/team", {"db"}}}).allowed());
}

TEST_F(PolicyAuthorityTest, VariablesAreLiteralTextInA2008Policy) {
  dir.allow(kUser, R"({"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"iam:GetUser",
                      "Resource":"arn:aws:iam::*:user/${aws:username}"}})");
  EXPECT_FALSE(check("iam:GetUser", kUser).allowed());
  EXPECT_TRUE(check("iam:GetUser", "arn:aws:iam::123456789012:user/${aws:username}").allowed());
}

TEST_F(PolicyAuthorityTest, GlobalConditionKeysAreFilledIn) {
  dir.allow(kUser, R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*",
      "Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1","aws:PrincipalAccount":"123456789012",
                                   "aws:username":"ci","aws:PrincipalArn":"arn:aws:iam::123456789012:user/ci"},
                   "DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"},
                   "NumericGreaterThan":{"aws:EpochTime":"1577836800"},
                   "IpAddressIfExists":{"aws:SourceIp":"127.0.0.0/8"}}}})");
  EXPECT_TRUE(check("ecs:ListClusters", "*").allowed());
  EXPECT_TRUE(check("ecs:ListClusters", "*", {{"aws:SourceIp", {"127.0.0.1"}}}).allowed());
  EXPECT_FALSE(check("ecs:ListClusters", "*", {{"aws:SourceIp", {"192.0.2.1"}}}).allowed());
  EXPECT_FALSE(authority
                   .authorize({.principal_arn = kUser, .action = "ecs:ListClusters",
                               .resource = "*", .account = kAcct, .region = "eu-west-1"})
                   .allowed());
}

TEST_F(PolicyAuthorityTest, AnAssumedRoleSessionHasItsRolesTagsAndUserId) {
  const std::string session = "arn:aws:sts::123456789012:assumed-role/deploy/ci-run";
  dir.roles["deploy"] = {.account = kAcct, .name = "deploy", .path = "/",
                         .arn = "arn:aws:iam::123456789012:role/deploy", .role_id = "AROAEXAMPLE",
                         .tags = {{"team", "web"}}};
  dir.allow(session, R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:*",
      "Resource":"arn:aws:ecs:*:*:service/${aws:PrincipalTag/team}/*",
      "Condition":{"StringLike":{"aws:userid":"AROAEXAMPLE:*"}}}})");
  EXPECT_TRUE(check("ecs:UpdateService", kService, {}, session).allowed());
  EXPECT_TRUE(check("ecs:UpdateService", kService, {}, session).message.empty());
  EXPECT_FALSE(check("ecs:UpdateService", "arn:aws:ecs:us-east-1:123456789012:service/db/x", {},
                     session).allowed());
}

TEST_F(PolicyAuthorityTest, EveryResourceOfARequestMustBeAllowed) {
  dir.allow(kUser, R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:DescribeServices",
                      "Resource":"arn:aws:ecs:*:*:service/web/*"}})");
  iam::AuthzRequest r{.principal_arn = kUser, .action = "ecs:DescribeServices", .resource = "",
                      .account = kAcct, .region = "us-east-1"};
  EXPECT_TRUE(authority.authorize_each(r, {kService, kService + "2"}).allowed());
  iam::AuthzResult d =
      authority.authorize_each(r, {kService, "arn:aws:ecs:us-east-1:123456789012:service/db/x"});
  EXPECT_FALSE(d.allowed());
  EXPECT_EQ(r.resource, "arn:aws:ecs:us-east-1:123456789012:service/db/x");
  EXPECT_NE(d.message.find("on resource: arn:aws:ecs:us-east-1:123456789012:service/db/x "),
            std::string::npos);
}

TEST_F(PolicyAuthorityTest, AnUnparseableStoredPolicyGrantsNothing) {
  dir.allow(kUser, "{oops");
  dir.allow(kUser, R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:List*","Resource":"*"}})");
  EXPECT_TRUE(check("ecs:ListClusters", "*").allowed());
  EXPECT_FALSE(check("ecs:DescribeClusters", "*").allowed());
}

// Trust policies: the role's AssumeRolePolicyDocument, principals matched as IAM does.
class TrustTest : public PolicyAuthorityTest {
 protected:
  iam::AuthzResult trust(const std::string& policy, const std::string& who,
                         std::string action = "sts:AssumeRole", iam::ConditionKeys keys = {}) {
    iam::RoleInfo role{.account = kAcct, .name = "app", .path = "/",
                       .arn = "arn:aws:iam::123456789012:role/app", .role_id = "AROAAPP",
                       .assume_role_policy = policy};
    return authority.authorize_trust(role, {.principal_arn = who, .action = std::move(action),
                                            .resource = role.arn, .account = kAcct,
                                            .region = "us-east-1", .keys = std::move(keys)});
  }
  static std::string with_principal(const std::string& principal, const std::string& extra = "") {
    return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":)" + principal +
           R"(,"Action":["sts:AssumeRole","sts:AssumeRoleWithWebIdentity"])" + extra + "}]}";
  }
};

TEST_F(TrustTest, AccountPrincipalsMatchAnyPrincipalOfThatAccount) {
  EXPECT_TRUE(trust(with_principal(R"({"AWS":"123456789012"})"), kUser).allowed());
  EXPECT_TRUE(trust(with_principal(R"({"AWS":"arn:aws:iam::123456789012:root"})"), kUser).allowed());
  EXPECT_FALSE(trust(with_principal(R"({"AWS":"arn:aws:iam::210987654321:root"})"), kUser).allowed());
}

TEST_F(TrustTest, UserRoleAndAssumedRolePrincipals) {
  std::string by_user = with_principal(R"({"AWS":"arn:aws:iam::123456789012:user/ci"})");
  EXPECT_TRUE(trust(by_user, kUser).allowed());
  iam::AuthzResult denied = trust(by_user, "arn:aws:iam::123456789012:user/other");
  EXPECT_FALSE(denied.allowed());
  EXPECT_EQ(denied.message,
            "User: arn:aws:iam::123456789012:user/other is not authorized to perform: "
            "sts:AssumeRole on resource: arn:aws:iam::123456789012:role/app");
  std::string by_role = with_principal(R"({"AWS":"arn:aws:iam::123456789012:role/ops/deploy"})");
  EXPECT_TRUE(trust(by_role, "arn:aws:sts::123456789012:assumed-role/deploy/s1").allowed());
  EXPECT_FALSE(trust(by_role, "arn:aws:sts::123456789012:assumed-role/other/s1").allowed());
  EXPECT_TRUE(trust(with_principal(R"("*")"), "arn:aws:iam::999999999999:user/x").allowed());
}

TEST_F(TrustTest, ServiceAndFederatedPrincipals) {
  std::string ecs = with_principal(R"({"Service":"ecs-tasks.amazonaws.com"})");
  EXPECT_TRUE(trust(ecs, "ecs-tasks.amazonaws.com").allowed());
  EXPECT_FALSE(trust(ecs, "lambda.amazonaws.com").allowed());
  EXPECT_FALSE(trust(ecs, kUser).allowed());
  const std::string gh = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
  std::string oidc = with_principal(
      R"({"Federated":")" + gh + R"("})",
      R"(,"Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},
          "StringLike":{"token.actions.githubusercontent.com:sub":"repo:acme/web:*"}})");
  iam::ConditionKeys claims{{"token.actions.githubusercontent.com:aud", {"sts.amazonaws.com"}},
                            {"token.actions.githubusercontent.com:sub", {"repo:acme/web:ref:refs/heads/main"}}};
  EXPECT_TRUE(trust(oidc, gh, "sts:AssumeRoleWithWebIdentity", claims).allowed());
  claims["token.actions.githubusercontent.com:sub"] = {"repo:evil/web:ref:refs/heads/main"};
  EXPECT_FALSE(trust(oidc, gh, "sts:AssumeRoleWithWebIdentity", claims).allowed());
}

TEST_F(TrustTest, NotPrincipalAndAnExplicitDeny) {
  std::string policy = R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sts:AssumeRole"},
      {"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::123456789012:user/ci"},"Action":"sts:AssumeRole"}]})";
  EXPECT_TRUE(trust(policy, kUser).allowed());
  EXPECT_EQ(trust(policy, "arn:aws:iam::123456789012:user/other").decision,
            iam::Decision::ExplicitDeny);
  EXPECT_FALSE(trust(policy, kUser, "sts:TagSession").allowed());
}

}  // namespace
}  // namespace services::authz
