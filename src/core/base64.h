#pragma once
// Base64 (RFC 4648, standard alphabet) over OpenSSL's EVP block codec, shared by every codec.

#include <optional>
#include <string>
#include <string_view>

namespace core {

std::string base64_encode(std::string_view bytes);
// Accepts padded and unpadded input; nullopt on any character outside the alphabet.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace core
