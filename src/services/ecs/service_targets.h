#pragma once
// The service scheduler's side of ELBv2, called in process through the operation table
// ("elbv2" in the registry; never linked): register and deregister a task's ip target, and read
// every target's health in a group. Failures are logged and reported as false/nullopt.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/request_context.h"
#include "protocol/service_registry.h"

namespace services::ecs {

struct TargetHealthState {
  std::string state;        // initial, healthy, unhealthy, draining, unused
  std::string description;  // ELBv2's Description (or Reason)
};

// Per target group, the targets DescribeTargetHealth lists, keyed by target_key(); nullopt when
// the call failed (the group is gone, or ELBv2 is not installed).
using TargetHealthMap =
    std::map<std::string, std::optional<std::map<std::string, TargetHealthState>>>;

std::string target_key(std::string_view id, int64_t port);

TargetHealthMap describe_target_health(const protocol::ServiceRegistry& registry,
                                       const protocol::RequestContext& ctx,
                                       const std::vector<std::string>& target_groups);

bool register_target(const protocol::ServiceRegistry& registry, const protocol::RequestContext& ctx,
                     const std::string& target_group, const std::string& id, int64_t port);

bool deregister_target(const protocol::ServiceRegistry& registry,
                       const protocol::RequestContext& ctx, const std::string& target_group,
                       const std::string& id, int64_t port);

}  // namespace services::ecs
