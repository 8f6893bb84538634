#pragma once
// ELBv2 rows in SQLite (migration 0006_elbv2.sql): model documents in, model documents out.
//
// An Elbv2Store borrows one Transaction and is scoped to one account and region, so no query
// sees another account's rows. Filter columns are derived from the documents in put_*(), the
// only place that maps documents to SQL. The snapshot builder reads every account through
// all_*() instead.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/transaction.h"

namespace services::elbv2 {

struct LoadBalancerRow {
  boost::json::object doc;  // LoadBalancer shape, State as last stored
  std::string state;        // provisioning, active
  int64_t active_at_ms = 0;
  int64_t created_at_ms = 0;
  boost::json::object attributes;  // key -> value
  boost::json::array interfaces;   // [{SubnetId, ZoneName, EniId, PrivateIp}]
};

struct TargetGroupRow {
  boost::json::object doc;  // TargetGroup shape without LoadBalancerArns
  int64_t created_at_ms = 0;
  boost::json::object attributes;
};

struct ListenerRow {
  boost::json::object doc;  // Listener shape
  int64_t created_at_ms = 0;
  boost::json::object attributes;
};

struct RuleRow {
  boost::json::object doc;  // Rule shape ("Priority" text, "IsDefault")
  std::string listener_arn;
  std::optional<int64_t> priority;  // nullopt: the listener's default rule
};

struct TargetRow {
  std::string tg_arn;
  std::string id;
  int64_t port = 0;
  std::string availability_zone;
  std::string state;  // initial, healthy, unhealthy, draining
  std::string reason;
  std::string description;
  int64_t registered_at_ms = 0;
  int64_t drain_until_ms = 0;
};

class Elbv2Store {
 public:
  Elbv2Store(store::Transaction& tx, std::string account, std::string region);

  store::Transaction& tx() { return tx_; }

  // Load balancers.
  void put_load_balancer(const LoadBalancerRow& row);
  std::optional<LoadBalancerRow> load_balancer(std::string_view arn);
  std::optional<LoadBalancerRow> load_balancer_by_name(std::string_view name);
  // ARNs in name order after `after_name` (exclusive): (name, arn) pairs, at most `limit`.
  std::vector<std::pair<std::string, std::string>> load_balancer_names(std::string_view after_name,
                                                                       int64_t limit);
  int64_t count_load_balancers();
  void delete_load_balancer(std::string_view arn);

  // Target groups.
  void put_target_group(const TargetGroupRow& row);
  std::optional<TargetGroupRow> target_group(std::string_view arn);
  std::optional<TargetGroupRow> target_group_by_name(std::string_view name);
  std::vector<std::pair<std::string, std::string>> target_group_names(std::string_view after_name,
                                                                      int64_t limit);
  int64_t count_target_groups();
  void delete_target_group(std::string_view arn);
  // Load balancers whose listeners or rules forward to the group, ARN order.
  std::vector<std::string> load_balancers_using(std::string_view tg_arn);
  // Target groups some rule of the load balancer forwards to, ARN order.
  std::vector<std::string> target_groups_of(std::string_view lb_arn);

  // Listeners.
  void put_listener(const ListenerRow& row);
  std::optional<ListenerRow> listener(std::string_view arn);
  std::optional<ListenerRow> listener_on_port(std::string_view lb_arn, int64_t port);
  std::vector<ListenerRow> listeners_of(std::string_view lb_arn);  // port order
  // A listener's certificate list (not its default certificate), in the order added; adding one
  // already there does nothing, as removing one that is not.
  void add_listener_certificate(std::string_view listener_arn, std::string_view certificate_arn);
  void remove_listener_certificate(std::string_view listener_arn, std::string_view certificate_arn);
  std::vector<std::string> listener_certificates(std::string_view listener_arn);
  void delete_listener(std::string_view arn);                      // and its rules

  // Rules; `tg_arns` are the groups the rule's actions forward to.
  void put_rule(const RuleRow& row, const std::vector<std::string>& tg_arns);
  std::optional<RuleRow> rule(std::string_view arn);
  std::optional<RuleRow> rule_with_priority(std::string_view listener_arn, int64_t priority);
  // Priority ascending, the default rule last.
  std::vector<RuleRow> rules_of(std::string_view listener_arn);
  int64_t count_rules_of_load_balancer(std::string_view lb_arn);  // default rules excluded
  void delete_rule(std::string_view arn);

  // Targets.
  void put_target(const TargetRow& row);
  std::optional<TargetRow> target(std::string_view tg_arn, std::string_view id, int64_t port);
  std::vector<TargetRow> targets_of(std::string_view tg_arn);  // registration order
  void delete_target(std::string_view tg_arn, std::string_view id, int64_t port);
  void delete_targets_of(std::string_view tg_arn);

  // Tags, as [{Key, Value}] in the order they were first set.
  boost::json::array tags(std::string_view arn);
  void add_tags(std::string_view arn, const boost::json::array& tags);
  void remove_tags(std::string_view arn, const std::vector<std::string>& keys);
  void clear_tags(std::string_view arn);

  // Every account and region (snapshot builder, background sweeps). Each row carries its own
  // account and region in `account`/`region` out-parameters order of the vectors.
  struct Scoped {
    std::string account, region;
  };
  static std::vector<std::pair<Scoped, LoadBalancerRow>> all_load_balancers(store::Transaction& tx);
  static std::vector<std::pair<Scoped, TargetGroupRow>> all_target_groups(store::Transaction& tx);
  static std::vector<std::pair<Scoped, ListenerRow>> all_listeners(store::Transaction& tx);
  static std::vector<std::pair<Scoped, RuleRow>> all_rules(store::Transaction& tx);
  static std::vector<std::pair<Scoped, TargetRow>> all_targets(store::Transaction& tx);
  // (account, region, lb_arn, tg_arn) pairs.
  struct Usage {
    std::string lb_arn, tg_arn;
  };
  static std::vector<Usage> all_usages(store::Transaction& tx);

 private:
  store::Transaction& tx_;
  std::string account_;
  std::string region_;
};

}  // namespace services::elbv2
