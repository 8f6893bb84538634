#include "services/sts/identity_store.h"

#include <boost/json.hpp>

#include "core/ids.h"

namespace services::sts {
namespace {

namespace json = boost::json;

std::string tags_text(const std::map<std::string, std::string>& tags) {
  json::object o;
  for (const auto& [k, v] : tags) o[k] = v;
  return json::serialize(o);
}

std::map<std::string, std::string> tags_of(const std::string& text) {
  std::map<std::string, std::string> tags;
  json::value v = json::parse(text);
  if (!v.is_object()) return tags;
  for (const auto& [k, value] : v.as_object()) {
    if (value.is_string()) tags.emplace(std::string(k), std::string(value.as_string()));
  }
  return tags;
}

std::string keys_text(const std::vector<std::string>& keys) {
  json::array a;
  for (const std::string& k : keys) a.emplace_back(k);
  return json::serialize(a);
}

std::vector<std::string> keys_of(const std::string& text) {
  std::vector<std::string> keys;
  json::value v = json::parse(text);
  if (!v.is_array()) return keys;
  for (const json::value& k : v.as_array()) {
    if (k.is_string()) keys.emplace_back(k.as_string());
  }
  return keys;
}

}  // namespace

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
                             std::string default_account, const iam::Directory* directory)
    : db_(db),
      directory_(directory),
      changes_(db.change_counter({"sts_credentials", "iam_access_keys", "iam_entities"})) {
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
  // Read before the rows: a write in between changes it, so the answer is read again next time.
  uint64_t generation = changes_->load();
  {
    std::lock_guard lock(mutex_);
    auto it = remembered_.find(access_key_id);
    if (it != remembered_.end() && it->second.generation == generation) {
      return it->second.principal;
    }
  }
  std::optional<protocol::Principal> found = read_principal(access_key_id);
  constexpr std::size_t kMaxRemembered = 4096;  // keys in use at once; more only costs a read
  std::lock_guard lock(mutex_);
  if (remembered_.size() >= kMaxRemembered) remembered_.clear();
  remembered_[std::string(access_key_id)] = Remembered{generation, found};
  return found;
}

std::optional<protocol::Principal> IdentityStore::read_principal(
    std::string_view access_key_id) const {
  std::optional<protocol::Principal> found;
  {
    store::Transaction tx = db_.read();
    tx.query(
        "SELECT secret_access_key, session_token, account, arn, user_id, expires_at_ms, "
        "session_tags FROM sts_credentials WHERE access_key_id = ?",
        [&](const store::Statement& row) {
          protocol::Principal p;
          p.secret_access_key = row.text(0);
          p.session_token = row.text(1);
          p.account = row.text(2);
          p.arn = row.text(3);
          p.user_id = row.text(4);
          p.expires_at = core::from_epoch_millis(row.int64(5));
          p.session_tags = tags_of(row.text(6));
          found = std::move(p);
        },
        access_key_id);
  }
  if (found || directory_ == nullptr) return found;
  // Directory reads in its own transaction: called after ours has ended.
  std::optional<iam::AccessKeyInfo> key = directory_->find_access_key(access_key_id);
  if (!key || !key->active) return std::nullopt;
  protocol::Principal p;
  p.account = key->account;
  p.arn = key->user_arn;
  p.user_id = key->user_id;
  p.secret_access_key = key->secret_access_key;
  return p;
}

std::optional<SessionExtras> IdentityStore::session_extras(std::string_view access_key_id) const {
  std::optional<SessionExtras> found;
  store::Transaction tx = db_.read();
  tx.query(
      "SELECT transitive_tag_keys, source_identity FROM sts_credentials WHERE access_key_id = ?",
      [&](const store::Statement& row) {
        found = SessionExtras{keys_of(row.text(0)), row.text(1)};
      },
      access_key_id);
  return found;
}

void IdentityStore::save_temporary(const std::string& access_key_id, const protocol::Principal& p,
                                   const SessionExtras& extras) {
  store::Transaction tx = db_.begin();
  // Issued at the latest kMaxDuration before they expire: whatever expired a day before that
  // is at least a day out of date now.
  constexpr std::chrono::hours kMaxDuration{36};  // GetSessionToken's 129600 s
  constexpr std::chrono::hours kKeepExpired{24};
  tx.execute("DELETE FROM sts_credentials WHERE expires_at_ms < ?",
             core::to_epoch_millis(p.expires_at.value_or(core::TimePoint{}) - kMaxDuration -
                                   kKeepExpired));
  tx.execute(
      "INSERT INTO sts_credentials (access_key_id, secret_access_key, session_token, account, "
      "arn, user_id, expires_at_ms, session_tags, transitive_tag_keys, source_identity) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      access_key_id, p.secret_access_key, p.session_token, p.account, p.arn, p.user_id,
      core::to_epoch_millis(p.expires_at.value_or(core::TimePoint{})), tags_text(p.session_tags),
      keys_text(extras.transitive_tag_keys), extras.source_identity);
  tx.commit();
}

}  // namespace services::sts
