#pragma once
// The one query-string splitter: `key[=value]&...` as in a URL query or an
// application/x-www-form-urlencoded body, in order, with empty values kept.
//
// Splitting is by hand rather than through boost::urls::parse_query, which rejects raw characters
// (space, '"', '|', bytes above 0x7f) that clients do send and that every caller here accepts.
// Decoding is Boost.URL's. All functions are pure and thread-safe.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace core {

// One pair as sent, still percent-encoded; views into the text given to split_query.
struct RawQueryParam {
  std::string_view key;
  std::string_view value;  // empty when there is no '='
  bool has_value = false;  // "a=" has an (empty) value, "a" has none
};

// Splits on '&', then on the first '='. Empty pairs ("a&&b", a trailing '&') are skipped.
std::vector<RawQueryParam> split_query(std::string_view raw);

// split_query, then each key and value through percent_decode (core/percent.h): a part with a
// malformed escape is kept as sent. With plus_is_space, '+' is a space (form encoding).
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view raw,
                                                             bool plus_is_space);

}  // namespace core
