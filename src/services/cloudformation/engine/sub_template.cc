#include "services/cloudformation/engine/sub_template.h"

#include "services/cloudformation/engine/errors.h"

namespace services::cloudformation::engine {
namespace {

bool valid_name(std::string_view name) {
  if (name.empty()) {
    return false;
  }
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == ':' || c == '.';
    if (!ok) {
      return false;
    }
  }
  return true;
}

void literal(std::vector<SubPart>& parts, std::string_view text) {
  if (text.empty()) {
    return;
  }
  if (!parts.empty() && !parts.back().variable) {
    parts.back().text += text;
  } else {
    parts.push_back({false, std::string(text)});
  }
}

}  // namespace

std::vector<SubPart> parse_sub(std::string_view s) {
  std::vector<SubPart> parts;
  while (!s.empty()) {
    size_t open = s.find("${");
    if (open == std::string_view::npos || open + 2 == s.size()) {
      literal(parts, s);
      break;
    }
    literal(parts, s.substr(0, open));
    if (s[open + 2] == '!') {
      literal(parts, "${");
      s = s.substr(open + 3);
      continue;
    }
    size_t close = s.find('}', open + 2);
    if (close == std::string_view::npos) {
      literal(parts, s.substr(open));
      break;
    }
    std::string_view name = s.substr(open + 2, close - open - 2);
    if (!valid_name(name)) {
      fail(
          "Template error: variable names in Fn::Sub syntax must contain only alphanumeric "
          "characters, underscores, periods, and colons");
    }
    parts.push_back({true, std::string(name)});
    s = s.substr(close + 1);
  }
  return parts;
}

}  // namespace services::cloudformation::engine
