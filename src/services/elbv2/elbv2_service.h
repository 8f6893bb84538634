#pragma once
// Elastic Load Balancing v2 control plane for application load balancers: load balancers,
// target groups and targets, listeners and rules, attributes and tags, stored as desired state.
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/Welcome.html
//
// Handlers validate, write one transaction, then publish a new AlbSnapshot (alb_snapshot.h) for
// the data plane. Background work runs on the injected clock: a load balancer goes from
// provisioning to active after kProvisioningTime, and a draining target is removed after its
// group's deregistration delay (earlier when the data plane reports it idle).
//
// The ECS scheduler registers task IPs in process with
//   registry.call(ctx, "elbv2", "RegisterTargets", {{"TargetGroupArn", arn},
//                 {"Targets", json::array{{{"Id", ip}, {"Port", port}}}}})
// and DeregisterTargets alike; no HTTP is involved.
//
// Thread-safe: handlers run concurrently; the store serialises transactions.

#include <boost/json/object.hpp>
#include <memory>
#include <string>

#include "core/clock.h"
#include "protocol/service_registry.h"
#include "reconcile/controller.h"
#include "services/elbv2/alb_snapshot.h"
#include "services/elbv2/elbv2_json.h"
#include "services/elbv2/elbv2_store.h"
#include "services/elbv2/network_lookup.h"
#include "services/elbv2/snapshot_publisher.h"
#include "store/db.h"

namespace services::elbv2 {

using Reply = protocol::Result<boost::json::object>;
using Ctx = protocol::RequestContext;

// How long a new load balancer stays "provisioning" (AWS time; divided by the time scale).
inline constexpr std::chrono::seconds kProvisioningTime{5};

class Elbv2Service final : public TargetHealthReporter {
 public:
  Elbv2Service(store::Db& db, const core::Clock& clock, NetworkLookup& network);
  ~Elbv2Service() override;

  void register_operations(protocol::ServiceRegistry& registry);

  // Background reconcilers (activation, draining). stop() waits for them.
  void start();
  void stop();
  // POST /_gantry/reset: deletes every ELBv2 row and publishes the empty snapshot. Runs before the
  // server wipes the store, so that the data plane never keeps serving wiped load balancers.
  void reset();
  // Tests: runs every due background reconcile on the calling thread; returns how many ran.
  std::size_t run_background();

  AlbSnapshotSource& snapshots() { return publisher_; }
  TargetHealthReporter& health_reporter() { return *this; }

  // TargetHealthReporter.
  void report_health(const std::vector<TargetHealthReport>& reports) override;
  void report_drained(const TargetKey& target) override;

  // load_balancer_handlers.cc
  Reply create_load_balancer(const Ctx& ctx, const Doc& in);
  Reply describe_load_balancers(const Ctx& ctx, const Doc& in);
  Reply delete_load_balancer(const Ctx& ctx, const Doc& in);
  Reply describe_load_balancer_attributes(const Ctx& ctx, const Doc& in);
  Reply modify_load_balancer_attributes(const Ctx& ctx, const Doc& in);
  Reply set_security_groups(const Ctx& ctx, const Doc& in);
  Reply set_subnets(const Ctx& ctx, const Doc& in);
  Reply set_ip_address_type(const Ctx& ctx, const Doc& in);

  // target_group_handlers.cc
  Reply create_target_group(const Ctx& ctx, const Doc& in);
  Reply describe_target_groups(const Ctx& ctx, const Doc& in);
  Reply modify_target_group(const Ctx& ctx, const Doc& in);
  Reply delete_target_group(const Ctx& ctx, const Doc& in);
  Reply describe_target_group_attributes(const Ctx& ctx, const Doc& in);
  Reply modify_target_group_attributes(const Ctx& ctx, const Doc& in);

  // target_handlers.cc
  Reply register_targets(const Ctx& ctx, const Doc& in);
  Reply deregister_targets(const Ctx& ctx, const Doc& in);
  Reply describe_target_health(const Ctx& ctx, const Doc& in);

  // listener_handlers.cc
  Reply create_listener(const Ctx& ctx, const Doc& in);
  Reply describe_listeners(const Ctx& ctx, const Doc& in);
  Reply modify_listener(const Ctx& ctx, const Doc& in);
  Reply delete_listener(const Ctx& ctx, const Doc& in);
  Reply describe_listener_attributes(const Ctx& ctx, const Doc& in);
  Reply modify_listener_attributes(const Ctx& ctx, const Doc& in);

  // listener_certificate_handlers.cc
  Reply add_listener_certificates(const Ctx& ctx, const Doc& in);
  Reply remove_listener_certificates(const Ctx& ctx, const Doc& in);
  Reply describe_listener_certificates(const Ctx& ctx, const Doc& in);

  // rule_handlers.cc
  Reply create_rule(const Ctx& ctx, const Doc& in);
  Reply describe_rules(const Ctx& ctx, const Doc& in);
  Reply modify_rule(const Ctx& ctx, const Doc& in);
  Reply delete_rule(const Ctx& ctx, const Doc& in);
  Reply set_rule_priorities(const Ctx& ctx, const Doc& in);

  // capacity_reservation_handlers.cc
  Reply describe_capacity_reservation(const Ctx& ctx, const Doc& in);

  // tag_handlers.cc
  Reply add_tags(const Ctx& ctx, const Doc& in);
  Reply remove_tags(const Ctx& ctx, const Doc& in);
  Reply describe_tags(const Ctx& ctx, const Doc& in);

  // account_limit_handlers.cc
  Reply describe_account_limits(const Ctx& ctx, const Doc& in);

  // ssl_policy_handlers.cc
  Reply describe_ssl_policies(const Ctx& ctx, const Doc& in);

 private:
  // The LoadBalancer document with its current State.
  Doc load_balancer_view(const LoadBalancerRow& row) const;
  // The TargetGroup document with LoadBalancerArns.
  Doc target_group_view(Elbv2Store& st, const TargetGroupRow& row);
  // Checks that every group exists, may be used from `lb_arn` (one load balancer per group) and
  // has a protocol an HTTP(S) listener can forward to.
  std::optional<protocol::AwsError> check_forward_targets(Elbv2Store& st, const std::string& lb_arn,
                                                          const std::vector<std::string>& groups);
  // Targets of groups that just went from unused to used start their registration again.
  void restart_unused_targets(Elbv2Store& st, const std::vector<std::string>& groups_before_unused);
  // Groups among `groups` no load balancer uses right now.
  std::vector<std::string> unused_groups(Elbv2Store& st, const std::vector<std::string>& groups);

  reconcile::ReconcileResult reconcile_load_balancer(const std::string& arn);
  reconcile::ReconcileResult reconcile_draining(const std::string& tg_arn);
  std::vector<std::string> provisioning_load_balancers();
  std::vector<std::string> groups_with_draining_targets();

  // After a committed change: new snapshot for the data plane.
  void changed() { publisher_.publish(); }

  store::Db& db_;
  const core::Clock& clock_;
  NetworkLookup& network_;
  SnapshotPublisher publisher_;
  reconcile::Controller activation_;
  reconcile::Controller draining_;
};

}  // namespace services::elbv2
