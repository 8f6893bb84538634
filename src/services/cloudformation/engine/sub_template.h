#pragma once
// The string of an Fn::Sub split into literal text and ${Variable} references. `${!Literal}`
// is the literal text `${Literal}`; a `${` without a closing brace is literal text.

#include <string>
#include <string_view>
#include <vector>

namespace services::cloudformation::engine {

struct SubPart {
  bool variable = false;
  std::string text;  // literal text, or the variable name ("AWS::Region", "Res.Attr", "Param")
};

// Throws "Template error: variable names in Fn::Sub syntax must contain only alphanumeric
// characters, underscores, periods, and colons".
std::vector<SubPart> parse_sub(std::string_view s);

}  // namespace services::cloudformation::engine
