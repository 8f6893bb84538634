#pragma once
// Streaming SHA-256 producing OCI digests ("sha256:<hex>"), over core::Sha256.

#include <cstddef>
#include <string>

#include "core/hex.h"
#include "core/sha256.h"

namespace runtime::image {

class Sha256 {
 public:
  void update(const void* data, std::size_t size) { hash_.update(data, size); }
  // "sha256:<64 hex>".
  std::string digest() const { return "sha256:" + core::hex(hash_.finish()); }

 private:
  core::Sha256 hash_;
};

inline std::string sha256_digest(const void* data, std::size_t size) {
  Sha256 h;
  h.update(data, size);
  return h.digest();
}

}  // namespace runtime::image
