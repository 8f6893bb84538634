#include "services/iam/iam_names.h"

#include <algorithm>
#include <cctype>

#include "core/base64.h"
#include "core/ids.h"
#include "core/json.h"
#include "services/iam/errors.h"

namespace services::iam {

namespace json = boost::json;

std::string new_id(std::string_view prefix) {
  return std::string(prefix) + core::ids::random_upper_alnum(17);
}

std::string entity_arn(std::string_view account, std::string_view type, std::string_view path,
                       std::string_view name) {
  std::string arn = "arn:aws:iam::";
  arn += account;
  arn += ':';
  arn += type;
  arn += path.empty() ? std::string_view("/") : path;
  arn += name;
  return arn;
}

protocol::Result<void> check_name(std::string_view field, std::string_view value) {
  bool ok = std::all_of(value.begin(), value.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '+' || c == '=' ||
           c == ',' || c == '.' || c == '@' || c == '-';
  });
  if (ok) return {};
  return errors::constraint(std::string(field), std::string(value),
                            "Member must satisfy regular expression pattern: [\\w+=,.@-]+");
}

protocol::Result<void> check_path(std::string_view path) {
  bool ok = !path.empty() && path.front() == '/' && path.back() == '/' &&
            std::all_of(path.begin(), path.end(), [](char c) { return c >= 0x21 && c <= 0x7e; });
  if (ok) return {};
  return errors::validation(
      "The specified value for path is invalid. It must begin and end with / and contain only "
      "alphanumeric characters and/or / characters.");
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 2);
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

void paginate(const json::array& items, const json::object& in, json::object& out,
              std::string_view member) {
  std::size_t start = 0;
  if (std::optional<std::string> marker = core::opt_str(in, "Marker")) {
    std::optional<std::string> decoded = core::base64_decode(*marker);
    if (decoded && decoded->starts_with("o:")) {
      start = std::min<std::size_t>(std::strtoull(decoded->c_str() + 2, nullptr, 10), items.size());
    }
  }
  auto max =
      static_cast<std::size_t>(std::max<int64_t>(core::opt_int(in, "MaxItems").value_or(100), 1));
  std::size_t end = std::min(items.size(), start + max);
  json::array page(items.begin() + static_cast<std::ptrdiff_t>(start),
                   items.begin() + static_cast<std::ptrdiff_t>(end));
  out[member] = std::move(page);
  out["IsTruncated"] = end < items.size();
  if (end < items.size()) out["Marker"] = core::base64_encode("o:" + std::to_string(end));
}

bool path_matches(const json::object& in, std::string_view path) {
  std::optional<std::string> prefix = core::opt_str(in, "PathPrefix");
  return !prefix || path.starts_with(*prefix);
}

}  // namespace services::iam
