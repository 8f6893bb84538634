#include "core/base64.h"

#include <openssl/evp.h>

namespace core {

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  // EVP_DecodeBlock wants whole quads and reports padding only through the length; re-pad so
  // unpadded input decodes too, then trim the bytes the padding stood for.
  std::string padded(text);
  if (padded.size() % 4 == 1) {
    return std::nullopt;
  }
  while (padded.size() % 4 != 0) {
    padded.push_back('=');
  }
  std::size_t pad = 0;
  if (!padded.empty() && padded.back() == '=') {
    pad = (padded.size() >= 2 && padded[padded.size() - 2] == '=') ? 2 : 1;
  }
  for (std::size_t i = 0; i < padded.size(); ++i) {
    char c = padded[i];
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '/' || (c == '=' && i >= padded.size() - pad);
    if (!ok) {
      return std::nullopt;
    }
  }
  std::string out(padded.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(padded.data()),
                          static_cast<int>(padded.size()));
  if (n < 0 || static_cast<std::size_t>(n) < pad) {
    return std::nullopt;
  }
  out.resize(static_cast<std::size_t>(n) - pad);
  return out;
}

}  // namespace core
