#pragma once
// Shared by the STS tests: fakes of iam::Directory and iam::Authority, a JWT signer with a key
// that OpenSSL generates (RSA 2048 or EC P-256) and its JWKS, and a temporary directory.

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/ids.h"
#include "services/iam/authority.h"
#include "services/iam/directory.h"
#include "services/sts/jwt.h"

namespace services::sts::test {

inline constexpr char kAccount[] = "123456789012";

class FakeDirectory final : public iam::Directory {
 public:
  iam::RoleInfo& add_role(const std::string& name, int max_session_duration = 3600) {
    iam::RoleInfo r;
    r.account = kAccount;
    r.name = name;
    r.path = "/";
    r.arn = std::string("arn:aws:iam::") + kAccount + ":role/" + name;
    r.role_id = "AROAFAKE" + std::to_string(roles_.size()) + "XXXXXXXXXXX";
    r.max_session_duration = max_session_duration;
    return roles_[r.arn] = r;
  }
  void add_key(iam::AccessKeyInfo key) { keys_[key.access_key_id] = std::move(key); }
  void add_provider(const std::string& url, std::vector<std::string> client_ids) {
    iam::OidcProviderInfo p;
    p.account = kAccount;
    p.url = url;
    p.arn = std::string("arn:aws:iam::") + kAccount + ":oidc-provider/" + url;
    p.client_ids = std::move(client_ids);
    providers_[url] = p;
  }

  std::optional<iam::RoleInfo> find_role(std::string_view, std::string_view name) const override {
    for (const auto& [arn, r] : roles_) {
      if (r.name == name) return r;
    }
    return std::nullopt;
  }
  std::optional<iam::RoleInfo> find_role_by_arn(std::string_view arn) const override {
    auto it = roles_.find(std::string(arn));
    return it == roles_.end() ? std::nullopt : std::optional(it->second);
  }
  std::optional<iam::AccessKeyInfo> find_access_key(std::string_view id) const override {
    auto it = keys_.find(std::string(id));
    return it == keys_.end() ? std::nullopt : std::optional(it->second);
  }
  std::optional<iam::OidcProviderInfo> find_oidc_provider(std::string_view account,
                                                          std::string_view issuer) const override {
    if (issuer.starts_with("https://")) issuer.remove_prefix(8);
    while (issuer.ends_with('/')) issuer.remove_suffix(1);
    auto it = providers_.find(std::string(issuer));
    if (it == providers_.end() || it->second.account != account) return std::nullopt;
    return it->second;
  }
  std::vector<iam::PolicyText> identity_policies(std::string_view) const override { return {}; }
  iam::Tags principal_tags(std::string_view) const override { return {}; }

 private:
  std::map<std::string, iam::RoleInfo> roles_;
  std::map<std::string, iam::AccessKeyInfo> keys_;
  std::map<std::string, iam::OidcProviderInfo> providers_;
};

// Trust decisions by a rule the test sets (allow everything by default); records each request.
class FakeAuthority final : public iam::Authority {
 public:
  using Rule = std::function<bool(const iam::RoleInfo&, const iam::AuthzRequest&)>;
  void set_rule(Rule rule) { rule_ = std::move(rule); }
  std::vector<iam::AuthzRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

  iam::AuthzResult authorize(const iam::AuthzRequest&) const override {
    return {.decision = iam::Decision::Allow};
  }
  iam::AuthzResult authorize_trust(const iam::RoleInfo& role,
                                   const iam::AuthzRequest& request) const override {
    {
      std::lock_guard lock(mu_);
      requests_.push_back(request);
    }
    bool ok = !rule_ || rule_(role, request);
    return {.decision = ok ? iam::Decision::Allow : iam::Decision::ImplicitDeny};
  }

 private:
  Rule rule_;
  mutable std::mutex mu_;
  mutable std::vector<iam::AuthzRequest> requests_;
};

// The first value of a condition key, or "".
inline std::string key_of(const iam::AuthzRequest& r, const std::string& key) {
  auto it = r.keys.find(key);
  return it == r.keys.end() || it->second.empty() ? "" : it->second.front();
}

// Signs JWTs with a key generated here; jwks() publishes its public half.
class TokenSigner {
 public:
  enum class Alg { RS256, ES256 };
  explicit TokenSigner(Alg alg, std::string kid = "test-key") : alg_(alg), kid_(std::move(kid)) {
    key_ = alg == Alg::RS256 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048})
                             : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  }
  ~TokenSigner() { EVP_PKEY_free(key_); }
  TokenSigner(const TokenSigner&) = delete;
  TokenSigner& operator=(const TokenSigner&) = delete;

  std::string jwks() const {
    boost::json::object jwk{{"kid", kid_}, {"use", "sig"}};
    if (alg_ == Alg::RS256) {
      jwk["kty"] = "RSA";
      jwk["alg"] = "RS256";
      jwk["n"] = base64url_encode(bn_param(OSSL_PKEY_PARAM_RSA_N));
      jwk["e"] = base64url_encode(bn_param(OSSL_PKEY_PARAM_RSA_E));
    } else {
      jwk["kty"] = "EC";
      jwk["crv"] = "P-256";
      unsigned char point[65];
      size_t len = 0;
      EVP_PKEY_get_octet_string_param(key_, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &len);
      std::string p(reinterpret_cast<char*>(point), len);  // 0x04 || x || y
      jwk["x"] = base64url_encode(p.substr(1, 32));
      jwk["y"] = base64url_encode(p.substr(33, 32));
    }
    return boost::json::serialize(boost::json::object{{"keys", boost::json::array{jwk}}});
  }

  std::string sign(const boost::json::object& claims) const {
    boost::json::object header{
        {"alg", alg_ == Alg::RS256 ? "RS256" : "ES256"}, {"typ", "JWT"}, {"kid", kid_}};
    std::string input = base64url_encode(boost::json::serialize(header)) + "." +
                        base64url_encode(boost::json::serialize(claims));
    return input + "." + base64url_encode(raw_signature(input));
  }

 private:
  std::string bn_param(const char* name) const {
    BIGNUM* bn = nullptr;
    EVP_PKEY_get_bn_param(key_, name, &bn);
    std::string out(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
    BN_free(bn);
    return out;
  }

  std::string raw_signature(const std::string& input) const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    size_t len = 0;
    EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key_);
    EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()),
                   input.size());
    std::string sig(len, '\0');
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                   reinterpret_cast<const unsigned char*>(input.data()), input.size());
    EVP_MD_CTX_free(ctx);
    sig.resize(len);
    if (alg_ == Alg::RS256) return sig;
    // DER ECDSA-Sig-Value -> r || s, as JWS spells ES256.
    const unsigned char* p = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
    std::string raw(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(es), reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(es), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
    ECDSA_SIG_free(es);
    return raw;
  }

  Alg alg_;
  std::string kid_;
  EVP_PKEY* key_ = nullptr;
};

class TempDir {
 public:
  TempDir()
      : path_(std::filesystem::temp_directory_path() /
              ("gantry-sts-test-" + std::to_string(::getpid()) + "-" + core::ids::random_hex(8))) {
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::filesystem::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
    return path_ / name;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace services::sts::test
