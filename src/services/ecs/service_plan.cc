#include "services/ecs/service_plan.h"

#include <algorithm>

#include "services/ecs/service_status.h"

namespace services::ecs {
namespace {

// Consecutive failed launches before ECS's service throttle delays the next ones, and the
// delays: 10 s doubling up to 15 min (AWS time).
constexpr int64_t kThrottleAfterFailures = 3;
constexpr auto kThrottleBase = std::chrono::seconds(10);
constexpr auto kThrottleMax = std::chrono::minutes(15);

// ECS's service throttle: after repeated failed launches the next ones wait, longer each time;
// a new deployment starts afresh. "Tasks that are stopped after they reach the RUNNING state
// don't start the throttle logic" (ECS Developer Guide, service throttle logic): only launches
// that never ran count here.
void plan_throttle(const Service& service, const ServicePlanInput& in, ServicePlan& plan) {
  const TaskFindings& found = in.findings;
  const ServiceSchedulerState& state = service.scheduler;
  const bool carry = state.deployment.value_or("") == plan.primary_id && !found.became_available;
  plan.consecutive_failures =
      (carry ? state.consecutive_failures.value_or(0) : 0) + found.failed_to_start;
  plan.launch_not_before = carry ? state.launch_not_before.value_or(0) : 0;
  if (found.failed_to_start > 0 && plan.consecutive_failures >= kThrottleAfterFailures) {
    core::Duration delay =
        kThrottleBase *
        (int64_t{1} << std::min<int64_t>(plan.consecutive_failures - kThrottleAfterFailures, 10));
    core::Duration wait = std::chrono::duration_cast<core::Duration>(
        std::min<core::Duration>(delay, kThrottleMax) / in.time_scale);
    plan.launch_not_before =
        in.now +
        static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(wait).count()) /
            1000.0;
    plan.throttled = true;
  }
}

// The circuit breaker's verdict, anticipated so that the pass that trips it launches nothing
// more (update_service_status() fails the deployment in the same write).
bool plan_breaker(const Service& service, const TaskFindings& found) {
  const Deployment* primary = service.primary();
  const DeploymentConfig& config = service.deployment_config;
  if (!primary || !config.present || !config.circuit_breaker) return false;
  auto it = found.failed.find(primary->id);
  int64_t failed = primary->failed_tasks.value_or(0) + (it == found.failed.end() ? 0 : it->second);
  return primary->rollout_state == "IN_PROGRESS" &&
         failed >= circuit_breaker_threshold(primary->desired_count);
}

}  // namespace

ServicePlan plan_service(const Service& service, const ServicePlanInput& in) {
  ServicePlan plan;
  const Deployment* primary = service.primary();
  const bool active = service.status == "ACTIVE";
  plan.primary_id = primary ? primary->id : "";
  plan_throttle(service, in, plan);
  plan.breaker_trips = plan_breaker(service, in.findings);

  RolloutInput rollout;
  rollout.desired_count = active ? service.desired_count : 0;
  rollout.minimum_healthy_percent = service.deployment_config.minimum_healthy_percent;
  rollout.maximum_percent = service.deployment_config.maximum_percent;
  rollout.primary_id = plan.primary_id;
  for (auto it = service.deployments.rbegin(); it != service.deployments.rend(); ++it) {
    if (it->status != "PRIMARY") rollout.old_ids.push_back(it->id);
  }
  rollout.may_launch = active && primary && primary->rollout_state != "FAILED" &&
                       !plan.breaker_trips && in.now >= plan.launch_not_before &&
                       in.has_task_definition;
  rollout.tasks = in.findings.live;
  plan.rollout = plan_rollout(rollout);
  return plan;
}

std::vector<std::vector<std::string>> place_tasks(const std::vector<std::string>& subnets,
                                                  const std::map<std::string, std::string>& zone_of,
                                                  std::map<std::string, int64_t>& subnet_use,
                                                  int64_t count) {
  std::map<std::string, int64_t> zone_use;
  for (const auto& [s, n] : subnet_use) {
    if (auto z = zone_of.find(s); z != zone_of.end()) zone_use[z->second] += n;
  }
  std::vector<std::vector<std::string>> out;
  for (int64_t i = 0; i < count; ++i) {
    if (subnets.empty()) {
      out.emplace_back();
      continue;
    }
    auto key = [&](std::size_t j) {
      return std::make_pair(zone_use[zone_of.at(subnets[j])], subnet_use[subnets[j]]);
    };
    std::size_t best = 0;
    for (std::size_t k = 1; k < subnets.size(); ++k) {
      if (key(k) < key(best)) best = k;
    }
    std::vector<std::string> rotated;
    for (std::size_t k = 0; k < subnets.size(); ++k) {
      rotated.push_back(subnets[(best + k) % subnets.size()]);
    }
    zone_use[zone_of.at(subnets[best])]++;
    subnet_use[subnets[best]]++;
    out.push_back(std::move(rotated));
  }
  return out;
}

}  // namespace services::ecs
