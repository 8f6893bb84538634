// Targets: RegisterTargets, DeregisterTargets (draining), DescribeTargetHealth.

#include <arpa/inet.h>

#include <algorithm>

#include "services/elbv2/elbv2_json.h"
#include "services/elbv2/elbv2_service.h"
#include "services/elbv2/errors.h"
#include "services/elbv2/records.h"
#include "services/elbv2/target_health.h"

namespace services::elbv2 {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxTargetsPerGroup = 1000;

std::optional<uint32_t> parse_ipv4(const std::string& text) {
  in_addr addr{};
  if (inet_pton(AF_INET, text.c_str(), &addr) != 1) {
    return std::nullopt;
  }
  return ntohl(addr.s_addr);
}

bool in_cidr(uint32_t ip, const std::string& cidr) {
  std::size_t slash = cidr.find('/');
  if (slash == std::string::npos) {
    return false;
  }
  std::optional<uint32_t> base = parse_ipv4(cidr.substr(0, slash));
  int bits = std::atoi(cidr.c_str() + slash + 1);
  if (!base || bits < 0 || bits > 32) {
    return false;
  }
  uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
  return (ip & mask) == (*base & mask);
}

// ip targets must be in the group's VPC or a private range (RFC 1918, RFC 6598).
bool private_or_in_vpc(uint32_t ip, const std::optional<std::string>& vpc_cidr) {
  for (const char* range : {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"}) {
    if (in_cidr(ip, range)) {
      return true;
    }
  }
  return vpc_cidr && in_cidr(ip, *vpc_cidr);
}

struct TargetRef {
  std::string id;
  int64_t port = 0;
  std::string availability_zone;
};

// The targets a request names, ports defaulted to the group's; checks ids against the target type.
protocol::Result<std::vector<TargetRef>> requested_targets(
    const json::array* targets, const TargetGroupRecord& tg,
    const std::optional<std::string>& vpc_cidr) {
  std::vector<TargetRef> out;
  const std::string& type = tg.target_type;
  if (!targets) {
    return out;
  }
  for (const json::value& v : *targets) {
    if (!v.is_object()) {
      continue;
    }
    const json::object& t = v.get_object();
    TargetRef ref{str(t, "Id"), 0, str(t, "AvailabilityZone")};
    if (type == "lambda") {
      if (!ref.id.starts_with("arn:") || ref.id.find(":lambda:") == std::string::npos) {
        return errors::invalid_target("The target '" + ref.id +
                                      "' is not a valid Lambda function ARN");
      }
      out.push_back(ref);
      continue;
    }
    std::optional<int64_t> port = opt_int(t, "Port");
    if (!port) {
      port = tg.port;
    }
    if (!port) {
      return errors::validation("A port must be specified for target '" + ref.id + "'");
    }
    ref.port = *port;
    if (type == "ip") {
      std::optional<uint32_t> ip = parse_ipv4(ref.id);
      if (!ip) {
        return errors::invalid_target("The IP address '" + ref.id +
                                      "' is not a valid IPv4 address");
      }
      if (!private_or_in_vpc(*ip, vpc_cidr)) {
        return errors::invalid_target("The IP address '" + ref.id +
                                      "' is not within the VPC's CIDR or a private range");
      }
    } else if (type == "instance") {
      // Gantry runs no EC2 instances, so no instance is ever running.
      return errors::invalid_target(
          "The following targets are not in a running state and cannot be registered: '" + ref.id +
          "'");
    }
    out.push_back(ref);
  }
  return out;
}

json::object target_description(const TargetRow& t) {
  json::object out{{"Id", t.id}};
  if (t.port != 0) {
    out["Port"] = t.port;
  }
  if (!t.availability_zone.empty()) {
    out["AvailabilityZone"] = t.availability_zone;
  }
  return out;
}

}  // namespace

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RegisterTargets.html
Reply Elbv2Service::register_targets(const Ctx& ctx, const Doc& in) {
  std::string arn = str(in, "TargetGroupArn");
  std::optional<TargetGroupRow> stored;
  {
    store::Transaction tx = db_.read();
    stored = Elbv2Store(tx, ctx.account, ctx.region).target_group(arn);
    tx.commit();
  }
  if (!stored) {
    return errors::target_group_not_found();
  }
  TargetGroupRecord tg = target_group_record(stored->doc);
  std::optional<std::string> vpc_cidr;
  if (tg.target_type == "ip") {
    vpc_cidr = network_.vpc_cidr(ctx.account, ctx.region, tg.vpc_id);
  }
  protocol::Result<std::vector<TargetRef>> targets =
      requested_targets(arr(in, "Targets"), tg, vpc_cidr);
  if (!targets) {
    return targets.error();
  }
  if (targets->empty()) {
    return errors::validation("At least one target must be specified");
  }
  bool any = false;
  {
    store::Transaction tx = db_.begin();
    Elbv2Store st(tx, ctx.account, ctx.region);
    if (!st.target_group(arn)) {
      return errors::target_group_not_found();
    }
    std::vector<TargetRow> existing = st.targets_of(arn);
    if (tg.target_type == "lambda" &&
        (targets->size() > 1 ||
         std::any_of(existing.begin(), existing.end(),
                     [&](const TargetRow& t) { return t.id != targets->front().id; }))) {
      return protocol::AwsError("TooManyTargets",
                                "A target group of type 'lambda' can only have one target");
    }
    std::size_t count = existing.size();
    int64_t now_ms = core::to_epoch_millis(clock_.now());
    for (const TargetRef& ref : *targets) {
      std::optional<TargetRow> row = st.target(arn, ref.id, ref.port);
      if (row && row->state != "draining") {
        continue;  // already registered: RegisterTargets is idempotent
      }
      if (!row) {
        if (++count > kMaxTargetsPerGroup) {
          return protocol::AwsError("TooManyTargets",
                                    "You've reached the limit on the number of targets");
        }
        row = TargetRow{arn, ref.id, ref.port, ref.availability_zone};
      }
      mark_registering(*row);
      row->registered_at_ms = now_ms;
      st.put_target(*row);
      any = true;
    }
    tx.commit();
  }
  if (any) {
    changed();
  }
  return json::object{};
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DeregisterTargets.html
// A target of a group in use drains for deregistration_delay.timeout_seconds (state draining,
// Target.DeregistrationInProgress) and is then removed; with no load balancer, or a delay of 0,
// it is removed at once.
Reply Elbv2Service::deregister_targets(const Ctx& ctx, const Doc& in) {
  std::string arn = str(in, "TargetGroupArn");
  std::optional<core::Duration> drain_for;
  bool any = false;
  {
    store::Transaction tx = db_.begin();
    Elbv2Store st(tx, ctx.account, ctx.region);
    std::optional<TargetGroupRow> tg = st.target_group(arn);
    if (!tg) {
      return errors::target_group_not_found();
    }
    // Deregistration takes any id: only registered targets are affected.
    std::vector<TargetRef> refs;
    std::optional<int64_t> group_port = target_group_record(tg->doc).port;
    if (const json::array* raw = arr(in, "Targets")) {
      for (const json::value& v : *raw) {
        if (v.is_object()) {
          std::optional<int64_t> port = opt_int(v.get_object(), "Port");
          refs.push_back({str(v.get_object(), "Id"), port ? *port : group_port.value_or(0), ""});
        }
      }
    }
    bool in_use = !st.load_balancers_using(arn).empty();
    int64_t delay_s =
        std::atoll(str(tg->attributes, "deregistration_delay.timeout_seconds", "300").c_str());
    core::Duration delay = clock_.scaled(std::chrono::seconds(delay_s));
    core::TimePoint now = clock_.now();
    for (const TargetRef& ref : refs) {
      std::optional<TargetRow> row = st.target(arn, ref.id, ref.port);
      if (!row || row->state == "draining") {
        continue;
      }
      any = true;
      if (!in_use || delay_s == 0) {
        st.delete_target(arn, ref.id, ref.port);
        continue;
      }
      row->state = "draining";
      row->reason = kDeregistrationInProgress;
      row->description = describe_reason(kDeregistrationInProgress);
      row->drain_until_ms = core::to_epoch_millis(now + delay);
      st.put_target(*row);
      drain_for = delay;
    }
    tx.commit();
  }
  if (drain_for) {
    draining_.enqueue_after(arn, *drain_for);
  }
  if (any) {
    changed();
  }
  return json::object{};
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeTargetHealth.html
Reply Elbv2Service::describe_target_health(const Ctx& ctx, const Doc& in) {
  std::string arn = str(in, "TargetGroupArn");
  store::Transaction tx = db_.read();
  Elbv2Store st(tx, ctx.account, ctx.region);
  std::optional<TargetGroupRow> stored = st.target_group(arn);
  if (!stored) {
    return errors::target_group_not_found();
  }
  TargetGroupRecord tg = target_group_record(stored->doc);
  bool in_use = !st.load_balancers_using(arn).empty();
  bool hc_enabled = tg.health_check_enabled;
  const std::string& hc_port = tg.health_check_port;
  auto describe = [&](const TargetRow& t, const EffectiveHealth& h) {
    json::object health{{"State", h.state}};
    if (!h.reason.empty()) {
      health["Reason"] = h.reason;
      health["Description"] = h.description;
    }
    json::object out{{"Target", target_description(t)}};
    // Unregistered and unused targets too (moto's AWS-verified test_describe_unknown_targets).
    if (tg.target_type != "lambda") {
      out["HealthCheckPort"] = hc_port == "traffic-port" ? std::to_string(t.port) : hc_port;
    }
    out["TargetHealth"] = std::move(health);
    return out;
  };
  json::array out;
  const json::array* requested = arr(in, "Targets");
  if (requested && !requested->empty()) {
    for (const json::value& v : *requested) {
      if (!v.is_object()) {
        continue;
      }
      const json::object& t = v.get_object();
      std::string id = str(t, "Id");
      if (tg.target_type == "ip" && !parse_ipv4(id)) {
        return errors::invalid_target("The IP address '" + id + "' is not a valid IPv4 address");
      }
      int64_t port = opt_int(t, "Port").value_or(tg.port.value_or(0));
      if (std::optional<TargetRow> target = st.target(arn, id, port)) {
        out.push_back(describe(*target, effective_health(*target, in_use, hc_enabled)));
        continue;
      }
      TargetRow missing{arn, id, port, str(t, "AvailabilityZone")};
      out.push_back(describe(
          missing, {"unused", "Target.NotRegistered", describe_reason("Target.NotRegistered")}));
    }
  } else {
    for (const TargetRow& row : st.targets_of(arn)) {
      out.push_back(describe(row, effective_health(row, in_use, hc_enabled)));
    }
  }
  tx.commit();
  return json::object{{"TargetHealthDescriptions", std::move(out)}};
}

}  // namespace services::elbv2
