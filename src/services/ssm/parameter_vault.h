#pragma once
// Parameter values in and out of the store: which version a GetParameter name selects (versions,
// labels, ARNs, the public /aws/service/ tree), and SecureString encryption under KMS. The
// handlers and other modules (through ParameterReader) share it, so an in-process read answers
// exactly what GetParameter would.
//
// A SecureString is encrypted with KMS as Parameter Store does it: KMS Encrypt for standard
// parameters, a KMS data key (envelope) for advanced ones, whose values pass Encrypt's 4 KB; the
// encryption context is {"PARAMETER_ARN": <arn>}. Only the ciphertext is stored; KMS failures
// come back in SSM's wording (InvalidKeyId wrapping the KMS message).
//
// Thread-safe. Each call runs its own transaction; none may be called from inside one (KMS runs
// its own).

#include <string>
#include <string_view>

#include "protocol/aws_error.h"
#include "services/kms/keys.h"
#include "services/ssm/parameter_reader.h"
#include "services/ssm/ssm_store.h"
#include "store/db.h"

namespace services::ssm {

// One version of a parameter, as a name selected it.
struct FoundVersion {
  std::string name;  // the parameter's name, without selector
  std::string arn;
  VersionRow version;
  std::string selector;  // ":3" or ":label" when the name carried one, else ""
  std::string account;   // whose parameter it is (empty for a public parameter)
  std::string region;
};

struct SealedValue {
  std::string value;       // base64 of the ciphertext, as stored and shown without decryption
  std::string encryption;  // "kms" or "envelope"
  std::string key_arn;
};

class ParameterVault final : public ParameterReader {
 public:
  ParameterVault(store::Db& db, kms::Keys& keys) : db_(db), keys_(keys) {}

  protocol::Result<ParameterValue> get(std::string_view account, std::string_view region,
                                       std::string_view name, bool with_decryption) override;

  // The version that `text` (a name, "name:3", "name:label" or an ARN) selects in the caller's
  // account and region, or among the public parameters: ParameterNotFound,
  // ParameterVersionNotFound.
  protocol::Result<FoundVersion> find(std::string_view account, std::string_view region,
                                      std::string_view text);
  // The value a reply shows: a SecureString's plaintext only when `decrypt`, else its ciphertext.
  protocol::Result<std::string> shown(const FoundVersion& found, bool decrypt);
  protocol::Result<std::string> shown(std::string_view account, std::string_view region,
                                      std::string_view arn, const VersionRow& v, bool decrypt);
  // Encrypts a SecureString value of the parameter `arn` under `key`.
  protocol::Result<SealedValue> seal(std::string_view account, std::string_view region,
                                     std::string_view arn, std::string_view key,
                                     std::string_view tier, std::string_view plaintext);

  store::Db& db() { return db_; }

 private:
  store::Db& db_;
  kms::Keys& keys_;
};

// A KMS error as Parameter Store relays it: InvalidKeyId for a key that cannot be used (missing,
// disabled, pending deletion), the KMS code otherwise; the KMS message with AWS's suffix.
protocol::AwsError kms_error(const protocol::AwsError& kms);

}  // namespace services::ssm
