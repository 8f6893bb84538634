#include "services/iam/iam_directory.h"

#include <boost/json.hpp>

#include "services/iam/iam_test_support.h"

namespace services::iam {
namespace {

namespace json = boost::json;

using IamDirectoryTest = IamHandlersTest;

std::vector<std::string> sources(const std::vector<PolicyText>& policies) {
  std::vector<std::string> out;
  for (const PolicyText& p : policies) out.push_back(p.source);
  return out;
}

TEST_F(IamDirectoryTest, UserPoliciesIncludeItsGroupsAndManagedDefaults) {
  ok("CreateUser", R"({"UserName":"u","Path":"/p/"})");
  ok("CreateGroup", R"({"GroupName":"g"})");
  ok("AddUserToGroup", R"({"GroupName":"g","UserName":"u"})");
  ok("PutUserPolicy",
     json::object{{"UserName", "u"}, {"PolicyName", "own"}, {"PolicyDocument", kAllowS3Get}});
  ok("PutGroupPolicy",
     json::object{{"GroupName", "g"}, {"PolicyName", "shared"}, {"PolicyDocument", kAllowS3Get}});
  std::string arn = s(create_policy("mine").at("Arn"));
  std::string v2 =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]})";
  ok("CreatePolicyVersion",
     json::object{{"PolicyArn", arn}, {"PolicyDocument", v2}, {"SetAsDefault", true}});
  ok("AttachGroupPolicy", json::object{{"GroupName", "g"}, {"PolicyArn", arn}});
  ok("AttachUserPolicy", json::object{{"UserName", "u"}, {"PolicyArn", kExecutionPolicyArn}});

  std::vector<PolicyText> p = directory_.identity_policies("arn:aws:iam::123456789012:user/p/u");
  EXPECT_EQ(sources(p), (std::vector<std::string>{"user/u/own", std::string(kExecutionPolicyArn),
                                                  "group/g/shared", arn}));
  EXPECT_EQ(p[3].document, v2) << "the default version";
  EXPECT_EQ(p[3].kind, PolicyText::Kind::Managed);
  EXPECT_NE(p[1].document.find("ecr:GetDownloadUrlForLayer"), std::string::npos);
  EXPECT_TRUE(directory_.identity_policies("arn:aws:iam::123456789012:user/u").empty())
      << "the ARN must carry the user's path";
}

TEST_F(IamDirectoryTest, AssumedRoleSessionsHaveTheirRolesPolicies) {
  create_role("exec", "/svc/");
  ok("AttachRolePolicy", json::object{{"RoleName", "exec"}, {"PolicyArn", kExecutionPolicyArn}});
  ok("PutRolePolicy",
     json::object{{"RoleName", "exec"}, {"PolicyName", "extra"}, {"PolicyDocument", kAllowS3Get}});
  std::vector<std::string> expected{"role/exec/extra", std::string(kExecutionPolicyArn)};
  EXPECT_EQ(sources(directory_.identity_policies(
                "arn:aws:sts::123456789012:assumed-role/exec/session-1")),
            expected);
  EXPECT_EQ(sources(directory_.identity_policies("arn:aws:iam::123456789012:role/svc/exec")),
            expected);
  EXPECT_TRUE(
      directory_.identity_policies("arn:aws:sts::123456789012:assumed-role/nope/s").empty());
}

TEST_F(IamDirectoryTest, PermissionsBoundariesOfUsersAndRoleSessions) {
  std::string arn = s(create_policy("limit").at("Arn"));
  ok("CreateUser", json::object{{"UserName", "u"}, {"PermissionsBoundary", arn}});
  create_role("r");
  ok("PutRolePermissionsBoundary",
     json::object{{"RoleName", "r"}, {"PermissionsBoundary", kExecutionPolicyArn}});
  std::optional<PolicyText> user = directory_.permissions_boundary(
      "arn:aws:iam::123456789012:user/u");
  ASSERT_TRUE(user);
  EXPECT_EQ(user->source, arn);
  EXPECT_EQ(user->document, kAllowS3Get);
  std::optional<PolicyText> session = directory_.permissions_boundary(
      "arn:aws:sts::123456789012:assumed-role/r/s1");
  ASSERT_TRUE(session);
  EXPECT_NE(session->document.find("ecr:GetDownloadUrlForLayer"), std::string::npos);
  ok("DeleteRolePermissionsBoundary", R"({"RoleName":"r"})");
  EXPECT_FALSE(directory_.permissions_boundary("arn:aws:iam::123456789012:role/r"));
}

TEST_F(IamDirectoryTest, FindsRolesByNameAndArnWithTheirTrustPolicy) {
  create_role("Exec", "/svc/");
  ok("TagRole", R"({"RoleName":"Exec","Tags":[{"Key":"team","Value":"a"}]})");
  std::optional<RoleInfo> r = directory_.find_role("123456789012", "exec");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->arn, "arn:aws:iam::123456789012:role/svc/Exec");
  EXPECT_EQ(r->assume_role_policy, kEcsTasksTrust);
  EXPECT_EQ(r->tags.at("team"), "a");
  EXPECT_TRUE(directory_.find_role_by_arn("arn:aws:iam::123456789012:role/svc/Exec"));
  EXPECT_FALSE(directory_.find_role_by_arn("arn:aws:iam::123456789012:role/Exec"));
  EXPECT_FALSE(directory_.find_role("999999999999", "Exec"));
  EXPECT_EQ(directory_.principal_tags("arn:aws:sts::123456789012:assumed-role/Exec/s").at("team"),
            "a");
}

TEST_F(IamDirectoryTest, SimulationsLastAsLongAsTheirHandle) {
  std::string arn;
  {
    IamDirectory::Simulation sim = directory_.simulate(
        "123456789012",
        {{PolicyText::Kind::Inline, "PolicyInputList.1", std::string(kAllowS3Get)}});
    arn = sim.arn();
    EXPECT_EQ(directory_.identity_policies(arn).size(), 1u);
  }
  EXPECT_TRUE(directory_.identity_policies(arn).empty());
}

}  // namespace
}  // namespace services::iam
