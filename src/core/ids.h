#pragma once
// Identifiers as AWS shapes them: request ids (UUID v4), hex ids, resource ids, ARNs.

#include <cstddef>
#include <string>
#include <string_view>

namespace core::ids {

// Lower-case hex from a CSPRNG: random_hex(32) is an ECS task id.
std::string random_hex(std::size_t chars);
// Upper-case letters and digits, as in access key ids (after the 4-letter prefix).
std::string random_upper_alnum(std::size_t chars);
// Base64-ish secret material (letters, digits, '+', '/').
std::string random_secret(std::size_t chars);
// 8-4-4-4-12 lower-case UUID v4: x-amzn-RequestId, clientToken defaults.
std::string uuid4();
// "<prefix>-<17 hex>": vpc-0a1b..., subnet-..., sg-... as EC2 makes them.
std::string resource_id(std::string_view prefix);

// arn:<partition>:<service>:<region>:<account>:<resource>
std::string arn(std::string_view service, std::string_view region, std::string_view account,
                std::string_view resource);
std::string_view partition_for_region(std::string_view region);

struct ParsedArn {
  std::string partition, service, region, account, resource;
};
// False when `text` is not an ARN (fewer than six ':'-separated fields, or no "arn:" prefix).
bool parse_arn(std::string_view text, ParsedArn* out);

}  // namespace core::ids
