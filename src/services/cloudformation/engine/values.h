#pragma once
// Scalars as CloudFormation sees them: every property reaches a provider as text, so a number or a
// boolean in a template is compared, joined and substituted by its text form.

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace services::cloudformation::engine {

// "abc" → abc, 80 → 80, 0.5 → 0.5 (shortest form), true → true; nullopt for null, arrays and
// objects.
std::optional<std::string> scalar_text(const boost::json::value& v);

// The whole of `s` as a number (std::stod) or a base-10 integer; nullopt otherwise.
std::optional<double> parse_number(const std::string& s);
std::optional<int64_t> parse_integer(const std::string& s);

// "[A, B]": how CloudFormation lists names in its messages.
std::string bracket_list(const std::vector<std::string>& names);

}  // namespace services::cloudformation::engine
