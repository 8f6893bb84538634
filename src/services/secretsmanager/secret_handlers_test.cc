// CreateSecret, GetSecretValue, DescribeSecret, DeleteSecret, RestoreSecret, tags and the
// encryption at rest.

#include <chrono>

#include "services/secretsmanager/sm_test_support.h"

namespace services::secretsmanager {
namespace {

namespace json = boost::json;
using std::chrono::hours;

TEST_F(SecretsManagerTest, CreateThenGetReturnsTheValueUnderAwsCurrent) {
  json::object c = create("db/password", "hunter2");
  std::string arn(c.at("ARN").as_string());
  EXPECT_TRUE(arn.starts_with("arn:aws:secretsmanager:us-east-1:123456789012:secret:db/password-"));
  EXPECT_EQ(arn.size(), std::string("arn:aws:secretsmanager:us-east-1:123456789012:secret:"
                                    "db/password-XXXXXX")
                            .size());
  json::object v = ok("GetSecretValue", J(R"({"SecretId":"db/password"})"));
  EXPECT_EQ(v.at("SecretString").as_string(), "hunter2");
  EXPECT_EQ(v.at("VersionId"), c.at("VersionId"));
  EXPECT_EQ(v.at("VersionStages"), json::array{"AWSCURRENT"});
}

// "For an ARN, we recommend that you specify a complete ARN rather than a partial ARN."
TEST_F(SecretsManagerTest, SecretIdIsANameAFullArnOrAPartialArn) {
  std::string arn(create("app", "v1").at("ARN").as_string());
  EXPECT_EQ(value_of(arn), "v1");
  EXPECT_EQ(value_of("arn:aws:secretsmanager:us-east-1:123456789012:secret:app"), "v1");
  EXPECT_EQ(err("GetSecretValue", J(R"({"SecretId":"nope"})")).code, "ResourceNotFoundException");
  EXPECT_EQ(err("GetSecretValue",
                J(R"({"SecretId":"arn:aws:secretsmanager:us-west-2:123456789012:secret:app"})"))
                .code,
            "ResourceNotFoundException");
  EXPECT_EQ(err("GetSecretValue", J(R"({"SecretId":"bad name?"})")).code, "ValidationException");
}

TEST_F(SecretsManagerTest, CreateRejectsTakenNamesAndBadNames) {
  create("dup", "a");
  protocol::AwsError e = err("CreateSecret", J(R"({"Name":"dup","SecretString":"b"})"));
  EXPECT_EQ(e.code, "ResourceExistsException");
  EXPECT_EQ(e.message, "The operation failed because the secret dup already exists.");
  EXPECT_EQ(err("CreateSecret", J(R"({"Name":"a b"})")).code, "ValidationException");
  EXPECT_EQ(err("CreateSecret", J(R"({"Name":"x","SecretString":"a","SecretBinary":"b"})")).code,
            "InvalidParameterException");
}

// "If a version with this value already exists and the version SecretString and SecretBinary
// values are the same as those in the request, then the request is ignored." Otherwise it fails.
TEST_F(SecretsManagerTest, CreateWithTheSameTokenIsIdempotentOnlyForTheSameValue) {
  json::object in{{"Name", "idem"}, {"SecretString", "one"}, {"ClientRequestToken", token('a')}};
  json::object first = ok("CreateSecret", in);
  json::object again = ok("CreateSecret", in);
  EXPECT_EQ(again.at("ARN"), first.at("ARN"));
  EXPECT_EQ(again.at("VersionId"), token('a'));
  in["SecretString"] = "two";
  EXPECT_EQ(err("CreateSecret", in).code, "ResourceExistsException");
  EXPECT_EQ(stages_of("idem").size(), 1u);
}

TEST_F(SecretsManagerTest, SecretWithoutValueHasNoCurrentVersion) {
  ok("CreateSecret", J(R"({"Name":"empty","Description":"d"})"));
  protocol::AwsError e = err("GetSecretValue", J(R"({"SecretId":"empty"})"));
  EXPECT_EQ(e.code, "ResourceNotFoundException");
  EXPECT_EQ(e.message,
            "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT");
  put("empty", "now");  // the first version gets AWSCURRENT
  EXPECT_EQ(value_of("empty"), "now");
}

TEST_F(SecretsManagerTest, BinarySecretsComeBackAsBinary) {
  ok("CreateSecret",
     json::object{{"Name", "bin"}, {"SecretBinary", std::string("\x00\x01\xff", 3)}});
  json::object v = ok("GetSecretValue", J(R"({"SecretId":"bin"})"));
  EXPECT_FALSE(v.contains("SecretString"));
  EXPECT_EQ(v.at("SecretBinary").as_string(), std::string_view("\x00\x01\xff", 3));
}

TEST_F(SecretsManagerTest, DescribeShowsOnlyFieldsWithAValue) {
  ok("CreateSecret", J(R"({"Name":"d1","SecretString":"x","Description":"about",
                          "Tags":[{"Key":"team","Value":"a"}]})"));
  json::object d = ok("DescribeSecret", J(R"({"SecretId":"d1"})"));
  EXPECT_EQ(d.at("Description"), "about");
  EXPECT_FALSE(d.contains("KmsKeyId"));  // the AWS managed key is not shown
  EXPECT_FALSE(d.contains("RotationEnabled"));
  EXPECT_FALSE(d.contains("DeletedDate"));
  EXPECT_EQ(d.at("Tags"), J(R"({"t":[{"Key":"team","Value":"a"}]})").at("t"));
  std::string key = create_key();
  ok("CreateSecret", json::object{{"Name", "d2"}, {"SecretString", "x"}, {"KmsKeyId", key}});
  EXPECT_EQ(ok("DescribeSecret", J(R"({"SecretId":"d2"})")).at("KmsKeyId"), key);
}

TEST_F(SecretsManagerTest, DeleteSchedulesRestoreCancelsForceErases) {
  create("gone", "v");
  json::object del = ok("DeleteSecret", J(R"({"SecretId":"gone","RecoveryWindowInDays":7})"));
  EXPECT_DOUBLE_EQ(del.at("DeletionDate").as_double(),
                   core::to_epoch_seconds(clock_.now()) + 7 * 86400);
  protocol::AwsError e = err("GetSecretValue", J(R"({"SecretId":"gone"})"));
  EXPECT_EQ(e.code, "InvalidRequestException");
  EXPECT_EQ(e.message,
            "You can't perform this operation on the secret because it was marked for deletion.");
  EXPECT_TRUE(ok("DescribeSecret", J(R"({"SecretId":"gone"})")).contains("DeletedDate"));
  EXPECT_EQ(err("CreateSecret", J(R"({"Name":"gone"})")).message,
            "You can't create this secret because a secret with this name is already scheduled "
            "for deletion.");
  ok("RestoreSecret", J(R"({"SecretId":"gone"})"));
  EXPECT_EQ(value_of("gone"), "v");
  ok("DeleteSecret", J(R"({"SecretId":"gone","ForceDeleteWithoutRecovery":true})"));
  EXPECT_EQ(err("DescribeSecret", J(R"({"SecretId":"gone"})")).code, "ResourceNotFoundException");
  // Forcing the deletion of a secret that does not exist is not an error.
  ok("DeleteSecret", J(R"({"SecretId":"gone","ForceDeleteWithoutRecovery":true})"));
}

TEST_F(SecretsManagerTest, DeleteChecksItsParameters) {
  create("p", "v");
  EXPECT_EQ(err("DeleteSecret", J(R"({"SecretId":"p","RecoveryWindowInDays":6})")).code,
            "InvalidParameterException");
  EXPECT_EQ(err("DeleteSecret", J(R"({"SecretId":"p","RecoveryWindowInDays":7,
                                      "ForceDeleteWithoutRecovery":true})"))
                .code,
            "InvalidParameterException");
}

TEST_F(SecretsManagerTest, ASecretGoesWhenItsRecoveryWindowEnds) {
  create("later", "v");
  ok("DeleteSecret", J(R"({"SecretId":"later"})"));  // 30 days by default
  clock_.advance(hours(24 * 29));
  EXPECT_EQ(err("GetSecretValue", J(R"({"SecretId":"later"})")).code, "InvalidRequestException");
  clock_.advance(hours(25));
  EXPECT_EQ(err("GetSecretValue", J(R"({"SecretId":"later"})")).code, "ResourceNotFoundException");
  create("later", "again");  // the name is free
}

TEST_F(SecretsManagerTest, TagAndUntag) {
  create("t", "v");
  ok("TagResource",
     J(R"({"SecretId":"t","Tags":[{"Key":"a","Value":"1"},{"Key":"b","Value":"2"}]})"));
  ok("TagResource", J(R"({"SecretId":"t","Tags":[{"Key":"a","Value":"3"}]})"));
  ok("UntagResource", J(R"({"SecretId":"t","TagKeys":["b"]})"));
  EXPECT_EQ(ok("DescribeSecret", J(R"({"SecretId":"t"})")).at("Tags"),
            J(R"({"t":[{"Key":"a","Value":"3"}]})").at("t"));
}

// The value is sealed under KMS with the secret's ARN and version in the encryption context: the
// store never holds the plaintext, and a disabled key makes the value unreadable.
TEST_F(SecretsManagerTest, ValuesAreSealedUnderKmsAndADisabledKeyFailsDecryption) {
  std::string key = create_key();
  ok("CreateSecret",
     json::object{{"Name", "sealed"}, {"SecretString", "plaintext-marker-123"}, {"KmsKeyId", key}});
  {
    store::Transaction tx = db_.read();
    tx.query("SELECT sealed FROM sm_secret_versions", [](const store::Statement& row) {
      EXPECT_EQ(row.text(0).find("plaintext-marker-123"), std::string::npos);
    });
    tx.commit();
  }
  disable_key(key);
  protocol::AwsError e = err("GetSecretValue", J(R"({"SecretId":"sealed"})"));
  EXPECT_EQ(e.code, "DecryptionFailure");
  EXPECT_NE(e.message.find("DisabledException"), std::string::npos);
  EXPECT_EQ(err("PutSecretValue", J(R"({"SecretId":"sealed","SecretString":"n"})")).code,
            "EncryptionFailure");
}

TEST_F(SecretsManagerTest, ReaderAnswersWhatGetSecretValueAnswers) {
  create("port", "through-the-port");
  SecretReader& reader = vault_;
  protocol::Result<SecretValue> v = reader.get("123456789012", "us-east-1", "port", "", "");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->secret_string, "through-the-port");
  EXPECT_EQ(v->version_stages, std::vector<std::string>{"AWSCURRENT"});
  EXPECT_EQ(reader.get("123456789012", "us-east-1", "none", "", "").error().code,
            "ResourceNotFoundException");
}

// The model's server error is InternalServiceError ("An error occurred on the server side."): an
// unexpected exception in a handler reaches the client with that code.
TEST(SecretsManagerModelTest, InternalErrorsUseTheModelsCode) {
  const protocol::ServiceModel* model = protocol::find_model("secretsmanager");
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(protocol::internal_error_code(*model), "InternalServiceError");
}

}  // namespace
}  // namespace services::secretsmanager
