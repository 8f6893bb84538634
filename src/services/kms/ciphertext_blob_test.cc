#include "services/kms/ciphertext_blob.h"

#include <gtest/gtest.h>

#include "services/kms/aes_gcm.h"

namespace services::kms {
namespace {

const std::string kKeyId = "1234abcd-12ab-34cd-56ef-1234567890ab";
const std::string kMaterial = aes_gcm::random_bytes(aes_gcm::kKeyBytes);

TEST(CiphertextBlobTest, CarriesVersionAndKeyIdInTheClear) {
  std::string blob = seal_blob(kKeyId, kMaterial, "plain", {});
  ASSERT_GT(blob.size(), 2 + kKeyId.size());
  EXPECT_EQ(static_cast<uint8_t>(blob[0]), kBlobVersion);
  EXPECT_EQ(static_cast<uint8_t>(blob[1]), kKeyId.size());
  EXPECT_EQ(blob.substr(2, kKeyId.size()), kKeyId);
  EXPECT_EQ(blob.size(), 2 + kKeyId.size() + 5 + aes_gcm::kOverhead);
  std::optional<ParsedBlob> parsed = parse_blob(blob);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->key_id, kKeyId);
}

TEST(CiphertextBlobTest, RoundTripsWithTheSameContext) {
  EncryptionContext ctx{{"Department", "10"}, {"purpose", "test"}};
  std::optional<ParsedBlob> parsed = parse_blob(seal_blob(kKeyId, kMaterial, "secret", ctx));
  ASSERT_TRUE(parsed);
  std::optional<std::string> opened = open_blob(*parsed, kMaterial, ctx);
  ASSERT_TRUE(opened);
  EXPECT_EQ(*opened, "secret");
}

TEST(CiphertextBlobTest, ContextMismatchFails) {
  EncryptionContext ctx{{"a", "1"}};
  std::optional<ParsedBlob> parsed = parse_blob(seal_blob(kKeyId, kMaterial, "secret", ctx));
  ASSERT_TRUE(parsed);
  EXPECT_FALSE(open_blob(*parsed, kMaterial, {}));
  EXPECT_FALSE(open_blob(*parsed, kMaterial, {{"a", "2"}}));
  EXPECT_FALSE(open_blob(*parsed, kMaterial, {{"a", "1"}, {"b", "2"}}));
  EXPECT_TRUE(open_blob(*parsed, kMaterial, {{"a", "1"}}));
}

TEST(CiphertextBlobTest, CanonicalContextIsUnambiguous) {
  EXPECT_NE(canonical_context({{"ab", "c"}}), canonical_context({{"a", "bc"}}));
  EXPECT_NE(canonical_context({{"a", ""}, {"b", ""}}), canonical_context({{"a", "\0\0\0\1b"}}));
  EXPECT_EQ(canonical_context({}), "");
}

TEST(CiphertextBlobTest, AChangedKeyIdInTheHeaderFailsEvenWithTheSameMaterial) {
  std::string blob = seal_blob(kKeyId, kMaterial, "secret", {});
  blob[2] = blob[2] == '1' ? '2' : '1';  // still a valid key id character
  std::optional<ParsedBlob> parsed = parse_blob(blob);
  ASSERT_TRUE(parsed);
  EXPECT_FALSE(open_blob(*parsed, kMaterial, {}));
}

TEST(CiphertextBlobTest, TamperedBodyFails) {
  std::string blob = seal_blob(kKeyId, kMaterial, "secret", {});
  for (std::size_t i = 2 + kKeyId.size(); i < blob.size(); ++i) {
    std::string tampered = blob;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x80);
    std::optional<ParsedBlob> parsed = parse_blob(tampered);
    ASSERT_TRUE(parsed);
    EXPECT_FALSE(open_blob(*parsed, kMaterial, {})) << "byte " << i;
  }
}

TEST(CiphertextBlobTest, RejectsWhatIsNotABlob) {
  std::string blob = seal_blob(kKeyId, kMaterial, "secret", {});
  EXPECT_FALSE(parse_blob(""));
  EXPECT_FALSE(parse_blob("garbage that is long enough to pass a length check"));
  std::string other_version = blob;
  other_version[0] = 2;
  EXPECT_FALSE(parse_blob(other_version));
  std::string bad_length = blob;
  bad_length[1] = static_cast<char>(200);
  EXPECT_FALSE(parse_blob(bad_length));
  std::string bad_char = blob;
  bad_char[3] = '/';
  EXPECT_FALSE(parse_blob(bad_char));
  EXPECT_FALSE(parse_blob(blob.substr(0, 2 + kKeyId.size() + aes_gcm::kOverhead - 1)));
}

}  // namespace
}  // namespace services::kms
