#include "services/autoscaling/policy_executor.h"

#include "core/log.h"
#include "services/autoscaling/autoscaling_service.h"
#include "services/autoscaling/policy_decision.h"

namespace services::autoscaling {

bool PolicyExecutor::handles(std::string_view arn) const {
  // EC2 Auto Scaling's policies share the prefix; theirs name an autoScalingGroupName instead.
  return arn.starts_with("arn:aws") && arn.find(":autoscaling:") != std::string_view::npos &&
         arn.find(":scalingPolicy:") != std::string_view::npos &&
         arn.find(":resource/") != std::string_view::npos;
}

cloudwatch::ActionOutcome PolicyExecutor::invoke(const cloudwatch::AlarmActionEvent& event) {
  if (event.new_state != "ALARM") return {};
  std::lock_guard lock(mu_);
  std::optional<NamedRow> policy;
  std::optional<TargetRow> target;
  {
    store::Transaction tx = db_.read();
    AutoscalingStore st(tx);
    policy = st.policy_by_arn(event.action_arn);
    if (policy) target = st.target(policy->key);
    tx.commit();
  }
  if (!policy || !target || policy->key.account != event.account) {
    return {false, "No scaling policy found for ARN " + event.action_arn};
  }
  std::string cluster;
  std::string service;
  split_service_id(target->key.resource_id, &cluster, &service);
  auto state = capacity_.get(target->key.account, target->key.region, cluster, service);
  if (!state) return {false, state.error().message};
  AlarmReading reading = alarms_.reading(event.account, event.region, event.alarm_name);
  // An alarm still in ALARM is judged on this evaluation's values, not on those of its change
  // (a target tracking scale-in whose first invocation found nothing to remove).
  if (!event.recent_datapoints.empty()) reading.datapoints = event.recent_datapoints;
  PolicyDecision d = decide_policy(policy->doc, event.alarm_name, reading, *state, *target, clock_);
  if (!d.scale) {
    core::log::debug("application-autoscaling: policy did not scale",
                     {{"policy", policy->name}, {"why", d.why_not}});
    return {};
  }
  std::string cause =
      "monitor alarm " + event.alarm_name + " in state ALARM triggered policy " + policy->name;
  auto r = scaler_.set_desired(*target, d.desired, cause, d.out);
  if (!r) return {false, r.error().message};
  return {};
}

}  // namespace services::autoscaling
