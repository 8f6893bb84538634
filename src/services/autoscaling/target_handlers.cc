// RegisterScalableTarget, DescribeScalableTargets and DeregisterScalableTarget.

#include <boost/json.hpp>

#include "core/ids.h"
#include "core/json.h"
#include "services/autoscaling/autoscaling_service.h"
#include "services/autoscaling/errors.h"
#include "services/autoscaling/paging.h"

namespace services::autoscaling {

namespace json = boost::json;

namespace {

// The service-linked role Application Auto Scaling uses for ECS when RoleARN is not given.
std::string ecs_service_linked_role(const std::string& account) {
  return "arn:aws:iam::" + account +
         ":role/aws-service-role/ecs.application-autoscaling.amazonaws.com/"
         "AWSServiceRoleForApplicationAutoScaling_ECSService";
}

json::object merged_suspended_state(const json::object* old, const json::object* given) {
  json::object s;
  for (const char* k :
       {"DynamicScalingInSuspended", "DynamicScalingOutSuspended", "ScheduledScalingSuspended"}) {
    bool v = old ? core::opt_bool(*old, k).value_or(false) : false;
    if (given) v = core::opt_bool(*given, k).value_or(v);
    s[k] = v;
  }
  return s;
}

}  // namespace

// RegisterScalableTarget —
// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html
Reply AutoscalingService::register_scalable_target(const Ctx& ctx, const Doc& in) {
  AAS_ASSIGN(TargetKey, key, target_key(ctx, in));
  std::string cluster;
  std::string service;
  split_service_id(key.resource_id, &cluster, &service);
  std::optional<TargetRow> old;
  {
    store::Transaction tx = db_.read();
    old = AutoscalingStore(tx).target(key);
    tx.commit();
  }
  std::optional<int64_t> min = core::opt_int(in, "MinCapacity");
  std::optional<int64_t> max = core::opt_int(in, "MaxCapacity");
  if (!old && (!min || !max)) {
    return errors::validation(
        "MinCapacity and MaxCapacity are required for registering a new scalable target");
  }
  if (auto state = capacity_.get(ctx.account, ctx.region, cluster, service); !state) {
    return state.error();
  }
  TargetRow t;
  t.key = key;
  t.doc = old ? old->doc : json::object{};
  t.arn = old ? old->arn
              : core::ids::arn("application-autoscaling", ctx.region, ctx.account,
                               "scalable-target/" + core::ids::random_hex(36));
  int64_t new_min = min.value_or(core::opt_int(t.doc, "MinCapacity").value_or(0));
  int64_t new_max = max.value_or(core::opt_int(t.doc, "MaxCapacity").value_or(0));
  if (new_min < 0 || new_max < 0) {
    return errors::validation("Minimum and maximum capacity must be greater than or equal to 0");
  }
  if (new_min > new_max) {
    return errors::validation("Minimum capacity cannot be greater than maximum capacity");
  }
  t.doc["ServiceNamespace"] = key.ns;
  t.doc["ResourceId"] = key.resource_id;
  t.doc["ScalableDimension"] = key.dimension;
  t.doc["MinCapacity"] = new_min;
  t.doc["MaxCapacity"] = new_max;
  t.doc["RoleARN"] =
      core::opt_str(in, "RoleARN")
          .value_or(core::opt_str(t.doc, "RoleARN").value_or(ecs_service_linked_role(ctx.account)));
  if (!old) t.doc["CreationTime"] = static_cast<double>(now_ms()) / 1000.0;
  t.doc["SuspendedState"] = merged_suspended_state(
      old ? core::obj(old->doc, "SuspendedState") : nullptr, core::obj(in, "SuspendedState"));
  t.doc["ScalableTargetARN"] = t.arn;
  if (!old) {
    if (const json::object* tags = core::obj(in, "Tags")) t.tags = *tags;
  }
  store::Transaction tx = db_.begin();
  AutoscalingStore(tx).put_target(t);
  tx.commit();
  return json::object{{"ScalableTargetARN", t.arn}};
}

// DescribeScalableTargets —
// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_DescribeScalableTargets.html
Reply AutoscalingService::describe_scalable_targets(const Ctx& ctx, const Doc& in) {
  std::vector<std::string> ids = core::strings(in, "ResourceIds");
  std::optional<std::string> dimension = core::opt_str(in, "ScalableDimension");
  store::Transaction tx = db_.read();
  std::vector<TargetRow> rows =
      AutoscalingStore(tx).targets(ctx.account, ctx.region, core::str(in, "ServiceNamespace"));
  tx.commit();
  json::array items;
  for (TargetRow& t : rows) {
    if (!ids.empty() && std::count(ids.begin(), ids.end(), t.key.resource_id) == 0) continue;
    if (dimension && t.key.dimension != *dimension) continue;
    items.push_back(std::move(t.doc));
  }
  return page(in, "ScalableTargets", std::move(items));
}

// DeregisterScalableTarget —
// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_DeregisterScalableTarget.html
// "Deregistering a scalable target deletes the scaling policies and the scheduled actions that
// are associated with it."
Reply AutoscalingService::deregister_scalable_target(const Ctx& ctx, const Doc& in) {
  AAS_ASSIGN(TargetKey, key, target_key(ctx, in));
  std::vector<NamedRow> policies;
  {
    store::Transaction tx = db_.begin();
    AutoscalingStore st(tx);
    if (!st.target(key)) return errors::no_target(key.ns, key.resource_id, key.dimension);
    policies = st.named_for(AutoscalingStore::Kind::Policy, key);
    for (const NamedRow& p : policies) st.delete_named(AutoscalingStore::Kind::Policy, p.id);
    for (const NamedRow& s : st.named_for(AutoscalingStore::Kind::Scheduled, key)) {
      st.delete_named(AutoscalingStore::Kind::Scheduled, s.id);
    }
    st.delete_target(key);
    tx.commit();
  }
  for (const NamedRow& p : policies) delete_policy_alarms(p);
  return json::object{};
}

}  // namespace services::autoscaling
