#pragma once
// JSON Web Tokens (RFC 7519) as AssumeRoleWithWebIdentity receives them, and the JSON Web Key
// Sets (RFC 7517) that verify their signatures: RS256 (RSA PKCS#1 v1.5 + SHA-256) and ES256
// (ECDSA P-256 + SHA-256), over OpenSSL's EVP. Nothing here fetches anything: an issuer's JWKS
// is a file the operator provides (--oidc-jwks), since this machine reaches no issuer.

#include <boost/json/object.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace services::sts {

struct Jwt {
  boost::json::object header;  // {"alg": "RS256", "kid": "...", "typ": "JWT"}
  boost::json::object claims;  // {"iss": ..., "sub": ..., "aud": ..., "exp": ...}
  std::string signing_input;   // "<header b64url>.<payload b64url>", the bytes signed
  std::string signature;       // raw signature bytes
};

// The three base64url parts of `token`, header and claims parsed as JSON objects; nullopt for
// anything else.
std::optional<Jwt> decode_jwt(std::string_view token);

// Unpadded base64url (RFC 4648 §5), as JWTs spell their parts.
std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

class Jwks {
 public:
  // The usable keys of a JWKS document ({"keys": [{"kty": "RSA", "n", "e", "kid"}, {"kty": "EC",
  // "crv": "P-256", "x", "y", "kid"}]}); keys of other types are skipped. nullopt, with a reason
  // in `error`, when the text is not a JWKS or holds no usable key.
  static std::optional<Jwks> parse(std::string_view text, std::string* error);

  // True when `token` is signed with RS256 or ES256 by one of the keys: the one named by the
  // header's "kid" when it has one, else any key of the algorithm's type.
  bool verify(const Jwt& token) const;

  std::size_t size() const { return keys_.size(); }

 private:
  struct Key;
  std::vector<std::shared_ptr<const Key>> keys_;
};

}  // namespace services::sts
