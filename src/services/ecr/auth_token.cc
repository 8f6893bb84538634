#include "services/ecr/auth_token.h"

#include <openssl/crypto.h>

#include <fstream>
#include <sstream>

#include "core/base64.h"
#include "core/hex.h"
#include "core/ids.h"
#include "core/sha256.h"

namespace services::ecr {

TokenIssuer::TokenIssuer(const std::filesystem::path& data_dir) {
  std::filesystem::path file = data_dir / "ecr" / "token.key";
  std::ifstream in(file);
  if (in) {
    std::getline(in, key_);
  }
  if (key_.size() < 32) {
    key_ = core::ids::random_hex(64);
    std::filesystem::create_directories(file.parent_path());
    std::filesystem::path tmp = file;
    tmp += ".tmp";
    {
      std::ofstream out(tmp);
      out << key_ << "\n";
    }
    std::filesystem::permissions(tmp, std::filesystem::perms::owner_read |
                                          std::filesystem::perms::owner_write);
    std::filesystem::rename(tmp, file);
  }
}

std::string TokenIssuer::mac(std::string_view payload) const {
  return core::hex(core::hmac_sha256(key_, payload));
}

std::string TokenIssuer::issue(const TokenClaims& c) const {
  std::string payload = c.account + "|" + c.region + "|" +
                        std::to_string(core::to_epoch_millis(c.expires_at));
  std::string encoded = core::base64_encode(payload);
  return encoded + "." + mac(encoded);
}

std::optional<TokenClaims> TokenIssuer::verify(std::string_view token) const {
  std::size_t dot = token.rfind('.');
  if (dot == std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view encoded = token.substr(0, dot);
  std::string expected = mac(encoded);
  std::string_view given = token.substr(dot + 1);
  if (given.size() != expected.size() ||
      CRYPTO_memcmp(given.data(), expected.data(), expected.size()) != 0) {
    return std::nullopt;
  }
  std::optional<std::string> payload = core::base64_decode(encoded);
  if (!payload) {
    return std::nullopt;
  }
  std::size_t a = payload->find('|');
  std::size_t b = payload->find('|', a == std::string::npos ? a : a + 1);
  if (a == std::string::npos || b == std::string::npos) {
    return std::nullopt;
  }
  TokenClaims c;
  c.account = payload->substr(0, a);
  c.region = payload->substr(a + 1, b - a - 1);
  try {
    c.expires_at = core::from_epoch_millis(std::stoll(payload->substr(b + 1)));
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return c;
}

std::optional<TokenClaims> TokenIssuer::from_authorization(std::string_view header) const {
  if (header.size() < 6 || !(header.substr(0, 6) == "Basic " || header.substr(0, 6) == "basic ")) {
    return std::nullopt;
  }
  std::optional<std::string> decoded = core::base64_decode(header.substr(6));
  if (!decoded) {
    return std::nullopt;
  }
  std::size_t colon = decoded->find(':');
  if (colon == std::string::npos) {
    return std::nullopt;
  }
  return verify(std::string_view(*decoded).substr(colon + 1));
}

}  // namespace services::ecr
