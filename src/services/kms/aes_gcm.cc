#include "services/kms/aes_gcm.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>

#include "core/check.h"

namespace services::kms::aes_gcm {
namespace {

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* bytes(std::string& s, std::size_t offset) {
  return reinterpret_cast<unsigned char*>(s.data()) + offset;
}

// EVP takes int lengths; every KMS input is far below INT_MAX (the model caps plaintext at 4 KiB).
int len(std::string_view s) {
  CHECK(s.size() < (1u << 30)) << "KMS inputs are bounded by the model";
  return static_cast<int>(s.size());
}

CipherCtx init(std::string_view key, std::string_view nonce, bool encrypt) {
  CHECK(key.size() == kKeyBytes) << "AES-256 keys are 32 bytes";
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  CHECK(ctx) << "EVP_CIPHER_CTX_new fails only when out of memory";
  CHECK(EVP_CipherInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr,
                          encrypt ? 1 : 0) == 1);
  CHECK(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) == 1);
  CHECK(EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, bytes(key), bytes(nonce), encrypt ? 1 : 0) ==
        1);
  return ctx;
}

}  // namespace

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  if (n > 0) {
    CHECK(RAND_bytes(bytes(out, 0), static_cast<int>(n)) == 1)
        << "OpenSSL's CSPRNG is seeded by the kernel";
  }
  return out;
}

std::string seal(std::string_view key, std::string_view plaintext, std::string_view aad) {
  std::string out = random_bytes(kNonceBytes);
  out.resize(kNonceBytes + plaintext.size() + kTagBytes);
  CipherCtx ctx = init(key, std::string_view(out).substr(0, kNonceBytes), true);
  int n = 0;
  if (!aad.empty()) {
    CHECK(EVP_EncryptUpdate(ctx.get(), nullptr, &n, bytes(aad), len(aad)) == 1);
  }
  int written = 0;
  if (!plaintext.empty()) {
    CHECK(EVP_EncryptUpdate(ctx.get(), bytes(out, kNonceBytes), &written, bytes(plaintext),
                            len(plaintext)) == 1);
  }
  CHECK(EVP_EncryptFinal_ex(ctx.get(), bytes(out, kNonceBytes + written), &n) == 1);
  CHECK(static_cast<std::size_t>(written + n) == plaintext.size()) << "GCM is a stream mode";
  CHECK(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes,
                            bytes(out, kNonceBytes + plaintext.size())) == 1);
  return out;
}

std::optional<std::string> open(std::string_view key, std::string_view sealed,
                                std::string_view aad) {
  if (sealed.size() < kOverhead) {
    return std::nullopt;
  }
  std::string_view nonce = sealed.substr(0, kNonceBytes);
  std::string_view body = sealed.substr(kNonceBytes, sealed.size() - kOverhead);
  std::string tag(sealed.substr(sealed.size() - kTagBytes));
  CipherCtx ctx = init(key, nonce, false);
  int n = 0;
  if (!aad.empty()) {
    CHECK(EVP_DecryptUpdate(ctx.get(), nullptr, &n, bytes(aad), len(aad)) == 1);
  }
  std::string out(body.size(), '\0');
  int written = 0;
  if (!body.empty()) {
    CHECK(EVP_DecryptUpdate(ctx.get(), bytes(out, 0), &written, bytes(body), len(body)) == 1);
  }
  CHECK(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1);
  // The tag is checked here: a mismatch returns 0 and the decrypted bytes are discarded.
  if (EVP_DecryptFinal_ex(ctx.get(), bytes(out, written), &n) != 1) {
    return std::nullopt;
  }
  return out;
}

}  // namespace services::kms::aes_gcm
