// PutScalingPolicy, DescribeScalingPolicies and DeleteScalingPolicy.

#include <boost/json.hpp>

#include "core/ids.h"
#include "core/json.h"
#include "services/autoscaling/autoscaling_service.h"
#include "services/autoscaling/errors.h"
#include "services/autoscaling/paging.h"
#include "services/autoscaling/scaling_math.h"
#include "services/autoscaling/tracking_alarms.h"

namespace services::autoscaling {

namespace json = boost::json;
using Kind = AutoscalingStore::Kind;

namespace {

// "Scaling policies per scalable target" (Application Auto Scaling quotas).
constexpr int64_t kMaxPoliciesPerTarget = 50;

std::string alarm_arn(const TargetKey& k, const std::string& name) {
  return core::ids::arn("cloudwatch", k.region, k.account, "alarm:" + name);
}

std::optional<double> bound(const json::object& step, const char* key) {
  const json::value* v = step.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  return v->to_number<double>();
}

// StepScalingPolicyConfiguration's rules: steps do not overlap, leave no gap, and at most one
// has no lower (upper) bound; MinAdjustmentMagnitude goes with PercentChangeInCapacity.
protocol::Result<void> check_step_config(const json::object& c) {
  if (!c.contains("AdjustmentType")) {
    return errors::validation("AdjustmentType must be specified for step scaling policies");
  }
  const json::array* steps = core::arr(c, "StepAdjustments");
  if (!steps || steps->empty()) {
    return errors::validation("StepAdjustments must be specified for step scaling policies");
  }
  if (c.contains("MinAdjustmentMagnitude") &&
      core::str(c, "AdjustmentType") != "PercentChangeInCapacity") {
    return errors::validation(
        "MinAdjustmentMagnitude may only be specified if AdjustmentType is "
        "PercentChangeInCapacity");
  }
  std::vector<std::pair<double, double>> ranges;
  for (const json::value& v : *steps) {
    const json::object& s = v.as_object();
    double lo = bound(s, "MetricIntervalLowerBound").value_or(-HUGE_VAL);
    double hi = bound(s, "MetricIntervalUpperBound").value_or(HUGE_VAL);
    if (lo >= hi) {
      return errors::validation(
          "Step adjustment's MetricIntervalLowerBound must be less than its "
          "MetricIntervalUpperBound");
    }
    ranges.emplace_back(lo, hi);
  }
  std::sort(ranges.begin(), ranges.end());
  for (size_t i = 1; i < ranges.size(); ++i) {
    if (ranges[i].first != ranges[i - 1].second) {
      return errors::validation(ranges[i].first < ranges[i - 1].second
                                    ? "Step adjustments must not overlap"
                                    : "Step adjustments must not have a gap between them");
    }
  }
  return {};
}

}  // namespace

void AutoscalingService::delete_policy_alarms(const NamedRow& policy) {
  std::vector<std::string> names;
  if (const json::array* alarms = core::arr(policy.doc, "Alarms")) {
    for (const json::value& a : *alarms) names.push_back(core::str(a.as_object(), "AlarmName"));
  }
  // Only the alarms the policy owns: a step scaling policy's alarms belong to the user.
  if (core::str(policy.doc, "PolicyType") == "TargetTrackingScaling" && !names.empty()) {
    alarms_.remove(policy.key.account, policy.key.region, names);
  }
}

protocol::Result<json::array> AutoscalingService::put_tracking_alarms(
    const Ctx& ctx, const TargetKey& key, const Doc& tracking, const std::optional<NamedRow>& old,
    const std::string& policy_arn) {
  if (!tracking.contains("TargetValue")) {
    return errors::validation("TargetValue must be specified");
  }
  AAS_ASSIGN(json::object, metric, tracked_metric(tracking, key.resource_id));
  double target = opt_number(tracking, "TargetValue").value_or(0);
  // The range CloudWatch can store as a threshold (the alarms' thresholds derive from it).
  if (!(target >= 8.515920e-109 && target <= 1.174271e+108)) {
    return errors::validation("TargetValue must be between 8.515920e-109 and 1.174271e+108");
  }
  bool scale_in = !core::opt_bool(tracking, "DisableScaleIn").value_or(false);
  // An update keeps the alarms' names (AlarmHigh first, as AWS lists them).
  std::optional<std::string> high;
  std::optional<std::string> low;
  if (old && core::str(old->doc, "PolicyType") == "TargetTrackingScaling") {
    for (const json::value& a : *core::arr(old->doc, "Alarms")) {
      std::string n = core::str(a.as_object(), "AlarmName");
      (n.find("-AlarmHigh-") != std::string::npos ? high : low) = n;
    }
  }
  json::array alarms;
  high = high.value_or(tracking_alarm_name(key.resource_id, true));
  AAS_CHECK(alarms_.put(ctx.account, ctx.region,
                        tracking_alarm(metric, *high, policy_arn, target, true)));
  alarms.push_back(json::object{{"AlarmName", *high}, {"AlarmARN", alarm_arn(key, *high)}});
  if (scale_in) {
    low = low.value_or(tracking_alarm_name(key.resource_id, false));
    AAS_CHECK(alarms_.put(ctx.account, ctx.region,
                          tracking_alarm(metric, *low, policy_arn, target, false)));
    alarms.push_back(json::object{{"AlarmName", *low}, {"AlarmARN", alarm_arn(key, *low)}});
  } else if (low) {
    alarms_.remove(ctx.account, ctx.region, {*low});
  }
  return alarms;
}

// PutScalingPolicy —
// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScalingPolicy.html
Reply AutoscalingService::put_scaling_policy(const Ctx& ctx, const Doc& in) {
  AAS_ASSIGN(TargetKey, key, target_key(ctx, in));
  std::string name = core::str(in, "PolicyName");
  std::string type = core::opt_str(in, "PolicyType").value_or("StepScaling");
  const json::object* step = core::obj(in, "StepScalingPolicyConfiguration");
  const json::object* tracking = core::obj(in, "TargetTrackingScalingPolicyConfiguration");
  if (type == "PredictiveScaling") {
    return errors::validation("PredictiveScaling is not supported for service namespace ecs");
  }
  bool is_tracking = type == "TargetTrackingScaling";
  if (is_tracking ? (!tracking || step) : (!step || tracking)) {
    return errors::validation(is_tracking ? "TargetTrackingScalingPolicyConfiguration must be "
                                            "specified for a TargetTrackingScaling policy"
                                          : "StepScalingPolicyConfiguration must be specified "
                                            "for a StepScaling policy");
  }
  std::optional<NamedRow> old;
  {
    store::Transaction tx = db_.read();
    AutoscalingStore st(tx);
    if (!st.target(key)) return errors::no_target(key.ns, key.resource_id, key.dimension);
    old = st.named_one(Kind::Policy, key, name);
    if (!old && st.count_named(Kind::Policy, key) >= kMaxPoliciesPerTarget) {
      return errors::limit_exceeded("Scaling policy limit (" +
                                    std::to_string(kMaxPoliciesPerTarget) +
                                    ") exceeded for the scalable target");
    }
    tx.commit();
  }
  NamedRow p;
  p.key = key;
  p.name = name;
  p.arn = old ? old->arn : child_arn(key, "scalingPolicy", "policyName", name);
  p.doc = json::object{{"PolicyARN", p.arn},
                       {"PolicyName", name},
                       {"ServiceNamespace", key.ns},
                       {"ResourceId", key.resource_id},
                       {"ScalableDimension", key.dimension},
                       {"PolicyType", type}};
  p.doc["CreationTime"] = old ? old->doc.at("CreationTime") : json::value(now_ms() / 1000.0);
  json::array alarms;
  if (is_tracking) {
    AAS_ASSIGN(json::array, made, put_tracking_alarms(ctx, key, *tracking, old, p.arn));
    alarms = std::move(made);
    p.doc["TargetTrackingScalingPolicyConfiguration"] = *tracking;
    p.doc["Alarms"] = alarms;
  } else {
    AAS_CHECK(check_step_config(*step));
    if (old) delete_policy_alarms(*old);  // a target tracking policy turned into a step one
    p.doc["StepScalingPolicyConfiguration"] = *step;
    p.doc["Alarms"] = json::array{};
  }
  {
    store::Transaction tx = db_.begin();
    AutoscalingStore(tx).put_named(Kind::Policy, p);
    tx.commit();
  }
  json::object reply{{"PolicyARN", p.arn}};
  if (is_tracking) reply["Alarms"] = std::move(alarms);
  return reply;
}

// DescribeScalingPolicies —
// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_DescribeScalingPolicies.html
Reply AutoscalingService::describe_scaling_policies(const Ctx& ctx, const Doc& in) {
  std::vector<std::string> names = core::strings(in, "PolicyNames");
  std::optional<std::string> resource_id = core::opt_str(in, "ResourceId");
  std::optional<std::string> dimension = core::opt_str(in, "ScalableDimension");
  store::Transaction tx = db_.read();
  std::vector<NamedRow> rows = AutoscalingStore(tx).named(Kind::Policy, ctx.account, ctx.region,
                                                          core::str(in, "ServiceNamespace"));
  tx.commit();
  json::array items;
  for (NamedRow& p : rows) {
    if (!names.empty() && std::count(names.begin(), names.end(), p.name) == 0) continue;
    if (resource_id && p.key.resource_id != *resource_id) continue;
    if (dimension && p.key.dimension != *dimension) continue;
    items.push_back(std::move(p.doc));
  }
  return page(in, "ScalingPolicies", std::move(items), 10);
}

// DeleteScalingPolicy —
// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_DeleteScalingPolicy.html
// "Deleting a step scaling policy deletes the underlying alarm action, but does not delete the
// CloudWatch alarm ... Deleting a target tracking scaling policy also deletes the CloudWatch
// alarms associated with it."
Reply AutoscalingService::delete_scaling_policy(const Ctx& ctx, const Doc& in) {
  AAS_ASSIGN(TargetKey, key, target_key(ctx, in));
  std::string name = core::str(in, "PolicyName");
  std::optional<NamedRow> p;
  {
    store::Transaction tx = db_.begin();
    AutoscalingStore st(tx);
    p = st.named_one(Kind::Policy, key, name);
    if (!p) {
      return errors::object_not_found("No scaling policy found for service namespace: " + key.ns +
                                      ", resource ID: " + key.resource_id +
                                      ", scalable dimension: " + key.dimension +
                                      ", policy name: " + name);
    }
    st.delete_named(Kind::Policy, p->id);
    tx.commit();
  }
  delete_policy_alarms(*p);
  return json::object{};
}

}  // namespace services::autoscaling
