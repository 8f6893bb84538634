#pragma once
// SHA-256 and HMAC-SHA256 over OpenSSL EVP; results are raw bytes (core::hex for text).

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace core {

// Incremental SHA-256. Copyable, so a running hash (an upload in progress) can be finished without
// ending it. Not thread-safe; one owner at a time.
class Sha256 {
 public:
  static constexpr std::size_t kSize = 32;

  Sha256();
  Sha256(const Sha256& other);
  Sha256& operator=(const Sha256& other);
  ~Sha256();

  void update(std::string_view bytes);
  void update(const void* data, std::size_t size);
  // The 32-byte digest of everything so far; the hasher can go on afterwards.
  std::string finish() const;

 private:
  struct Free {
    void operator()(evp_md_ctx_st* ctx) const;
  };
  std::unique_ptr<evp_md_ctx_st, Free> ctx_;
};

// The 32-byte SHA-256 of `data`.
std::string sha256(std::string_view data);
// The 32-byte HMAC-SHA256 of `data` under `key`.
std::string hmac_sha256(std::string_view key, std::string_view data);

}  // namespace core
