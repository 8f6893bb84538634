// Tags on load balancers, target groups, listeners and rules; account limits; SSL policies.

#include <set>

#include "core/ids.h"
#include "services/elbv2/elbv2_json.h"
#include "services/elbv2/elbv2_service.h"
#include "services/elbv2/errors.h"

namespace services::elbv2 {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxTags = 50;

// Checks that the resource exists; the error names its kind as ELB does.
std::optional<protocol::AwsError> check_resource(Elbv2Store& st, const Ctx& ctx,
                                                 const std::string& arn) {
  if (arn_of_kind(ctx, arn, "loadbalancer")) {
    if (!st.load_balancer(arn)) {
      return errors::load_balancer_not_found("Load balancer '" + arn + "' not found");
    }
  } else if (arn_of_kind(ctx, arn, "targetgroup")) {
    if (!st.target_group(arn)) {
      return errors::target_group_not_found("Target group '" + arn + "' not found");
    }
  } else if (arn_of_kind(ctx, arn, "listener")) {
    if (!st.listener(arn)) {
      return errors::listener_not_found("Listener '" + arn + "' not found");
    }
  } else if (arn_of_kind(ctx, arn, "listener-rule")) {
    if (!st.rule(arn)) {
      return errors::rule_not_found("Rule '" + arn + "' not found");
    }
  } else {
    return errors::validation("'" + arn + "' is not a valid resource ARN");
  }
  return std::nullopt;
}

}  // namespace

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_AddTags.html
Reply Elbv2Service::add_tags(const Ctx& ctx, const Doc& in) {
  const json::array* tags = arr(in, "Tags");
  json::array list = tags ? *tags : json::array{};
  if (auto e = check_tags(list)) {
    return *e;
  }
  store::Transaction tx = db_.begin();
  Elbv2Store st(tx, ctx.account, ctx.region);
  for (const std::string& arn : strings(in, "ResourceArns")) {
    if (auto e = check_resource(st, ctx, arn)) {
      return *e;
    }
    std::set<std::string> keys;
    for (const json::value& t : st.tags(arn)) {
      keys.insert(str(t.get_object(), "Key"));
    }
    for (const json::value& t : list) {
      keys.insert(str(t.get_object(), "Key"));
    }
    if (keys.size() > kMaxTags) {
      return errors::too_many_tags();
    }
    st.add_tags(arn, list);
  }
  tx.commit();
  return json::object{};
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RemoveTags.html
Reply Elbv2Service::remove_tags(const Ctx& ctx, const Doc& in) {
  store::Transaction tx = db_.begin();
  Elbv2Store st(tx, ctx.account, ctx.region);
  for (const std::string& arn : strings(in, "ResourceArns")) {
    if (auto e = check_resource(st, ctx, arn)) {
      return *e;
    }
    st.remove_tags(arn, strings(in, "TagKeys"));
  }
  tx.commit();
  return json::object{};
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeTags.html
Reply Elbv2Service::describe_tags(const Ctx& ctx, const Doc& in) {
  std::vector<std::string> arns = strings(in, "ResourceArns");
  if (arns.size() > 20) {
    return errors::validation("You can specify at most 20 resource ARNs");
  }
  store::Transaction tx = db_.read();
  Elbv2Store st(tx, ctx.account, ctx.region);
  json::array out;
  for (const std::string& arn : arns) {
    if (auto e = check_resource(st, ctx, arn)) {
      return *e;
    }
    out.push_back(json::object{{"ResourceArn", arn}, {"Tags", st.tags(arn)}});
  }
  tx.commit();
  return json::object{{"TagDescriptions", std::move(out)}};
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeAccountLimits.html
Reply Elbv2Service::describe_account_limits(const Ctx&, const Doc&) {
  static const std::pair<const char*, const char*> kLimits[] = {
      {"application-load-balancers", "50"},
      {"condition-values-per-alb-rule", "5"},
      {"condition-wildcards-per-alb-rule", "5"},
      {"gateway-load-balancers", "100"},
      {"gateway-load-balancers-per-vpc", "100"},
      {"geneve-target-groups", "100"},
      {"listeners-per-application-load-balancer", "50"},
      {"listeners-per-network-load-balancer", "50"},
      {"network-load-balancers", "50"},
      {"rules-per-application-load-balancer", "100"},
      {"target-groups", "3000"},
      {"target-groups-per-action-on-application-load-balancer", "5"},
      {"target-groups-per-action-on-network-load-balancer", "1"},
      {"target-groups-per-application-load-balancer", "100"},
      {"targets-per-application-load-balancer", "1000"},
      {"targets-per-availability-zone-per-gateway-load-balancer", "300"},
      {"targets-per-availability-zone-per-network-load-balancer", "500"},
      {"targets-per-network-load-balancer", "3000"},
      {"certificates-per-application-load-balancer", "25"},
      {"certificates-per-network-load-balancer", "25"},
  };
  json::array out;
  for (const auto& [name, max] : kLimits) {
    out.push_back(json::object{{"Name", name}, {"Max", max}});
  }
  return json::object{{"Limits", std::move(out)}};
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeSSLPolicies.html
// A subset of AWS's predefined policies, with their protocols and ciphers.
Reply Elbv2Service::describe_ssl_policies(const Ctx&, const Doc& in) {
  struct Policy {
    const char* name;
    std::vector<const char*> protocols;
    std::vector<const char*> ciphers;
  };
  static const std::vector<const char*> kTls12Ciphers = {
      "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
      "ECDHE-ECDSA-AES128-SHA256",     "ECDHE-RSA-AES128-SHA256",
      "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
      "ECDHE-ECDSA-AES256-SHA384",     "ECDHE-RSA-AES256-SHA384"};
  static const std::vector<const char*> kLegacyCiphers = {"ECDHE-ECDSA-AES128-GCM-SHA256",
                                                          "ECDHE-RSA-AES128-GCM-SHA256",
                                                          "ECDHE-ECDSA-AES128-SHA256",
                                                          "ECDHE-RSA-AES128-SHA256",
                                                          "ECDHE-ECDSA-AES128-SHA",
                                                          "ECDHE-RSA-AES128-SHA",
                                                          "ECDHE-ECDSA-AES256-GCM-SHA384",
                                                          "ECDHE-RSA-AES256-GCM-SHA384",
                                                          "ECDHE-ECDSA-AES256-SHA384",
                                                          "ECDHE-RSA-AES256-SHA384",
                                                          "ECDHE-RSA-AES256-SHA",
                                                          "ECDHE-ECDSA-AES256-SHA",
                                                          "AES128-GCM-SHA256",
                                                          "AES128-SHA256",
                                                          "AES128-SHA",
                                                          "AES256-GCM-SHA384",
                                                          "AES256-SHA256",
                                                          "AES256-SHA"};
  static const std::vector<const char*> kTls13Ciphers = {
      "TLS_AES_128_GCM_SHA256",       "TLS_AES_256_GCM_SHA384",
      "TLS_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256",
      "ECDHE-RSA-AES128-GCM-SHA256",  "ECDHE-ECDSA-AES256-GCM-SHA384",
      "ECDHE-RSA-AES256-GCM-SHA384"};
  static const std::vector<Policy> kPolicies = {
      {"ELBSecurityPolicy-TLS13-1-2-2021-06", {"TLSv1.2", "TLSv1.3"}, kTls13Ciphers},
      {"ELBSecurityPolicy-TLS13-1-3-2021-06",
       {"TLSv1.3"},
       {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"}},
      {"ELBSecurityPolicy-2016-08", {"TLSv1", "TLSv1.1", "TLSv1.2"}, kLegacyCiphers},
      {"ELBSecurityPolicy-TLS-1-2-2017-01", {"TLSv1.2"}, kTls12Ciphers},
      {"ELBSecurityPolicy-TLS-1-2-Ext-2018-06", {"TLSv1.2"}, kLegacyCiphers},
      {"ELBSecurityPolicy-FS-1-2-Res-2020-10",
       {"TLSv1.2"},
       {"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384"}},
  };
  std::vector<std::string> names = strings(in, "Names");
  json::array out;
  for (const std::string& wanted : names) {
    bool found = std::any_of(kPolicies.begin(), kPolicies.end(),
                             [&](const Policy& p) { return wanted == p.name; });
    if (!found) {
      return errors::ssl_policy_not_found(wanted);
    }
  }
  for (const Policy& p : kPolicies) {
    if (!names.empty() && std::find(names.begin(), names.end(), p.name) == names.end()) {
      continue;
    }
    json::array ciphers;
    int priority = 0;
    for (const char* c : p.ciphers) {
      ciphers.push_back(json::object{{"Name", c}, {"Priority", ++priority}});
    }
    json::array protocols;
    for (const char* proto : p.protocols) {
      protocols.emplace_back(proto);
    }
    out.push_back(
        json::object{{"SslProtocols", protocols},
                     {"Ciphers", ciphers},
                     {"Name", p.name},
                     {"SupportedLoadBalancerTypes", json::array{"application", "network"}}});
  }
  return json::object{{"SslPolicies", std::move(out)}};
}

}  // namespace services::elbv2
