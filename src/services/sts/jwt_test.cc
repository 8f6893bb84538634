#include "services/sts/jwt.h"

#include <gtest/gtest.h>

#include "services/sts/sts_test_support.h"

namespace services::sts {
namespace {

using test::TokenSigner;

const boost::json::object kClaims{{"iss", "https://issuer.example"},
                                  {"sub", "alice"},
                                  {"aud", "sts.amazonaws.com"},
                                  {"exp", 1700003600}};

Jwks jwks_of(const TokenSigner& signer) {
  std::string error;
  std::optional<Jwks> keys = Jwks::parse(signer.jwks(), &error);
  EXPECT_TRUE(keys) << error;
  return keys ? std::move(*keys) : Jwks();
}

TEST(JwtTest, DecodesHeaderAndClaims) {
  TokenSigner signer(TokenSigner::Alg::RS256);
  std::optional<Jwt> jwt = decode_jwt(signer.sign(kClaims));
  ASSERT_TRUE(jwt);
  EXPECT_EQ(jwt->header.at("alg"), "RS256");
  EXPECT_EQ(jwt->claims.at("sub"), "alice");
}

TEST(JwtTest, RejectsWhatIsNotThreeBase64UrlJsonParts) {
  EXPECT_FALSE(decode_jwt("opaque-access-token"));
  EXPECT_FALSE(decode_jwt("a.b"));
  EXPECT_FALSE(decode_jwt("e30.e30.x.y"));
  EXPECT_FALSE(decode_jwt(base64url_encode("[1]") + "." + base64url_encode("{}") + "."));
  EXPECT_TRUE(decode_jwt(base64url_encode("{}") + "." + base64url_encode("{}") + "."));
}

TEST(JwtTest, Base64UrlRoundTripsBytesThatStandardBase64SpellsWithPlusAndSlash) {
  std::string bytes = "\xfb\xff\xbf";
  EXPECT_EQ(base64url_encode(bytes), "-_-_");
  EXPECT_EQ(base64url_decode("-_-_"), bytes);
  EXPECT_FALSE(base64url_decode("+/+/"));
}

TEST(JwtTest, VerifiesRs256WithTheIssuersKey) {
  TokenSigner signer(TokenSigner::Alg::RS256);
  Jwks keys = jwks_of(signer);
  EXPECT_TRUE(keys.verify(*decode_jwt(signer.sign(kClaims))));
}

TEST(JwtTest, VerifiesEs256WithTheIssuersKey) {
  TokenSigner signer(TokenSigner::Alg::ES256);
  Jwks keys = jwks_of(signer);
  EXPECT_TRUE(keys.verify(*decode_jwt(signer.sign(kClaims))));
}

TEST(JwtTest, RefusesATokenWhoseClaimsWereChanged) {
  TokenSigner signer(TokenSigner::Alg::RS256);
  Jwks keys = jwks_of(signer);
  std::string token = signer.sign(kClaims);
  boost::json::object forged = kClaims;
  forged["sub"] = "mallory";
  std::size_t a = token.find('.');
  std::size_t b = token.rfind('.');
  token =
      token.substr(0, a + 1) + base64url_encode(boost::json::serialize(forged)) + token.substr(b);
  EXPECT_FALSE(keys.verify(*decode_jwt(token)));
}

TEST(JwtTest, RefusesATokenSignedByAnotherKey) {
  TokenSigner issuer(TokenSigner::Alg::RS256);
  TokenSigner other(TokenSigner::Alg::RS256);
  EXPECT_FALSE(jwks_of(issuer).verify(*decode_jwt(other.sign(kClaims))));
  TokenSigner ec_other(TokenSigner::Alg::ES256);
  EXPECT_FALSE(
      jwks_of(TokenSigner(TokenSigner::Alg::ES256)).verify(*decode_jwt(ec_other.sign(kClaims))));
}

TEST(JwtTest, RefusesAKeyIdTheSetDoesNotHold) {
  TokenSigner published(TokenSigner::Alg::RS256, "k1");
  Jwks keys = jwks_of(published);
  std::optional<Jwt> jwt = decode_jwt(published.sign(kClaims));
  jwt->header["kid"] = "k2";
  EXPECT_FALSE(keys.verify(*jwt));
}

TEST(JwtTest, RefusesUnsignedTokens) {
  TokenSigner signer(TokenSigner::Alg::RS256);
  Jwks keys = jwks_of(signer);
  std::string token = base64url_encode(R"({"alg":"none"})") + "." +
                      base64url_encode(boost::json::serialize(kClaims)) + ".";
  EXPECT_FALSE(keys.verify(*decode_jwt(token)));
}

TEST(JwtTest, JwksWithoutUsableKeysIsRefused) {
  std::string error;
  EXPECT_FALSE(Jwks::parse("{}", &error));
  EXPECT_FALSE(Jwks::parse(R"({"keys":[{"kty":"oct","k":"c2VjcmV0"}]})", &error));
  EXPECT_NE(error.find("no usable key"), std::string::npos);
}

}  // namespace
}  // namespace services::sts
