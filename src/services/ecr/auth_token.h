#pragma once
// GetAuthorizationToken tokens: "AWS:<token>" in Basic auth. A token names the account and region
// that asked for it and when it expires, signed with HMAC-SHA256 under a key kept in
// <data_dir>/ecr/token.key, so a /v2/ request presenting it is served for that account and region,
// across restarts. Thread-safe (immutable after construction).

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace services::ecr {

struct TokenClaims {
  std::string account;
  std::string region;
  core::TimePoint expires_at;
};

class TokenIssuer {
 public:
  explicit TokenIssuer(const std::filesystem::path& data_dir);
  // The password half of "AWS:<password>".
  std::string issue(const TokenClaims& claims) const;
  // Claims of a token this issuer signed (expired or not); nullopt if forged or malformed.
  std::optional<TokenClaims> verify(std::string_view token) const;
  // Parses "Basic base64(user:password)" and verifies the password; nullopt if absent or bad.
  std::optional<TokenClaims> from_authorization(std::string_view header) const;

 private:
  std::string mac(std::string_view payload) const;
  std::string key_;
};

}  // namespace services::ecr
