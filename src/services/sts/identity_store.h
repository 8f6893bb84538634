#pragma once
// Access keys and what they map to: the key pairs configured at start-up (long-term root keys,
// used by strict auth), IAM users' access keys (read from iam::Directory when one is wired) and
// the temporary credentials that STS issues, stored in SQLite so that they survive a restart.
// Implements protocol::IdentityResolver for the API plane. Thread-safe.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "protocol/identity.h"
#include "services/iam/directory.h"
#include "store/db.h"

namespace services::sts {

struct StaticKey {
  std::string access_key_id;
  std::string secret_access_key;
  std::string account;  // empty: the server's default account
};

// Parses "AKID:SECRET[:ACCOUNT]". False when malformed.
bool parse_static_key(std::string_view text, StaticKey* out);

// What a temporary session carries besides its principal, for role chaining: the transitive
// session tags and the source identity pass to the next session.
struct SessionExtras {
  std::vector<std::string> transitive_tag_keys;
  std::string source_identity;
};

class IdentityStore final : public protocol::IdentityResolver {
 public:
  // `directory` may be null (no IAM module): then only static and temporary keys resolve. It
  // must keep its keys in `db` (a lookup is remembered until a row of sts_credentials,
  // iam_access_keys or iam_entities changes: store::Db::change_counter).
  IdentityStore(store::Db& db, std::vector<StaticKey> keys, std::string default_account,
                const iam::Directory* directory = nullptr);

  // Static keys first, then STS's temporary keys, then IAM users' keys. An IAM key that is
  // Inactive or deleted resolves to nothing, as an unknown key does. Answers (unknown keys too)
  // are remembered while no row of those tables changes: a signed request then costs no SQLite
  // read of its own, writes to other tables included (bench/RESULTS.md, DynamoDB).
  std::optional<protocol::Principal> lookup(std::string_view access_key_id) const override;

  // The role-chaining extras of a temporary key; nullopt for any other key.
  std::optional<SessionExtras> session_extras(std::string_view access_key_id) const;

  // Stores temporary credentials; `principal.secret_access_key` and `session_token` are set.
  // Credentials that expired a day or more before these were issued are forgotten at the same
  // time (a later request with them gets InvalidClientTokenId rather than ExpiredToken), so the
  // table stays bounded while tasks renew their role's credentials.
  void save_temporary(const std::string& access_key_id, const protocol::Principal& principal,
                      const SessionExtras& extras = {});

 private:
  struct Remembered {
    uint64_t generation = 0;
    std::optional<protocol::Principal> principal;
  };
  std::optional<protocol::Principal> read_principal(std::string_view access_key_id) const;

  store::Db& db_;
  const iam::Directory* directory_;
  std::shared_ptr<const std::atomic<uint64_t>> changes_;
  std::map<std::string, protocol::Principal, std::less<>> static_keys_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, Remembered, std::less<>> remembered_;
};

}  // namespace services::sts
