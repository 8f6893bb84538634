#include "services/sts/jwt.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "core/base64.h"

namespace services::sts {
namespace {

namespace json = boost::json;

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using BnPtr = std::unique_ptr<BIGNUM, decltype(&BN_free)>;

std::optional<json::object> parse_object(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

BnPtr bignum(const std::string& big_endian) {
  return BnPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(big_endian.data()),
                         static_cast<int>(big_endian.size()), nullptr),
               BN_free);
}

// EVP_PKEY_fromdata over the parameters `fill` pushes; null when OpenSSL refuses them.
template <class Fill>
PkeyPtr key_from_params(const char* type, Fill fill) {
  PkeyPtr none(nullptr, EVP_PKEY_free);
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> bld(OSSL_PARAM_BLD_new(),
                                                                      OSSL_PARAM_BLD_free);
  if (!bld || !fill(bld.get())) return none;
  std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(bld.get()),
                                                                 OSSL_PARAM_free);
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr), EVP_PKEY_CTX_free);
  EVP_PKEY* pkey = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0) {
    return none;
  }
  return PkeyPtr(pkey, EVP_PKEY_free);
}

PkeyPtr rsa_key(const json::object& jwk) {
  auto n = base64url_decode(jwk.contains("n") && jwk.at("n").is_string()
                                ? std::string_view(jwk.at("n").as_string())
                                : std::string_view());
  auto e = base64url_decode(jwk.contains("e") && jwk.at("e").is_string()
                                ? std::string_view(jwk.at("e").as_string())
                                : std::string_view());
  if (!n || !e || n->empty() || e->empty()) return PkeyPtr(nullptr, EVP_PKEY_free);
  BnPtr bn_n = bignum(*n);
  BnPtr bn_e = bignum(*e);
  return key_from_params("RSA", [&](OSSL_PARAM_BLD* b) {
    return bn_n && bn_e && OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_N, bn_n.get()) &&
           OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_E, bn_e.get());
  });
}

PkeyPtr ec_p256_key(const json::object& jwk) {
  auto member = [&](std::string_view k) {
    const json::value* v = jwk.if_contains(k);
    return v && v->is_string() ? base64url_decode(v->as_string()) : std::nullopt;
  };
  std::optional<std::string> x = member("x");
  std::optional<std::string> y = member("y");
  if (!x || !y || x->size() != 32 || y->size() != 32) return PkeyPtr(nullptr, EVP_PKEY_free);
  std::string point = "\x04" + *x + *y;  // SEC 1 uncompressed point
  return key_from_params("EC", [&](OSSL_PARAM_BLD* b) {
    return OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) &&
           OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
  });
}

// A JWS ES256 signature is r || s, 32 bytes each; EVP wants the DER ECDSA-Sig-Value.
std::optional<std::string> ecdsa_der(std::string_view raw) {
  if (raw.size() != 64) return std::nullopt;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  if (sig == nullptr) return std::nullopt;
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr);
  if (r == nullptr || s == nullptr || ECDSA_SIG_set0(sig, r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  int len = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (len <= 0) return std::nullopt;
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

bool digest_verify(EVP_PKEY* key, std::string_view data, std::string_view sig) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                          reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
}

}  // namespace

struct Jwks::Key {
  std::string kid;
  std::string kty;  // "RSA" or "EC"
  PkeyPtr pkey{nullptr, EVP_PKEY_free};
};

std::string base64url_encode(std::string_view bytes) {
  std::string s = core::base64_encode(bytes);
  while (!s.empty() && s.back() == '=') s.pop_back();
  for (char& c : s) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return s;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  std::string s(text);
  for (char& c : s) {
    if (c == '-') {
      c = '+';
    } else if (c == '_') {
      c = '/';
    } else if (c == '+' || c == '/' || c == '=') {
      return std::nullopt;  // not the URL alphabet, or padded
    }
  }
  return core::base64_decode(s);
}

std::optional<Jwt> decode_jwt(std::string_view token) {
  std::size_t a = token.find('.');
  std::size_t b = a == std::string_view::npos ? a : token.find('.', a + 1);
  if (b == std::string_view::npos || token.find('.', b + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  std::optional<std::string> header = base64url_decode(token.substr(0, a));
  std::optional<std::string> payload = base64url_decode(token.substr(a + 1, b - a - 1));
  std::optional<std::string> signature = base64url_decode(token.substr(b + 1));
  if (!header || !payload || !signature) return std::nullopt;
  std::optional<json::object> h = parse_object(*header);
  std::optional<json::object> c = parse_object(*payload);
  if (!h || !c) return std::nullopt;
  return Jwt{std::move(*h), std::move(*c), std::string(token.substr(0, b)), std::move(*signature)};
}

std::optional<Jwks> Jwks::parse(std::string_view text, std::string* error) {
  std::optional<json::object> doc = parse_object(text);
  const json::value* keys = doc ? doc->if_contains("keys") : nullptr;
  if (keys == nullptr || !keys->is_array()) {
    *error = "not a JWKS document (a JSON object with a \"keys\" array)";
    return std::nullopt;
  }
  Jwks out;
  for (const json::value& k : keys->as_array()) {
    if (!k.is_object()) continue;
    const json::object& jwk = k.as_object();
    auto text_of = [&](std::string_view m) {
      const json::value* v = jwk.if_contains(m);
      return v && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    auto key = std::make_shared<Key>();
    key->kid = text_of("kid");
    key->kty = text_of("kty");
    if (key->kty == "RSA") {
      key->pkey = rsa_key(jwk);
    } else if (key->kty == "EC" && text_of("crv") == "P-256") {
      key->pkey = ec_p256_key(jwk);
    }
    if (key->pkey) out.keys_.push_back(std::move(key));
  }
  if (out.keys_.empty()) {
    *error = "no usable key (RSA, or EC on P-256)";
    return std::nullopt;
  }
  return out;
}

bool Jwks::verify(const Jwt& token) const {
  const json::value* alg = token.header.if_contains("alg");
  const json::value* kid = token.header.if_contains("kid");
  std::string_view kty;
  std::string signature = token.signature;
  if (alg != nullptr && alg->is_string() && alg->as_string() == "RS256") {
    kty = "RSA";
  } else if (alg != nullptr && alg->is_string() && alg->as_string() == "ES256") {
    kty = "EC";
    std::optional<std::string> der = ecdsa_der(token.signature);
    if (!der) return false;
    signature = std::move(*der);
  } else {
    return false;  // "none", HS256 (a shared secret has no place in a JWKS) and the rest
  }
  for (const auto& key : keys_) {
    if (key->kty != kty) continue;
    if (kid != nullptr && kid->is_string() && key->kid != std::string_view(kid->as_string())) {
      continue;
    }
    if (digest_verify(key->pkey.get(), token.signing_input, signature)) return true;
  }
  return false;
}

}  // namespace services::sts
