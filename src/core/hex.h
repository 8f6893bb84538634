#pragma once
// Lower-case hexadecimal, the one encoder for digests, signatures and ids.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace core {

// Two lower-case hex digits per byte: hex("\x01\xab") == "01ab".
std::string hex(std::string_view bytes);
// The low `digits` hex digits of `value`, most significant first, zero-padded: hex(255, 4) ==
// "00ff".
std::string hex(std::uint64_t value, int digits);
// The value (0-15) of one hex digit of either case; -1 for any other character.
int hex_digit(char c);
// The bytes `text` spells (either case); nullopt for an odd length or a non-hex character.
std::optional<std::string> unhex(std::string_view text);

}  // namespace core
