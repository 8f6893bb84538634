#include "services/kms/key_ring.h"

#include "core/ids.h"
#include "services/kms/aes_gcm.h"
#include "services/kms/ciphertext_blob.h"
#include "services/kms/envelope.h"
#include "services/kms/errors.h"

namespace services::kms {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

std::string binding(const KeyRow& k) { return k.account + "/" + k.region + "/" + k.key_id; }

protocol::AwsError internal(std::string message) {
  return {"KMSInternalException", std::move(message), 500, false};
}

}  // namespace

bool is_key_id(std::string_view id) {
  if (id.size() != 36) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    char c = id[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

KeyRing::KeyRing(store::Db& db, const core::Clock& clock, HostKey host_key)
    : db_(db), clock_(clock), host_key_(std::move(host_key)) {}

KeyRow KeyRing::new_key(std::string_view account, std::string_view region) const {
  KeyRow k;
  k.account = std::string(account);
  k.region = std::string(region);
  k.key_id = core::ids::uuid4();
  k.created_at_ms = now_ms();
  k.policy = default_key_policy(account, region);
  k.sealed_material = host_key_.seal(aes_gcm::random_bytes(aes_gcm::kKeyBytes), binding(k));
  return k;
}

KeyRow KeyRing::create_managed_in(KmsStore& st, std::string_view account, std::string_view region,
                                  const ManagedAlias& alias) {
  KeyRow k = new_key(account, region);
  k.key_manager = "AWS";
  k.description = std::string(alias.description);
  k.policy = managed_key_policy(alias, account, region);
  // AWS managed keys rotate every year, always.
  k.rotation_enabled = true;
  k.rotation_period_days = 365;
  k.next_rotation_ms = k.created_at_ms + 365 * kDayMs;
  st.insert_key(k);
  st.insert_alias(AliasRow{k.account, k.region, std::string(alias.name), k.key_id, k.created_at_ms,
                           k.created_at_ms});
  return k;
}

protocol::Result<KeyRow> KeyRing::resolve_in(KmsStore& st, std::string_view account,
                                             std::string_view region, std::string_view ref) {
  st.purge_deleted(account, region, now_ms());
  std::string key_id;
  std::optional<std::string> alias_name;
  if (ref.starts_with("arn:")) {
    core::ids::ParsedArn p;
    if (!core::ids::parse_arn(ref, &p) || p.service != "kms") {
      return errors::invalid_arn(std::string(ref));
    }
    if (p.region != region) {
      return errors::invalid_arn(p.region);
    }
    bool is_alias = p.resource.starts_with("alias/");
    if (!is_alias && !p.resource.starts_with("key/")) {
      return errors::invalid_arn(std::string(ref));
    }
    if (p.account != account) {
      return is_alias ? errors::alias_not_found(std::string(ref))
                      : errors::key_not_found(std::string(ref));
    }
    if (is_alias) {
      alias_name = p.resource;
    } else {
      key_id = p.resource.substr(4);
    }
  } else if (ref.starts_with("alias/")) {
    alias_name = std::string(ref);
  } else {
    key_id = std::string(ref);
  }
  if (alias_name) {
    std::optional<AliasRow> alias = st.alias(account, region, *alias_name);
    if (!alias) {
      if (const ManagedAlias* managed = find_managed_alias(*alias_name)) {
        return create_managed_in(st, account, region, *managed);
      }
      return errors::alias_not_found(alias_arn(account, region, *alias_name));
    }
    key_id = alias->key_id;
  }
  if (!is_key_id(key_id)) {
    return errors::invalid_key_id(key_id);
  }
  std::optional<KeyRow> key = st.key(account, region, key_id);
  if (!key) {
    return errors::key_not_found(kms::key_arn(account, region, key_id));
  }
  return std::move(*key);
}

protocol::Result<void> KeyRing::check_enabled(const KeyRow& key) {
  if (key.state == kDisabled) {
    return errors::disabled(kms::key_arn(key));
  }
  if (key.state == kPendingDeletion) {
    return errors::pending_deletion(kms::key_arn(key));
  }
  return {};
}

protocol::Result<KeyRow> KeyRing::usable_in(KmsStore& st, std::string_view account,
                                            std::string_view region, std::string_view ref) {
  protocol::Result<KeyRow> key = resolve_in(st, account, region, ref);
  if (!key) return key;
  if (auto ok = check_enabled(*key); !ok) return ok.error();
  return key;
}

protocol::Result<std::string> KeyRing::material(const KeyRow& key) const {
  std::optional<std::string> m = host_key_.unseal(key.sealed_material, binding(key));
  if (!m || m->size() != aes_gcm::kKeyBytes) {
    return internal("The key material of " + kms::key_arn(key) +
                    " does not open with this server's host key.");
  }
  return std::move(*m);
}

std::string KeyRing::seal(const KeyRow& key, std::string_view plaintext,
                          const EncryptionContext& context) const {
  protocol::Result<std::string> m = material(key);
  if (!m) throw m.error();  // the dispatcher encodes a thrown AwsError
  return seal_blob(key.key_id, *m, plaintext, context);
}

protocol::Result<std::pair<KeyRow, std::string>> KeyRing::open_in(
    KmsStore& st, std::string_view account, std::string_view region, std::string_view blob,
    const EncryptionContext& context, std::optional<std::string_view> ref) {
  std::optional<ParsedBlob> parsed = parse_blob(blob);
  if (!parsed) {
    return errors::invalid_ciphertext();
  }
  if (ref) {
    protocol::Result<KeyRow> named = resolve_in(st, account, region, *ref);
    if (!named) return named.error();
    if (named->key_id != parsed->key_id) {
      return errors::incorrect_key();
    }
  }
  protocol::Result<KeyRow> key = usable_in(st, account, region, parsed->key_id);
  if (!key) return key.error();
  protocol::Result<std::string> m = material(*key);
  if (!m) return m.error();
  std::optional<std::string> plaintext = open_blob(*parsed, *m, context);
  if (!plaintext) {
    return errors::invalid_ciphertext();
  }
  return std::make_pair(std::move(*key), std::move(*plaintext));
}

protocol::Result<Keys::Encrypted> KeyRing::encrypt(std::string_view account,
                                                   std::string_view region, std::string_view key,
                                                   std::string_view plaintext,
                                                   const EncryptionContext& context) {
  if (plaintext.empty() || plaintext.size() > 4096) {
    return errors::validation(
        "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member "
        "must have length between 1 and 4096");
  }
  store::Transaction tx = db_.begin();
  KmsStore st(tx);
  protocol::Result<KeyRow> k = usable_in(st, account, region, key);
  if (!k) return k.error();
  protocol::Result<std::string> m = material(*k);
  if (!m) return m.error();
  Encrypted out{seal_blob(k->key_id, *m, plaintext, context), kms::key_arn(*k)};
  tx.commit();
  return out;
}

protocol::Result<Keys::Decrypted> KeyRing::decrypt(std::string_view account,
                                                   std::string_view region,
                                                   std::string_view ciphertext,
                                                   const EncryptionContext& context,
                                                   std::optional<std::string_view> key) {
  store::Transaction tx = db_.begin();
  KmsStore st(tx);
  auto opened = open_in(st, account, region, ciphertext, context, key);
  if (!opened) return opened.error();
  tx.commit();
  return Decrypted{std::move(opened->second), kms::key_arn(opened->first)};
}

protocol::Result<Keys::Encrypted> KeyRing::seal_envelope(std::string_view account,
                                                         std::string_view region,
                                                         std::string_view key,
                                                         std::string_view plaintext,
                                                         const EncryptionContext& context) {
  std::string data_key = aes_gcm::random_bytes(aes_gcm::kKeyBytes);
  protocol::Result<Encrypted> wrapped = encrypt(account, region, key, data_key, context);
  if (!wrapped) return wrapped;
  std::string header = envelope_header(wrapped->ciphertext);
  std::string sealed = aes_gcm::seal(data_key, plaintext, header + canonical_context(context));
  return Encrypted{header + sealed, std::move(wrapped->key_arn)};
}

protocol::Result<Keys::Decrypted> KeyRing::open_envelope(std::string_view account,
                                                         std::string_view region,
                                                         std::string_view envelope,
                                                         const EncryptionContext& context) {
  std::optional<ParsedEnvelope> parsed = parse_envelope(envelope);
  if (!parsed) return errors::invalid_ciphertext();
  protocol::Result<Decrypted> data_key = decrypt(account, region, parsed->key_blob, context, {});
  if (!data_key) return data_key;
  if (data_key->plaintext.size() != aes_gcm::kKeyBytes) return errors::invalid_ciphertext();
  std::optional<std::string> plaintext = aes_gcm::open(data_key->plaintext, parsed->sealed,
                                                       parsed->header + canonical_context(context));
  if (!plaintext) return errors::invalid_ciphertext();
  return Decrypted{std::move(*plaintext), std::move(data_key->key_arn)};
}

protocol::Result<std::string> KeyRing::key_arn(std::string_view account, std::string_view region,
                                               std::string_view key) {
  store::Transaction tx = db_.begin();
  KmsStore st(tx);
  protocol::Result<KeyRow> k = resolve_in(st, account, region, key);
  if (!k) return k.error();
  tx.commit();
  return kms::key_arn(*k);
}

}  // namespace services::kms
