#pragma once
// A target's health as DescribeTargetHealth and the snapshot show it: the state recorded by
// registration, the health checker or deregistration, overridden by what the target group's
// situation implies (not used by any load balancer → unused/Target.NotInUse).
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html

#include <string>

#include "services/elbv2/elbv2_store.h"

namespace services::elbv2 {

inline constexpr const char* kRegistrationInProgress = "Elb.RegistrationInProgress";
inline constexpr const char* kDeregistrationInProgress = "Target.DeregistrationInProgress";

struct EffectiveHealth {
  std::string state;        // initial, healthy, unhealthy, unused, draining, unavailable
  std::string reason;       // "" when healthy
  std::string description;  // "" when healthy
};

EffectiveHealth effective_health(const TargetRow& target, bool group_in_use,
                                 bool health_check_enabled);

// AWS's description for a reason code; "" for none.
std::string describe_reason(const std::string& reason);

// A freshly registered target: initial / Elb.RegistrationInProgress.
void mark_registering(TargetRow& target);

}  // namespace services::elbv2
