// PutScheduledAction, DescribeScheduledActions and DeleteScheduledAction.

#include <boost/json.hpp>

#include "core/ids.h"
#include "core/json.h"
#include "services/autoscaling/autoscaling_service.h"
#include "services/autoscaling/errors.h"
#include "services/autoscaling/paging.h"
#include "services/autoscaling/schedule.h"

namespace services::autoscaling {

namespace json = boost::json;
using Kind = AutoscalingStore::Kind;

namespace {

// "Scheduled actions per scalable target" (Application Auto Scaling quotas).
constexpr int64_t kMaxScheduledPerTarget = 200;

std::optional<core::TimePoint> time_field(const json::object& doc, const char* key) {
  std::optional<double> s = opt_number(doc, key);
  if (!s) return std::nullopt;
  return core::from_epoch_millis(static_cast<int64_t>(*s * 1000.0));
}

}  // namespace

// When a scheduled action (its document) fires next after `after`, in epoch ms.
std::optional<int64_t> next_run_ms(const json::object& doc, core::TimePoint after,
                                   const core::Clock& clock) {
  auto s = parse_schedule(core::str(doc, "Schedule"), core::str(doc, "Timezone"));
  if (!s) return std::nullopt;
  core::TimePoint origin = time_field(doc, "CreationTime").value_or(after);
  auto t = next_fire(*s, after, origin, clock.time_scale(), time_field(doc, "StartTime"),
                     time_field(doc, "EndTime"));
  if (!t) return std::nullopt;
  return core::to_epoch_millis(*t);
}

// PutScheduledAction —
// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScheduledAction.html
Reply AutoscalingService::put_scheduled_action(const Ctx& ctx, const Doc& in) {
  AAS_ASSIGN(TargetKey, key, target_key(ctx, in));
  std::string name = core::str(in, "ScheduledActionName");
  std::optional<NamedRow> old;
  {
    store::Transaction tx = db_.read();
    AutoscalingStore st(tx);
    if (!st.target(key)) return errors::no_target(key.ns, key.resource_id, key.dimension);
    old = st.named_one(Kind::Scheduled, key, name);
    if (!old && st.count_named(Kind::Scheduled, key) >= kMaxScheduledPerTarget) {
      return errors::limit_exceeded("Scheduled action limit (" +
                                    std::to_string(kMaxScheduledPerTarget) +
                                    ") exceeded for the scalable target");
    }
    tx.commit();
  }
  if (!old && !in.contains("Schedule")) {
    return errors::validation("Schedule must be specified when creating a scheduled action");
  }
  NamedRow a;
  a.key = key;
  a.name = name;
  a.arn = old ? old->arn : child_arn(key, "scheduledAction", "scheduledActionName", name);
  a.doc = old ? old->doc : json::object{};
  // An update changes only what it names.
  for (const char* k : {"Schedule", "Timezone", "StartTime", "EndTime", "ScalableTargetAction"}) {
    if (const json::value* v = in.if_contains(k)) a.doc[k] = *v;
  }
  AAS_CHECK(parse_schedule(core::str(a.doc, "Schedule"), core::str(a.doc, "Timezone")));
  if (const json::object* action = core::obj(a.doc, "ScalableTargetAction")) {
    std::optional<int64_t> min = core::opt_int(*action, "MinCapacity");
    std::optional<int64_t> max = core::opt_int(*action, "MaxCapacity");
    if (min && max && *min > *max) {
      return errors::validation("Minimum capacity cannot be greater than maximum capacity");
    }
  }
  std::optional<double> start = opt_number(a.doc, "StartTime");
  std::optional<double> end = opt_number(a.doc, "EndTime");
  if (start && end && *start > *end) {
    return errors::validation("StartTime must be before EndTime");
  }
  a.doc["ScheduledActionName"] = name;
  a.doc["ScheduledActionARN"] = a.arn;
  a.doc["ServiceNamespace"] = key.ns;
  a.doc["ResourceId"] = key.resource_id;
  a.doc["ScalableDimension"] = key.dimension;
  if (!old) a.doc["CreationTime"] = now_ms() / 1000.0;
  a.next_run_ms = next_run_ms(a.doc, clock_.now(), clock_);
  {
    store::Transaction tx = db_.begin();
    AutoscalingStore(tx).put_named(Kind::Scheduled, a);
    tx.commit();
  }
  if (on_schedule_changed_) on_schedule_changed_();
  return json::object{};
}

// DescribeScheduledActions —
// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_DescribeScheduledActions.html
Reply AutoscalingService::describe_scheduled_actions(const Ctx& ctx, const Doc& in) {
  std::vector<std::string> names = core::strings(in, "ScheduledActionNames");
  std::optional<std::string> resource_id = core::opt_str(in, "ResourceId");
  std::optional<std::string> dimension = core::opt_str(in, "ScalableDimension");
  store::Transaction tx = db_.read();
  std::vector<NamedRow> rows = AutoscalingStore(tx).named(Kind::Scheduled, ctx.account, ctx.region,
                                                          core::str(in, "ServiceNamespace"));
  tx.commit();
  json::array items;
  for (NamedRow& a : rows) {
    if (!names.empty() && std::count(names.begin(), names.end(), a.name) == 0) continue;
    if (resource_id && a.key.resource_id != *resource_id) continue;
    if (dimension && a.key.dimension != *dimension) continue;
    items.push_back(std::move(a.doc));
  }
  return page(in, "ScheduledActions", std::move(items));
}

// DeleteScheduledAction —
// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_DeleteScheduledAction.html
Reply AutoscalingService::delete_scheduled_action(const Ctx& ctx, const Doc& in) {
  AAS_ASSIGN(TargetKey, key, target_key(ctx, in));
  std::string name = core::str(in, "ScheduledActionName");
  store::Transaction tx = db_.begin();
  AutoscalingStore st(tx);
  std::optional<NamedRow> a = st.named_one(Kind::Scheduled, key, name);
  if (!a) {
    return errors::object_not_found("No scheduled action found for service namespace: " + key.ns +
                                    ", resource ID: " + key.resource_id + ", scalable dimension: " +
                                    key.dimension + ", scheduled action name: " + name);
  }
  st.delete_named(Kind::Scheduled, a->id);
  tx.commit();
  return json::object{};
}

}  // namespace services::autoscaling
