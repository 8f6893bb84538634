#pragma once
// The public parameters that AWS publishes under /aws/service/ and that templates read on one
// machine: regions and services of the global infrastructure, the latest Amazon Linux AMIs and
// the ECS-optimized AMI. Read-only; the AMI ids are stable per region and name (Gantry runs no
// EC2 instances, so no image stands behind them).
// https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-public-parameters.html

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace services::ssm {

struct PublicParameter {
  std::string name;  // "/aws/service/global-infrastructure/regions/us-east-1"
  std::string value;
  std::string data_type = "text";
};

// The date every public parameter shows as LastModifiedDate (ms since the epoch).
inline constexpr int64_t kPublicModifiedMs = 1704067200000;  // 2024-01-01T00:00:00Z

// The public parameter `name` as seen from `region`, or nullopt.
std::optional<PublicParameter> find_public(std::string_view region, std::string_view name);
// The public parameters under `path` ("/aws/service/global-infrastructure/regions/"), by name:
// its children, or every descendant when `recursive`.
std::vector<PublicParameter> public_under(std::string_view region, std::string_view path,
                                          bool recursive);
// The regions that /aws/service/global-infrastructure/regions lists.
const std::vector<std::string_view>& public_regions();

}  // namespace services::ssm
