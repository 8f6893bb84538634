// AWS::SSM::Parameter over the real SSM handlers.

#include "services/cloudformation/resources/identity_test_support.h"

namespace services::cloudformation::resources {
namespace {

namespace json = boost::json;

TEST_F(IdentityProvidersTest, ParameterRefIsItsNameAndGetAttGivesTypeAndValue) {
  ResourceRequest req = request("AWS::SSM::Parameter", "Config",
                                R"({"Type":"String","Value":"v1","Description":"d",)"
                                R"("Tags":{"team":"a"}})");
  ProvisionResult made = create(req);
  // CloudFormation's generated name: CFN-<logical id>-<suffix>.
  EXPECT_TRUE(made.physical_id.starts_with("CFN-Config-")) << made.physical_id;
  EXPECT_EQ(made.attributes.at("Type"), "String");
  EXPECT_EQ(made.attributes.at("Value"), "v1");
  json::array tags = call("ssm", "ListTagsForResource",
                          {{"ResourceType", "Parameter"}, {"ResourceId", made.physical_id}})
                         .at("TagList")
                         .as_array();
  std::string text = json::serialize(tags);
  EXPECT_NE(text.find("aws:cloudformation:stack-name"), std::string::npos);
  EXPECT_NE(text.find(R"({"Key":"team","Value":"a"})"), std::string::npos);
}

TEST_F(IdentityProvidersTest, ParameterUpdatesValueAndDescriptionInPlaceAsNewVersions) {
  ResourceRequest req = request("AWS::SSM::Parameter", "Config",
                                R"({"Name":"/app/config","Type":"String","Value":"v1",)"
                                R"("Description":"d"})");
  create(req);
  ResourceRequest next = updated(req, "/app/config",
                                 R"({"Name":"/app/config","Type":"StringList","Value":"a,b",)"
                                 R"("Tags":{"team":"b"}})");
  ProvisionResult after = update(next);
  EXPECT_EQ(after.physical_id, "/app/config");
  EXPECT_EQ(after.attributes.at("Type"), "StringList");
  EXPECT_EQ(after.attributes.at("Value"), "a,b");
  json::object param =
      call("ssm", "GetParameter", {{"Name", "/app/config"}}).at("Parameter").as_object();
  EXPECT_EQ(param.at("Version"), 2);
  json::object props = live(next);
  EXPECT_FALSE(props.contains("Description"));  // removed from the template: cleared
  EXPECT_EQ(props.at("Tags"), json::parse(R"({"team":"b"})"));
  EXPECT_EQ(provider(req.type).update_behavior("Name"), UpdateBehavior::Replacement);
  EXPECT_EQ(provider(req.type).update_behavior("Value"), UpdateBehavior::NoInterruption);
  expect_removed(next, "/app/config", "ParameterNotFound");
}

TEST_F(IdentityProvidersTest, ParameterRefusesSecureStringAsCloudFormationDoes) {
  protocol::Result<ProvisionResult> r =
      provider("AWS::SSM::Parameter")
          .create(request("AWS::SSM::Parameter", "Secret",
                          R"({"Name":"/s","Type":"SecureString","Value":"x"})"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "ValidationError");
  EXPECT_NE(r.error().message.find("#/Type"), std::string::npos);
  EXPECT_EQ(call_error("ssm", "GetParameter", {{"Name", "/s"}}).code, "ParameterNotFound");
}

TEST_F(IdentityProvidersTest, ParameterWithoutValueFailsSchemaValidation) {
  protocol::Result<ProvisionResult> r =
      provider("AWS::SSM::Parameter")
          .create(request("AWS::SSM::Parameter", "P", R"({"Type":"String"})"));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("required key [Value]"), std::string::npos);
}

}  // namespace
}  // namespace services::cloudformation::resources
