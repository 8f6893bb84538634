#pragma once
// The KMS keys of every account and region: how a KeyId names a key, which states allow which use,
// and encryption under a key's material. The handlers (KmsService) and other modules (through
// the Keys interface) share it, so an in-process call answers exactly what the API would.
//
// Rules, from https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html: a key encrypts
// and decrypts only while Enabled (Disabled: DisabledException; PendingDeletion:
// KMSInvalidStateException). A key whose deletion date has passed is gone: it is purged, with its
// aliases, before any lookup of its account and region.
//
// Thread-safe. The *_in functions run inside the caller's transaction; the Keys functions open
// their own.

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/clock.h"
#include "protocol/aws_error.h"
#include "services/kms/host_key.h"
#include "services/kms/keys.h"
#include "services/kms/kms_json.h"
#include "services/kms/kms_store.h"
#include "store/db.h"

namespace services::kms {

class KeyRing final : public Keys {
 public:
  KeyRing(store::Db& db, const core::Clock& clock, HostKey host_key);

  protocol::Result<Encrypted> encrypt(std::string_view account, std::string_view region,
                                      std::string_view key, std::string_view plaintext,
                                      const EncryptionContext& context) override;
  protocol::Result<Decrypted> decrypt(std::string_view account, std::string_view region,
                                      std::string_view ciphertext, const EncryptionContext& context,
                                      std::optional<std::string_view> key) override;
  protocol::Result<Encrypted> seal_envelope(std::string_view account, std::string_view region,
                                            std::string_view key, std::string_view plaintext,
                                            const EncryptionContext& context) override;
  protocol::Result<Decrypted> open_envelope(std::string_view account, std::string_view region,
                                            std::string_view envelope,
                                            const EncryptionContext& context) override;
  protocol::Result<std::string> key_arn(std::string_view account, std::string_view region,
                                        std::string_view key) override;

  // The key that `ref` (key id, key ARN, alias name or alias ARN) names in an account and region,
  // in any state. Purges keys whose deletion is due, and creates the AWS managed key of an
  // "alias/aws/..." name that has none yet. NotFoundException otherwise.
  protocol::Result<KeyRow> resolve_in(KmsStore& st, std::string_view account,
                                      std::string_view region, std::string_view ref);
  // resolve_in, then: the key must be Enabled (DisabledException, KMSInvalidStateException).
  protocol::Result<KeyRow> usable_in(KmsStore& st, std::string_view account,
                                     std::string_view region, std::string_view ref);
  // The blob's plaintext and the key that opened it: InvalidCiphertextException for anything that
  // is not a blob of this key under this context; IncorrectKeyException when `ref` names another
  // key than the blob's.
  protocol::Result<std::pair<KeyRow, std::string>> open_in(KmsStore& st, std::string_view account,
                                                           std::string_view region,
                                                           std::string_view blob,
                                                           const EncryptionContext& context,
                                                           std::optional<std::string_view> ref);
  // A ciphertext blob of `plaintext` under `key` (which the caller found usable).
  std::string seal(const KeyRow& key, std::string_view plaintext,
                   const EncryptionContext& context) const;

  // A new customer managed symmetric key with fresh sealed material (not yet stored).
  KeyRow new_key(std::string_view account, std::string_view region) const;

  // Enabled -> ok; Disabled -> DisabledException; PendingDeletion -> KMSInvalidStateException.
  static protocol::Result<void> check_enabled(const KeyRow& key);

  int64_t now_ms() const { return core::to_epoch_millis(clock_.now()); }
  const core::Clock& clock() const { return clock_; }
  store::Db& db() { return db_; }

 private:
  KeyRow create_managed_in(KmsStore& st, std::string_view account, std::string_view region,
                           const ManagedAlias& alias);
  // The key's unsealed material; KMSInternalException when the host key does not open it.
  protocol::Result<std::string> material(const KeyRow& key) const;

  store::Db& db_;
  const core::Clock& clock_;
  HostKey host_key_;
};

// True for a KMS key id as CreateKey makes them (a lower- or upper-case UUID).
bool is_key_id(std::string_view id);

}  // namespace services::kms
