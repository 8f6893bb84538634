#pragma once
// Who owns an access key. STS (temporary credentials) and the configured static key pairs
// implement this; ApiPlane asks it for every signed request.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace protocol {

struct Principal {
  std::string account;
  std::string arn;      // arn:aws:iam::<account>:root, or arn:aws:sts::<account>:assumed-role/R/S
  std::string user_id;  // GetCallerIdentity's UserId
  std::string secret_access_key;
  std::string session_token;                 // empty for long-term keys
  std::optional<core::TimePoint> expires_at;  // temporary credentials only
  // STS session tags (AssumeRole Tags, a web identity token's tags): aws:PrincipalTag/<key> for
  // the session, over the role's own tags.
  std::map<std::string, std::string> session_tags;
};

class IdentityResolver {
 public:
  virtual ~IdentityResolver() = default;
  virtual std::optional<Principal> lookup(std::string_view access_key_id) const = 0;
};

}  // namespace protocol
