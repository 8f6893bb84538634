// AWS::IAM::User and AWS::IAM::Group over the real IAM handlers.

#include "services/cloudformation/resources/identity_test_support.h"

namespace services::cloudformation::resources {
namespace {

namespace json = boost::json;

constexpr std::string_view kReadOnly = "arn:aws:iam::aws:policy/ReadOnlyAccess";
constexpr std::string_view kS3Read =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]})";

TEST_F(IdentityProvidersTest, UserJoinsGroupsAndUpdatesPathTagsAndPoliciesInPlace) {
  create(request("AWS::IAM::Group", "Ops", R"({"GroupName":"ops"})"));
  create(request("AWS::IAM::Group", "Dev", R"({"GroupName":"dev"})"));
  ResourceRequest req =
      request("AWS::IAM::User", "Alice",
              R"({"Groups":["ops"],"Tags":[{"Key":"team","Value":"a"}],"ManagedPolicyArns":[")" +
                  std::string(kReadOnly) + R"("]})");
  ProvisionResult made = create(req);
  EXPECT_TRUE(made.physical_id.starts_with("app-Alice-"));
  EXPECT_EQ(s(made.attributes.at("Arn")), "arn:aws:iam::123456789012:user/" + made.physical_id);

  ResourceRequest next =
      updated(req, made.physical_id,
              R"({"Groups":["dev"],"Path":"/people/","Tags":[{"Key":"team","Value":"b"}],)"
              R"("Policies":[{"PolicyName":"read","PolicyDocument":)" +
                  std::string(kS3Read) + "}]}");
  ProvisionResult after = update(next);
  EXPECT_EQ(s(after.attributes.at("Arn")),
            "arn:aws:iam::123456789012:user/people/" + made.physical_id);
  json::object props = live(next);
  EXPECT_EQ(props.at("Groups"), json::array{"dev"});
  EXPECT_EQ(props.at("Path"), "/people/");
  EXPECT_FALSE(props.contains("ManagedPolicyArns"));
  EXPECT_EQ(props.at("Policies").at(0).at("PolicyName"), "read");
  EXPECT_EQ(props.at("Tags"), json::parse(R"([{"Key":"team","Value":"b"}])"));
  EXPECT_EQ(provider(req.type).update_behavior("UserName"), UpdateBehavior::Replacement);
  EXPECT_EQ(provider(req.type).update_behavior("Groups"), UpdateBehavior::NoInterruption);

  // Still in a group and holding an inline policy: delete clears both first.
  expect_removed(next, made.physical_id, "NoSuchEntity");
  call("iam", "DeleteGroup", {{"GroupName", "dev"}});
}

TEST_F(IdentityProvidersTest, GroupPoliciesUpdateInPlaceAndDeleteRemovesMembersFirst) {
  ResourceRequest req = request("AWS::IAM::Group", "Ops",
                                R"({"ManagedPolicyArns":[")" + std::string(kReadOnly) + R"("]})");
  ProvisionResult made = create(req);
  EXPECT_TRUE(made.physical_id.starts_with("app-Ops-"));
  EXPECT_EQ(s(made.attributes.at("Arn")), "arn:aws:iam::123456789012:group/" + made.physical_id);
  ResourceRequest next = updated(
      req, made.physical_id,
      R"({"Policies":[{"PolicyName":"read","PolicyDocument":)" + std::string(kS3Read) + "}]}");
  update(next);
  json::object props = live(next);
  EXPECT_FALSE(props.contains("ManagedPolicyArns"));
  EXPECT_EQ(props.at("Policies").at(0).at("PolicyDocument"), json::parse(kS3Read));
  EXPECT_EQ(provider(req.type).update_behavior("GroupName"), UpdateBehavior::Replacement);
  EXPECT_EQ(provider(req.type).update_behavior("Policies"), UpdateBehavior::NoInterruption);

  call("iam", "CreateUser", {{"UserName", "bob"}});
  call("iam", "AddUserToGroup", {{"UserName", "bob"}, {"GroupName", made.physical_id}});
  expect_removed(next, made.physical_id, "NoSuchEntity");
  EXPECT_TRUE(
      call("iam", "ListGroupsForUser", {{"UserName", "bob"}}).at("Groups").as_array().empty());
}

}  // namespace
}  // namespace services::cloudformation::resources
