#pragma once
// Text and comparison helpers shared by sigv4.cc and aws_chunked.cc. Internal to protocol/.

#include <openssl/crypto.h>

#include <string>
#include <string_view>

#include "protocol/sigv4.h"

namespace protocol::sigv4::detail {

inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

inline std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

inline AuthError mismatch() {
  return {Failure::SignatureMismatch, std::string(kSignatureMismatchMessage)};
}

// Constant-time comparison of two hex signatures.
inline bool equal_signatures(std::string_view expected, std::string_view given) {
  return expected.size() == given.size() &&
         CRYPTO_memcmp(expected.data(), given.data(), expected.size()) == 0;
}

}  // namespace protocol::sigv4::detail
