#pragma once
// sha256 digests as the OCI distribution spec writes them: "sha256:" + 64 lowercase hex digits.

#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace services::ecr {

// True for "sha256:<64 lowercase hex>", the only algorithm ECR accepts.
bool is_valid_digest(std::string_view digest);
// The 64 hex digits of a valid digest.
inline std::string_view digest_hex(std::string_view digest) { return digest.substr(7); }

// Incremental SHA-256 (OpenSSL EVP). Copyable, so a running upload can be finalized without
// ending it.
class Sha256 {
 public:
  Sha256();
  Sha256(const Sha256& other);
  Sha256& operator=(const Sha256& other);
  ~Sha256();
  void update(std::string_view bytes);
  // "sha256:<hex>" of everything so far; the hasher can go on afterwards.
  std::string digest() const;

 private:
  struct Free {
    void operator()(evp_md_ctx_st* ctx) const;
  };
  std::unique_ptr<evp_md_ctx_st, Free> ctx_;
};

std::string sha256_digest(std::string_view bytes);

}  // namespace services::ecr
