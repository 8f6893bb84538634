// AssumeRoleWithWebIdentity: an OpenID Connect ID token (a JWT) in exchange for a role session.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
// The request is unsigned. With IAM wired, the token's issuer must be a registered OIDC
// provider of the role's account, its audience one of the provider's client ids, and the role's
// trust policy must allow the provider (Federated principal) with the token's claims as
// condition keys ("<provider url>:sub", ":aud", ":amr"), in every auth mode.

#include <cmath>

#include "core/ids.h"
#include "core/json.h"
#include "services/sts/errors.h"
#include "services/sts/sts_json.h"
#include "services/sts/sts_service.h"

namespace services::sts {
namespace {

namespace json = boost::json;

constexpr int64_t kDefaultSeconds = 3600;
constexpr std::string_view kTagsClaim = "https://aws.amazon.com/tags";
constexpr std::string_view kDenied = "Not authorized to perform sts:AssumeRoleWithWebIdentity";

// A claim that is a string or a list of strings ("aud", "amr").
std::vector<std::string> string_or_list(const json::object& claims, std::string_view key) {
  const json::value* v = claims.if_contains(key);
  if (v != nullptr && v->is_string()) return {std::string(v->as_string())};
  return core::strings(claims, key);
}

// NumericDate (RFC 7519 §2): seconds since the epoch, an integer or not.
std::optional<int64_t> numeric_date(const json::object& claims, std::string_view key) {
  const json::value* v = claims.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->as_uint64());
  if (v->is_double()) return static_cast<int64_t>(std::floor(v->as_double()));
  return std::nullopt;
}

// Session tags from the "https://aws.amazon.com/tags" claim:
//   {"principal_tags": {"Project": ["Pegasus"]}, "transitive_tag_keys": ["Project"]}
// (an array holding that object is accepted too, as some issuers write it).
void token_tags(const json::object& claims, SessionSpec& spec) {
  const json::value* v = claims.if_contains(kTagsClaim);
  if (v != nullptr && v->is_array() && !v->as_array().empty()) v = &v->as_array().front();
  if (v == nullptr || !v->is_object()) return;
  if (const json::object* tags = core::obj(v->as_object(), "principal_tags")) {
    for (const auto& [key, value] : *tags) {
      if (value.is_string()) {
        spec.tags[std::string(key)] = std::string(value.as_string());
      } else if (value.is_array() && !value.as_array().empty() &&
                 value.as_array().front().is_string()) {
        spec.tags[std::string(key)] = std::string(value.as_array().front().as_string());
      }
    }
  }
  spec.transitive_tag_keys = core::strings(v->as_object(), "transitive_tag_keys");
}

// The condition keys a trust policy sees: "<provider>:aud" (the token's azp when it has one,
// its aud otherwise, as IAM documents), ":oaud", ":sub", ":amr", and the session's tags.
iam::ConditionKeys web_identity_keys(const std::string& prefix, const json::object& claims,
                                     const SessionSpec& spec) {
  iam::ConditionKeys keys{{"sts:RoleSessionName", {spec.session_name}}};
  std::vector<std::string> aud = string_or_list(claims, "aud");
  if (auto azp = core::opt_str(claims, "azp")) {
    keys[prefix + ":aud"] = {*azp};
    keys[prefix + ":oaud"] = aud;
  } else {
    keys[prefix + ":aud"] = aud;
  }
  keys[prefix + ":sub"] = {core::str(claims, "sub")};
  if (std::vector<std::string> amr = string_or_list(claims, "amr"); !amr.empty()) {
    keys[prefix + ":amr"] = amr;
  }
  for (const auto& [k, v] : spec.tags) {
    keys["aws:RequestTag/" + k] = {v};
    keys["aws:TagKeys"].push_back(k);
  }
  return keys;
}

bool shares_one(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (const std::string& x : a) {
    if (std::find(b.begin(), b.end(), x) != b.end()) return true;
  }
  return false;
}

}  // namespace

protocol::Result<json::object> StsService::assume_role_with_web_identity(
    const protocol::RequestContext& ctx, const json::object& in) {
  std::string role_arn = core::str(in, "RoleArn");
  SessionSpec spec{
      .session_name = core::str(in, "RoleSessionName"),
      .duration_seconds = core::opt_int(in, "DurationSeconds").value_or(kDefaultSeconds)};
  if (auto err = check_session_name(spec.session_name)) return *err;
  std::optional<Jwt> jwt = decode_jwt(core::str(in, "WebIdentityToken"));
  if (!jwt) {
    return errors::invalid_identity_token(
        "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access "
        "Token)");
  }
  const json::object& claims = jwt->claims;
  std::string iss = core::str(claims, "iss");
  core::ids::ParsedArn arn;
  std::string account = core::ids::parse_arn(role_arn, &arn) ? arn.account : ctx.account;
  std::optional<iam::OidcProviderInfo> provider;
  if (sessions_.directory() != nullptr) {
    provider = sessions_.directory()->find_oidc_provider(account, iss);
    if (!provider) {
      return errors::invalid_identity_token("No OpenIDConnect provider found in your account for " +
                                            iss);
    }
  }
  if (const Jwks* keys = oidc_keys_.find(iss)) {
    if (!keys->verify(*jwt)) {
      return errors::invalid_identity_token(
          "The web identity token that was passed could not be validated by AWS. Get a new "
          "identity token from the identity provider and then retry the request.");
    }
  } else {
    oidc_keys_.warn_unverified(iss);
  }
  std::vector<std::string> audiences = string_or_list(claims, "aud");
  if (provider && !shares_one(audiences, provider->client_ids)) {
    return errors::invalid_identity_token("Incorrect token audience");
  }
  int64_t now = static_cast<int64_t>(core::to_epoch_seconds(clock_.now()));
  std::optional<int64_t> exp = numeric_date(claims, "exp");
  if (!exp || now >= *exp) {
    return errors::expired_token("Token expired: current date/time " + std::to_string(now) +
                                 " must be before the expiration date/time " +
                                 std::to_string(exp.value_or(0)));
  }
  if (std::optional<int64_t> nbf = numeric_date(claims, "nbf"); nbf && now < *nbf) {
    return errors::invalid_identity_token("Token is not yet valid: current date/time " +
                                          std::to_string(now) + " is before the not-before " +
                                          "date/time " + std::to_string(*nbf));
  }
  token_tags(claims, spec);
  std::optional<iam::RoleInfo> role = sessions_.find_role(role_arn);
  if (!role) return errors::access_denied(std::string(kDenied));
  if (auto err = check_duration(spec.duration_seconds, *role, false)) return *err;
  if (provider && sessions_.refused_action(*role, provider->arn, "sts:AssumeRoleWithWebIdentity",
                                           web_identity_keys(provider->url, claims, spec),
                                           !spec.tags.empty(), ctx.region)) {
    return errors::access_denied(std::string(kDenied));
  }
  TemporaryCredentials c = sessions_.issue(*role, spec);
  json::object out{{"Credentials", credentials_json(c)},
                   {"SubjectFromWebIdentityToken", core::str(claims, "sub")},
                   {"AssumedRoleUser", assumed_role_user_json(c)},
                   {"Provider", provider ? provider->arn : iss}};
  if (!audiences.empty()) out["Audience"] = audiences.front();
  return out;
}

}  // namespace services::sts
