#pragma once
// Access keys and what they map to: the key pairs configured at start-up (long-term keys, used
// by strict auth) and the temporary credentials that STS issues, stored in SQLite so that they
// survive a restart. Implements protocol::IdentityResolver for the API plane.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "protocol/identity.h"
#include "store/db.h"

namespace services::sts {

struct StaticKey {
  std::string access_key_id;
  std::string secret_access_key;
  std::string account;  // empty: the server's default account
};

// Parses "AKID:SECRET[:ACCOUNT]". False when malformed.
bool parse_static_key(std::string_view text, StaticKey* out);

class IdentityStore final : public protocol::IdentityResolver {
 public:
  IdentityStore(store::Db& db, std::vector<StaticKey> keys, std::string default_account);

  std::optional<protocol::Principal> lookup(std::string_view access_key_id) const override;

  // Stores temporary credentials; `principal.secret_access_key` and `session_token` are set.
  void save_temporary(const std::string& access_key_id, const protocol::Principal& principal);

 private:
  store::Db& db_;
  std::map<std::string, protocol::Principal, std::less<>> static_keys_;
};

}  // namespace services::sts
