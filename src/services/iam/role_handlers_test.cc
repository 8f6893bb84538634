#include <boost/json.hpp>

#include "services/iam/iam_names.h"
#include "services/iam/iam_test_support.h"

namespace services::iam {
namespace {

namespace json = boost::json;

using RoleHandlersTest = IamHandlersTest;

TEST_F(RoleHandlersTest, CreateRoleMakesAnArnWithItsPathAndAnAroaId) {
  json::object role = create_role("exec", "/app/");
  EXPECT_EQ(s(role.at("Arn")), "arn:aws:iam::123456789012:role/app/exec");
  EXPECT_EQ(s(role.at("RoleId")).substr(0, 4), "AROA");
  EXPECT_EQ(s(role.at("RoleId")).size(), 21u);
  EXPECT_EQ(role.at("MaxSessionDuration").as_int64(), 3600);
  // Policy documents travel URL-encoded, as IAM sends them.
  EXPECT_EQ(s(role.at("AssumeRolePolicyDocument")), url_encode(kEcsTasksTrust));
  json::object got = ok("GetRole", R"({"RoleName":"EXEC"})").at("Role").as_object();
  EXPECT_EQ(got.at("RoleId"), role.at("RoleId"));
}

TEST_F(RoleHandlersTest, RoleNamesAreUniqueCaseInsensitively) {
  create_role("Exec");
  protocol::AwsError e =
      err("CreateRole",
          json::object{{"RoleName", "exec"}, {"AssumeRolePolicyDocument", kEcsTasksTrust}});
  EXPECT_EQ(e.code, "EntityAlreadyExists");
  EXPECT_EQ(e.http_status, 409);
  EXPECT_EQ(e.message, "Role with name exec already exists.");
}

// GetRole shows the boundary, ListRoles does not (moto's AWS-verified
// test_role_resource_returns_subset_of_available_attributes).
TEST_F(RoleHandlersTest, PermissionsBoundaryIsKeptShownByGetAndChangeable) {
  const std::string boundary = "arn:aws:iam::aws:policy/PowerUserAccess";
  ok("CreateRole", json::object{{"RoleName", "b"}, {"AssumeRolePolicyDocument", kEcsTasksTrust},
                                {"PermissionsBoundary", boundary}});
  json::object got = ok("GetRole", R"({"RoleName":"b"})").at("Role").as_object();
  EXPECT_EQ(got.at("PermissionsBoundary"),
            (json::value{{"PermissionsBoundaryType", "Policy"},
                         {"PermissionsBoundaryArn", boundary}}));
  json::object listed = ok("ListRoles").at("Roles").as_array()[0].as_object();
  EXPECT_FALSE(listed.contains("PermissionsBoundary"));
  ok("DeleteRolePermissionsBoundary", R"({"RoleName":"b"})");
  EXPECT_FALSE(ok("GetRole", R"({"RoleName":"b"})").at("Role").as_object().contains(
      "PermissionsBoundary"));
  ok("PutRolePermissionsBoundary", json::object{{"RoleName", "b"},
                                                {"PermissionsBoundary", boundary}});
  EXPECT_TRUE(ok("GetRole", R"({"RoleName":"b"})").at("Role").as_object().contains(
      "PermissionsBoundary"));
  const std::string missing = "arn:aws:iam::123456789012:policy/none";
  protocol::AwsError e =
      err("PutRolePermissionsBoundary",
          json::object{{"RoleName", "b"}, {"PermissionsBoundary", missing}});
  EXPECT_EQ(e.code, "NoSuchEntity");
  EXPECT_EQ(e.message, "Scope ARN: " + missing + " does not exist or is not attachable.");
}

TEST_F(RoleHandlersTest, UnknownRoleIsNoSuchEntity404) {
  protocol::AwsError e = err("GetRole", R"({"RoleName":"nope"})");
  EXPECT_EQ(e.code, "NoSuchEntity");
  EXPECT_EQ(e.http_status, 404);
  EXPECT_EQ(e.message, "The role with name nope cannot be found.");
}

TEST_F(RoleHandlersTest, BadNamesAndPathsAreValidationErrors) {
  protocol::AwsError name =
      err("CreateRole",
          json::object{{"RoleName", "a b"}, {"AssumeRolePolicyDocument", kEcsTasksTrust}});
  EXPECT_EQ(name.code, "ValidationError");
  EXPECT_NE(name.message.find("at 'roleName'"), std::string::npos);
  protocol::AwsError path =
      err("CreateRole",
          json::object{
              {"RoleName", "a"}, {"Path", "app"}, {"AssumeRolePolicyDocument", kEcsTasksTrust}});
  EXPECT_EQ(path.code, "ValidationError");
}

TEST_F(RoleHandlersTest, TrustPolicyWithoutPrincipalIsMalformed) {
  protocol::AwsError e =
      err("CreateRole",
          json::object{{"RoleName", "a"}, {"AssumeRolePolicyDocument", std::string(kAllowS3Get)}});
  EXPECT_EQ(e.code, "MalformedPolicyDocument");
  EXPECT_EQ(e.message, "Missing required field Principal");
}

TEST_F(RoleHandlersTest, ListRolesPagesAndFiltersByPath) {
  for (std::string n : {"a", "b", "c"}) create_role(n, "/x/");
  create_role("d", "/y/");
  json::object first = ok("ListRoles", R"({"PathPrefix":"/x/","MaxItems":2})");
  ASSERT_EQ(first.at("Roles").as_array().size(), 2u);
  EXPECT_TRUE(first.at("IsTruncated").as_bool());
  json::object rest =
      ok("ListRoles", json::object{{"PathPrefix", "/x/"}, {"Marker", first.at("Marker")}});
  ASSERT_EQ(rest.at("Roles").as_array().size(), 1u);
  EXPECT_EQ(rest.at("Roles").as_array()[0].at("RoleName"), json::value("c"));
  EXPECT_FALSE(rest.at("IsTruncated").as_bool());
}

TEST_F(RoleHandlersTest, DeleteRoleRefusesWhilePoliciesOrProfilesHoldIt) {
  create_role("r");
  ok("AttachRolePolicy", json::object{{"RoleName", "r"}, {"PolicyArn", kExecutionPolicyArn}});
  EXPECT_EQ(err("DeleteRole", R"({"RoleName":"r"})").message,
            "Cannot delete entity, must detach all policies first.");
  ok("DetachRolePolicy", json::object{{"RoleName", "r"}, {"PolicyArn", kExecutionPolicyArn}});
  ok("PutRolePolicy",
     json::object{{"RoleName", "r"}, {"PolicyName", "p"}, {"PolicyDocument", kAllowS3Get}});
  EXPECT_EQ(err("DeleteRole", R"({"RoleName":"r"})").message,
            "Cannot delete entity, must delete policies first.");
  ok("DeleteRolePolicy", R"({"RoleName":"r","PolicyName":"p"})");
  ok("CreateInstanceProfile", R"({"InstanceProfileName":"ip"})");
  ok("AddRoleToInstanceProfile", R"({"InstanceProfileName":"ip","RoleName":"r"})");
  protocol::AwsError e = err("DeleteRole", R"({"RoleName":"r"})");
  EXPECT_EQ(e.code, "DeleteConflict");
  EXPECT_EQ(e.message, "Cannot delete entity, must remove roles from instance profile first.");
  ok("RemoveRoleFromInstanceProfile", R"({"InstanceProfileName":"ip","RoleName":"r"})");
  ok("DeleteRole", R"({"RoleName":"r"})");
  EXPECT_EQ(err("GetRole", R"({"RoleName":"r"})").code, "NoSuchEntity");
}

TEST_F(RoleHandlersTest, ServiceLinkedRoleLivesUnderItsServicePathWithItsPolicy) {
  json::object role = ok("CreateServiceLinkedRole", R"({"AWSServiceName":"ecs.amazonaws.com"})")
                          .at("Role")
                          .as_object();
  EXPECT_EQ(s(role.at("Arn")),
            "arn:aws:iam::123456789012:role/aws-service-role/ecs.amazonaws.com/"
            "AWSServiceRoleForECS");
  json::object attached = ok("ListAttachedRolePolicies", R"({"RoleName":"AWSServiceRoleForECS"})");
  EXPECT_EQ(attached.at("AttachedPolicies").as_array()[0].at("PolicyName"),
            json::value("AmazonECSServiceRolePolicy"));
  EXPECT_EQ(err("DeleteRole", R"({"RoleName":"AWSServiceRoleForECS"})").code, "UnmodifiableEntity");
  std::string task = s(
      ok("DeleteServiceLinkedRole", R"({"RoleName":"AWSServiceRoleForECS"})").at("DeletionTaskId"));
  EXPECT_EQ(
      ok("GetServiceLinkedRoleDeletionStatus", json::object{{"DeletionTaskId", task}}).at("Status"),
      json::value("SUCCEEDED"));
}

TEST_F(RoleHandlersTest, TagsAndUpdatesStick) {
  create_role("r");
  ok("TagRole", R"({"RoleName":"r","Tags":[{"Key":"team","Value":"a"},{"Key":"x","Value":"1"}]})");
  ok("UntagRole", R"({"RoleName":"r","TagKeys":["x"]})");
  EXPECT_EQ(json::serialize(ok("ListRoleTags", R"({"RoleName":"r"})").at("Tags")),
            R"([{"Key":"team","Value":"a"}])");
  ok("UpdateRole", R"({"RoleName":"r","Description":"d","MaxSessionDuration":7200})");
  json::object role = ok("GetRole", R"({"RoleName":"r"})").at("Role").as_object();
  EXPECT_EQ(role.at("Description"), json::value("d"));
  EXPECT_EQ(role.at("MaxSessionDuration").as_int64(), 7200);
  ok("UpdateAssumeRolePolicy", json::object{{"RoleName", "r"}, {"PolicyDocument", kEcsTasksTrust}});
}

}  // namespace
}  // namespace services::iam
