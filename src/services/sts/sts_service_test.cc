#include "services/sts/sts_service.h"

#include <gtest/gtest.h>

#include "services/sts/sts_fixture_test_support.h"

namespace services::sts {
namespace {

namespace json = boost::json;
using fakes::J;
using StsServiceTest = test::StsFixture;

TEST_F(StsServiceTest, IamUsersKeyResolvesToTheUser) {
  directory_.add_key({.access_key_id = "AKIAUSERKEY0000001",
                      .secret_access_key = "s3cret",
                      .account = test::kAccount,
                      .user_name = "ci",
                      .user_arn = "arn:aws:iam::123456789012:user/ci",
                      .user_id = "AIDAEXAMPLE000000001"});
  std::optional<protocol::Principal> p = identities_->lookup("AKIAUSERKEY0000001");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->arn, "arn:aws:iam::123456789012:user/ci");
  EXPECT_EQ(p->user_id, "AIDAEXAMPLE000000001");
  EXPECT_EQ(p->secret_access_key, "s3cret");
  EXPECT_TRUE(p->session_token.empty());
  json::object who = ok("GetCallerIdentity", json::object{}, signed_with("AKIAUSERKEY0000001"));
  EXPECT_EQ(text(who.at("Arn")), "arn:aws:iam::123456789012:user/ci");
  EXPECT_EQ(text(who.at("UserId")), "AIDAEXAMPLE000000001");
}

TEST_F(StsServiceTest, InactiveIamKeyResolvesToNobody) {
  directory_.add_key({.access_key_id = "AKIAINACTIVE000001",
                      .secret_access_key = "s",
                      .account = test::kAccount,
                      .user_arn = "arn:aws:iam::123456789012:user/old",
                      .active = false});
  EXPECT_FALSE(identities_->lookup("AKIAINACTIVE000001"));
  EXPECT_FALSE(identities_->lookup("AKIANEVERCREATED01"));
}

TEST_F(StsServiceTest, WithoutIamAnyRoleArnCanBeAssumedAsBefore) {
  wire(false, false);
  json::object out = assume("anything");
  EXPECT_EQ(text(out.at("AssumedRoleUser").at("Arn")),
            "arn:aws:sts::123456789012:assumed-role/anything/s1");
  EXPECT_TRUE(text(out.at("AssumedRoleUser").at("AssumedRoleId")).starts_with("AROA"));
}

TEST_F(StsServiceTest, AssumeRoleOfAMissingRoleIsDeniedInAwsWords) {
  protocol::AwsError e =
      err("AssumeRole", json::object{{"RoleArn", arn("ghost")}, {"RoleSessionName", "s1"}});
  EXPECT_EQ(e.code, "AccessDenied");
  EXPECT_EQ(e.http_status, 403);
  EXPECT_EQ(e.message,
            "User: arn:aws:iam::123456789012:root is not authorized to perform: sts:AssumeRole on "
            "resource: arn:aws:iam::123456789012:role/ghost");
}

TEST_F(StsServiceTest, AssumedRoleIdIsTheRolesIdAndSessionAndTheKeysSignAsTheSession) {
  iam::RoleInfo role = directory_.add_role("deployer");
  json::object out = assume("deployer", "ci-run");
  EXPECT_EQ(text(out.at("AssumedRoleUser").at("AssumedRoleId")), role.role_id + ":ci-run");
  std::string key = text(out.at("Credentials").at("AccessKeyId"));
  EXPECT_TRUE(key.starts_with("ASIA"));
  json::object who = ok("GetCallerIdentity", json::object{}, signed_with(key));
  EXPECT_EQ(text(who.at("Arn")), "arn:aws:sts::123456789012:assumed-role/deployer/ci-run");
  EXPECT_EQ(text(who.at("UserId")), role.role_id + ":ci-run");
}

TEST_F(StsServiceTest, DurationIsBoundedByTheRolesMaxSessionDuration) {
  directory_.add_role("short", 3600);
  protocol::AwsError e = err("AssumeRole", json::object{{"RoleArn", arn("short")},
                                                        {"RoleSessionName", "s1"},
                                                        {"DurationSeconds", 3601}});
  EXPECT_EQ(e.code, "ValidationError");
  EXPECT_EQ(e.message,
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  directory_.add_role("long", 7200);
  json::object out = ok(
      "AssumeRole",
      json::object{{"RoleArn", arn("long")}, {"RoleSessionName", "s1"}, {"DurationSeconds", 7200}});
  double expiration = out.at("Credentials").at("Expiration").to_number<double>();
  EXPECT_DOUBLE_EQ(expiration, core::to_epoch_seconds(clock_.now()) + 7200);
}

TEST_F(StsServiceTest, RoleSessionNameOutsideItsCharacterSetIsRefused) {
  directory_.add_role("r");
  protocol::AwsError e =
      err("AssumeRole", json::object{{"RoleArn", arn("r")}, {"RoleSessionName", "has space"}});
  EXPECT_EQ(e.code, "ValidationError");
  EXPECT_EQ(e.message,
            "1 validation error detected: Value 'has space' at 'roleSessionName' failed to "
            "satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
  assume("r", "a_b+c=d,e.f@g-h");
}

TEST_F(StsServiceTest, SessionTagsAreKeptOnTheSessionsPrincipal) {
  directory_.add_role("tagged");
  json::object out = ok("AssumeRole", J(R"({"RoleArn": "arn:aws:iam::123456789012:role/tagged",
      "RoleSessionName": "s1", "Tags": [{"Key": "Project", "Value": "Pegasus"},
      {"Key": "Team", "Value": "Eng"}], "SourceIdentity": "alice"})"));
  EXPECT_EQ(text(out.at("SourceIdentity")), "alice");
  std::optional<protocol::Principal> p =
      identities_->lookup(text(out.at("Credentials").at("AccessKeyId")));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->session_tags,
            (std::map<std::string, std::string>{{"Project", "Pegasus"}, {"Team", "Eng"}}));
}

TEST_F(StsServiceTest, DuplicateTagKeysInAnyCaseAreRefused) {
  directory_.add_role("tagged");
  protocol::AwsError e = err("AssumeRole", J(R"({"RoleArn": "arn:aws:iam::123456789012:role/tagged",
      "RoleSessionName": "s1", "Tags": [{"Key": "team", "Value": "a"},
      {"Key": "Team", "Value": "b"}]})"));
  EXPECT_EQ(e.code, "ValidationError");
  EXPECT_NE(e.message.find("case insensitive"), std::string::npos);
}

TEST_F(StsServiceTest, RoleChainingPassesTransitiveTagsAndLimitsTheDurationToOneHour) {
  directory_.add_role("first", 43200);
  directory_.add_role("second", 43200);
  json::object out = ok("AssumeRole", J(R"({"RoleArn": "arn:aws:iam::123456789012:role/first",
      "RoleSessionName": "s1", "Tags": [{"Key": "Project", "Value": "Pegasus"},
      {"Key": "Scratch", "Value": "x"}], "TransitiveTagKeys": ["Project"],
      "SourceIdentity": "alice"})"));
  protocol::RequestContext first = signed_with(text(out.at("Credentials").at("AccessKeyId")));
  protocol::AwsError e =
      err("AssumeRole",
          json::object{
              {"RoleArn", arn("second")}, {"RoleSessionName", "s2"}, {"DurationSeconds", 3601}},
          first);
  EXPECT_EQ(e.message,
            "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by "
            "role chaining.");
  json::object second =
      ok("AssumeRole", json::object{{"RoleArn", arn("second")}, {"RoleSessionName", "s2"}}, first);
  EXPECT_EQ(text(second.at("SourceIdentity")), "alice");
  std::optional<protocol::Principal> p =
      identities_->lookup(text(second.at("Credentials").at("AccessKeyId")));
  EXPECT_EQ(p->session_tags, (std::map<std::string, std::string>{{"Project", "Pegasus"}}));
}

TEST_F(StsServiceTest, EnforcedTrustPolicyDecidesWithTheRequestsKeys) {
  wire(true, true);
  directory_.add_role("partner");
  authority_.set_rule([](const iam::RoleInfo&, const iam::AuthzRequest& r) {
    return r.action == "sts:AssumeRole" && test::key_of(r, "sts:ExternalId") == "Unicorn1";
  });
  protocol::AwsError e = err("AssumeRole", json::object{{"RoleArn", arn("partner")},
                                                        {"RoleSessionName", "s1"},
                                                        {"ExternalId", "wrong-id"}});
  EXPECT_EQ(e.code, "AccessDenied");
  EXPECT_EQ(e.message,
            "User: arn:aws:iam::123456789012:root is not authorized to perform: sts:AssumeRole on "
            "resource: arn:aws:iam::123456789012:role/partner");
  ok("AssumeRole",
     json::object{
         {"RoleArn", arn("partner")}, {"RoleSessionName", "s1"}, {"ExternalId", "Unicorn1"}});
  iam::AuthzRequest last = authority_.requests().back();
  EXPECT_EQ(last.principal_arn, "arn:aws:iam::123456789012:root");
  EXPECT_EQ(last.resource, arn("partner"));
  EXPECT_EQ(test::key_of(last, "sts:RoleSessionName"), "s1");
}

TEST_F(StsServiceTest, TagsNeedTagSessionInTheTrustPolicy) {
  wire(true, true);
  directory_.add_role("r");
  authority_.set_rule([](const iam::RoleInfo&, const iam::AuthzRequest& r) {
    return r.action == "sts:AssumeRole";
  });
  protocol::AwsError e = err("AssumeRole", J(R"({"RoleArn": "arn:aws:iam::123456789012:role/r",
      "RoleSessionName": "s1", "Tags": [{"Key": "k", "Value": "v"}]})"));
  EXPECT_EQ(e.message,
            "User: arn:aws:iam::123456789012:root is not authorized to perform: sts:TagSession on "
            "resource: arn:aws:iam::123456789012:role/r");
  assume("r");  // without tags, sts:AssumeRole alone suffices
}

TEST_F(StsServiceTest, TrustPoliciesAreNotEvaluatedOutsideEnforceMode) {
  directory_.add_role("r");
  authority_.set_rule([](const iam::RoleInfo&, const iam::AuthzRequest&) { return false; });
  assume("r");
  EXPECT_TRUE(authority_.requests().empty());
}

TEST_F(StsServiceTest, GetAccessKeyInfoNamesTheKeysAccount) {
  directory_.add_key({.access_key_id = "AKIAOTHERACCOUNT01",
                      .secret_access_key = "s",
                      .account = "210987654321",
                      .user_arn = "arn:aws:iam::210987654321:user/u"});
  EXPECT_EQ(
      text(ok("GetAccessKeyInfo", J(R"({"AccessKeyId": "AKIAOTHERACCOUNT01"})")).at("Account")),
      "210987654321");
  json::object temp = ok("GetSessionToken", json::object{}, ctx("us-east-1", "444455556666"));
  json::object in{{"AccessKeyId", temp.at("Credentials").at("AccessKeyId")}};
  EXPECT_EQ(text(ok("GetAccessKeyInfo", in).at("Account")), "444455556666");
}

TEST_F(StsServiceTest, CredentialIssuerGivesTaskRoleCredentialsThatSignAsTheRole) {
  directory_.add_role("task-role", 43200);
  protocol::Result<TemporaryCredentials> c =
      sessions_->assume_role({.role_arn = arn("task-role"),
                              .session_name = "0123456789abcdef0123456789abcdef",
                              .duration = std::chrono::hours(6),
                              .service_principal = "ecs-tasks.amazonaws.com"});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->assumed_role_arn,
            "arn:aws:sts::123456789012:assumed-role/task-role/0123456789abcdef0123456789abcdef");
  EXPECT_EQ(c->expiration, clock_.now() + std::chrono::hours(6));
  std::optional<protocol::Principal> p = identities_->lookup(c->access_key_id);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->arn, c->assumed_role_arn);
  EXPECT_EQ(p->session_token, c->session_token);
}

TEST_F(StsServiceTest, CredentialIssuerRefusesMissingRolesAndUntrustedServices) {
  wire(true, true);
  protocol::Result<TemporaryCredentials> missing =
      sessions_->assume_role({.role_arn = arn("ghost"),
                              .session_name = "t1",
                              .service_principal = "ecs-tasks.amazonaws.com"});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "NoSuchEntity");
  EXPECT_EQ(missing.error().message, "The role with name ghost cannot be found.");
  directory_.add_role("lambda-only");
  authority_.set_rule([](const iam::RoleInfo&, const iam::AuthzRequest& r) {
    return r.principal_arn == "lambda.amazonaws.com";
  });
  protocol::Result<TemporaryCredentials> refused =
      sessions_->assume_role({.role_arn = arn("lambda-only"),
                              .session_name = "t1",
                              .service_principal = "ecs-tasks.amazonaws.com"});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "AccessDenied");
  // The check alone (ECS's at RunTask) refuses the same way.
  protocol::Result<void> checked = sessions_->check_assume_role(
      {.role_arn = arn("lambda-only"), .session_name = "t1",
       .service_principal = "ecs-tasks.amazonaws.com"});
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, "AccessDenied");
}

int stored_sessions(store::Db& db) {
  int n = 0;
  store::Transaction tx = db.read();
  tx.query("SELECT COUNT(*) FROM sts_credentials",
           [&](const store::Statement& row) { n = static_cast<int>(row.int64(0)); });
  return n;
}

TEST_F(StsServiceTest, CheckingARoleIssuesNoSession) {
  directory_.add_role("task-role");
  AssumeRoleByService request{.role_arn = arn("task-role"), .session_name = "t1",
                              .service_principal = "ecs-tasks.amazonaws.com"};
  ASSERT_TRUE(sessions_->check_assume_role(request));
  EXPECT_EQ(stored_sessions(db_), 0);
  ASSERT_TRUE(sessions_->assume_role(request));
  EXPECT_EQ(stored_sessions(db_), 1);
}

// Tasks renew their role's credentials every half hour: sessions that expired long ago go, so
// that the table stays bounded.
TEST_F(StsServiceTest, SessionsExpiredForADayAreForgottenWhenNewOnesAreIssued) {
  directory_.add_role("task-role");
  AssumeRoleByService request{.role_arn = arn("task-role"), .session_name = "t1",
                              .service_principal = "ecs-tasks.amazonaws.com"};
  protocol::Result<TemporaryCredentials> old = sessions_->assume_role(request);
  ASSERT_TRUE(old);
  clock_.advance(std::chrono::hours(30));  // expired 29 h ago: kept (ExpiredToken still)
  ASSERT_TRUE(sessions_->assume_role(request));
  EXPECT_TRUE(identities_->lookup(old->access_key_id));
  clock_.advance(std::chrono::hours(40));  // expired 69 h ago
  ASSERT_TRUE(sessions_->assume_role(request));
  EXPECT_FALSE(identities_->lookup(old->access_key_id));
  EXPECT_EQ(stored_sessions(db_), 2);
}

// Lookups are remembered while the database is unchanged: a key issued after a miss, and one
// wiped by a reset after a hit, are seen at once.
TEST_F(StsServiceTest, RememberedLookupsFollowEveryWrite) {
  protocol::Principal p;
  p.account = test::kAccount;
  p.arn = "arn:aws:sts::123456789012:assumed-role/r/s";
  p.secret_access_key = "secret";
  p.session_token = "token";
  p.expires_at = clock_.now() + std::chrono::hours(1);
  EXPECT_FALSE(identities_->lookup("ASIAREMEMBERED0001"));
  EXPECT_FALSE(identities_->lookup("ASIAREMEMBERED0001"));
  identities_->save_temporary("ASIAREMEMBERED0001", p);
  std::optional<protocol::Principal> found = identities_->lookup("ASIAREMEMBERED0001");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->arn, p.arn);
  EXPECT_TRUE(identities_->lookup("ASIAREMEMBERED0001"));
  db_.wipe();
  EXPECT_FALSE(identities_->lookup("ASIAREMEMBERED0001"));
}

}  // namespace
}  // namespace services::sts
