#pragma once
// sha256 digests as the OCI distribution spec writes them: "sha256:" + 64 lowercase hex digits.

#include <string>
#include <string_view>

#include "core/hex.h"
#include "core/sha256.h"

namespace services::ecr {

// True for "sha256:<64 lowercase hex>", the only algorithm ECR accepts.
bool is_valid_digest(std::string_view digest);
// The 64 hex digits of a valid digest.
inline std::string_view digest_hex(std::string_view digest) { return digest.substr(7); }

// Incremental SHA-256 over core::Sha256. Copyable, so a running upload can be finalized without
// ending it.
class Sha256 {
 public:
  void update(std::string_view bytes) { hash_.update(bytes); }
  // "sha256:<hex>" of everything so far; the hasher can go on afterwards.
  std::string digest() const { return "sha256:" + core::hex(hash_.finish()); }

 private:
  core::Sha256 hash_;
};

std::string sha256_digest(std::string_view bytes);

}  // namespace services::ecr
