#include "services/elbv2/target_health.h"

namespace services::elbv2 {

std::string describe_reason(const std::string& reason) {
  if (reason == "Elb.RegistrationInProgress") {
    return "Target registration is in progress";
  }
  if (reason == "Elb.InitialHealthChecking") {
    return "Initial health checks in progress";
  }
  if (reason == "Target.ResponseCodeMismatch") {
    return "Health checks failed";
  }
  if (reason == "Target.Timeout") {
    return "Request timed out";
  }
  if (reason == "Target.FailedHealthChecks") {
    return "Health checks failed";
  }
  if (reason == "Target.NotRegistered") {
    return "Target is not registered to the target group";
  }
  if (reason == "Target.NotInUse") {
    return "Target group is not configured to receive traffic from the load balancer";
  }
  if (reason == "Target.DeregistrationInProgress") {
    return "Target deregistration is in progress";
  }
  if (reason == "Target.HealthCheckDisabled") {
    return "Health checks are disabled for the target group";
  }
  if (reason == "Elb.InternalError") {
    return "Health checks failed due to an internal error";
  }
  return "";
}

EffectiveHealth effective_health(const TargetRow& target, bool group_in_use,
                                 bool health_check_enabled) {
  if (target.state == "draining") {
    return {"draining", kDeregistrationInProgress, describe_reason(kDeregistrationInProgress)};
  }
  if (!group_in_use) {
    return {"unused", "Target.NotInUse", describe_reason("Target.NotInUse")};
  }
  if (!health_check_enabled) {
    return {"unavailable", "Target.HealthCheckDisabled",
            describe_reason("Target.HealthCheckDisabled")};
  }
  if (target.state == "healthy") {
    return {"healthy", "", ""};
  }
  std::string description =
      target.description.empty() ? describe_reason(target.reason) : target.description;
  return {target.state, target.reason, description};
}

void mark_registering(TargetRow& target) {
  target.state = "initial";
  target.reason = kRegistrationInProgress;
  target.description = describe_reason(kRegistrationInProgress);
  target.drain_until_ms = 0;
}

}  // namespace services::elbv2
