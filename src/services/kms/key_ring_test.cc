// The in-process interface (Keys) that SSM and Secrets Manager use.

#include "services/kms/key_ring.h"

#include <gtest/gtest.h>

#include "services/kms/kms_test_support.h"

namespace services::kms {
namespace {

using boost::json::object;

class KeyRingTest : public KmsHandlersTest {
 protected:
  Keys& keys() { return ring_; }
};

TEST_F(KeyRingTest, EncryptsUnderTheManagedKeyCreatedOnFirstUse) {
  protocol::Result<Keys::Encrypted> e = keys().encrypt(
      "123456789012", "us-east-1", "alias/aws/secretsmanager", "s3cr3t", {{"SecretARN", "a"}});
  ASSERT_TRUE(e) << e.error().message;
  object m = ok("DescribeKey", object{{"KeyId", "alias/aws/secretsmanager"}})
                 .at("KeyMetadata")
                 .as_object();
  EXPECT_EQ(e->key_arn, m.at("Arn"));
  EXPECT_EQ(m.at("KeyManager"), "AWS");
  protocol::Result<Keys::Decrypted> d =
      keys().decrypt("123456789012", "us-east-1", e->ciphertext, {{"SecretARN", "a"}});
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->plaintext, "s3cr3t");
  EXPECT_EQ(d->key_arn, e->key_arn);
}

TEST_F(KeyRingTest, AnswersTheErrorsOfTheApi) {
  std::string id = create_key();
  auto e = keys().encrypt("123456789012", "us-east-1", id, "x", {});
  ASSERT_TRUE(e);
  EXPECT_EQ(keys().decrypt("123456789012", "us-east-1", e->ciphertext, {{"k", "v"}}).error().code,
            "InvalidCiphertextException");
  EXPECT_EQ(keys()
                .decrypt("123456789012", "us-east-1", e->ciphertext, {},
                         std::string_view("alias/aws/ssm"))
                .error()
                .code,
            "IncorrectKeyException");
  EXPECT_EQ(keys().encrypt("123456789012", "us-east-1", "alias/missing", "x", {}).error().code,
            "NotFoundException");
  EXPECT_EQ(keys().encrypt("123456789012", "us-east-1", id, "", {}).error().code,
            "ValidationException");
  ok("DisableKey", object{{"KeyId", id}});
  EXPECT_EQ(keys().decrypt("123456789012", "us-east-1", e->ciphertext, {}).error().code,
            "DisabledException");
  // Another account has its own keys.
  EXPECT_EQ(keys().encrypt("210987654321", "us-east-1", id, "x", {}).error().code,
            "NotFoundException");
}

TEST_F(KeyRingTest, KeyArnResolvesAliases) {
  std::string id = create_key();
  ok("CreateAlias", object{{"AliasName", "alias/app"}, {"TargetKeyId", id}});
  auto arn = keys().key_arn("123456789012", "us-east-1", "alias/app");
  ASSERT_TRUE(arn);
  EXPECT_EQ(*arn, arn_of(id));
}

TEST_F(KeyRingTest, StoredMaterialIsSealed) {
  std::string id = create_key();
  store::Transaction tx = db_.read();
  std::optional<KeyRow> row = KmsStore(tx).key("123456789012", "us-east-1", id);
  ASSERT_TRUE(row);
  // base64 of nonce + 32 sealed bytes + tag, not of the 32 bytes alone.
  EXPECT_EQ(row->sealed_material.size(), 80u);
}

}  // namespace
}  // namespace services::kms

namespace services::kms {
namespace {

TEST_F(KeyRingTest, EnvelopesCarryValuesPastEncryptsLimit) {
  std::string id = create_key();
  std::string big(65536, 'v');
  auto e = keys().seal_envelope("123456789012", "us-east-1", id, big, {{"SecretARN", "s"}});
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->key_arn, arn_of(id));
  EXPECT_EQ(e->ciphertext.find(std::string(64, 'v')), std::string::npos);
  auto d = keys().open_envelope("123456789012", "us-east-1", e->ciphertext, {{"SecretARN", "s"}});
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->plaintext, big);
  EXPECT_EQ(d->key_arn, arn_of(id));
  auto empty = keys().seal_envelope("123456789012", "us-east-1", id, "", {});
  ASSERT_TRUE(empty);
  EXPECT_EQ(keys().open_envelope("123456789012", "us-east-1", empty->ciphertext, {})->plaintext,
            "");
}

TEST_F(KeyRingTest, EnvelopeTamperingAndContextMismatchAreInvalidCiphertext) {
  std::string id = create_key();
  auto e = keys().seal_envelope("123456789012", "us-east-1", id, "value", {{"k", "v"}});
  ASSERT_TRUE(e);
  EXPECT_EQ(keys().open_envelope("123456789012", "us-east-1", e->ciphertext, {}).error().code,
            "InvalidCiphertextException");
  // The version, the blob length, the data key's sealed bytes and the value's tag.
  std::size_t n = e->ciphertext.size();
  for (std::size_t i : {std::size_t(0), std::size_t(1), n - 5 - 28 - 1, n - 1}) {
    std::string tampered = e->ciphertext;
    tampered[i] = static_cast<char>(tampered[i] ^ 1);
    EXPECT_EQ(
        keys().open_envelope("123456789012", "us-east-1", tampered, {{"k", "v"}}).error().code,
        "InvalidCiphertextException")
        << "byte " << i;
  }
  ok("DisableKey", boost::json::object{{"KeyId", id}});
  EXPECT_EQ(
      keys().open_envelope("123456789012", "us-east-1", e->ciphertext, {{"k", "v"}}).error().code,
      "DisabledException");
}

}  // namespace
}  // namespace services::kms
