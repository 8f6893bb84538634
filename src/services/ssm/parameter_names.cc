#include "services/ssm/parameter_names.h"

#include <algorithm>
#include <cctype>

#include "core/ids.h"
#include "services/ssm/errors.h"

namespace services::ssm {

namespace {

// https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html
// "Parameter hierarchies are limited to a maximum depth of fifteen levels."
constexpr std::size_t kMaxLevels = 15;
// "The reported maximum length of 2048 characters for a parameter name includes 1037 characters
// reserved for internal use by Systems Manager. The maximum length for a parameter name that you
// create is 1011 characters."
constexpr std::size_t kMaxNameLength = 1011;

constexpr std::string_view kPathRules =
    "Parameter name: can't be prefixed with \"ssm\" (case-insensitive). If formed as a path, it "
    "can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of "
    "letters, numbers and the following 3 symbols .-_";

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' ||
         c == '/';
}

}  // namespace

std::string name_key(std::string_view name) {
  if (name.starts_with('/')) name.remove_prefix(1);
  return std::string(name);
}

std::string parameter_arn(std::string_view account, std::string_view region,
                          std::string_view name) {
  return core::ids::arn("ssm", region, account, "parameter/" + name_key(name));
}

protocol::Result<void> check_name(std::string_view name) {
  std::string bare = lower(name_key(name));
  bool is_path = std::count(name.begin(), name.end(), '/') > 1;
  if (bare.starts_with("aws") || bare.starts_with("ssm")) {
    if (is_path && bare.starts_with("aws")) return errors::reserved_name(std::string(name));
    if (!is_path) {
      return errors::validation(
          "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive).");
    }
    return errors::validation(std::string(kPathRules));
  }
  if (name.size() > kMaxNameLength) {
    return errors::constraint("name", std::string(name),
                              "Member must have length less than or equal to 1011");
  }
  if (name.find('/') != std::string_view::npos && !name.starts_with('/')) {
    return errors::validation("Parameter name must be a fully qualified name.");
  }
  if (!std::all_of(name.begin(), name.end(), name_char) || name.find("//") != name.npos ||
      name.ends_with('/')) {
    return errors::validation(std::string(kPathRules));
  }
  if (static_cast<std::size_t>(std::count(name.begin(), name.end(), '/')) > kMaxLevels) {
    return errors::hierarchy_too_deep();
  }
  return {};
}

protocol::Result<void> check_path(std::string_view path) {
  std::string_view inner = path;
  if (inner.ends_with('/') && inner.size() > 1) inner.remove_suffix(1);
  if (!path.starts_with('/') || inner.find("//") != inner.npos ||
      !std::all_of(path.begin(), path.end(), name_char)) {
    return errors::validation(
        "The parameter doesn't meet the parameter name requirements. The parameter name must "
        "begin with a forward slash \"/\". It can't be prefixed with \"aws\" or \"ssm\" "
        "(case-insensitive). It must use only letters, numbers, or the following symbols: . "
        "(period), - (hyphen), _ (underscore). Special characters are not allowed. All "
        "sub-paths, if specified, must use the forward slash symbol \"/\". Valid example: "
        "/get/parameters2-/by1./path0_.");
  }
  if (static_cast<std::size_t>(std::count(inner.begin(), inner.end(), '/')) > kMaxLevels) {
    return errors::hierarchy_too_deep();
  }
  return {};
}

std::optional<Selector> parse_selector(std::string_view text) {
  Selector s;
  std::string_view rest = text;
  if (text.starts_with("arn:")) {
    core::ids::ParsedArn arn;
    if (!core::ids::parse_arn(text, &arn) || arn.service != "ssm" ||
        !arn.resource.starts_with("parameter/")) {
      return std::nullopt;
    }
    s.by_arn = true;
    s.account = arn.account;
    s.region = arn.region;
    // The ARN drops a hierarchical name's leading slash; put it back.
    std::string_view resource = std::string_view(text).substr(text.size() - arn.resource.size());
    rest = resource.substr(std::string_view("parameter").size());
    if (rest.substr(1).find('/') == std::string_view::npos) rest.remove_prefix(1);
  }
  std::size_t colon = rest.find(':');
  s.name = std::string(rest.substr(0, colon));
  if (s.name.empty()) return std::nullopt;
  if (colon == std::string_view::npos) return s;
  std::string_view tail = rest.substr(colon + 1);
  if (tail.empty() || tail.find(':') != std::string_view::npos) return std::nullopt;
  s.suffix = ":" + std::string(tail);
  if (std::all_of(tail.begin(), tail.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
      tail.size() < 18) {
    s.version = std::stoll(std::string(tail));
  } else {
    s.label = std::string(tail);
  }
  return s;
}

}  // namespace services::ssm
