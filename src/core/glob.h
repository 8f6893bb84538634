#pragma once
// The one glob matcher: ECR lifecycle tag patterns, CloudWatch Logs filter values, EC2 filter
// values and ALB host/path conditions all use it.

#include <string_view>

namespace core {

struct GlobOptions {
  bool any_char = false;          // `?` matches exactly one character (EC2, ALB); else literal
  bool case_insensitive = false;  // ASCII only (ALB host headers)
};

// True when `text` matches `pattern` as a whole, where `*` matches any run of characters, even
// an empty one. Iterative, with backtracking to the last `*` only: O(pattern × text) at worst,
// no recursion, so user-supplied patterns are safe.
bool glob_match(std::string_view pattern, std::string_view text, GlobOptions options = {});

}  // namespace core
