// SSL policies: AWS's predefined security policies for HTTPS listeners (a subset).

#include <algorithm>
#include <boost/json/array.hpp>
#include <vector>

#include "services/elbv2/elbv2_json.h"
#include "services/elbv2/elbv2_service.h"
#include "services/elbv2/errors.h"

namespace services::elbv2 {

namespace json = boost::json;

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
