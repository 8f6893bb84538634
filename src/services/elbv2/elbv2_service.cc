#include "services/elbv2/elbv2_service.h"

#include <algorithm>

#include "core/ids.h"
#include "core/log.h"
#include "services/elbv2/elbv2_json.h"
#include "services/elbv2/errors.h"
#include "services/elbv2/records.h"
#include "services/elbv2/target_health.h"

namespace services::elbv2 {

namespace json = boost::json;

namespace {

// The account and region an ELB ARN belongs to.
bool scope_of(const std::string& arn, std::string* account, std::string* region) {
  core::ids::ParsedArn parsed;
  if (!core::ids::parse_arn(arn, &parsed)) {
    return false;
  }
  *account = parsed.account;
  *region = parsed.region;
  return true;
}

}  // namespace

Elbv2Service::Elbv2Service(store::Db& db, const core::Clock& clock, NetworkLookup& network)
    : db_(db),
      clock_(clock),
      network_(network),
      publisher_(db, clock),
      activation_("elbv2-activation", clock,
                  [this](const std::string& arn) { return reconcile_load_balancer(arn); },
                  {.workers = 1,
                   .resync_period = std::chrono::minutes(5),
                   .list_keys = [this] { return provisioning_load_balancers(); }}),
      draining_("elbv2-draining", clock,
                [this](const std::string& arn) { return reconcile_draining(arn); },
                {.workers = 1, .resync_period = std::chrono::minutes(5), .list_keys = [this] {
                   return groups_with_draining_targets();
                 }}) {
  publisher_.publish();
}

Elbv2Service::~Elbv2Service() { stop(); }

void Elbv2Service::register_operations(protocol::ServiceRegistry& registry) {
  registry.add(
      "elbv2",
      {
          {"CreateLoadBalancer", protocol::method(this, &Elbv2Service::create_load_balancer)},
          {"DescribeLoadBalancers", protocol::method(this, &Elbv2Service::describe_load_balancers)},
          {"DeleteLoadBalancer", protocol::method(this, &Elbv2Service::delete_load_balancer)},
          {"DescribeLoadBalancerAttributes",
           protocol::method(this, &Elbv2Service::describe_load_balancer_attributes)},
          {"ModifyLoadBalancerAttributes",
           protocol::method(this, &Elbv2Service::modify_load_balancer_attributes)},
          {"SetSecurityGroups", protocol::method(this, &Elbv2Service::set_security_groups)},
          {"SetSubnets", protocol::method(this, &Elbv2Service::set_subnets)},
          {"SetIpAddressType", protocol::method(this, &Elbv2Service::set_ip_address_type)},
          {"DescribeCapacityReservation",
           protocol::method(this, &Elbv2Service::describe_capacity_reservation)},
          {"CreateTargetGroup", protocol::method(this, &Elbv2Service::create_target_group)},
          {"DescribeTargetGroups", protocol::method(this, &Elbv2Service::describe_target_groups)},
          {"ModifyTargetGroup", protocol::method(this, &Elbv2Service::modify_target_group)},
          {"DeleteTargetGroup", protocol::method(this, &Elbv2Service::delete_target_group)},
          {"DescribeTargetGroupAttributes",
           protocol::method(this, &Elbv2Service::describe_target_group_attributes)},
          {"ModifyTargetGroupAttributes",
           protocol::method(this, &Elbv2Service::modify_target_group_attributes)},
          {"RegisterTargets", protocol::method(this, &Elbv2Service::register_targets)},
          {"DeregisterTargets", protocol::method(this, &Elbv2Service::deregister_targets)},
          {"DescribeTargetHealth", protocol::method(this, &Elbv2Service::describe_target_health)},
          {"CreateListener", protocol::method(this, &Elbv2Service::create_listener)},
          {"DescribeListeners", protocol::method(this, &Elbv2Service::describe_listeners)},
          {"ModifyListener", protocol::method(this, &Elbv2Service::modify_listener)},
          {"DeleteListener", protocol::method(this, &Elbv2Service::delete_listener)},
          {"DescribeListenerAttributes",
           protocol::method(this, &Elbv2Service::describe_listener_attributes)},
          {"ModifyListenerAttributes",
           protocol::method(this, &Elbv2Service::modify_listener_attributes)},
          {"AddListenerCertificates",
           protocol::method(this, &Elbv2Service::add_listener_certificates)},
          {"RemoveListenerCertificates",
           protocol::method(this, &Elbv2Service::remove_listener_certificates)},
          {"DescribeListenerCertificates",
           protocol::method(this, &Elbv2Service::describe_listener_certificates)},
          {"CreateRule", protocol::method(this, &Elbv2Service::create_rule)},
          {"DescribeRules", protocol::method(this, &Elbv2Service::describe_rules)},
          {"ModifyRule", protocol::method(this, &Elbv2Service::modify_rule)},
          {"DeleteRule", protocol::method(this, &Elbv2Service::delete_rule)},
          {"SetRulePriorities", protocol::method(this, &Elbv2Service::set_rule_priorities)},
          {"AddTags", protocol::method(this, &Elbv2Service::add_tags)},
          {"RemoveTags", protocol::method(this, &Elbv2Service::remove_tags)},
          {"DescribeTags", protocol::method(this, &Elbv2Service::describe_tags)},
          {"DescribeAccountLimits", protocol::method(this, &Elbv2Service::describe_account_limits)},
          {"DescribeSSLPolicies", protocol::method(this, &Elbv2Service::describe_ssl_policies)},
      });
}

void Elbv2Service::start() {
  activation_.start();
  draining_.start();
}

void Elbv2Service::stop() {
  activation_.stop();
  draining_.stop();
}

void Elbv2Service::reset() {
  {
    store::Transaction tx = db_.begin();
    for (const char* table :
         {"elbv2_load_balancers", "elbv2_target_groups", "elbv2_listeners", "elbv2_rules",
          "elbv2_rule_target_groups", "elbv2_targets", "elbv2_tags"}) {
      tx.exec(std::string("DELETE FROM ") + table);
    }
    tx.commit();
  }
  changed();
}

std::size_t Elbv2Service::run_background() {
  return activation_.run_ready() + draining_.run_ready();
}

// Health reports from the data plane.

void Elbv2Service::report_health(const std::vector<TargetHealthReport>& reports) {
  bool any = false;
  {
    store::Transaction tx = db_.begin();
    for (const TargetHealthReport& r : reports) {
      std::string account, region;
      if (!scope_of(r.target.target_group_arn, &account, &region)) {
        continue;
      }
      Elbv2Store st(tx, account, region);
      std::optional<TargetRow> row =
          st.target(r.target.target_group_arn, r.target.id, r.target.port);
      if (!row || row->state == "draining") {
        continue;
      }
      std::string state = target_state_name(r.state);
      if (r.state != TargetState::Initial && r.state != TargetState::Healthy &&
          r.state != TargetState::Unhealthy) {
        continue;
      }
      std::string reason = r.state == TargetState::Healthy ? "" : r.reason;
      std::string description = r.state == TargetState::Healthy ? "" : r.description;
      if (row->state == state && row->reason == reason && row->description == description) {
        continue;
      }
      row->state = state;
      row->reason = reason;
      row->description = description;
      st.put_target(*row);
      any = true;
    }
    tx.commit();
  }
  if (any) {
    changed();
  }
}

void Elbv2Service::report_drained(const TargetKey& target) {
  std::string account, region;
  if (!scope_of(target.target_group_arn, &account, &region)) {
    return;
  }
  bool removed = false;
  {
    store::Transaction tx = db_.begin();
    Elbv2Store st(tx, account, region);
    std::optional<TargetRow> row = st.target(target.target_group_arn, target.id, target.port);
    if (row && row->state == "draining") {
      st.delete_target(target.target_group_arn, target.id, target.port);
      removed = true;
    }
    tx.commit();
  }
  if (removed) {
    changed();
  }
}

// Background reconciles.

reconcile::ReconcileResult Elbv2Service::reconcile_load_balancer(const std::string& arn) {
  std::string account, region;
  if (!scope_of(arn, &account, &region)) {
    return reconcile::ReconcileResult::done();
  }
  core::Duration wait{};
  bool activated = false;
  {
    store::Transaction tx = db_.begin();
    Elbv2Store st(tx, account, region);
    std::optional<LoadBalancerRow> row = st.load_balancer(arn);
    if (!row || row->state != "provisioning") {
      return reconcile::ReconcileResult::done();
    }
    core::TimePoint active_at = core::from_epoch_millis(row->active_at_ms);
    core::TimePoint now = clock_.now();
    if (now < active_at) {
      wait = active_at - now;
    } else {
      row->state = "active";
      row->doc["State"] = json::object{{"Code", "active"}};
      st.put_load_balancer(*row);
      activated = true;
    }
    tx.commit();
  }
  if (activated) {
    core::log::info("load balancer active", {{"arn", arn}});
    changed();
    return reconcile::ReconcileResult::done();
  }
  return reconcile::ReconcileResult::requeue_after(wait);
}

reconcile::ReconcileResult Elbv2Service::reconcile_draining(const std::string& tg_arn) {
  std::string account, region;
  if (!scope_of(tg_arn, &account, &region)) {
    return reconcile::ReconcileResult::done();
  }
  std::optional<core::TimePoint> next;
  bool removed = false;
  {
    store::Transaction tx = db_.begin();
    Elbv2Store st(tx, account, region);
    core::TimePoint now = clock_.now();
    for (const TargetRow& t : st.targets_of(tg_arn)) {
      if (t.state != "draining") {
        continue;
      }
      core::TimePoint until = core::from_epoch_millis(t.drain_until_ms);
      if (until <= now) {
        st.delete_target(tg_arn, t.id, t.port);
        removed = true;
      } else if (!next || until < *next) {
        next = until;
      }
    }
    tx.commit();
  }
  if (removed) {
    changed();
  }
  if (next) {
    return reconcile::ReconcileResult::requeue_after(*next - clock_.now());
  }
  return reconcile::ReconcileResult::done();
}

std::vector<std::string> Elbv2Service::provisioning_load_balancers() {
  std::vector<std::string> out;
  store::Transaction tx = db_.read();
  for (auto& [scope, row] : Elbv2Store::all_load_balancers(tx)) {
    if (row.state == "provisioning") {
      out.push_back(str(row.doc, "LoadBalancerArn"));
    }
  }
  tx.commit();
  return out;
}

std::vector<std::string> Elbv2Service::groups_with_draining_targets() {
  std::vector<std::string> out;
  store::Transaction tx = db_.read();
  for (auto& [scope, row] : Elbv2Store::all_targets(tx)) {
    if (row.state == "draining" && (out.empty() || out.back() != row.tg_arn)) {
      out.push_back(row.tg_arn);
    }
  }
  tx.commit();
  return out;
}

// Shared views and checks.

Doc Elbv2Service::load_balancer_view(const LoadBalancerRow& row) const {
  Doc doc = row.doc;
  doc["State"] = json::object{{"Code", row.state}};
  return doc;
}

Doc Elbv2Service::target_group_view(Elbv2Store& st, const TargetGroupRow& row) {
  Doc doc = row.doc;
  doc["LoadBalancerArns"] = to_array(st.load_balancers_using(str(row.doc, "TargetGroupArn")));
  return doc;
}

std::optional<protocol::AwsError> Elbv2Service::check_forward_targets(
    Elbv2Store& st, const std::string& lb_arn, const std::vector<std::string>& groups) {
  for (const std::string& arn : groups) {
    std::optional<TargetGroupRow> tg = st.target_group(arn);
    if (!tg) {
      return errors::target_group_not_found("Target group '" + arn + "' not found");
    }
    TargetGroupRecord group = target_group_record(tg->doc);
    if (group.target_type != "lambda" && group.protocol != "HTTP" && group.protocol != "HTTPS") {
      return errors::incompatible_protocols(
          "Listener protocol 'HTTP' is not supported with a target group with the protocol '" +
          group.protocol + "'");
    }
    for (const std::string& user : st.load_balancers_using(arn)) {
      if (user != lb_arn) {
        return errors::target_group_association_limit(arn);
      }
    }
  }
  return std::nullopt;
}

std::vector<std::string> Elbv2Service::unused_groups(Elbv2Store& st,
                                                     const std::vector<std::string>& groups) {
  std::vector<std::string> out;
  for (const std::string& arn : groups) {
    if (st.load_balancers_using(arn).empty()) {
      out.push_back(arn);
    }
  }
  return out;
}

void Elbv2Service::restart_unused_targets(Elbv2Store& st,
                                          const std::vector<std::string>& groups_before_unused) {
  for (const std::string& arn : groups_before_unused) {
    if (st.load_balancers_using(arn).empty()) {
      continue;
    }
    for (TargetRow t : st.targets_of(arn)) {
      if (t.state != "draining") {
        mark_registering(t);
        st.put_target(t);
      }
    }
  }
}

}  // namespace services::elbv2
