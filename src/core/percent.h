#pragma once
// Percent-decoding of one query-string key or value, through Boost.URL: leniently (ALB rule
// conditions, the OCI registry's query parameters) or strictly (the AWS protocols).

#include <optional>
#include <string>
#include <string_view>

namespace core {

// Decodes %XX escapes; with plus_is_space, '+' is a space (application/x-www-form-urlencoded).
// Text containing a malformed escape is returned unchanged.
std::string percent_decode(std::string_view text, bool plus_is_space);
// The same, but nullopt for text containing a malformed escape (strict parsers reject it).
std::optional<std::string> percent_decode_strict(std::string_view text, bool plus_is_space);

}  // namespace core
