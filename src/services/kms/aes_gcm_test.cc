#include "services/kms/aes_gcm.h"

#include <gtest/gtest.h>

#include <string>

namespace services::kms::aes_gcm {
namespace {

const std::string kKey = random_bytes(kKeyBytes);

TEST(AesGcmTest, OpensWhatItSealed) {
  for (std::string plaintext : {std::string("x"), std::string("hello, world"),
                                std::string(4096, '\0'), random_bytes(1000)}) {
    std::string sealed = seal(kKey, plaintext, "aad");
    EXPECT_EQ(sealed.size(), plaintext.size() + kOverhead);
    std::optional<std::string> opened = open(kKey, sealed, "aad");
    ASSERT_TRUE(opened);
    EXPECT_EQ(*opened, plaintext);
  }
}

TEST(AesGcmTest, EmptyPlaintextAndEmptyAadWork) {
  std::optional<std::string> opened = open(kKey, seal(kKey, "", ""), "");
  ASSERT_TRUE(opened);
  EXPECT_EQ(*opened, "");
}

TEST(AesGcmTest, CiphertextDoesNotContainThePlaintext) {
  std::string plaintext = "a very recognisable plaintext marker";
  EXPECT_EQ(seal(kKey, plaintext, "").find("recognisable"), std::string::npos);
}

TEST(AesGcmTest, EverySealUsesAFreshNonce) {
  std::string a = seal(kKey, "same", "");
  std::string b = seal(kKey, "same", "");
  EXPECT_NE(a.substr(0, kNonceBytes), b.substr(0, kNonceBytes));
  EXPECT_NE(a, b);
}

TEST(AesGcmTest, EveryFlippedByteIsDetected) {
  std::string sealed = seal(kKey, "sixteen byte msg", "context");
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    std::string tampered = sealed;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    EXPECT_FALSE(open(kKey, tampered, "context")) << "byte " << i;
  }
}

TEST(AesGcmTest, WrongKeyOrAadOrTruncationFails) {
  std::string sealed = seal(kKey, "secret", "context");
  EXPECT_FALSE(open(random_bytes(kKeyBytes), sealed, "context"));
  EXPECT_FALSE(open(kKey, sealed, "other context"));
  EXPECT_FALSE(open(kKey, sealed, ""));
  EXPECT_FALSE(open(kKey, sealed.substr(0, sealed.size() - 1), "context"));
  EXPECT_FALSE(open(kKey, sealed.substr(0, kOverhead - 1), "context"));
  EXPECT_FALSE(open(kKey, sealed + "x", "context"));
}

TEST(AesGcmTest, RandomBytesHaveTheLengthAsked) {
  EXPECT_EQ(random_bytes(0).size(), 0u);
  EXPECT_EQ(random_bytes(1024).size(), 1024u);
  EXPECT_NE(random_bytes(32), random_bytes(32));
}

}  // namespace
}  // namespace services::kms::aes_gcm
