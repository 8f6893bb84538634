#pragma once
// Application Auto Scaling: scalable targets, scaling policies, scheduled actions, scaling
// activities and tags.
// https://docs.aws.amazon.com/autoscaling/application/APIReference/Welcome.html
//
// Only ECS services' desiredCount (namespace "ecs", dimension "ecs:service:DesiredCount") can
// be registered: it is the one Gantry can really scale. Target tracking policies create and own
// their CloudWatch alarms (tracking_alarms.h) through PolicyAlarms; alarms invoke the policies
// through PolicyExecutor; ScheduledActionRunner fires the scheduled actions.
//
// Thread-safe: handlers run concurrently; the store serialises transactions. Calls to the ports
// are made with no transaction open.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <functional>
#include <string>

#include "core/clock.h"
#include "protocol/service_registry.h"
#include "services/autoscaling/autoscaling_store.h"
#include "services/autoscaling/ports.h"
#include "store/db.h"

namespace services::autoscaling {

using Doc = boost::json::object;
using Reply = protocol::Result<boost::json::object>;
using Ctx = protocol::RequestContext;

// A number field (integer or double) of a document.
std::optional<double> opt_number(const Doc& in, std::string_view key);

// When a scheduled action (its ScheduledAction document) fires next after `after`, in epoch ms;
// nullopt when never again (scheduled_action_handlers.cc).
std::optional<int64_t> next_run_ms(const Doc& doc, core::TimePoint after, const core::Clock& clock);

// The ARN of a scaling policy (kind "scalingPolicy", label "policyName") or a scheduled action
// ("scheduledAction", "scheduledActionName"), with a fresh uuid:
// arn:aws:autoscaling:<region>:<account>:<kind>:<uuid>:resource/<ns>/<resource id>:<label>/<name>
std::string child_arn(const TargetKey& k, std::string_view kind, std::string_view label,
                      const std::string& name);

// The ECS resource id "service/<cluster>/<service>" split; false when it is not one.
bool split_service_id(const std::string& resource_id, std::string* cluster, std::string* service);

class AutoscalingService {
 public:
  AutoscalingService(store::Db& db, const core::Clock& clock, ServiceCapacity& capacity,
                     PolicyAlarms& alarms);

  void register_operations(protocol::ServiceRegistry& registry);

  // Called after a scheduled action was put, so the runner looks again (set before serving).
  void set_schedule_listener(std::function<void()> listener) {
    on_schedule_changed_ = std::move(listener);
  }

  // target_handlers.cc
  Reply register_scalable_target(const Ctx& ctx, const Doc& in);
  Reply describe_scalable_targets(const Ctx& ctx, const Doc& in);
  Reply deregister_scalable_target(const Ctx& ctx, const Doc& in);
  // policy_handlers.cc
  Reply put_scaling_policy(const Ctx& ctx, const Doc& in);
  Reply describe_scaling_policies(const Ctx& ctx, const Doc& in);
  Reply delete_scaling_policy(const Ctx& ctx, const Doc& in);
  // scheduled_action_handlers.cc
  Reply put_scheduled_action(const Ctx& ctx, const Doc& in);
  Reply describe_scheduled_actions(const Ctx& ctx, const Doc& in);
  Reply delete_scheduled_action(const Ctx& ctx, const Doc& in);
  // activity_tag_handlers.cc
  Reply describe_scaling_activities(const Ctx& ctx, const Doc& in);
  Reply tag_resource(const Ctx& ctx, const Doc& in);
  Reply untag_resource(const Ctx& ctx, const Doc& in);
  Reply list_tags_for_resource(const Ctx& ctx, const Doc& in);

 private:
  // The target key of a request (ServiceNamespace, ResourceId, ScalableDimension), checked.
  protocol::Result<TargetKey> target_key(const Ctx& ctx, const Doc& in) const;
  // Creates (or updates) a target tracking policy's alarms; their names and ARNs, high first.
  protocol::Result<boost::json::array> put_tracking_alarms(const Ctx& ctx, const TargetKey& key,
                                                           const Doc& tracking,
                                                           const std::optional<NamedRow>& old,
                                                           const std::string& policy_arn);
  Reply edit_tags(const Ctx& ctx, const Doc& in,
                  const std::function<void(boost::json::object&)>& edit);
  // Deletes the policy's alarms (target tracking), outside any transaction.
  void delete_policy_alarms(const NamedRow& policy);

  int64_t now_ms() const { return core::to_epoch_millis(clock_.now()); }

  store::Db& db_;
  const core::Clock& clock_;
  ServiceCapacity& capacity_;
  PolicyAlarms& alarms_;
  std::function<void()> on_schedule_changed_;
};

}  // namespace services::autoscaling
