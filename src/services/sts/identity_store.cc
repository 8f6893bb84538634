#include "services/sts/identity_store.h"

#include "core/ids.h"

namespace services::sts {

bool parse_static_key(std::string_view text, StaticKey* out) {
  std::size_t a = text.find(':');
  if (a == std::string_view::npos || a == 0) return false;
  std::size_t b = text.find(':', a + 1);
  out->access_key_id = std::string(text.substr(0, a));
  if (b == std::string_view::npos) {
    out->secret_access_key = std::string(text.substr(a + 1));
    out->account.clear();
  } else {
    out->secret_access_key = std::string(text.substr(a + 1, b - a - 1));
    out->account = std::string(text.substr(b + 1));
    if (out->account.size() != 12 ||
        out->account.find_first_not_of("0123456789") != std::string::npos) {
      return false;
    }
  }
  return !out->secret_access_key.empty();
}

IdentityStore::IdentityStore(store::Db& db, std::vector<StaticKey> keys,
                             std::string default_account)
    : db_(db) {
  for (StaticKey& k : keys) {
    protocol::Principal p;
    p.account = k.account.empty() ? default_account : k.account;
    p.arn = "arn:aws:iam::" + p.account + ":root";
    p.user_id = p.account;
    p.secret_access_key = std::move(k.secret_access_key);
    static_keys_.emplace(std::move(k.access_key_id), std::move(p));
  }
}

std::optional<protocol::Principal> IdentityStore::lookup(std::string_view access_key_id) const {
  if (auto it = static_keys_.find(access_key_id); it != static_keys_.end()) {
    return it->second;
  }
  std::optional<protocol::Principal> found;
  store::Transaction tx = db_.read();
  tx.query(
      "SELECT secret_access_key, session_token, account, arn, user_id, expires_at_ms "
      "FROM sts_credentials WHERE access_key_id = ?",
      [&](const store::Statement& row) {
        protocol::Principal p;
        p.secret_access_key = row.text(0);
        p.session_token = row.text(1);
        p.account = row.text(2);
        p.arn = row.text(3);
        p.user_id = row.text(4);
        p.expires_at = core::from_epoch_millis(row.int64(5));
        found = std::move(p);
      },
      access_key_id);
  return found;
}

void IdentityStore::save_temporary(const std::string& access_key_id,
                                   const protocol::Principal& p) {
  store::Transaction tx = db_.begin();
  tx.execute(
      "INSERT INTO sts_credentials (access_key_id, secret_access_key, session_token, account, "
      "arn, user_id, expires_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
      access_key_id, p.secret_access_key, p.session_token, p.account, p.arn, p.user_id,
      core::to_epoch_millis(p.expires_at.value_or(core::TimePoint{})));
  tx.commit();
}

}  // namespace services::sts
