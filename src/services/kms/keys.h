#pragma once
// What the KMS module offers other modules (SSM SecureString, Secrets Manager): encryption under a
// KMS key of the caller's account and region, in process, with the checks and errors of the KMS
// API itself. KmsModule::keys() returns the one instance.
//
//   services::kms::Keys& keys = kms->keys();
//   Result<Keys::Encrypted> e = keys.encrypt(account, region, "alias/aws/ssm", value,
//                                            {{"PARAMETER_ARN", arn}});
//   Result<Keys::Decrypted> d = keys.decrypt(account, region, e->ciphertext,
//                                            {{"PARAMETER_ARN", arn}});
//
// `key` is what a KMS request's KeyId takes: a key id, a key ARN, an alias name ("alias/x") or an
// alias ARN. The AWS managed keys behind "alias/aws/ssm" and "alias/aws/secretsmanager" are
// created on first use, as AWS creates them. Failures are the AwsError that the KMS API would
// answer (NotFoundException, DisabledException, KMSInvalidStateException,
// InvalidCiphertextException, ...), for the caller to wrap in its own service's wording.
//
// Thread-safe: each call runs its own store transaction; do not call from inside one.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/aws_error.h"

namespace services::kms {

// KMS encryption context: bound to the ciphertext as authenticated data; decryption must present
// exactly the same pairs.
using EncryptionContext = std::map<std::string, std::string>;

class Keys {
 public:
  virtual ~Keys() = default;

  struct Encrypted {
    std::string ciphertext;  // the CiphertextBlob bytes (not base64)
    std::string key_arn;     // the key that encrypted it
  };
  struct Decrypted {
    std::string plaintext;
    std::string key_arn;
  };

  // KMS Encrypt: `plaintext` of 1 to 4096 bytes under an enabled symmetric key.
  virtual protocol::Result<Encrypted> encrypt(std::string_view account, std::string_view region,
                                              std::string_view key, std::string_view plaintext,
                                              const EncryptionContext& context) = 0;
  // KMS Decrypt: the key comes from the ciphertext; when `key` is given it must name that key
  // (IncorrectKeyException otherwise).
  virtual protocol::Result<Decrypted> decrypt(std::string_view account, std::string_view region,
                                              std::string_view ciphertext,
                                              const EncryptionContext& context,
                                              std::optional<std::string_view> key = {}) = 0;
  // Envelope encryption for values of any size (Secrets Manager's secrets reach 64 KiB, past
  // Encrypt's 4096 bytes), as AWS services do it: a fresh 256-bit data key from GenerateDataKey
  // under `key` encrypts `plaintext` with AES-256-GCM, and the result carries the data key's
  // ciphertext blob (envelope.h has the format). Same key rules and errors as encrypt();
  // `plaintext` may be empty.
  virtual protocol::Result<Encrypted> seal_envelope(std::string_view account,
                                                    std::string_view region, std::string_view key,
                                                    std::string_view plaintext,
                                                    const EncryptionContext& context) = 0;
  // Opens a seal_envelope() result: the data key is decrypted as decrypt() would (the key must
  // still be Enabled); InvalidCiphertextException for anything else.
  virtual protocol::Result<Decrypted> open_envelope(std::string_view account,
                                                    std::string_view region,
                                                    std::string_view envelope,
                                                    const EncryptionContext& context) = 0;
  // KMS DescribeKey's KeyMetadata.Arn: the ARN of the key that `key` names (any state), creating
  // an AWS managed key on first use. For callers that show or store the key they encrypted with.
  virtual protocol::Result<std::string> key_arn(std::string_view account, std::string_view region,
                                                std::string_view key) = 0;
};

}  // namespace services::kms
