// AWS::IAM::Role, Policy, ManagedPolicy, InstanceProfile and ServiceLinkedRole over the real IAM
// handlers.

#include "services/cloudformation/resources/identity_test_support.h"

namespace services::cloudformation::resources {
namespace {

namespace json = boost::json;

constexpr std::string_view kTrust =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
    R"("Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]})";
constexpr std::string_view kS3Read =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]})";
constexpr std::string_view kExecution =
    "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";

std::string role_props(std::string_view extra = "") {
  return R"({"AssumeRolePolicyDocument":)" + std::string(kTrust) + std::string(extra) + "}";
}

TEST_F(IdentityProvidersTest, RoleRefIsItsNameAndGetAttGivesArnAndRoleId) {
  ResourceRequest req = request("AWS::IAM::Role", "TaskRole", role_props(R"(,"Path":"/app/")"));
  ProvisionResult made = create(req);
  // "<stack>-<logical id>-<suffix>" when RoleName is absent.
  EXPECT_TRUE(made.physical_id.starts_with("app-TaskRole-")) << made.physical_id;
  EXPECT_EQ(s(made.attributes.at("Arn")), "arn:aws:iam::123456789012:role/app/" + made.physical_id);
  EXPECT_TRUE(s(made.attributes.at("RoleId")).starts_with("AROA"));
  json::object role =
      call("iam", "GetRole", {{"RoleName", made.physical_id}}).at("Role").as_object();
  // CloudFormation's own tags ride along.
  EXPECT_NE(json::serialize(role.at("Tags")).find("aws:cloudformation:logical-id"),
            std::string::npos);
}

TEST_F(IdentityProvidersTest, RoleAttachesManagedAndPutsInlinePoliciesThenUpdatesThemInPlace) {
  ResourceRequest req = request(
      "AWS::IAM::Role", "TaskRole",
      role_props(
          R"(,"RoleName":"task","Tags":[{"Key":"team","Value":"a"},{"Key":"old","Value":"x"}],)"
          R"("ManagedPolicyArns":[")" +
          std::string(kExecution) + R"("],"Policies":[{"PolicyName":"read","PolicyDocument":)" +
          std::string(kS3Read) + "}]"));
  ProvisionResult made = create(req);
  ASSERT_EQ(made.physical_id, "task");
  json::object props = live({.stack = &stack_, .type = req.type, .physical_id = "task"});
  EXPECT_EQ(props.at("ManagedPolicyArns"), json::array{json::value(kExecution)});
  EXPECT_EQ(props.at("Policies").at(0).at("PolicyName"), "read");
  EXPECT_EQ(props.at("Policies").at(0).at("PolicyDocument"), json::parse(kS3Read));
  EXPECT_EQ(props.at("AssumeRolePolicyDocument"), json::parse(kTrust));

  // No managed policy, a new inline policy instead of the old, a description and 2 h sessions.
  ResourceRequest next =
      updated(req, "task",
              role_props(R"(,"RoleName":"task","Description":"tasks","MaxSessionDuration":"7200",)"
                         R"("Tags":[{"Key":"team","Value":"b"}],)"
                         R"("Policies":[{"PolicyName":"write","PolicyDocument":)" +
                         std::string(kS3Read) + "}]"));
  ProvisionResult after = update(next);
  EXPECT_EQ(after.physical_id, "task");
  EXPECT_EQ(after.attributes.at("RoleId"), made.attributes.at("RoleId"));  // same role
  props = live(next);
  EXPECT_FALSE(props.contains("ManagedPolicyArns"));
  EXPECT_EQ(props.at("Policies").as_array().size(), 1u);
  EXPECT_EQ(props.at("Policies").at(0).at("PolicyName"), "write");
  EXPECT_EQ(props.at("Description"), "tasks");
  EXPECT_EQ(props.at("MaxSessionDuration"), 7200);
  EXPECT_EQ(props.at("Tags"), json::parse(R"([{"Key":"team","Value":"b"}])"));
}

// Drift detection compares read()'s properties with the template's: the same policies listed in
// another order than IAM keeps them are no drift.
TEST_F(IdentityProvidersTest, RoleReadKeepsTheTemplatesOrderOfTheSameManagedPolicies) {
  ResourceRequest req = request("AWS::IAM::Role", "R",
                                role_props(R"(,"RoleName":"r","ManagedPolicyArns":[")" +
                                           std::string(kExecution) +
                                           R"(","arn:aws:iam::aws:policy/ReadOnlyAccess"])"));
  create(req);
  req.physical_id = "r";
  EXPECT_EQ(live(req).at("ManagedPolicyArns"), req.properties.at("ManagedPolicyArns"));
  call("iam", "DetachRolePolicy", {{"RoleName", "r"}, {"PolicyArn", kExecution}});
  EXPECT_EQ(live(req).at("ManagedPolicyArns"),
            json::array{"arn:aws:iam::aws:policy/ReadOnlyAccess"});
}

TEST_F(IdentityProvidersTest, RoleUpdateBehaviourFollowsTheDocumentation) {
  engine::ResourceProvider& p = provider("AWS::IAM::Role");
  EXPECT_EQ(p.update_behavior("RoleName"), UpdateBehavior::Replacement);
  EXPECT_EQ(p.update_behavior("Path"), UpdateBehavior::Replacement);
  EXPECT_EQ(p.update_behavior("AssumeRolePolicyDocument"), UpdateBehavior::NoInterruption);
  EXPECT_EQ(p.update_behavior("ManagedPolicyArns"), UpdateBehavior::NoInterruption);
  EXPECT_EQ(p.update_behavior("Policies"), UpdateBehavior::NoInterruption);
  EXPECT_EQ(p.update_behavior("Tags"), UpdateBehavior::NoInterruption);
  EXPECT_EQ(p.update_behavior("Unknown"), UpdateBehavior::Replacement);
}

TEST_F(IdentityProvidersTest, RoleDeleteDetachesAndDeletesItsPoliciesFirst) {
  ResourceRequest req =
      request("AWS::IAM::Role", "TaskRole",
              role_props(R"(,"RoleName":"task","ManagedPolicyArns":[")" + std::string(kExecution) +
                         R"("],"Policies":[{"PolicyName":"read","PolicyDocument":)" +
                         std::string(kS3Read) + "}]"));
  create(req);
  expect_removed(req, "task", "NoSuchEntity");
}

TEST_F(IdentityProvidersTest, RoleWithoutTrustPolicyFailsSchemaValidation) {
  protocol::Result<ProvisionResult> r =
      provider("AWS::IAM::Role").create(request("AWS::IAM::Role", "R", "{}"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "Properties validation failed for resource R with message: #: required key "
            "[AssumeRolePolicyDocument] not found");
}

TEST_F(IdentityProvidersTest, RoleWhosePolicyFailsIsNotLeftBehind) {
  ResourceRequest req = request(
      "AWS::IAM::Role", "R",
      role_props(R"(,"RoleName":"r","ManagedPolicyArns":["arn:aws:iam::aws:policy/Nope"])"));
  protocol::Result<ProvisionResult> r = provider(req.type).create(req);
  ASSERT_FALSE(r);
  EXPECT_EQ(call_error("iam", "GetRole", {{"RoleName", "r"}}).code, "NoSuchEntity");
}

TEST_F(IdentityProvidersTest, PolicyPutsAnInlinePolicyOnEachPrincipalAndMovesOnUpdate) {
  create(request("AWS::IAM::Role", "A", role_props(R"(,"RoleName":"a")")));
  create(request("AWS::IAM::Role", "B", role_props(R"(,"RoleName":"b")")));
  ResourceRequest req = request(
      "AWS::IAM::Policy", "Read",
      R"({"PolicyName":"read","Roles":["a"],"PolicyDocument":)" + std::string(kS3Read) + "}");
  ProvisionResult made = create(req);
  EXPECT_TRUE(made.physical_id.starts_with("app-Read-"));
  EXPECT_EQ(made.attributes.at("Id"), made.physical_id);
  call("iam", "GetRolePolicy", {{"RoleName", "a"}, {"PolicyName", "read"}});

  // Renamed and moved to b: a loses it.
  ResourceRequest next = updated(
      req, made.physical_id,
      R"({"PolicyName":"read2","Roles":["b"],"PolicyDocument":)" + std::string(kS3Read) + "}");
  EXPECT_EQ(update(next).physical_id, made.physical_id);
  EXPECT_EQ(call_error("iam", "GetRolePolicy", {{"RoleName", "a"}, {"PolicyName", "read"}}).code,
            "NoSuchEntity");
  call("iam", "GetRolePolicy", {{"RoleName", "b"}, {"PolicyName", "read2"}});
  EXPECT_EQ(live(next).at("Roles"), json::array{"b"});
  EXPECT_EQ(provider(req.type).update_behavior("PolicyName"), UpdateBehavior::NoInterruption);
  expect_removed(next, made.physical_id, "NoSuchEntity");
}

TEST_F(IdentityProvidersTest, PolicyWithoutPrincipalsIsRefused) {
  protocol::Result<ProvisionResult> r =
      provider("AWS::IAM::Policy")
          .create(request("AWS::IAM::Policy", "P",
                          R"({"PolicyName":"p","PolicyDocument":)" + std::string(kS3Read) + "}"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "ValidationError");
}

TEST_F(IdentityProvidersTest, ManagedPolicyKeepsAtMostFiveVersionsAcrossUpdates) {
  create(request("AWS::IAM::Role", "A", role_props(R"(,"RoleName":"a")")));
  auto doc = [](int n) {
    return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",)"
           R"("Resource":"arn:aws:s3:::b)" +
           std::to_string(n) + R"("}]})";
  };
  ResourceRequest req = request("AWS::IAM::ManagedPolicy", "Shared",
                                R"({"Roles":["a"],"PolicyDocument":)" + doc(0) + "}");
  ProvisionResult made = create(req);
  EXPECT_TRUE(made.physical_id.starts_with("arn:aws:iam::123456789012:policy/app-Shared-"));
  EXPECT_EQ(made.attributes.at("PolicyArn"), made.physical_id);
  EXPECT_EQ(made.attributes.at("DefaultVersionId"), "v1");
  EXPECT_EQ(made.attributes.at("AttachmentCount"), 1);
  ResourceRequest last = req;
  for (int n = 1; n <= 6; ++n) {
    last = updated(last, made.physical_id, R"({"Roles":["a"],"PolicyDocument":)" + doc(n) + "}");
    update(last);
  }
  json::array versions = call("iam", "ListPolicyVersions", {{"PolicyArn", made.physical_id}})
                             .at("Versions")
                             .as_array();
  EXPECT_EQ(versions.size(), 5u);
  EXPECT_EQ(versions.at(0).at("VersionId"), "v7");
  EXPECT_TRUE(versions.at(0).at("IsDefaultVersion").as_bool());
  EXPECT_EQ(live(last).at("PolicyDocument"), json::parse(doc(6)));
  EXPECT_EQ(provider(req.type).update_behavior("ManagedPolicyName"), UpdateBehavior::Replacement);
  EXPECT_EQ(provider(req.type).update_behavior("PolicyDocument"), UpdateBehavior::NoInterruption);
  // Attached and with old versions: delete detaches and prunes first.
  expect_removed(last, made.physical_id, "NoSuchEntity");
  EXPECT_FALSE(call("iam", "ListAttachedRolePolicies", {{"RoleName", "a"}})
                   .at("AttachedPolicies")
                   .as_array()
                   .size());
}

TEST_F(IdentityProvidersTest, InstanceProfileHoldsItsRoleAndSwapsItInPlace) {
  create(request("AWS::IAM::Role", "A", role_props(R"(,"RoleName":"a")")));
  create(request("AWS::IAM::Role", "B", role_props(R"(,"RoleName":"b")")));
  ResourceRequest req = request("AWS::IAM::InstanceProfile", "Profile", R"({"Roles":["a"]})");
  ProvisionResult made = create(req);
  EXPECT_TRUE(made.physical_id.starts_with("app-Profile-"));
  EXPECT_EQ(s(made.attributes.at("Arn")),
            "arn:aws:iam::123456789012:instance-profile/" + made.physical_id);
  ResourceRequest next = updated(req, made.physical_id, R"({"Roles":["b"]})");
  update(next);
  EXPECT_EQ(live(next).at("Roles"), json::array{"b"});
  EXPECT_EQ(provider(req.type).update_behavior("Roles"), UpdateBehavior::NoInterruption);
  EXPECT_EQ(provider(req.type).update_behavior("Path"), UpdateBehavior::Replacement);
  expect_removed(next, made.physical_id, "NoSuchEntity");
  call("iam", "DeleteRole", {{"RoleName", "b"}});  // no longer held by the profile
}

TEST_F(IdentityProvidersTest, ServiceLinkedRoleRefIsTheRoleName) {
  ResourceRequest req =
      request("AWS::IAM::ServiceLinkedRole", "Slr", R"({"AWSServiceName":"ecs.amazonaws.com"})");
  ProvisionResult made = create(req);
  EXPECT_EQ(made.physical_id, "AWSServiceRoleForECS");
  EXPECT_EQ(made.attributes.at("RoleName"), "AWSServiceRoleForECS");
  req.physical_id = made.physical_id;
  EXPECT_EQ(live(req).at("AWSServiceName"), "ecs.amazonaws.com");
  EXPECT_EQ(provider(req.type).update_behavior("AWSServiceName"), UpdateBehavior::Replacement);
  expect_removed(req, made.physical_id, "NoSuchEntity");
}

}  // namespace
}  // namespace services::cloudformation::resources
