// Target groups: create, describe, modify, delete, attributes.

#include <algorithm>

#include "services/elbv2/attribute_handlers.h"
#include "services/elbv2/attributes.h"
#include "services/elbv2/describe_pages.h"
#include "services/elbv2/elbv2_json.h"
#include "services/elbv2/elbv2_service.h"
#include "services/elbv2/errors.h"

namespace services::elbv2 {

namespace json = boost::json;

namespace {

constexpr int64_t kMaxTargetGroups = 3000;

std::optional<protocol::AwsError> check_target_group_name(const std::string& name) {
  return check_name("Target group", name);
}

// A matcher's HttpCode: "200", "200,202" or "200-299", codes 200..499.
bool valid_http_code(const std::string& text) {
  if (text.empty()) {
    return false;
  }
  auto code_ok = [](const std::string& c) {
    return c.size() == 3 && std::all_of(c.begin(), c.end(), ::isdigit) && std::stoi(c) >= 200 &&
           std::stoi(c) <= 499;
  };
  std::size_t dash = text.find('-');
  if (dash != std::string::npos) {
    std::string lo = text.substr(0, dash), hi = text.substr(dash + 1);
    return code_ok(lo) && code_ok(hi) && std::stoi(lo) <= std::stoi(hi);
  }
  std::size_t pos = 0;
  while (true) {
    std::size_t comma = text.find(',', pos);
    if (!code_ok(text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos))) {
      return false;
    }
    if (comma == std::string::npos) {
      return true;
    }
    pos = comma + 1;
  }
}

// Applies the health-check members of `in` (Create or Modify) onto `tg`, then checks the result.
std::optional<protocol::AwsError> apply_health_check(json::object& tg, const json::object& in) {
  for (std::string_view key :
       {"HealthCheckProtocol", "HealthCheckPort", "HealthCheckPath", "HealthCheckEnabled",
        "HealthCheckIntervalSeconds", "HealthCheckTimeoutSeconds", "HealthyThresholdCount",
        "UnhealthyThresholdCount"}) {
    if (const json::value* v = in.if_contains(key)) {
      tg[key] = *v;
    }
  }
  if (const json::object* matcher = obj(in, "Matcher")) {
    if (std::optional<std::string> grpc = opt_str(*matcher, "GrpcCode")) {
      if (str(tg, "ProtocolVersion") != "GRPC") {
        return errors::validation("A gRPC code can only be specified for GRPC target groups");
      }
      tg["Matcher"] = json::object{{"GrpcCode", *grpc}};
    } else {
      std::string code = str(*matcher, "HttpCode");
      if (!valid_http_code(code)) {
        return errors::validation("Health check matcher HTTP code '" + code +
                                  "' must be a value between 200 and 499");
      }
      tg["Matcher"] = json::object{{"HttpCode", code}};
    }
  }
  std::string hc_protocol = str(tg, "HealthCheckProtocol");
  if (!hc_protocol.empty() && hc_protocol != "HTTP" && hc_protocol != "HTTPS") {
    return errors::validation("Health check protocol '" + hc_protocol +
                              "' is not supported for target groups with the '" +
                              str(tg, "Protocol") + "' protocol");
  }
  std::string port = str(tg, "HealthCheckPort", "traffic-port");
  if (port != "traffic-port") {
    bool digits =
        !port.empty() && port.size() <= 5 && std::all_of(port.begin(), port.end(), ::isdigit);
    if (!digits || std::stoi(port) < 1 || std::stoi(port) > 65535) {
      return errors::validation("Health check port '" + port +
                                "' must be 'traffic-port' or a port between 1 and 65535");
    }
  }
  std::string path = str(tg, "HealthCheckPath", "/");
  if (path.empty() || path[0] != '/') {
    return errors::validation("Health check path must begin with a '/' character");
  }
  int64_t interval = opt_int(tg, "HealthCheckIntervalSeconds").value_or(30);
  int64_t timeout = opt_int(tg, "HealthCheckTimeoutSeconds").value_or(5);
  if (timeout >= interval) {
    return errors::validation("Health check timeout '" + std::to_string(timeout) +
                              "' must be smaller than the interval '" + std::to_string(interval) +
                              "'");
  }
  return std::nullopt;
}

// The settings CreateTargetGroup compares to decide whether a same-named group is "the same".
bool same_settings(const json::object& a, const json::object& b) {
  for (std::string_view key : {"Protocol", "Port", "VpcId", "TargetType", "ProtocolVersion",
                               "HealthCheckProtocol", "HealthCheckPort", "HealthCheckPath",
                               "HealthCheckIntervalSeconds", "HealthCheckTimeoutSeconds",
                               "HealthyThresholdCount", "UnhealthyThresholdCount", "Matcher"}) {
    const json::value* x = a.if_contains(key);
    const json::value* y = b.if_contains(key);
    if ((x == nullptr) != (y == nullptr) || (x && *x != *y)) {
      return false;
    }
  }
  return true;
}

// The health-check settings a new group has unless the request sets them.
void set_health_check_defaults(json::object& tg, bool enabled, int64_t interval, int64_t timeout,
                               json::object matcher) {
  tg["HealthCheckEnabled"] = enabled;
  tg["HealthCheckIntervalSeconds"] = interval;
  tg["HealthCheckTimeoutSeconds"] = timeout;
  tg["HealthyThresholdCount"] = 5;
  tg["UnhealthyThresholdCount"] = 2;
  tg["HealthCheckPath"] = "/";
  tg["Matcher"] = std::move(matcher);
}

// A lambda group: no protocol, port or VPC; health checks off.
std::optional<protocol::AwsError> set_lambda_defaults(json::object& tg, const json::object& in) {
  for (std::string_view key : {"Protocol", "Port", "VpcId", "ProtocolVersion"}) {
    if (in.contains(key)) {
      return errors::validation(std::string(key) +
                                " cannot be specified for target groups with target type "
                                "'lambda'");
    }
  }
  set_health_check_defaults(tg, false, 35, 30, json::object{{"HttpCode", "200"}});
  return std::nullopt;
}

// An instance or ip group: HTTP or HTTPS on a port of an existing VPC; health checks on.
std::optional<protocol::AwsError> set_http_defaults(json::object& tg, const json::object& in,
                                                    NetworkLookup& network,
                                                    const protocol::RequestContext& ctx) {
  std::optional<std::string> protocol = opt_str(in, "Protocol");
  std::optional<int64_t> port = opt_int(in, "Port");
  std::optional<std::string> vpc = opt_str(in, "VpcId");
  if (!protocol) {
    return errors::validation("A protocol must be specified");
  }
  if (*protocol != "HTTP" && *protocol != "HTTPS") {
    return errors::validation("Protocol '" + *protocol +
                              "' is not supported: Gantry serves application load balancers "
                              "(HTTP and HTTPS target groups)");
  }
  if (!port) {
    return errors::validation("A port must be specified");
  }
  if (!vpc) {
    return errors::validation("A VPC ID must be specified");
  }
  if (!network.vpc_cidr(ctx.account, ctx.region, *vpc)) {
    return errors::validation("The VPC ID '" + *vpc + "' is not found");
  }
  // AWS treats an empty ProtocolVersion as absent (HTTP1); the Terraform provider sends
  // ProtocolVersion="" for every HTTP/HTTPS group declared without protocol_version.
  std::string version = str(in, "ProtocolVersion");
  if (version.empty()) {
    version = "HTTP1";
  }
  if (version != "HTTP1" && version != "HTTP2" && version != "GRPC") {
    return errors::validation("Protocol version '" + version + "' is not supported");
  }
  tg["Protocol"] = *protocol;
  tg["Port"] = *port;
  tg["VpcId"] = *vpc;
  tg["HealthCheckProtocol"] = *protocol;
  tg["HealthCheckPort"] = "traffic-port";
  set_health_check_defaults(
      tg, true, 30, 5,
      version == "GRPC" ? json::object{{"GrpcCode", "12"}} : json::object{{"HttpCode", "200"}});
  tg["ProtocolVersion"] = version;
  return std::nullopt;
}

// The group a CreateTargetGroup request describes, without its ARN: the defaults of its target
// type, then the request's health-check settings.
protocol::Result<json::object> requested_target_group(const json::object& in,
                                                      const std::string& name,
                                                      const std::string& type,
                                                      NetworkLookup& network,
                                                      const protocol::RequestContext& ctx) {
  json::object tg{{"TargetGroupName", name}};
  std::optional<protocol::AwsError> e =
      type == "lambda" ? set_lambda_defaults(tg, in) : set_http_defaults(tg, in, network, ctx);
  if (e) {
    return *e;
  }
  if (auto bad = apply_health_check(tg, in)) {
    return *bad;
  }
  tg["TargetType"] = type;
  tg["IpAddressType"] = str(in, "IpAddressType", "ipv4");
  return tg;
}

}  // namespace

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html
Reply Elbv2Service::create_target_group(const Ctx& ctx, const Doc& in) {
  std::string name = str(in, "Name");
  if (auto e = check_target_group_name(name)) {
    return *e;
  }
  std::string type = str(in, "TargetType", "instance");
  if (type == "alb") {
    return errors::validation("Target type 'alb' is only supported by network load balancers");
  }
  json::array tags = arr(in, "Tags") ? *arr(in, "Tags") : json::array{};
  if (auto e = check_tags(tags, ctx.via_cloudformation())) {
    return *e;
  }
  protocol::Result<json::object> requested = requested_target_group(in, name, type, network_, ctx);
  if (!requested) {
    return requested.error();
  }
  const json::object& tg = *requested;
  json::object reply;
  {
    store::Transaction tx = db_.begin();
    Elbv2Store st(tx, ctx.account, ctx.region);
    if (std::optional<TargetGroupRow> existing = st.target_group_by_name(name)) {
      if (!same_settings(existing->doc, tg)) {
        return errors::duplicate_target_group_name(name);
      }
      return json::object{{"TargetGroups", json::array{target_group_view(st, *existing)}}};
    }
    if (st.count_target_groups() >= kMaxTargetGroups) {
      return errors::too_many_target_groups();
    }
    std::string arn = elb_arn(ctx, "targetgroup/" + name + "/" + elb_id());
    json::object doc{{"TargetGroupArn", arn}};
    for (auto& [k, v] : tg) {
      doc[k] = v;
    }
    TargetGroupRow row{doc, core::to_epoch_millis(clock_.now()),
                       default_target_group_attributes(type)};
    st.put_target_group(row);
    st.add_tags(arn, tags);
    reply["TargetGroups"] = json::array{target_group_view(st, row)};
    tx.commit();
  }
  changed();
  return reply;
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeTargetGroups.html
Reply Elbv2Service::describe_target_groups(const Ctx& ctx, const Doc& in) {
  std::vector<std::string> arns = strings(in, "TargetGroupArns");
  std::vector<std::string> names = strings(in, "Names");
  std::optional<std::string> lb_arn = opt_str(in, "LoadBalancerArn");
  if (!arns.empty() && !names.empty()) {
    return errors::validation(
        "Target group names and target group ARNs cannot be specified at the same time");
  }
  return describe_page(
      db_, ctx, in, "TargetGroups", [&](Elbv2Store& st, const Page& page, DescribeOut& out) {
        if (lb_arn && !st.load_balancer(*lb_arn)) {
          return std::optional(errors::load_balancer_not_found());
        }
        // Named groups that the load balancer, when one is given, does not use are left out.
        auto add_if_used = [&](const TargetGroupRow& row) {
          std::vector<std::string> users;
          if (lb_arn) {
            users = st.load_balancers_using(str(row.doc, "TargetGroupArn"));
          }
          if (!lb_arn || std::find(users.begin(), users.end(), *lb_arn) != users.end()) {
            out.rows.push_back(target_group_view(st, row));
          }
        };
        if (!arns.empty()) {
          return visit_named(
              arns, [&](const std::string& arn) { return st.target_group(arn); },
              [](const std::string&) { return errors::target_group_not_found(); }, add_if_used);
        }
        if (!names.empty()) {
          return visit_named(
              names, [&](const std::string& name) { return st.target_group_by_name(name); },
              [](const std::string& name) {
                return errors::target_group_not_found("Target groups '[" + name + "]' not found");
              },
              add_if_used);
        }
        if (lb_arn) {
          for (const std::string& arn : st.target_groups_of(*lb_arn)) {
            if (std::optional<TargetGroupRow> row = st.target_group(arn)) {
              out.rows.push_back(target_group_view(st, *row));
            }
          }
        } else {
          take_page(
              st.target_group_names(page.after, page.size + 1), page,
              [&](const std::string& arn) { return target_group_view(st, *st.target_group(arn)); },
              out);
        }
        return std::optional<protocol::AwsError>();
      });
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyTargetGroup.html
Reply Elbv2Service::modify_target_group(const Ctx& ctx, const Doc& in) {
  std::string arn = str(in, "TargetGroupArn");
  json::object reply;
  {
    store::Transaction tx = db_.begin();
    Elbv2Store st(tx, ctx.account, ctx.region);
    std::optional<TargetGroupRow> row = st.target_group(arn);
    if (!row) {
      return errors::target_group_not_found();
    }
    if (auto e = apply_health_check(row->doc, in)) {
      return *e;
    }
    st.put_target_group(*row);
    reply["TargetGroups"] = json::array{target_group_view(st, *row)};
    tx.commit();
  }
  changed();
  return reply;
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DeleteTargetGroup.html
// Deleting a group that does not exist succeeds.
Reply Elbv2Service::delete_target_group(const Ctx& ctx, const Doc& in) {
  std::string arn = str(in, "TargetGroupArn");
  if (!arn_of_kind(ctx, arn, "targetgroup")) {
    return errors::validation("'" + arn + "' is not a valid target group ARN");
  }
  {
    store::Transaction tx = db_.begin();
    Elbv2Store st(tx, ctx.account, ctx.region);
    if (!st.target_group(arn)) {
      return json::object{};
    }
    if (!st.load_balancers_using(arn).empty()) {
      return errors::resource_in_use("Target group '" + arn +
                                     "' is currently in use by a listener or a rule");
    }
    st.delete_target_group(arn);
    tx.commit();
  }
  changed();
  return json::object{};
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeTargetGroupAttributes.html
Reply Elbv2Service::describe_target_group_attributes(const Ctx& ctx, const Doc& in) {
  std::string arn = str(in, "TargetGroupArn");
  return describe_attributes(
      db_, ctx, arn,
      RowAttributes<TargetGroupRow>{&Elbv2Store::target_group, &Elbv2Store::put_target_group,
                                    &apply_target_group_attributes},
      errors::target_group_not_found());
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyTargetGroupAttributes.html
Reply Elbv2Service::modify_target_group_attributes(const Ctx& ctx, const Doc& in) {
  std::string arn = str(in, "TargetGroupArn");
  Reply out = modify_attributes(
      db_, ctx, in, arn,
      RowAttributes<TargetGroupRow>{&Elbv2Store::target_group, &Elbv2Store::put_target_group,
                                    &apply_target_group_attributes},
      errors::target_group_not_found());
  if (out) {
    changed();
  }
  return out;
}

}  // namespace services::elbv2
