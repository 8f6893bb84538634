#pragma once
// The ALB data plane's configuration, which the data plane owns and the ELBv2 control plane
// builds (services/elbv2/snapshot_builder.h).
//
// The data plane never reads SQLite. After every committed change that matters to it (load
// balancers, listeners, rules, target groups, targets, target health) the control plane builds
// an immutable AlbSnapshot from the store and publishes it through an AlbSnapshotSource: proxies
// take current() once per connection or request and keep using that shared_ptr, the way Envoy
// snaps its route config per stream. Publication swaps one shared_ptr atomically.
//
// The data plane's health checker moves targets between initial, healthy and unhealthy through a
// TargetHealthReporter; the control plane persists the state (DescribeTargetHealth shows it) and
// publishes a new snapshot. It also reports when a draining target has finished its last request,
// so that it is removed before its deregistration delay ends.
//
// Header-only and depends on nothing but the standard library and core/clock.h.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/clock.h"

namespace dataplane {

// DescribeTargetHealth's TargetHealth.State.
enum class TargetState { Initial, Healthy, Unhealthy, Unused, Draining, Unavailable };

inline const char* target_state_name(TargetState s) {
  switch (s) {
    case TargetState::Initial:
      return "initial";
    case TargetState::Healthy:
      return "healthy";
    case TargetState::Unhealthy:
      return "unhealthy";
    case TargetState::Unused:
      return "unused";
    case TargetState::Draining:
      return "draining";
    case TargetState::Unavailable:
      return "unavailable";
  }
  return "unavailable";
}

// One registered target and its health as last recorded.
struct SnapshotTarget {
  std::string id;     // IPv4 address (ip), instance id (instance) or function ARN (lambda)
  uint16_t port = 0;  // 0 for lambda targets
  std::string availability_zone;  // as registered; "" when not given
  TargetState state = TargetState::Initial;
  std::string reason;  // "Elb.RegistrationInProgress", "Target.Timeout", ... or ""
  core::TimePoint registered_at{};
  // Draining only: when the control plane removes the target unless reported idle earlier.
  std::optional<core::TimePoint> drain_deadline;
};

struct HealthCheckSettings {
  bool enabled = true;
  std::string protocol = "HTTP";      // HTTP or HTTPS
  std::string port = "traffic-port";  // "traffic-port" or a port number as text
  std::string path = "/";
  int interval_seconds = 30;  // AWS seconds: divide by the clock's time_scale()
  int timeout_seconds = 5;
  int healthy_threshold = 5;
  int unhealthy_threshold = 2;
  std::string matcher = "200";  // "200", "200,202", "200-299"
};

struct SnapshotTargetGroup {
  std::string arn;
  std::string name;
  std::string account;
  std::string region;
  std::string protocol;          // HTTP, HTTPS
  std::string protocol_version;  // HTTP1, HTTP2, GRPC
  uint16_t port = 0;
  std::string target_type;  // ip, instance, lambda
  std::string vpc_id;
  HealthCheckSettings health_check;
  int deregistration_delay_seconds = 300;
  int slow_start_seconds = 0;
  bool stickiness_enabled = false;
  std::string stickiness_type = "lb_cookie";  // lb_cookie, app_cookie
  int stickiness_duration_seconds = 86400;
  std::string app_cookie_name;
  std::string algorithm = "round_robin";  // round_robin, least_outstanding_requests, ...
  std::map<std::string, std::string>
      attributes;                               // every attribute, as DescribeTargetGroupAttributes
  std::vector<std::string> load_balancer_arns;  // empty: not in use, targets are "unused"
  std::vector<SnapshotTarget> targets;          // registration order
};

enum class ConditionField {
  PathPattern,
  HostHeader,
  HttpHeader,
  HttpRequestMethod,
  QueryString,
  SourceIp
};

// One rule condition. Values are ORed; a rule's conditions are ANDed. Wildcards: '*' (any run of
// characters) and '?' (one character) in path-pattern, host-header, http-header and query-string
// values. path-pattern is case-sensitive, host-header, header names and query keys are not.
struct RuleCondition {
  ConditionField field = ConditionField::PathPattern;
  std::string header_name;          // http-header only
  std::vector<std::string> values;  // patterns, methods, CIDRs; empty for query-string
  std::vector<std::pair<std::string, std::string>> query;  // query-string: (key or "", value)
};

enum class ActionType { Forward, Redirect, FixedResponse, AuthenticateOidc, AuthenticateCognito };

struct WeightedTargetGroup {
  std::string arn;
  int weight = 1;  // 0..999; 0 receives nothing
};

struct ForwardAction {
  std::vector<WeightedTargetGroup> target_groups;
  bool stickiness_enabled = false;  // group-level stickiness across the weighted groups
  int stickiness_duration_seconds = 0;
};

// "#{protocol}", "#{host}", "#{port}", "#{path}", "#{query}" are AWS's placeholders, kept as is.
struct RedirectAction {
  std::string protocol = "#{protocol}";
  std::string port = "#{port}";
  std::string host = "#{host}";
  std::string path = "/#{path}";
  std::string query = "#{query}";
  int status_code = 301;  // 301 or 302
};

struct FixedResponseAction {
  int status_code = 200;
  std::string content_type;  // "" or text/plain, text/css, text/html, application/javascript, ...
  std::string body;
};

struct RuleAction {
  ActionType type = ActionType::Forward;
  int order = 1;
  ForwardAction forward;
  RedirectAction redirect;
  FixedResponseAction fixed_response;
};

struct SnapshotRule {
  std::string arn;
  std::optional<int> priority;  // nullopt for the default rule
  bool is_default = false;
  std::vector<RuleCondition> conditions;
  std::vector<RuleAction> actions;  // by Order; the last one is the terminal action
};

struct SnapshotListener {
  std::string arn;
  std::string load_balancer_arn;
  uint16_t port = 0;
  std::string protocol;  // HTTP (HTTPS listeners are stored but the data plane may skip them)
  std::vector<SnapshotRule> rules;  // evaluation order: priority ascending, default rule last
  std::map<std::string, std::string> attributes;
};

struct LoadBalancerAddress {
  std::string subnet_id;
  std::string availability_zone;
  std::string eni_id;      // the ALB's network interface in the subnet ("" without EC2)
  std::string private_ip;  // source address of proxied connections in that subnet
};

struct SnapshotLoadBalancer {
  std::string arn;
  std::string name;
  std::string account;
  std::string region;
  std::string dns_name;  // "<name>-<id>.<region>.elb.localhost"
  std::string scheme;    // "internet-facing" or "internal"
  std::string vpc_id;
  std::string state;  // "provisioning" or "active"
  std::string ip_address_type;
  std::vector<LoadBalancerAddress> addresses;  // one per subnet, in AvailabilityZones order
  std::vector<std::string> security_groups;
  int idle_timeout_seconds = 60;
  std::map<std::string, std::string> attributes;
  std::vector<SnapshotListener> listeners;  // by port
};

struct AlbSnapshot {
  uint64_t version = 0;  // increases with every publication
  core::TimePoint built_at{};
  std::vector<SnapshotLoadBalancer> load_balancers;          // by ARN
  std::map<std::string, SnapshotTargetGroup> target_groups;  // by ARN

  const SnapshotTargetGroup* target_group(const std::string& arn) const {
    auto it = target_groups.find(arn);
    return it == target_groups.end() ? nullptr : &it->second;
  }
};

// Where the data plane gets snapshots. Thread-safe.
class AlbSnapshotSource {
 public:
  using Listener = std::function<void(std::shared_ptr<const AlbSnapshot>)>;

  virtual ~AlbSnapshotSource() = default;
  // Never null: an empty snapshot before the first change.
  virtual std::shared_ptr<const AlbSnapshot> current() const = 0;
  // Calls `listener` with each new snapshot, on the thread that published it (after the store
  // commit, outside any transaction); it should be quick. Returns an id for unsubscribe().
  virtual uint64_t subscribe(Listener listener) = 0;
  virtual void unsubscribe(uint64_t id) = 0;
};

struct TargetKey {
  std::string target_group_arn;
  std::string id;
  uint16_t port = 0;
  bool operator<(const TargetKey& o) const {
    return std::tie(target_group_arn, id, port) < std::tie(o.target_group_arn, o.id, o.port);
  }
  bool operator==(const TargetKey& o) const = default;
};

// A health checker's verdict on one target. state is Initial, Healthy or Unhealthy; reason is
// one of AWS's codes: Elb.InitialHealthChecking (initial), "" (healthy),
// Target.ResponseCodeMismatch, Target.Timeout or Target.FailedHealthChecks (unhealthy). description
// "" picks AWS's text
// ("Health checks failed with these codes: [502]" needs the caller's own).
struct TargetHealthReport {
  TargetKey target;
  TargetState state = TargetState::Initial;
  std::string reason;
  std::string description;
};

// What the health checker and proxy tell the control plane. Thread-safe; must not be called while
// holding a store transaction.
class TargetHealthReporter {
 public:
  virtual ~TargetHealthReporter() = default;
  // Records verdicts in one transaction and publishes one snapshot if anything changed. Reports
  // for targets that are no longer registered, or are draining, are ignored.
  virtual void report_health(const std::vector<TargetHealthReport>& reports) = 0;
  // A draining target has no request in flight any more: it is removed now.
  virtual void report_drained(const TargetKey& target) = 0;
};

}  // namespace dataplane
