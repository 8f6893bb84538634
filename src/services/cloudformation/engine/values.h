#pragma once
// Scalars as CloudFormation sees them: every property reaches a provider as text, so a number or a
// boolean in a template is compared, joined and substituted by its text form.

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

namespace services::cloudformation::engine {

// "abc" → abc, 80 → 80, 0.5 → 0.5 (shortest form), true → true; nullopt for null, arrays and
// objects.
std::optional<std::string> scalar_text(const boost::json::value& v);

// "[A, B]": how CloudFormation lists names in its messages.
std::string bracket_list(const std::vector<std::string>& names);

}  // namespace services::cloudformation::engine
