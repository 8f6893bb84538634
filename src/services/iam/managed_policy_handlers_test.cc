#include <boost/json.hpp>

#include "core/percent.h"
#include "services/iam/iam_test_support.h"

namespace services::iam {
namespace {

namespace json = boost::json;

using ManagedPolicyHandlersTest = IamHandlersTest;

TEST_F(ManagedPolicyHandlersTest, AwsManagedPoliciesCarryTheirRealDocuments) {
  json::object policy =
      ok("GetPolicy", json::object{{"PolicyArn", kExecutionPolicyArn}}).at("Policy").as_object();
  EXPECT_EQ(policy.at("Path"), json::value("/service-role/"));
  json::object version =
      ok("GetPolicyVersion", json::object{{"PolicyArn", kExecutionPolicyArn},
                                          {"VersionId", policy.at("DefaultVersionId")}})
          .at("PolicyVersion")
          .as_object();
  json::value doc = json::parse(core::percent_decode(s(version.at("Document")), false));
  EXPECT_EQ(json::serialize(doc.at("Statement").as_array()[0].at("Action")),
            R"(["ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability",)"
            R"("ecr:GetDownloadUrlForLayer","ecr:BatchGetImage","logs:CreateLogStream",)"
            R"("logs:PutLogEvents"])");
  for (std::string name : {"AdministratorAccess", "ReadOnlyAccess", "PowerUserAccess",
                           "AmazonEC2ContainerRegistryReadOnly", "CloudWatchLogsFullAccess",
                           "AmazonSSMReadOnlyAccess", "SecretsManagerReadWrite"}) {
    ok("GetPolicy", json::object{{"PolicyArn", "arn:aws:iam::aws:policy/" + name}});
  }
}

TEST_F(ManagedPolicyHandlersTest, VersionsUpToFiveWithOneDefault) {
  std::string arn = s(create_policy("p").at("Arn"));
  EXPECT_EQ(arn, "arn:aws:iam::123456789012:policy/p");
  for (int i = 2; i <= 5; ++i) {
    json::object v = ok("CreatePolicyVersion", json::object{{"PolicyArn", arn},
                                                            {"PolicyDocument", kAllowS3Get},
                                                            {"SetAsDefault", i == 3}})
                         .at("PolicyVersion")
                         .as_object();
    EXPECT_EQ(v.at("VersionId"), json::value("v" + std::to_string(i)));
  }
  protocol::AwsError full =
      err("CreatePolicyVersion", json::object{{"PolicyArn", arn}, {"PolicyDocument", kAllowS3Get}});
  EXPECT_EQ(full.code, "LimitExceeded");
  EXPECT_EQ(ok("GetPolicy", json::object{{"PolicyArn", arn}}).at("Policy").at("DefaultVersionId"),
            json::value("v3"));
  EXPECT_EQ(
      err("DeletePolicyVersion", json::object{{"PolicyArn", arn}, {"VersionId", "v3"}}).message,
      "Cannot delete the default version of a policy.");
  EXPECT_EQ(err("DeletePolicy", json::object{{"PolicyArn", arn}}).code, "DeleteConflict");
  for (std::string v : {"v1", "v2", "v4", "v5"}) {
    ok("DeletePolicyVersion", json::object{{"PolicyArn", arn}, {"VersionId", v}});
  }
  EXPECT_EQ(
      ok("ListPolicyVersions", json::object{{"PolicyArn", arn}}).at("Versions").as_array().size(),
      1u);
  ok("DeletePolicy", json::object{{"PolicyArn", arn}});
  EXPECT_EQ(err("GetPolicy", json::object{{"PolicyArn", arn}}).message,
            "Policy " + arn + " was not found.");
}

TEST_F(ManagedPolicyHandlersTest, AttachedPolicyCannotBeDeletedAndCountsItsAttachments) {
  std::string arn = s(create_policy("p").at("Arn"));
  create_role("r");
  ok("AttachRolePolicy", json::object{{"RoleName", "r"}, {"PolicyArn", arn}});
  EXPECT_EQ(ok("GetPolicy", json::object{{"PolicyArn", arn}}).at("Policy").at("AttachmentCount"),
            json::value(1));
  EXPECT_EQ(err("DeletePolicy", json::object{{"PolicyArn", arn}}).message,
            "Cannot delete a policy attached to entities.");
  json::object entities = ok("ListEntitiesForPolicy", json::object{{"PolicyArn", arn}});
  EXPECT_EQ(entities.at("PolicyRoles").as_array()[0].at("RoleName"), json::value("r"));
}

TEST_F(ManagedPolicyHandlersTest, ListPoliciesByScopeAndAttachment) {
  create_policy("mine");
  create_role("r");
  ok("AttachRolePolicy", json::object{{"RoleName", "r"}, {"PolicyArn", kExecutionPolicyArn}});
  json::array local = ok("ListPolicies", R"({"Scope":"Local"})").at("Policies").as_array();
  ASSERT_EQ(local.size(), 1u);
  EXPECT_EQ(local[0].at("PolicyName"), json::value("mine"));
  json::array attached =
      ok("ListPolicies", R"({"Scope":"AWS","OnlyAttached":true})").at("Policies").as_array();
  ASSERT_EQ(attached.size(), 1u);
  EXPECT_EQ(attached[0].at("Arn"), json::value(kExecutionPolicyArn));
  EXPECT_GT(ok("ListPolicies", R"({"Scope":"AWS"})").at("Policies").as_array().size(), 15u);
}

TEST_F(ManagedPolicyHandlersTest, AttachingAnUnknownPolicyIsNoSuchEntity) {
  create_role("r");
  protocol::AwsError e =
      err("AttachRolePolicy", R"({"RoleName":"r","PolicyArn":"arn:aws:iam::aws:policy/Nope"})");
  EXPECT_EQ(e.code, "NoSuchEntity");
  EXPECT_EQ(e.message, "Policy arn:aws:iam::aws:policy/Nope does not exist or is not attachable.");
}

TEST_F(ManagedPolicyHandlersTest, InlinePoliciesOfUsersAndGroups) {
  ok("CreateUser", R"({"UserName":"u"})");
  ok("PutUserPolicy",
     json::object{{"UserName", "u"}, {"PolicyName", "p"}, {"PolicyDocument", kAllowS3Get}});
  EXPECT_EQ(json::serialize(ok("ListUserPolicies", R"({"UserName":"u"})").at("PolicyNames")),
            R"(["p"])");
  EXPECT_EQ(err("GetGroupPolicy", R"({"GroupName":"g","PolicyName":"p"})").message,
            "The group with name g cannot be found.");
  ok("CreateGroup", R"({"GroupName":"g"})");
  EXPECT_EQ(err("GetGroupPolicy", R"({"GroupName":"g","PolicyName":"p"})").message,
            "The group policy with name p cannot be found.");
  protocol::AwsError bad = err(
      "PutGroupPolicy",
      json::object{{"GroupName", "g"}, {"PolicyName", "p"}, {"PolicyDocument", kEcsTasksTrust}});
  EXPECT_EQ(bad.message, "Policy document should not specify a principal.");
}

}  // namespace
}  // namespace services::iam
