#pragma once
// AES-256-GCM through OpenSSL's EVP interface: the one cipher of the KMS module, for customer
// data (ciphertext blobs) and for sealing key material with the host key.
//
// A sealed message is nonce (12 bytes) || ciphertext || tag (16 bytes); the nonce is fresh from
// OpenSSL's CSPRNG for every message. The additional authenticated data is bound into the tag:
// opening with different AAD, or any flipped bit, fails. Thread-safe (no shared state).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace services::kms::aes_gcm {

inline constexpr std::size_t kKeyBytes = 32;
inline constexpr std::size_t kNonceBytes = 12;
inline constexpr std::size_t kTagBytes = 16;
inline constexpr std::size_t kOverhead = kNonceBytes + kTagBytes;

// Encrypts `plaintext` under `key` (kKeyBytes long, CHECKed) with `aad` authenticated.
std::string seal(std::string_view key, std::string_view plaintext, std::string_view aad);
// The plaintext of a seal() output; nullopt when the tag does not verify (wrong key, wrong AAD,
// tampered or truncated input).
std::optional<std::string> open(std::string_view key, std::string_view sealed,
                                std::string_view aad);

// `n` bytes from OpenSSL's CSPRNG.
std::string random_bytes(std::size_t n);

}  // namespace services::kms::aes_gcm
