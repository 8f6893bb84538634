#pragma once
// The secrets of every account and region: how a SecretId names a secret, and the sealing of
// values under KMS. Handlers (SecretsManagerService) and other modules (through SecretReader)
// share it, so that an in-process read answers exactly what GetSecretValue would.
//
// Values are sealed with Keys::seal_envelope under the secret's key, with the encryption context
// Secrets Manager uses, {"SecretARN": arn, "SecretVersionId": version_id}
// (https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html); no
// plaintext is stored or logged.
//
// Thread-safe. The *_in functions run inside the caller's transaction; the others open their own.
// KMS calls open their own transactions too, so they never run inside one.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "services/kms/keys.h"
#include "services/secretsmanager/secret_reader.h"
#include "services/secretsmanager/sm_store.h"
#include "store/db.h"

namespace services::secretsmanager {

// A value as a request gives it: SecretString or SecretBinary.
struct Plain {
  std::string bytes;
  bool binary = false;
};

// GetSecretValue's result, with the version's creation date.
struct ReadValue {
  SecretValue value;
  int64_t created_at_ms = 0;
};

class SecretVault final : public SecretReader {
 public:
  SecretVault(store::Db& db, const core::Clock& clock, kms::Keys& keys)
      : db_(db), clock_(clock), keys_(keys) {}

  protocol::Result<SecretValue> get(std::string_view account, std::string_view region,
                                    std::string_view secret_id, std::string_view version_id,
                                    std::string_view version_stage) override;

  // GetSecretValue: the version that `version_id` and/or `version_stage` name (AWSCURRENT by
  // default), opened; stamps LastAccessedDate.
  protocol::Result<ReadValue> read(std::string_view account, std::string_view region,
                                   std::string_view secret_id, std::string_view version_id,
                                   std::string_view version_stage);

  // The secret that `secret_id` (name, full ARN or partial ARN) names, in any state. Purges the
  // secrets whose deletion is due first. ResourceNotFoundException, or ValidationException for a
  // name with characters no secret name has.
  protocol::Result<SecretRow> resolve_in(SmStore& st, std::string_view account,
                                         std::string_view region, std::string_view secret_id);
  // resolve_in, failing with InvalidRequestException for a secret scheduled for deletion.
  protocol::Result<SecretRow> live_in(SmStore& st, std::string_view account,
                                      std::string_view region, std::string_view secret_id);

  // Seals a value of `secret` for `version_id`; EncryptionFailure when KMS refuses.
  protocol::Result<VersionRow> seal(const SecretRow& secret, const std::string& version_id,
                                    const Plain& value);
  // Opens a stored version; DecryptionFailure when KMS refuses.
  protocol::Result<Plain> open(const SecretRow& secret, const VersionRow& version);
  // Whether a stored version holds exactly `value` (ClientRequestToken idempotency).
  protocol::Result<bool> holds(const SecretRow& secret, const VersionRow& version,
                               const Plain& value);

  int64_t now_ms() const { return core::to_epoch_millis(clock_.now()); }
  const core::Clock& clock() const { return clock_; }
  store::Db& db() { return db_; }
  kms::Keys& keys() { return keys_; }

 private:
  store::Db& db_;
  const core::Clock& clock_;
  kms::Keys& keys_;
};

// True for a secret name as CreateSecret accepts it: 1 to 512 of A-Z a-z 0-9 / _ + = . @ - !
bool valid_name(std::string_view name);

}  // namespace services::secretsmanager
