#include "services/ecr/digest.h"

#include <gtest/gtest.h>

namespace services::ecr {
namespace {

TEST(DigestTest, HashesTheEmptyStringToTheWellKnownDigest) {
  EXPECT_EQ(sha256_digest(""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(DigestTest, IncrementalHashEqualsOneShotHash) {
  Sha256 h;
  h.update("hello ");
  std::string midway = h.digest();  // finalizing a copy leaves the hasher usable
  h.update("world");
  EXPECT_EQ(h.digest(), sha256_digest("hello world"));
  EXPECT_EQ(midway, sha256_digest("hello "));
}

TEST(DigestTest, CopiedHasherContinuesIndependently) {
  Sha256 a;
  a.update("abc");
  Sha256 b = a;
  b.update("def");
  EXPECT_EQ(a.digest(), sha256_digest("abc"));
  EXPECT_EQ(b.digest(), sha256_digest("abcdef"));
}

TEST(DigestTest, AcceptsOnlyLowercaseSha256WithSixtyFourHexDigits) {
  std::string good = sha256_digest("x");
  EXPECT_TRUE(is_valid_digest(good));
  EXPECT_FALSE(is_valid_digest("sha512:" + good.substr(7)));
  EXPECT_FALSE(is_valid_digest(good.substr(0, 70)));
  std::string upper = good;
  upper[10] = 'A';
  EXPECT_FALSE(is_valid_digest(upper));
  EXPECT_FALSE(is_valid_digest("sha256:../../etc/passwd"));
  EXPECT_EQ(digest_hex(good), good.substr(7));
}

}  // namespace
}  // namespace services::ecr
