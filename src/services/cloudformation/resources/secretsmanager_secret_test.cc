// AWS::SecretsManager::Secret over the real Secrets Manager (and KMS) handlers.

#include "services/cloudformation/resources/identity_test_support.h"

namespace services::cloudformation::resources {
namespace {

namespace json = boost::json;

TEST_F(IdentityProvidersTest, SecretRefIsItsArnAndGetAttIdTheSame) {
  ResourceRequest req = request("AWS::SecretsManager::Secret", "Db",
                                R"({"SecretString":"hunter2","Description":"db"})");
  ProvisionResult made = create(req);
  EXPECT_TRUE(
      made.physical_id.starts_with("arn:aws:secretsmanager:us-east-1:123456789012:secret:app-Db-"))
      << made.physical_id;
  EXPECT_EQ(made.attributes.at("Id"), made.physical_id);
  EXPECT_EQ(
      call("secretsmanager", "GetSecretValue", {{"SecretId", made.physical_id}}).at("SecretString"),
      "hunter2");
  json::object described =
      call("secretsmanager", "DescribeSecret", {{"SecretId", made.physical_id}});
  EXPECT_NE(json::serialize(described.at("Tags")).find("aws:cloudformation:stack-id"),
            std::string::npos);
}

TEST_F(IdentityProvidersTest, SecretGeneratesAPasswordIntoItsTemplateUnderTheKey) {
  ResourceRequest req = request(
      "AWS::SecretsManager::Secret", "Db",
      R"({"Name":"db","GenerateSecretString":{"SecretStringTemplate":"{\"username\":\"admin\"}",)"
      R"("GenerateStringKey":"password","PasswordLength":"20","ExcludePunctuation":true}})");
  ProvisionResult made = create(req);
  json::value value = json::parse(call("secretsmanager", "GetSecretValue", {{"SecretId", "db"}})
                                      .at("SecretString")
                                      .as_string());
  EXPECT_EQ(value.at("username"), "admin");
  std::string password(value.at("password").as_string());
  EXPECT_EQ(password.size(), 20u);
  for (char c : password) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << password;

  // A new SecretString and description update in place: same ARN, a new current value.
  ResourceRequest next =
      updated(req, made.physical_id, R"({"Name":"db","SecretString":"plain","Description":"x"})");
  EXPECT_EQ(update(next).physical_id, made.physical_id);
  EXPECT_EQ(call("secretsmanager", "GetSecretValue", {{"SecretId", "db"}}).at("SecretString"),
            "plain");
  EXPECT_EQ(live(next).at("Description"), "x");
  EXPECT_EQ(provider(req.type).update_behavior("Name"), UpdateBehavior::Replacement);
  EXPECT_EQ(provider(req.type).update_behavior("SecretString"), UpdateBehavior::NoInterruption);
  // Deleted at once, without a recovery window: the name is free again.
  expect_removed(next, made.physical_id, "ResourceNotFoundException");
  call("secretsmanager", "CreateSecret", {{"Name", "db"}, {"SecretString", "again"}});
}

TEST_F(IdentityProvidersTest, SecretTemplateWithoutKeyIsRefused) {
  protocol::Result<ProvisionResult> r =
      provider("AWS::SecretsManager::Secret")
          .create(request("AWS::SecretsManager::Secret", "Db",
                          R"({"GenerateSecretString":{"SecretStringTemplate":"{}"}})"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "ValidationError");
}

TEST_F(IdentityProvidersTest, SecretUnderACustomerKeyIsSealedWithIt) {
  std::string key(call("kms", "CreateKey", {}).at("KeyMetadata").at("KeyId").as_string());
  ResourceRequest req = request("AWS::SecretsManager::Secret", "Db",
                                R"({"Name":"db","SecretString":"s","KmsKeyId":")" + key + R"("})");
  create(req);
  call("kms", "DisableKey", {{"KeyId", key}});
  // The value cannot be read while its key is disabled: it really is under that key.
  EXPECT_NE(call_error("secretsmanager", "GetSecretValue", {{"SecretId", "db"}}).code, "");
}

}  // namespace
}  // namespace services::cloudformation::resources
