#pragma once
// Parameter names as Parameter Store reads them: the rules PutParameter enforces, the key a name
// is stored under, ARNs, and GetParameter's selectors ("name", "name:3", "name:label", an ARN).
// Pure functions.
// https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/aws_error.h"

namespace services::ssm {

// The name a parameter is stored under: without a leading '/', so that "/db" and "db" are one
// parameter, as in AWS (their ARNs are the same).
std::string name_key(std::string_view name);
// arn:aws:ssm:<region>:<account>:parameter/<name without leading slash>
std::string parameter_arn(std::string_view account, std::string_view region, std::string_view name);

// PutParameter's name rules: ValidationException for a malformed name or an "aws"/"ssm" prefix,
// AccessDeniedException for a path under /aws, HierarchyLevelLimitExceededException past 15
// levels.
protocol::Result<void> check_name(std::string_view name);

// A hierarchy path as GetParametersByPath and the Path filter take it ("/", "/app", "/app/").
protocol::Result<void> check_path(std::string_view path);

struct Selector {
  std::string name;                  // as written, without ":version" or ":label"
  std::optional<int64_t> version;    // "name:3"
  std::optional<std::string> label;  // "name:prod"
  std::string suffix;                // ":3" or ":prod", as GetParameter echoes it in Selector
  std::string account;               // when given by ARN, else empty
  std::string region;
  bool by_arn = false;
};
// nullopt when `text` cannot name a parameter (an ARN of another service, several ':').
std::optional<Selector> parse_selector(std::string_view text);

}  // namespace services::ssm
