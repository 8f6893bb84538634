#pragma once
// The JSON Web Key Sets that the operator provides for OpenID Connect issuers
// (--oidc-jwks ISSUER_URL=PATH, repeatable), since this machine reaches no issuer to fetch them.
// A token from an issuer without one is accepted unverified, and that is logged once per issuer.
// Thread-safe.

#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "services/sts/jwt.h"

namespace services::sts {

// "https://token.actions.githubusercontent.com/" -> "token.actions.githubusercontent.com": an
// issuer as IAM registers it, and as condition keys name it ("<this>:sub").
std::string issuer_key(std::string_view issuer_url);

// Splits "ISSUER_URL=PATH" at the first '='. False when either side is empty.
bool parse_oidc_jwks_flag(std::string_view text, std::string* issuer, std::string* path);

class OidcKeys {
 public:
  // Reads an issuer's JWKS file (before any request); false with a message naming the file when
  // it is unusable.
  bool add(std::string_view issuer_url, const std::filesystem::path& file, std::string* error);

  // The key set for the token's issuer, or null (then warn_unverified() once).
  const Jwks* find(std::string_view issuer_url) const;
  // Logs, the first time for each issuer, that its tokens' signatures are not verified.
  void warn_unverified(std::string_view issuer_url) const;

 private:
  std::map<std::string, Jwks, std::less<>> by_issuer_;
  mutable std::mutex mu_;
  mutable std::set<std::string, std::less<>> warned_;
};

}  // namespace services::sts
