#pragma once
// The envelope of Keys::seal_envelope:
//
//   byte 0        format version (kEnvelopeVersion)
//   bytes 1..2    N, the length of the data key's ciphertext blob, big-endian
//   bytes 3..N+2  the data key's ciphertext blob (ciphertext_blob.h), under the KMS key and the
//                 encryption context
//   the rest      AES-256-GCM of the value under the data key: nonce || ciphertext || tag, with
//                 bytes 0..N+2 followed by the canonical context as additional data

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace services::kms {

inline constexpr uint8_t kEnvelopeVersion = 1;

struct ParsedEnvelope {
  std::string header;    // bytes 0..N+2, part of the additional data
  std::string key_blob;  // the data key's ciphertext blob
  std::string sealed;    // the value under the data key
};

std::string envelope_header(std::string_view key_blob);
// Splits an envelope; nullopt when it is not one (unknown version, truncated).
std::optional<ParsedEnvelope> parse_envelope(std::string_view envelope);

}  // namespace services::kms
