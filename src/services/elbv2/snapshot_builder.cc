#include "services/elbv2/snapshot_builder.h"

#include <charconv>
#include <set>

#include "services/elbv2/elbv2_json.h"
#include "services/elbv2/elbv2_store.h"
#include "services/elbv2/records.h"
#include "services/elbv2/target_health.h"

namespace services::elbv2 {

namespace json = boost::json;

namespace {

int to_int(const std::string& text, int fallback) {
  int n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  return ec == std::errc() && end == text.data() + text.size() ? n : fallback;
}

std::string attr(const std::map<std::string, std::string>& attrs, const std::string& key,
                 const std::string& fallback = "") {
  auto it = attrs.find(key);
  return it == attrs.end() ? fallback : it->second;
}

TargetState state_of(const std::string& name) {
  if (name == "initial") return TargetState::Initial;
  if (name == "healthy") return TargetState::Healthy;
  if (name == "unhealthy") return TargetState::Unhealthy;
  if (name == "unused") return TargetState::Unused;
  if (name == "draining") return TargetState::Draining;
  return TargetState::Unavailable;
}

RuleCondition parse_condition(const json::object& c) {
  RuleCondition out;
  std::string field = str(c, "Field");
  if (field == "path-pattern") {
    out.field = ConditionField::PathPattern;
    out.values = strings(c, "Values");
  } else if (field == "host-header") {
    out.field = ConditionField::HostHeader;
    out.values = strings(c, "Values");
  } else if (field == "http-header") {
    out.field = ConditionField::HttpHeader;
    if (const json::object* config = obj(c, "HttpHeaderConfig")) {
      out.header_name = str(*config, "HttpHeaderName");
      out.values = strings(*config, "Values");
    }
  } else if (field == "http-request-method") {
    out.field = ConditionField::HttpRequestMethod;
    if (const json::object* config = obj(c, "HttpRequestMethodConfig")) {
      out.values = strings(*config, "Values");
    }
  } else if (field == "query-string") {
    out.field = ConditionField::QueryString;
    if (const json::object* config = obj(c, "QueryStringConfig")) {
      if (const json::array* pairs = arr(*config, "Values")) {
        for (const json::value& p : *pairs) {
          out.query.emplace_back(str(p.get_object(), "Key"), str(p.get_object(), "Value"));
        }
      }
    }
  } else if (field == "source-ip") {
    out.field = ConditionField::SourceIp;
    if (const json::object* config = obj(c, "SourceIpConfig")) {
      out.values = strings(*config, "Values");
    }
  }
  return out;
}

RuleAction parse_action(const json::object& a, int position) {
  RuleAction out;
  out.order = static_cast<int>(opt_int(a, "Order").value_or(position));
  std::string type = str(a, "Type");
  if (type == "forward") {
    out.type = ActionType::Forward;
    if (const json::object* config = obj(a, "ForwardConfig")) {
      if (const json::array* groups = arr(*config, "TargetGroups")) {
        for (const json::value& g : *groups) {
          out.forward.target_groups.push_back(
              {str(g.get_object(), "TargetGroupArn"),
               static_cast<int>(opt_int(g.get_object(), "Weight").value_or(1))});
        }
      }
      if (const json::object* s = obj(*config, "TargetGroupStickinessConfig")) {
        out.forward.stickiness_enabled = opt_bool(*s, "Enabled").value_or(false);
        out.forward.stickiness_duration_seconds =
            static_cast<int>(opt_int(*s, "DurationSeconds").value_or(0));
      }
    }
  } else if (type == "redirect") {
    out.type = ActionType::Redirect;
    if (const json::object* config = obj(a, "RedirectConfig")) {
      out.redirect.protocol = str(*config, "Protocol", "#{protocol}");
      out.redirect.port = str(*config, "Port", "#{port}");
      out.redirect.host = str(*config, "Host", "#{host}");
      out.redirect.path = str(*config, "Path", "/#{path}");
      out.redirect.query = str(*config, "Query", "#{query}");
      out.redirect.status_code = str(*config, "StatusCode") == "HTTP_302" ? 302 : 301;
    }
  } else if (type == "fixed-response") {
    out.type = ActionType::FixedResponse;
    if (const json::object* config = obj(a, "FixedResponseConfig")) {
      out.fixed_response.status_code = to_int(str(*config, "StatusCode"), 200);
      out.fixed_response.content_type = str(*config, "ContentType");
      out.fixed_response.body = str(*config, "MessageBody");
    }
  } else if (type == "authenticate-cognito") {
    out.type = ActionType::AuthenticateCognito;
  } else {
    out.type = ActionType::AuthenticateOidc;
  }
  return out;
}

SnapshotRule parse_rule(const RuleRow& row) {
  SnapshotRule out;
  out.arn = str(row.doc, "RuleArn");
  out.is_default = !row.priority.has_value();
  if (row.priority) {
    out.priority = static_cast<int>(*row.priority);
  }
  if (const json::array* conditions = arr(row.doc, "Conditions")) {
    for (const json::value& c : *conditions) {
      out.conditions.push_back(parse_condition(c.get_object()));
    }
  }
  if (const json::array* actions = arr(row.doc, "Actions")) {
    int position = 0;
    for (const json::value& a : *actions) {
      out.actions.push_back(parse_action(a.get_object(), ++position));
    }
  }
  return out;
}

SnapshotTargetGroup parse_target_group(const Elbv2Store::Scoped& scope, const TargetGroupRow& row) {
  SnapshotTargetGroup out;
  TargetGroupRecord tg = target_group_record(row.doc);
  out.arn = tg.arn;
  out.name = tg.name;
  out.account = scope.account;
  out.region = scope.region;
  out.protocol = tg.protocol;
  out.protocol_version = tg.protocol_version;
  out.port = static_cast<uint16_t>(tg.port.value_or(0));
  out.target_type = tg.target_type;
  out.vpc_id = tg.vpc_id;
  HealthCheckSettings& hc = out.health_check;
  hc.enabled = tg.health_check_enabled;
  hc.protocol = tg.health_check_protocol;
  hc.port = tg.health_check_port;
  hc.path = tg.health_check_path;
  hc.interval_seconds = static_cast<int>(tg.health_check_interval_seconds);
  hc.timeout_seconds = static_cast<int>(tg.health_check_timeout_seconds);
  hc.healthy_threshold = static_cast<int>(tg.healthy_threshold);
  hc.unhealthy_threshold = static_cast<int>(tg.unhealthy_threshold);
  if (tg.matcher_http_code) {
    hc.matcher = *tg.matcher_http_code;
  }
  out.attributes = attributes_map(row.attributes);
  const auto& a = out.attributes;
  out.deregistration_delay_seconds = to_int(attr(a, "deregistration_delay.timeout_seconds"), 300);
  out.slow_start_seconds = to_int(attr(a, "slow_start.duration_seconds"), 0);
  out.stickiness_enabled = attr(a, "stickiness.enabled") == "true";
  out.stickiness_type = attr(a, "stickiness.type", "lb_cookie");
  out.stickiness_duration_seconds =
      to_int(attr(a, out.stickiness_type == "app_cookie" ? "stickiness.app_cookie.duration_seconds"
                                                         : "stickiness.lb_cookie.duration_seconds"),
             86400);
  out.app_cookie_name = attr(a, "stickiness.app_cookie.cookie_name");
  out.algorithm = attr(a, "load_balancing.algorithm.type", "round_robin");
  return out;
}

SnapshotLoadBalancer parse_load_balancer(const Elbv2Store::Scoped& scope,
                                         const LoadBalancerRow& row) {
  SnapshotLoadBalancer out;
  const json::object& d = row.doc;
  out.arn = str(d, "LoadBalancerArn");
  out.name = str(d, "LoadBalancerName");
  out.account = scope.account;
  out.region = scope.region;
  out.dns_name = str(d, "DNSName");
  out.scheme = str(d, "Scheme");
  out.vpc_id = str(d, "VpcId");
  out.state = row.state;
  out.ip_address_type = str(d, "IpAddressType", "ipv4");
  out.security_groups = strings(d, "SecurityGroups");
  for (const json::value& v : row.interfaces) {
    const json::object& i = v.get_object();
    out.addresses.push_back(
        {str(i, "SubnetId"), str(i, "ZoneName"), str(i, "EniId"), str(i, "PrivateIp")});
  }
  out.attributes = attributes_map(row.attributes);
  out.idle_timeout_seconds = to_int(attr(out.attributes, "idle_timeout.timeout_seconds"), 60);
  return out;
}

}  // namespace

std::shared_ptr<AlbSnapshot> build_snapshot(store::Transaction& tx) {
  auto snapshot = std::make_shared<AlbSnapshot>();

  for (auto& [scope, row] : Elbv2Store::all_target_groups(tx)) {
    SnapshotTargetGroup tg = parse_target_group(scope, row);
    snapshot->target_groups.emplace(tg.arn, std::move(tg));
  }
  for (const Elbv2Store::Usage& u : Elbv2Store::all_usages(tx)) {
    auto it = snapshot->target_groups.find(u.tg_arn);
    if (it != snapshot->target_groups.end()) {
      it->second.load_balancer_arns.push_back(u.lb_arn);
    }
  }
  for (auto& [scope, row] : Elbv2Store::all_targets(tx)) {
    auto it = snapshot->target_groups.find(row.tg_arn);
    if (it == snapshot->target_groups.end()) {
      continue;
    }
    SnapshotTargetGroup& tg = it->second;
    EffectiveHealth health =
        effective_health(row, !tg.load_balancer_arns.empty(), tg.health_check.enabled);
    SnapshotTarget t;
    t.id = row.id;
    t.port = static_cast<uint16_t>(row.port);
    t.availability_zone = row.availability_zone;
    t.state = state_of(health.state);
    t.reason = health.reason;
    t.registered_at = core::from_epoch_millis(row.registered_at_ms);
    if (row.state == "draining") {
      t.drain_deadline = core::from_epoch_millis(row.drain_until_ms);
    }
    tg.targets.push_back(std::move(t));
  }

  std::map<std::string, SnapshotListener> listeners;
  for (auto& [scope, row] : Elbv2Store::all_listeners(tx)) {
    SnapshotListener l;
    l.arn = str(row.doc, "ListenerArn");
    l.load_balancer_arn = str(row.doc, "LoadBalancerArn");
    l.port = static_cast<uint16_t>(opt_int(row.doc, "Port").value_or(0));
    l.protocol = str(row.doc, "Protocol");
    l.attributes = attributes_map(row.attributes);
    listeners.emplace(l.arn, std::move(l));
  }
  for (auto& [scope, row] : Elbv2Store::all_rules(tx)) {
    auto it = listeners.find(row.listener_arn);
    if (it != listeners.end()) {
      it->second.rules.push_back(parse_rule(row));
    }
  }
  std::map<std::string, std::vector<SnapshotListener>> by_lb;
  for (auto& [arn, l] : listeners) {
    by_lb[l.load_balancer_arn].push_back(std::move(l));
  }
  for (auto& [scope, row] : Elbv2Store::all_load_balancers(tx)) {
    SnapshotLoadBalancer lb = parse_load_balancer(scope, row);
    auto it = by_lb.find(lb.arn);
    if (it != by_lb.end()) {
      lb.listeners = std::move(it->second);
      std::sort(
          lb.listeners.begin(), lb.listeners.end(),
          [](const SnapshotListener& a, const SnapshotListener& b) { return a.port < b.port; });
    }
    snapshot->load_balancers.push_back(std::move(lb));
  }
  return snapshot;
}

}  // namespace services::elbv2
