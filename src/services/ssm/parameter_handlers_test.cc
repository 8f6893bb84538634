#include <gtest/gtest.h>

#include "core/base64.h"
#include "services/ssm/ssm_test_support.h"

namespace services::ssm {
namespace {

TEST_F(SsmHandlersTest, PutThenGetReturnsTheParameterWithItsArn) {
  object out =
      ok("PutParameter", J(R"({"Name":"/app/db/host","Value":"db.local","Type":"String"})"));
  EXPECT_EQ(out.at("Version").as_int64(), 1);
  EXPECT_EQ(out.at("Tier").as_string(), "Standard");
  object p = get("/app/db/host");
  EXPECT_EQ(p.at("Name").as_string(), "/app/db/host");
  EXPECT_EQ(p.at("Value").as_string(), "db.local");
  EXPECT_EQ(p.at("Type").as_string(), "String");
  EXPECT_EQ(p.at("Version").as_int64(), 1);
  EXPECT_EQ(p.at("DataType").as_string(), "text");
  EXPECT_EQ(p.at("ARN").as_string(), "arn:aws:ssm:us-east-1:123456789012:parameter/app/db/host");
  EXPECT_DOUBLE_EQ(p.at("LastModifiedDate").as_double(), 1700000000.0);
  EXPECT_FALSE(p.contains("Selector"));
  // By ARN, and a top-level name with or without its slash is the same parameter.
  EXPECT_EQ(value_of("arn:aws:ssm:us-east-1:123456789012:parameter/app/db/host"), "db.local");
  put("/flat", "x");
  EXPECT_EQ(value_of("flat"), "x");
  EXPECT_EQ(err("PutParameter", J(R"({"Name":"flat","Value":"y","Type":"String"})")).code,
            "ParameterAlreadyExists");
}

TEST_F(SsmHandlersTest, ParametersAreScopedByRegion) {
  put("/p", "east");
  EXPECT_EQ(err("GetParameter", object{{"Name", "/p"}}, ctx("eu-west-1")).code,
            "ParameterNotFound");
}

TEST_F(SsmHandlersTest, OverwriteMakesANewVersionAndKeepsOldOnes) {
  put("/v", "one", "String", object{{"Description", "first"}});
  protocol::AwsError e = err("PutParameter", J(R"({"Name":"/v","Value":"two","Type":"String"})"));
  EXPECT_EQ(e.code, "ParameterAlreadyExists");
  EXPECT_EQ(e.message,
            "The parameter already exists. To overwrite this value, set the overwrite option in "
            "the request to true.");
  // Type may be left out on overwrite.
  EXPECT_EQ(ok("PutParameter", J(R"({"Name":"/v","Value":"two","Overwrite":true})"))
                .at("Version")
                .as_int64(),
            2);
  EXPECT_EQ(value_of("/v"), "two");
  EXPECT_EQ(value_of("/v:1"), "one");
  object p = get("/v:1");
  EXPECT_EQ(p.at("Selector").as_string(), ":1");
  EXPECT_EQ(p.at("Name").as_string(), "/v");
  e = err("GetParameter", J(R"({"Name":"/v:9"})"));
  EXPECT_EQ(e.code, "ParameterVersionNotFound");
  EXPECT_EQ(e.message,
            "Systems Manager could not find version 9 of /v. Verify the version and try again.");
  EXPECT_EQ(err("GetParameter", J(R"({"Name":"/nope"})")).code, "ParameterNotFound");
}

TEST_F(SsmHandlersTest, PutRefusesBadNamesAsAwsDoes) {
  auto code_for = [&](const std::string& name) {
    return err("PutParameter", object{{"Name", name}, {"Value", "v"}, {"Type", "String"}});
  };
  protocol::AwsError e = code_for("awsthing");
  EXPECT_EQ(e.code, "ValidationException");
  EXPECT_EQ(e.message,
            "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive).");
  EXPECT_EQ(code_for("SSM").code, "ValidationException");
  EXPECT_EQ(code_for("/ssm/x").code, "ValidationException");
  EXPECT_EQ(code_for("/aws/service/x").code, "AccessDeniedException");
  EXPECT_EQ(code_for("/AWS/mine").code, "AccessDeniedException");
  EXPECT_EQ(code_for("a/b").code, "ValidationException");
  EXPECT_EQ(code_for("/a b").code, "ValidationException");
  EXPECT_EQ(code_for("/a//b").code, "ValidationException");
  // Spaces around a name go; spaces inside it are an error.
  EXPECT_EQ(ok("PutParameter", J(R"({"Name":"  /spaced  ","Value":"v","Type":"String"})"))
                .at("Version")
                .as_int64(),
            1);
  EXPECT_EQ(value_of("/spaced"), "v");
  std::string deep;
  for (int i = 0; i < 15; ++i) deep += "/l" + std::to_string(i);
  EXPECT_EQ(ok("PutParameter", object{{"Name", deep}, {"Value", "v"}, {"Type", "String"}})
                .at("Version")
                .as_int64(),
            1);
  EXPECT_EQ(code_for(deep + "/x").code, "HierarchyLevelLimitExceededException");
}

TEST_F(SsmHandlersTest, PutValidatesTypeTagsPatternAndDataType) {
  EXPECT_EQ(err("PutParameter", J(R"({"Name":"/t","Value":"v"})")).message,
            "A parameter type is required when you create a parameter.");
  EXPECT_EQ(err("PutParameter", J(R"({"Name":"/t","Value":"v","Type":"Number"})")).code,
            "ValidationException");
  put("/t", "v");
  EXPECT_EQ(err("PutParameter", J(R"({"Name":"/t","Value":"v","Overwrite":true,
                                      "Tags":[{"Key":"a","Value":"b"}]})"))
                .message.substr(0, 56),
            "Invalid request: tags and overwrite can't be used togeth");
  protocol::AwsError e =
      err("PutParameter",
          J(R"({"Name":"/n","Value":"abc","Type":"String","AllowedPattern":"^\\d+$"})"));
  EXPECT_EQ(e.code, "ParameterPatternMismatchException");
  EXPECT_EQ(e.message, "Parameter value, cannot be validated against allowedPattern: ^\\d+$");
  EXPECT_EQ(err("PutParameter",
                J(R"({"Name":"/n","Value":"1","Type":"String","AllowedPattern":"(unclosed"})"))
                .code,
            "InvalidAllowedPatternException");
  put("/n", "42", "String", object{{"AllowedPattern", "^\\d+$"}});
  // The pattern stays with the parameter on overwrite.
  EXPECT_EQ(err("PutParameter", J(R"({"Name":"/n","Value":"x","Overwrite":true})")).code,
            "ParameterPatternMismatchException");
  EXPECT_EQ(err("PutParameter", J(R"({"Name":"/d","Value":"v","Type":"String","DataType":"Text"})"))
                .message,
            "The following data type is not supported: Text (Data type names are all lowercase.)");
  EXPECT_EQ(err("PutParameter",
                J(R"({"Name":"/d","Value":"nope","Type":"String","DataType":"aws:ec2:image"})"))
                .code,
            "ValidationException");
  put("/d", "ami-0123456789abcdef0", "String", object{{"DataType", "aws:ec2:image"}});
  EXPECT_EQ(get("/d").at("DataType").as_string(), "aws:ec2:image");
}

TEST_F(SsmHandlersTest, TiersLimitValueSizeAndNeverDowngrade) {
  std::string big(4097, 'x');
  protocol::AwsError e =
      err("PutParameter", object{{"Name", "/big"}, {"Value", big}, {"Type", "String"}});
  EXPECT_EQ(e.code, "ValidationException");
  EXPECT_TRUE(
      e.message.starts_with("Standard tier parameters support a maximum parameter value "
                            "of 4096 characters."));
  EXPECT_EQ(
      ok("PutParameter",
         object{
             {"Name", "/big"}, {"Value", big}, {"Type", "String"}, {"Tier", "Intelligent-Tiering"}})
          .at("Tier")
          .as_string(),
      "Advanced");
  EXPECT_EQ(err("PutParameter", object{{"Name", "/huge"},
                                       {"Value", std::string(8193, 'x')},
                                       {"Type", "String"},
                                       {"Tier", "Advanced"}})
                .code,
            "ValidationException");
  e = err("PutParameter", J(R"({"Name":"/big","Value":"s","Overwrite":true,"Tier":"Standard"})"));
  EXPECT_EQ(e.code, "ValidationException");
  EXPECT_TRUE(e.message.starts_with("This parameter uses the advanced-parameter tier."))
      << e.message;
  // Intelligent-Tiering keeps an advanced parameter advanced.
  EXPECT_EQ(ok("PutParameter",
               J(R"({"Name":"/big","Value":"s","Overwrite":true,"Tier":"Intelligent-Tiering"})"))
                .at("Tier")
                .as_string(),
            "Advanced");
  EXPECT_EQ(ok("PutParameter", J(R"({"Name":"/small","Value":"s","Type":"String",
                                     "Tier":"Intelligent-Tiering"})"))
                .at("Tier")
                .as_string(),
            "Standard");
}

TEST_F(SsmHandlersTest, SecureStringIsCiphertextUnlessDecrypted) {
  put("/s", "hunter2", "SecureString");
  std::string shown = value_of("/s");
  EXPECT_NE(shown, "hunter2");
  std::optional<std::string> blob = core::base64_decode(shown);
  ASSERT_TRUE(blob);
  EXPECT_EQ(blob->find("hunter2"), std::string::npos);
  EXPECT_EQ(value_of("/s", true), "hunter2");
  // Encrypted under alias/aws/ssm with the parameter's ARN as context, as SSM does it.
  std::string arn = "arn:aws:ssm:us-east-1:123456789012:parameter/s";
  object d = kms("Decrypt", object{{"CiphertextBlob", *blob},
                                   {"EncryptionContext", object{{"PARAMETER_ARN", arn}}}});
  EXPECT_EQ(d.at("Plaintext").as_string(), "hunter2");
  // Nothing in the store holds the plaintext.
  store::Transaction tx = db_.read();
  int hits = 0;
  tx.query("SELECT count(*) FROM ssm_parameter_versions WHERE value LIKE '%hunter2%'",
           [&](const store::Statement& row) { hits = static_cast<int>(row.int64(0)); });
  tx.commit();
  EXPECT_EQ(hits, 0);
}

TEST_F(SsmHandlersTest, SecureStringWithACustomKeyAndItsErrors) {
  std::string key = create_key();
  put("/c", "s3cret", "SecureString", object{{"KeyId", key}});
  EXPECT_EQ(value_of("/c", true), "s3cret");
  // Advanced values use a data key (past KMS Encrypt's 4 KB).
  std::string big(6000, 'k');
  put("/c-big", big, "SecureString", object{{"KeyId", key}, {"Tier", "Advanced"}});
  EXPECT_EQ(value_of("/c-big", true), big);
  kms("DisableKey", object{{"KeyId", key}});
  protocol::AwsError e = err("GetParameter", J(R"({"Name":"/c","WithDecryption":true})"));
  EXPECT_EQ(e.code, "InvalidKeyId");
  EXPECT_TRUE(e.message.starts_with("arn:aws:kms:us-east-1:123456789012:key/" + key +
                                    " is disabled. (Service: AWSKMS; Status Code: 400; Error "
                                    "Code: DisabledException; Request ID: "))
      << e.message;
  // Without decryption the ciphertext is still readable.
  EXPECT_FALSE(value_of("/c").empty());
  e = err("PutParameter",
          object{{"Name", "/c2"}, {"Value", "v"}, {"Type", "SecureString"}, {"KeyId", key}});
  EXPECT_EQ(e.code, "InvalidKeyId");
  e = err("PutParameter",
          J(R"({"Name":"/c3","Value":"v","Type":"SecureString","KeyId":"alias/missing"})"));
  EXPECT_EQ(e.code, "InvalidKeyId");
  EXPECT_TRUE(e.message.find("Error Code: NotFoundException") != std::string::npos) << e.message;
  EXPECT_EQ(err("GetParameter", J(R"({"Name":"/c3"})")).code, "ParameterNotFound");
}

TEST_F(SsmHandlersTest, GetParametersListsWhatItCannotFind) {
  put("/a", "1");
  put("/b", "2", "StringList");
  object out = ok("GetParameters", J(R"({"Names":["/a","/b","/missing","/a:7","/a"]})"));
  EXPECT_EQ(names_in(out), (std::vector<std::string>{"/a", "/b"}));
  EXPECT_EQ(out.at("InvalidParameters"), (array{"/missing", "/a:7"}));
  EXPECT_EQ(out.at("Parameters").at(1).at("Type").as_string(), "StringList");
  EXPECT_EQ(err("GetParameters", J(R"({"Names":[]})")).code, "ValidationException");
}

TEST_F(SsmHandlersTest, DeleteParameterAndDeleteParameters) {
  put("/a", "1");
  put("/b", "2");
  ok("DeleteParameter", J(R"({"Name":"/a"})"));
  EXPECT_EQ(err("GetParameter", J(R"({"Name":"/a"})")).code, "ParameterNotFound");
  EXPECT_EQ(err("DeleteParameter", J(R"({"Name":"/a"})")).code, "ParameterNotFound");
  object out = ok("DeleteParameters", J(R"({"Names":["/b","/a"]})"));
  EXPECT_EQ(out.at("DeletedParameters"), (array{"/b"}));
  EXPECT_EQ(out.at("InvalidParameters"), (array{"/a"}));
  // A deleted name starts again at version 1.
  EXPECT_EQ(put("/b", "again"), 1);
}

TEST_F(SsmHandlersTest, KeepsTheLatestHundredVersionsUnlessTheOldestIsLabelled) {
  put("/v", "0");
  for (int i = 1; i < 100; ++i) {
    ok("PutParameter", object{{"Name", "/v"}, {"Value", std::to_string(i)}, {"Overwrite", true}});
  }
  ok("LabelParameterVersion", J(R"({"Name":"/v","ParameterVersion":1,"Labels":["first"]})"));
  protocol::AwsError e = err("PutParameter", J(R"({"Name":"/v","Value":"x","Overwrite":true})"));
  EXPECT_EQ(e.code, "ParameterMaxVersionLimitExceeded");
  EXPECT_TRUE(e.message.find("Version 1, the oldest version, can't be deleted") !=
              std::string::npos);
  ok("UnlabelParameterVersion", J(R"({"Name":"/v","ParameterVersion":1,"Labels":["first"]})"));
  EXPECT_EQ(ok("PutParameter", J(R"({"Name":"/v","Value":"x","Overwrite":true})"))
                .at("Version")
                .as_int64(),
            101);
  EXPECT_EQ(err("GetParameter", J(R"({"Name":"/v:1"})")).code, "ParameterVersionNotFound");
  EXPECT_EQ(value_of("/v:2"), "1");
}

TEST_F(SsmHandlersTest, ReaderPortAnswersAsGetParameter) {
  put("/app/pw", "pa55", "SecureString");
  ParameterReader& reader = vault_;
  protocol::Result<ParameterValue> v = reader.get("123456789012", "us-east-1", "/app/pw", true);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->value, "pa55");
  EXPECT_EQ(v->type, "SecureString");
  EXPECT_EQ(v->arn, "arn:aws:ssm:us-east-1:123456789012:parameter/app/pw");
  EXPECT_TRUE(v->key_id.starts_with("arn:aws:kms:us-east-1:123456789012:key/")) << v->key_id;
  v = reader.get("123456789012", "us-east-1", "arn:aws:ssm:us-east-1:123456789012:parameter/app/pw",
                 false);
  ASSERT_TRUE(v);
  EXPECT_NE(v->value, "pa55");
  EXPECT_EQ(reader.get("123456789012", "us-east-1", "/nope", true).error().code,
            "ParameterNotFound");
}

}  // namespace
}  // namespace services::ssm
