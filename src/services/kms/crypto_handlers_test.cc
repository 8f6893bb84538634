#include <gtest/gtest.h>

#include "services/kms/kms_test_support.h"

namespace services::kms {
namespace {

using boost::json::object;

TEST_F(KmsHandlersTest, DecryptFindsTheKeyFromTheCiphertext) {
  std::string id = create_key();
  object enc = ok("Encrypt", object{{"KeyId", id}, {"Plaintext", std::string("se\0cret", 7)}});
  EXPECT_EQ(enc.at("KeyId"), arn_of(id));
  EXPECT_EQ(enc.at("EncryptionAlgorithm"), "SYMMETRIC_DEFAULT");
  object dec = ok("Decrypt", object{{"CiphertextBlob", enc.at("CiphertextBlob")}});
  EXPECT_EQ(dec.at("Plaintext"), std::string("se\0cret", 7));
  EXPECT_EQ(dec.at("KeyId"), arn_of(id));
  EXPECT_EQ(dec.at("EncryptionAlgorithm"), "SYMMETRIC_DEFAULT");
}

TEST_F(KmsHandlersTest, EncryptByAliasDecryptsWithTheKeyId) {
  std::string id = create_key();
  ok("CreateAlias", object{{"AliasName", "alias/app"}, {"TargetKeyId", id}});
  std::string blob = encrypt("alias/app", "hello");
  EXPECT_EQ(ok("Decrypt", object{{"CiphertextBlob", blob}, {"KeyId", id}}).at("Plaintext"),
            "hello");
  EXPECT_EQ(ok("Decrypt", object{{"CiphertextBlob", blob}, {"KeyId", "alias/app"}}).at("Plaintext"),
            "hello");
}

TEST_F(KmsHandlersTest, DecryptWithAnotherKeyIdIsIncorrectKey) {
  std::string blob = encrypt(create_key(), "hello");
  EXPECT_EQ(err("Decrypt", object{{"CiphertextBlob", blob}, {"KeyId", create_key()}}).code,
            "IncorrectKeyException");
}

TEST_F(KmsHandlersTest, EncryptionContextMustMatch) {
  std::string id = create_key();
  std::string blob = encrypt(id, "hello", object{{"purpose", "test"}});
  EXPECT_EQ(err("Decrypt", object{{"CiphertextBlob", blob}}).code, "InvalidCiphertextException");
  EXPECT_EQ(err("Decrypt", object{{"CiphertextBlob", blob},
                                  {"EncryptionContext", object{{"purpose", "other"}}}})
                .code,
            "InvalidCiphertextException");
  EXPECT_EQ(ok("Decrypt",
               object{{"CiphertextBlob", blob}, {"EncryptionContext", object{{"purpose", "test"}}}})
                .at("Plaintext"),
            "hello");
}

TEST_F(KmsHandlersTest, TamperedOrForeignCiphertextIsInvalid) {
  std::string blob = encrypt(create_key(), "hello");
  std::string tampered = blob;
  tampered.back() = static_cast<char>(tampered.back() ^ 1);
  EXPECT_EQ(err("Decrypt", object{{"CiphertextBlob", tampered}}).code,
            "InvalidCiphertextException");
  EXPECT_EQ(err("Decrypt", object{{"CiphertextBlob", "not a kms ciphertext at all, no"}}).code,
            "InvalidCiphertextException");
  EXPECT_EQ(err("Decrypt", object{}).code, "ValidationException");
}

TEST_F(KmsHandlersTest, AnotherRegionCannotDecrypt) {
  std::string blob = encrypt(create_key(), "hello");
  EXPECT_EQ(err("Decrypt", object{{"CiphertextBlob", blob}}, ctx("eu-west-1")).code,
            "NotFoundException");
}

TEST_F(KmsHandlersTest, EncryptChecksAlgorithmAndDryRun) {
  std::string id = create_key();
  EXPECT_EQ(
      err("Encrypt",
          object{{"KeyId", id}, {"Plaintext", "x"}, {"EncryptionAlgorithm", "RSAES_OAEP_SHA_256"}})
          .code,
      "InvalidKeyUsageException");
  EXPECT_EQ(err("Encrypt", object{{"KeyId", id}, {"Plaintext", "x"}, {"DryRun", true}}).code,
            "DryRunOperationException");
  EXPECT_EQ(err("Encrypt", object{{"KeyId", id}, {"Plaintext", std::string(4097, 'x')}}).code,
            "ValidationException");
}

TEST_F(KmsHandlersTest, GenerateDataKeyReturnsAKeyAndItsCiphertext) {
  std::string id = create_key();
  object dk = ok("GenerateDataKey", object{{"KeyId", id}, {"KeySpec", "AES_256"}});
  EXPECT_EQ(dk.at("Plaintext").as_string().size(), 32u);
  EXPECT_EQ(dk.at("KeyId"), arn_of(id));
  EXPECT_EQ(ok("Decrypt", object{{"CiphertextBlob", dk.at("CiphertextBlob")}}).at("Plaintext"),
            dk.at("Plaintext"));
  EXPECT_EQ(ok("GenerateDataKey", object{{"KeyId", id}, {"KeySpec", "AES_128"}})
                .at("Plaintext")
                .as_string()
                .size(),
            16u);
  EXPECT_EQ(ok("GenerateDataKey", object{{"KeyId", id}, {"NumberOfBytes", 64}})
                .at("Plaintext")
                .as_string()
                .size(),
            64u);
  EXPECT_EQ(err("GenerateDataKey", object{{"KeyId", id}}).code, "ValidationException");
  EXPECT_EQ(
      err("GenerateDataKey", object{{"KeyId", id}, {"KeySpec", "AES_256"}, {"NumberOfBytes", 32}})
          .code,
      "ValidationException");
  EXPECT_EQ(err("GenerateDataKey", object{{"KeyId", id}, {"NumberOfBytes", 1025}}).code,
            "ValidationException");
}

TEST_F(KmsHandlersTest, GenerateDataKeyWithoutPlaintextHidesTheKey) {
  std::string id = create_key();
  object dk =
      ok("GenerateDataKeyWithoutPlaintext",
         object{{"KeyId", id}, {"KeySpec", "AES_256"}, {"EncryptionContext", object{{"k", "v"}}}});
  EXPECT_FALSE(dk.contains("Plaintext"));
  object dec = ok("Decrypt", object{{"CiphertextBlob", dk.at("CiphertextBlob")},
                                    {"EncryptionContext", object{{"k", "v"}}}});
  EXPECT_EQ(dec.at("Plaintext").as_string().size(), 32u);
}

TEST_F(KmsHandlersTest, ReEncryptMovesCiphertextToAnotherKeyAndContext) {
  std::string a = create_key();
  std::string b = create_key();
  std::string blob = encrypt(a, "payload", object{{"v", "1"}});
  object re = ok("ReEncrypt", object{{"CiphertextBlob", blob},
                                     {"SourceEncryptionContext", object{{"v", "1"}}},
                                     {"DestinationKeyId", b},
                                     {"DestinationEncryptionContext", object{{"v", "2"}}}});
  EXPECT_EQ(re.at("SourceKeyId"), arn_of(a));
  EXPECT_EQ(re.at("KeyId"), arn_of(b));
  object dec = ok("Decrypt", object{{"CiphertextBlob", re.at("CiphertextBlob")},
                                    {"EncryptionContext", object{{"v", "2"}}}});
  EXPECT_EQ(dec.at("Plaintext"), "payload");
  EXPECT_EQ(dec.at("KeyId"), arn_of(b));
  EXPECT_EQ(err("ReEncrypt", object{{"CiphertextBlob", blob}, {"DestinationKeyId", b}}).code,
            "InvalidCiphertextException");
  ok("DisableKey", object{{"KeyId", b}});
  EXPECT_EQ(err("ReEncrypt", object{{"CiphertextBlob", blob},
                                    {"SourceEncryptionContext", object{{"v", "1"}}},
                                    {"DestinationKeyId", b}})
                .code,
            "DisabledException");
}

TEST_F(KmsHandlersTest, GenerateRandomReturnsTheBytesAsked) {
  EXPECT_EQ(ok("GenerateRandom", object{{"NumberOfBytes", 100}}).at("Plaintext").as_string().size(),
            100u);
  EXPECT_EQ(err("GenerateRandom", object{{"NumberOfBytes", 0}}).code, "ValidationException");
  EXPECT_EQ(err("GenerateRandom", object{{"NumberOfBytes", 1025}}).code, "ValidationException");
}

}  // namespace
}  // namespace services::kms
