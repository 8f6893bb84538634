#pragma once
// The CiphertextBlob that Encrypt, GenerateDataKey and ReEncrypt return, Gantry's own format
// (AWS's is opaque too):
//
//   byte 0        format version (kBlobVersion)
//   byte 1        N, the length of the key id (1..255)
//   bytes 2..N+1  the key id (ASCII), so that Decrypt finds the key without a KeyId
//   the rest      AES-256-GCM under the key's material: nonce (12) || ciphertext || tag (16)
//
// The GCM additional data is the header (bytes 0..N+1) followed by the canonical encoding of the
// encryption context, so a changed header, a changed body or a different context all fail
// authentication (InvalidCiphertextException).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "services/kms/keys.h"

namespace services::kms {

inline constexpr uint8_t kBlobVersion = 1;

struct ParsedBlob {
  std::string key_id;
  std::string header;  // bytes 0..N+1, part of the additional data
  std::string sealed;  // nonce || ciphertext || tag
};

// The pairs sorted by key, each as 4-byte big-endian length + key, 4-byte length + value, so that
// no two different contexts encode alike ({"ab":"c"} and {"a":"bc"} differ).
std::string canonical_context(const EncryptionContext& context);

// Encrypts `plaintext` under `material` (32 bytes) for key `key_id` (1..255 characters).
std::string seal_blob(std::string_view key_id, std::string_view material,
                      std::string_view plaintext, const EncryptionContext& context);

// Splits a blob; nullopt when it is not one (unknown version, truncated, bad key id).
std::optional<ParsedBlob> parse_blob(std::string_view blob);

// The plaintext; nullopt when authentication fails (wrong key, context or tampered bytes).
std::optional<std::string> open_blob(const ParsedBlob& blob, std::string_view material,
                                     const EncryptionContext& context);

}  // namespace services::kms
