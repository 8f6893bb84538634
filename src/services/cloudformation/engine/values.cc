#include "services/cloudformation/engine/values.h"

#include <charconv>
#include <stdexcept>

namespace services::cloudformation::engine {

std::optional<std::string> scalar_text(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::string:
      return std::string(v.get_string());
    case boost::json::kind::int64:
      return std::to_string(v.get_int64());
    case boost::json::kind::uint64:
      return std::to_string(v.get_uint64());
    case boost::json::kind::double_: {
      char buf[64];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.get_double());
      return std::string(buf, end);
    }
    case boost::json::kind::bool_:
      return v.get_bool() ? "true" : "false";
    default:
      return std::nullopt;
  }
}

std::optional<double> parse_number(const std::string& s) {
  try {
    size_t used = 0;
    double d = std::stod(s, &used);
    if (used == s.size()) {
      return d;
    }
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

std::optional<int64_t> parse_integer(const std::string& s) {
  try {
    size_t used = 0;
    int64_t v = std::stoll(s, &used);
    if (used == s.size()) {
      return v;
    }
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

std::string bracket_list(const std::vector<std::string>& names) {
  std::string out = "[";
  for (size_t i = 0; i < names.size(); ++i) {
    out += (i ? ", " : "") + names[i];
  }
  return out + "]";
}

}  // namespace services::cloudformation::engine
