// AssumeRoleWithWebIdentity with JWTs signed here (RS256 and ES256) against a JWKS file, a
// GitHub-Actions-like provider and trust policies decided by a fake Authority.

#include <gtest/gtest.h>

#include "services/sts/sts_fixture_test_support.h"

namespace services::sts {
namespace {

namespace json = boost::json;
using test::TokenSigner;

constexpr char kIssuer[] = "https://token.actions.githubusercontent.com";
constexpr char kProvider[] = "token.actions.githubusercontent.com";
constexpr char kMain[] = "repo:org/repo:ref:refs/heads/main";

class WebIdentityTest : public test::StsFixture {
 protected:
  WebIdentityTest() {
    std::string error;
    EXPECT_TRUE(oidc_keys_.add(kIssuer, dir_.write("jwks.json", signer_.jwks()), &error)) << error;
    directory_.add_provider(kProvider, {"sts.amazonaws.com"});
    role_ = directory_.add_role("gha-deploy");
    // The trust policy GitHub documents: this repository's main branch, audience STS.
    authority_.set_rule([](const iam::RoleInfo&, const iam::AuthzRequest& r) {
      return r.action == "sts:AssumeRoleWithWebIdentity" &&
             r.principal_arn ==
                 "arn:aws:iam::123456789012:oidc-provider/" + std::string(kProvider) &&
             test::key_of(r, std::string(kProvider) + ":aud") == "sts.amazonaws.com" &&
             test::key_of(r, std::string(kProvider) + ":sub") == kMain;
    });
  }

  json::object claims(const std::string& sub = kMain) const {
    int64_t now = static_cast<int64_t>(core::to_epoch_seconds(clock_.now()));
    return {{"iss", kIssuer}, {"sub", sub},     {"aud", "sts.amazonaws.com"},
            {"iat", now},     {"nbf", now - 5}, {"exp", now + 300}};
  }
  json::object request(const std::string& token) const {
    return {{"RoleArn", role_.arn}, {"RoleSessionName", "gha"}, {"WebIdentityToken", token}};
  }

  test::TempDir dir_;
  TokenSigner signer_{TokenSigner::Alg::RS256};
  iam::RoleInfo role_;
};

TEST_F(WebIdentityTest, TrustedSubjectGetsTheRolesSession) {
  json::object out = ok("AssumeRoleWithWebIdentity", request(signer_.sign(claims())));
  EXPECT_EQ(text(out.at("SubjectFromWebIdentityToken")), kMain);
  EXPECT_EQ(text(out.at("Audience")), "sts.amazonaws.com");
  EXPECT_EQ(text(out.at("Provider")),
            "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com");
  EXPECT_EQ(text(out.at("AssumedRoleUser").at("Arn")),
            "arn:aws:sts::123456789012:assumed-role/gha-deploy/gha");
  EXPECT_EQ(text(out.at("AssumedRoleUser").at("AssumedRoleId")), role_.role_id + ":gha");
  std::string key = text(out.at("Credentials").at("AccessKeyId"));
  json::object who = ok("GetCallerIdentity", json::object{}, signed_with(key));
  EXPECT_EQ(text(who.at("Arn")), "arn:aws:sts::123456789012:assumed-role/gha-deploy/gha");
}

TEST_F(WebIdentityTest, UntrustedSubjectIsDenied) {
  protocol::AwsError e = err("AssumeRoleWithWebIdentity",
                             request(signer_.sign(claims("repo:org/repo:ref:refs/heads/feature"))));
  EXPECT_EQ(e.code, "AccessDenied");
  EXPECT_EQ(e.message, "Not authorized to perform sts:AssumeRoleWithWebIdentity");
}

TEST_F(WebIdentityTest, UnregisteredIssuerIsAnInvalidToken) {
  json::object c = claims();
  c["iss"] = "https://gitlab.example.com";
  protocol::AwsError e = err("AssumeRoleWithWebIdentity", request(signer_.sign(c)));
  EXPECT_EQ(e.code, "InvalidIdentityToken");
  EXPECT_EQ(e.message,
            "No OpenIDConnect provider found in your account for https://gitlab.example.com");
}

TEST_F(WebIdentityTest, AudienceOutsideTheProvidersClientIdsIsRefused) {
  json::object c = claims();
  c["aud"] = json::array{"sigstore"};
  protocol::AwsError e = err("AssumeRoleWithWebIdentity", request(signer_.sign(c)));
  EXPECT_EQ(e.code, "InvalidIdentityToken");
  EXPECT_EQ(e.message, "Incorrect token audience");
}

TEST_F(WebIdentityTest, ExpiredTokenIsRefusedWithBothTimes) {
  json::object c = claims();
  int64_t now = static_cast<int64_t>(core::to_epoch_seconds(clock_.now()));
  c["exp"] = now - 1;
  protocol::AwsError e = err("AssumeRoleWithWebIdentity", request(signer_.sign(c)));
  EXPECT_EQ(e.code, "ExpiredTokenException");
  EXPECT_EQ(e.message, "Token expired: current date/time " + std::to_string(now) +
                           " must be before the expiration date/time " + std::to_string(now - 1));
}

TEST_F(WebIdentityTest, TokenSignedByAnotherKeyIsRefused) {
  TokenSigner impostor(TokenSigner::Alg::RS256);
  protocol::AwsError e = err("AssumeRoleWithWebIdentity", request(impostor.sign(claims())));
  EXPECT_EQ(e.code, "InvalidIdentityToken");
  EXPECT_NE(e.message.find("could not be validated"), std::string::npos);
}

TEST_F(WebIdentityTest, Es256TokensVerifyAgainstAnEcJwks) {
  TokenSigner ec(TokenSigner::Alg::ES256);
  std::string error;
  ASSERT_TRUE(oidc_keys_.add(kIssuer, dir_.write("ec.json", ec.jwks()), &error)) << error;
  ok("AssumeRoleWithWebIdentity", request(ec.sign(claims())));
  EXPECT_EQ(err("AssumeRoleWithWebIdentity", request(signer_.sign(claims()))).code,
            "InvalidIdentityToken");
}

TEST_F(WebIdentityTest, WithoutAJwksTheSignatureIsNotChecked) {
  OidcKeys none;
  service_ = std::make_unique<StsService>(*identities_, *sessions_, none, clock_);
  registry_ = protocol::ServiceRegistry();
  service_->register_operations(registry_);
  TokenSigner any(TokenSigner::Alg::RS256);
  ok("AssumeRoleWithWebIdentity", request(any.sign(claims())));
}

TEST_F(WebIdentityTest, NotAJwtIsAnInvalidToken) {
  protocol::AwsError e = err("AssumeRoleWithWebIdentity", request("opaque-access-token"));
  EXPECT_EQ(e.code, "InvalidIdentityToken");
}

TEST_F(WebIdentityTest, MissingRoleIsDenied) {
  json::object in = request(signer_.sign(claims()));
  in["RoleArn"] = "arn:aws:iam::123456789012:role/ghost";
  EXPECT_EQ(err("AssumeRoleWithWebIdentity", in).message,
            "Not authorized to perform sts:AssumeRoleWithWebIdentity");
}

TEST_F(WebIdentityTest, TokenTagsBecomeSessionTagsAndNeedTagSession) {
  json::object c = claims();
  c["https://aws.amazon.com/tags"] =
      json::object{{"principal_tags", json::object{{"Project", json::array{"Pegasus"}}}},
                   {"transitive_tag_keys", json::array{"Project"}}};
  // The fixture's trust policy allows sts:AssumeRoleWithWebIdentity only.
  EXPECT_EQ(err("AssumeRoleWithWebIdentity", request(signer_.sign(c))).code, "AccessDenied");
  EXPECT_EQ(authority_.requests().back().action, "sts:TagSession");
  authority_.set_rule([](const iam::RoleInfo&, const iam::AuthzRequest& r) {
    return test::key_of(r, "aws:RequestTag/Project") == "Pegasus";
  });
  json::object out = ok("AssumeRoleWithWebIdentity", request(signer_.sign(c)));
  std::optional<protocol::Principal> p =
      identities_->lookup(text(out.at("Credentials").at("AccessKeyId")));
  EXPECT_EQ(p->session_tags, (std::map<std::string, std::string>{{"Project", "Pegasus"}}));
}

TEST_F(WebIdentityTest, TrustPolicyIsCheckedInDefaultModeToo) {
  ASSERT_FALSE(sessions_->enforce_trust());
  err("AssumeRoleWithWebIdentity",
      request(signer_.sign(claims("repo:evil/repo:ref:refs/heads/main"))));
  EXPECT_FALSE(authority_.requests().empty());
}

}  // namespace
}  // namespace services::sts
