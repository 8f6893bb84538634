#include "core/sha256.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/check.h"

namespace core {

void Sha256::Free::operator()(evp_md_ctx_st* ctx) const { EVP_MD_CTX_free(ctx); }

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  CHECK(ctx_ && EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) == 1)
      << "OpenSSL always provides SHA-256";
}

Sha256::Sha256(const Sha256& other) : ctx_(EVP_MD_CTX_new()) {
  CHECK(ctx_ && EVP_MD_CTX_copy_ex(ctx_.get(), other.ctx_.get()) == 1)
      << "copying an initialised digest context only allocates";
}

Sha256& Sha256::operator=(const Sha256& other) {
  if (this != &other) {
    CHECK(EVP_MD_CTX_copy_ex(ctx_.get(), other.ctx_.get()) == 1)
        << "copying an initialised digest context only allocates";
  }
  return *this;
}

Sha256::~Sha256() = default;

void Sha256::update(std::string_view bytes) { update(bytes.data(), bytes.size()); }

void Sha256::update(const void* data, std::size_t size) {
  EVP_DigestUpdate(ctx_.get(), data, size);
}

std::string Sha256::finish() const {
  std::unique_ptr<evp_md_ctx_st, Free> copy(EVP_MD_CTX_new());
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  CHECK(copy && EVP_MD_CTX_copy_ex(copy.get(), ctx_.get()) == 1 &&
        EVP_DigestFinal_ex(copy.get(), md, &len) == 1)
      << "finishing a copy of an initialised digest context only allocates";
  return std::string(reinterpret_cast<const char*>(md), len);
}

std::string sha256(std::string_view data) {
  Sha256 h;
  h.update(data);
  return h.finish();
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), md, &len);
  return std::string(reinterpret_cast<const char*>(md), len);
}

}  // namespace core
