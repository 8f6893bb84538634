// Listeners: create (with their default rule), describe, modify, delete, attributes.

#include <algorithm>

#include "services/elbv2/attribute_handlers.h"
#include "services/elbv2/attributes.h"
#include "services/elbv2/describe_pages.h"
#include "services/elbv2/elbv2_json.h"
#include "services/elbv2/elbv2_service.h"
#include "services/elbv2/errors.h"
#include "services/elbv2/rule_definitions.h"

namespace services::elbv2 {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxListeners = 50;
constexpr std::string_view kDefaultSslPolicy = "ELBSecurityPolicy-2016-08";

bool known_ssl_policy(std::string_view name) { return name.starts_with("ELBSecurityPolicy-"); }

// The default rule of `listener_arn`: listener-rule/app/<lb>/<lb id>/<listener id>/<rule id>.
std::string rule_arn_for(const std::string& listener_arn) {
  std::string out = listener_arn;
  out.replace(out.find(":listener/"), std::string_view(":listener/").size(), ":listener-rule/");
  return out + "/" + elb_id();
}

// Protocol, port, certificates and SSL policy of a Create/ModifyListener request applied onto
// `doc`, then checked.
std::optional<protocol::AwsError> apply_listener_settings(json::object& doc,
                                                          const json::object& in) {
  if (std::optional<std::string> protocol = opt_str(in, "Protocol")) {
    doc["Protocol"] = *protocol;
  }
  if (std::optional<int64_t> port = opt_int(in, "Port")) {
    doc["Port"] = *port;
  }
  if (const json::array* certs = arr(in, "Certificates")) {
    doc["Certificates"] = *certs;
  }
  if (std::optional<std::string> policy = opt_str(in, "SslPolicy")) {
    doc["SslPolicy"] = *policy;
  }
  std::string protocol = str(doc, "Protocol");
  if (protocol.empty()) {
    return errors::validation("A listener protocol must be specified");
  }
  if (protocol != "HTTP" && protocol != "HTTPS") {
    return errors::unsupported_protocol("Protocol '" + protocol +
                                        "' is not supported for load balancers of type "
                                        "'application'");
  }
  if (!doc.contains("Port")) {
    return errors::validation("A listener port must be specified");
  }
  if (protocol == "HTTPS") {
    const json::array* certs = arr(doc, "Certificates");
    if (!certs || certs->empty()) {
      return errors::validation("A certificate must be specified for HTTPS listeners");
    }
    if (!doc.contains("SslPolicy")) {
      doc["SslPolicy"] = kDefaultSslPolicy;
    }
    if (!known_ssl_policy(str(doc, "SslPolicy"))) {
      return errors::ssl_policy_not_found(str(doc, "SslPolicy"));
    }
  } else {
    doc.erase("Certificates");
    doc.erase("SslPolicy");
  }
  return std::nullopt;
}

}  // namespace

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateListener.html
Reply Elbv2Service::create_listener(const Ctx& ctx, const Doc& in) {
  std::string lb_arn = str(in, "LoadBalancerArn");
  json::array tags = arr(in, "Tags") ? *arr(in, "Tags") : json::array{};
  if (auto e = check_tags(tags, ctx.via_cloudformation())) {
    return *e;
  }
  json::object doc{{"LoadBalancerArn", lb_arn}};
  if (auto e = apply_listener_settings(doc, in)) {
    return *e;
  }
  protocol::Result<NormalizedActions> actions =
      normalize_actions(arr(in, "DefaultActions"), str(doc, "Protocol"));
  if (!actions) {
    return actions.error();
  }
  doc["DefaultActions"] = actions->actions;
  json::object reply;
  {
    store::Transaction tx = db_.begin();
    Elbv2Store st(tx, ctx.account, ctx.region);
    std::optional<LoadBalancerRow> lb = st.load_balancer(lb_arn);
    if (!lb) {
      return errors::load_balancer_not_found();
    }
    int64_t port = opt_int(doc, "Port").value_or(0);
    if (std::optional<ListenerRow> existing = st.listener_on_port(lb_arn, port)) {
      if (str(existing->doc, "Protocol") == str(doc, "Protocol") &&
          existing->doc.at("DefaultActions") == doc.at("DefaultActions")) {
        return json::object{{"Listeners", json::array{existing->doc}}};
      }
      return errors::duplicate_listener(lb_arn);
    }
    if (st.listeners_of(lb_arn).size() >= kMaxListeners) {
      return errors::too_many_listeners();
    }
    if (auto e = check_forward_targets(st, lb_arn, actions->target_groups)) {
      return *e;
    }
    std::vector<std::string> was_unused = unused_groups(st, actions->target_groups);
    std::string lb_suffix = lb_arn.substr(lb_arn.find(":loadbalancer/") + 14);  // app/<n>/<id>
    std::string arn = elb_arn(ctx, "listener/" + lb_suffix + "/" + elb_id());
    json::object full{{"ListenerArn", arn}};
    for (auto& [k, v] : doc) {
      full[k] = v;
    }
    st.put_listener({full, core::to_epoch_millis(clock_.now()), default_listener_attributes()});
    json::object rule{{"RuleArn", rule_arn_for(arn)},
                      {"Priority", "default"},
                      {"Conditions", json::array{}},
                      {"Actions", actions->actions},
                      {"IsDefault", true}};
    st.put_rule({rule, arn, std::nullopt}, actions->target_groups);
    st.add_tags(arn, tags);
    restart_unused_targets(st, was_unused);
    reply["Listeners"] = json::array{full};
    tx.commit();
  }
  changed();
  return reply;
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeListeners.html
Reply Elbv2Service::describe_listeners(const Ctx& ctx, const Doc& in) {
  std::vector<std::string> arns = strings(in, "ListenerArns");
  std::optional<std::string> lb_arn = opt_str(in, "LoadBalancerArn");
  if (arns.empty() && !lb_arn) {
    return errors::validation("You must specify either listener ARNs or a load balancer ARN");
  }
  return describe_page(
      db_, ctx, in, "Listeners", [&](Elbv2Store& st, const Page& page, DescribeOut& out) {
        if (!arns.empty()) {
          return visit_named(
              arns,
              [&](const std::string& arn) {
                std::optional<ListenerRow> row = st.listener(arn);
                return row && (!lb_arn || str(row->doc, "LoadBalancerArn") == *lb_arn)
                           ? row
                           : std::nullopt;
              },
              [](const std::string&) { return errors::listener_not_found(); },
              [&](const ListenerRow& row) { out.rows.push_back(row.doc); });
        }
        if (!st.load_balancer(*lb_arn)) {
          return std::optional(errors::load_balancer_not_found());
        }
        // By port: Marker resumes after the last page's port.
        int64_t after = page.after.empty() ? 0 : std::atoll(page.after.c_str());
        std::vector<std::pair<std::string, json::object>> rows;
        for (const ListenerRow& row : st.listeners_of(*lb_arn)) {
          int64_t port = opt_int(row.doc, "Port").value_or(0);
          if (port > after) {
            rows.emplace_back(std::to_string(port), row.doc);
          }
        }
        take_page(
            rows, page, [](const json::object& doc) { return doc; }, out);
        return std::optional<protocol::AwsError>();
      });
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyListener.html
Reply Elbv2Service::modify_listener(const Ctx& ctx, const Doc& in) {
  std::string arn = str(in, "ListenerArn");
  json::object reply;
  {
    store::Transaction tx = db_.begin();
    Elbv2Store st(tx, ctx.account, ctx.region);
    std::optional<ListenerRow> row = st.listener(arn);
    if (!row) {
      return errors::listener_not_found();
    }
    std::string lb_arn = str(row->doc, "LoadBalancerArn");
    int64_t old_port = opt_int(row->doc, "Port").value_or(0);
    if (auto e = apply_listener_settings(row->doc, in)) {
      return *e;
    }
    int64_t port = opt_int(row->doc, "Port").value_or(0);
    if (port != old_port && st.listener_on_port(lb_arn, port)) {
      return errors::duplicate_listener(lb_arn);
    }
    std::vector<RuleRow> rules = st.rules_of(arn);
    auto default_rule =
        std::find_if(rules.begin(), rules.end(), [](const RuleRow& r) { return !r.priority; });
    if (arr(in, "DefaultActions")) {
      protocol::Result<NormalizedActions> actions =
          normalize_actions(arr(in, "DefaultActions"), str(row->doc, "Protocol"));
      if (!actions) {
        return actions.error();
      }
      if (auto e = check_forward_targets(st, lb_arn, actions->target_groups)) {
        return *e;
      }
      std::vector<std::string> was_unused = unused_groups(st, actions->target_groups);
      row->doc["DefaultActions"] = actions->actions;
      if (default_rule != rules.end()) {
        default_rule->doc["Actions"] = actions->actions;
        st.put_rule(*default_rule, actions->target_groups);
      }
      st.put_listener(*row);
      restart_unused_targets(st, was_unused);
    } else {
      st.put_listener(*row);
    }
    reply["Listeners"] = json::array{row->doc};
    tx.commit();
  }
  changed();
  return reply;
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DeleteListener.html
Reply Elbv2Service::delete_listener(const Ctx& ctx, const Doc& in) {
  std::string arn = str(in, "ListenerArn");
  {
    store::Transaction tx = db_.begin();
    Elbv2Store st(tx, ctx.account, ctx.region);
    if (!st.listener(arn)) {
      return errors::listener_not_found();
    }
    st.delete_listener(arn);
    tx.commit();
  }
  changed();
  return json::object{};
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeListenerAttributes.html
Reply Elbv2Service::describe_listener_attributes(const Ctx& ctx, const Doc& in) {
  std::string arn = str(in, "ListenerArn");
  return describe_attributes(db_, ctx, arn, RowAttributes<ListenerRow>{&Elbv2Store::listener, &Elbv2Store::put_listener, &apply_listener_attributes},
                             errors::listener_not_found());
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyListenerAttributes.html
Reply Elbv2Service::modify_listener_attributes(const Ctx& ctx, const Doc& in) {
  std::string arn = str(in, "ListenerArn");
  Reply out = modify_attributes(db_, ctx, in, arn, RowAttributes<ListenerRow>{&Elbv2Store::listener, &Elbv2Store::put_listener, &apply_listener_attributes},
                                errors::listener_not_found());
  if (out) {
    changed();
  }
  return out;
}

}  // namespace services::elbv2
