#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "services/kms/kms_test_support.h"

namespace services::kms {
namespace {

using boost::json::object;

TEST_F(KmsHandlersTest, CreateKeyDescribesASymmetricCustomerKey) {
  object m = ok("CreateKey", object{{"Description", "app key"}}).at("KeyMetadata").as_object();
  std::string id(m.at("KeyId").as_string());
  EXPECT_TRUE(is_key_id(id)) << id;
  EXPECT_EQ(m.at("Arn"), arn_of(id));
  EXPECT_EQ(m.at("AWSAccountId"), "123456789012");
  EXPECT_EQ(m.at("Description"), "app key");
  EXPECT_EQ(m.at("KeyState"), "Enabled");
  EXPECT_EQ(m.at("Enabled"), true);
  EXPECT_EQ(m.at("KeyUsage"), "ENCRYPT_DECRYPT");
  EXPECT_EQ(m.at("KeySpec"), "SYMMETRIC_DEFAULT");
  EXPECT_EQ(m.at("KeyManager"), "CUSTOMER");
  EXPECT_EQ(m.at("Origin"), "AWS_KMS");
  EXPECT_EQ(m.at("EncryptionAlgorithms"), boost::json::array{"SYMMETRIC_DEFAULT"});
  EXPECT_DOUBLE_EQ(m.at("CreationDate").as_double(), 1700000000.0);
}

TEST_F(KmsHandlersTest, DescribeKeyFindsAKeyByIdArnAliasAndAliasArn) {
  std::string id = create_key();
  ok("CreateAlias", object{{"AliasName", "alias/app"}, {"TargetKeyId", id}});
  for (std::string ref : {id, arn_of(id), std::string("alias/app"),
                          std::string("arn:aws:kms:us-east-1:123456789012:alias/app")}) {
    EXPECT_EQ(ok("DescribeKey", object{{"KeyId", ref}}).at("KeyMetadata").at("KeyId"), id) << ref;
  }
}

TEST_F(KmsHandlersTest, DescribeKeyErrorsNameTheMissingKey) {
  protocol::AwsError e = err("DescribeKey", object{{"KeyId", "not-a-key"}});
  EXPECT_EQ(e.code, "NotFoundException");
  EXPECT_EQ(e.message, "Invalid keyId 'not-a-key'");
  std::string missing = "11111111-2222-3333-4444-555555555555";
  e = err("DescribeKey", object{{"KeyId", missing}});
  EXPECT_EQ(e.code, "NotFoundException");
  EXPECT_EQ(e.message, "Key '" + arn_of(missing) + "' does not exist");
  e = err("DescribeKey", object{{"KeyId", "alias/nope"}});
  EXPECT_EQ(e.code, "NotFoundException");
  EXPECT_EQ(e.message, "Alias arn:aws:kms:us-east-1:123456789012:alias/nope is not found.");
  // Keys are regional: the same id in another region is another (missing) key.
  std::string id = create_key();
  EXPECT_EQ(err("DescribeKey", object{{"KeyId", id}}, ctx("eu-west-1")).code, "NotFoundException");
  EXPECT_EQ(
      err("DescribeKey", object{{"KeyId", "arn:aws:kms:eu-west-1:123456789012:key/" + id}}).code,
      "NotFoundException");
}

TEST_F(KmsHandlersTest, CreateKeyRejectsWhatItCannotBe) {
  EXPECT_EQ(err("CreateKey", object{{"KeySpec", "RSA_2048"}}).code,
            "UnsupportedOperationException");
  EXPECT_EQ(
      err("CreateKey", object{{"KeySpec", "HMAC_256"}, {"KeyUsage", "GENERATE_VERIFY_MAC"}}).code,
      "UnsupportedOperationException");
  EXPECT_EQ(err("CreateKey", object{{"KeyUsage", "SIGN_VERIFY"}}).code, "ValidationException");
  EXPECT_EQ(
      err("CreateKey", object{{"KeySpec", "ECC_NIST_P256"}, {"KeyUsage", "ENCRYPT_DECRYPT"}}).code,
      "ValidationException");
  EXPECT_EQ(err("CreateKey", object{{"KeySpec", "NOT_A_SPEC"}}).code, "ValidationException");
  EXPECT_EQ(err("CreateKey", object{{"Origin", "EXTERNAL"}}).code, "UnsupportedOperationException");
  EXPECT_EQ(err("CreateKey", object{{"Policy", "{not json"}}).code,
            "MalformedPolicyDocumentException");
  EXPECT_EQ(
      err("CreateKey",
          object{{"Tags", boost::json::array{object{{"TagKey", "aws:x"}, {"TagValue", "v"}}}}})
          .code,
      "TagException");
  // Nothing was created by the failures.
  EXPECT_TRUE(ok("ListKeys").at("Keys").as_array().empty());
}

TEST_F(KmsHandlersTest, ListKeysPagesWithLimitAndMarker) {
  std::set<std::string> created;
  for (int i = 0; i < 5; ++i) created.insert(create_key());
  std::set<std::string> seen;
  object page = ok("ListKeys", object{{"Limit", 2}});
  int pages = 1;
  while (true) {
    for (const auto& k : page.at("Keys").as_array()) {
      std::string id(k.at("KeyId").as_string());
      EXPECT_EQ(k.at("KeyArn"), arn_of(id));
      EXPECT_TRUE(seen.insert(id).second) << "listed twice: " << id;
    }
    if (!page.at("Truncated").as_bool()) break;
    page = ok("ListKeys", object{{"Limit", 2}, {"Marker", page.at("NextMarker")}});
    ++pages;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, created);
  EXPECT_EQ(err("ListKeys", object{{"Marker", "!!!"}}).code, "InvalidMarkerException");
}

TEST_F(KmsHandlersTest, DisabledKeyRefusesUseUntilEnabled) {
  std::string id = create_key();
  ok("DisableKey", object{{"KeyId", id}});
  EXPECT_EQ(state_of(id), "Disabled");
  protocol::AwsError e = err("Encrypt", object{{"KeyId", id}, {"Plaintext", "x"}});
  EXPECT_EQ(e.code, "DisabledException");
  EXPECT_EQ(e.message, arn_of(id) + " is disabled.");
  ok("EnableKey", object{{"KeyId", id}});
  EXPECT_EQ(state_of(id), "Enabled");
  encrypt(id, "x");
}

TEST_F(KmsHandlersTest, ScheduleKeyDeletionTakesSevenToThirtyDays) {
  std::string id = create_key();
  EXPECT_EQ(err("ScheduleKeyDeletion", object{{"KeyId", id}, {"PendingWindowInDays", 6}}).code,
            "ValidationException");
  EXPECT_EQ(err("ScheduleKeyDeletion", object{{"KeyId", id}, {"PendingWindowInDays", 31}}).code,
            "ValidationException");
  object out = ok("ScheduleKeyDeletion", object{{"KeyId", id}, {"PendingWindowInDays", 7}});
  EXPECT_EQ(out.at("KeyId"), arn_of(id));
  EXPECT_EQ(out.at("KeyState"), "PendingDeletion");
  EXPECT_EQ(out.at("PendingWindowInDays"), 7);
  EXPECT_DOUBLE_EQ(out.at("DeletionDate").as_double(), 1700000000.0 + 7 * 86400);
  object m = ok("DescribeKey", object{{"KeyId", id}}).at("KeyMetadata").as_object();
  EXPECT_EQ(m.at("KeyState"), "PendingDeletion");
  EXPECT_EQ(m.at("Enabled"), false);
  EXPECT_EQ(m.at("PendingDeletionWindowInDays"), 7);
}

TEST_F(KmsHandlersTest, KeyPendingDeletionIsInvalidStateThenGoneAfterTheWindow) {
  std::string id = create_key();
  ok("CreateAlias", object{{"AliasName", "alias/doomed"}, {"TargetKeyId", id}});
  std::string blob = encrypt(id, "data");
  ok("ScheduleKeyDeletion", object{{"KeyId", id}, {"PendingWindowInDays", 7}});
  for (const char* op : {"EnableKey", "DisableKey", "ScheduleKeyDeletion"}) {
    protocol::AwsError e = err(op, object{{"KeyId", id}});
    EXPECT_EQ(e.code, "KMSInvalidStateException") << op;
    EXPECT_EQ(e.message, arn_of(id) + " is pending deletion.") << op;
  }
  EXPECT_EQ(err("Decrypt", object{{"CiphertextBlob", blob}}).code, "KMSInvalidStateException");
  clock_.advance(std::chrono::hours(24 * 7) - std::chrono::seconds(1));
  EXPECT_EQ(state_of(id), "PendingDeletion");
  clock_.advance(std::chrono::seconds(1));
  EXPECT_EQ(err("DescribeKey", object{{"KeyId", id}}).code, "NotFoundException");
  EXPECT_EQ(err("DescribeKey", object{{"KeyId", "alias/doomed"}}).code, "NotFoundException");
  EXPECT_TRUE(ok("ListKeys").at("Keys").as_array().empty());
}

TEST_F(KmsHandlersTest, DeletionWindowFollowsTheTimeScale) {
  clock_.set_time_scale(1000);
  std::string id = create_key();
  object out = ok("ScheduleKeyDeletion", object{{"KeyId", id}, {"PendingWindowInDays", 7}});
  // The date shown stays AWS's; the key goes after 7 days / 1000.
  EXPECT_DOUBLE_EQ(out.at("DeletionDate").as_double(), 1700000000.0 + 7 * 86400);
  clock_.advance(std::chrono::seconds(7 * 86400 / 1000 + 1));
  EXPECT_EQ(err("DescribeKey", object{{"KeyId", id}}).code, "NotFoundException");
}

TEST_F(KmsHandlersTest, CancelKeyDeletionLeavesTheKeyDisabled) {
  std::string id = create_key();
  protocol::AwsError e = err("CancelKeyDeletion", object{{"KeyId", id}});
  EXPECT_EQ(e.code, "KMSInvalidStateException");
  ok("ScheduleKeyDeletion", object{{"KeyId", id}});
  EXPECT_EQ(ok("CancelKeyDeletion", object{{"KeyId", id}}).at("KeyId"), arn_of(id));
  object m = ok("DescribeKey", object{{"KeyId", id}}).at("KeyMetadata").as_object();
  EXPECT_EQ(m.at("KeyState"), "Disabled");
  EXPECT_FALSE(m.contains("DeletionDate"));
  clock_.advance(std::chrono::hours(24 * 31));
  EXPECT_EQ(state_of(id), "Disabled");
}

TEST_F(KmsHandlersTest, AwsManagedKeyIsCreatedOnFirstUseAndCannotBeChanged) {
  object m = ok("DescribeKey", object{{"KeyId", "alias/aws/ssm"}}).at("KeyMetadata").as_object();
  EXPECT_EQ(m.at("KeyManager"), "AWS");
  EXPECT_EQ(m.at("Description"),
            "Default key that protects my SSM parameters when no other key is defined");
  std::string id(m.at("KeyId").as_string());
  // The same key afterwards.
  EXPECT_EQ(ok("DescribeKey", object{{"KeyId", "alias/aws/ssm"}}).at("KeyMetadata").at("KeyId"),
            id);
  protocol::AwsError e = err("DisableKey", object{{"KeyId", id}});
  EXPECT_EQ(e.code, "AccessDeniedException");
  EXPECT_NE(e.message.find("kms:DisableKey on resource: " + arn_of(id)), std::string::npos);
  EXPECT_EQ(err("ScheduleKeyDeletion", object{{"KeyId", id}}).code, "AccessDeniedException");
  EXPECT_EQ(ok("GetKeyRotationStatus", object{{"KeyId", id}}).at("KeyRotationEnabled"), true);
  std::string policy(ok("GetKeyPolicy", object{{"KeyId", id}}).at("Policy").as_string());
  EXPECT_NE(policy.find("\"kms:ViaService\" : \"ssm.us-east-1.amazonaws.com\""), std::string::npos);
}

}  // namespace
}  // namespace services::kms
