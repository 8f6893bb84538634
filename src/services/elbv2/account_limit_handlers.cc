// Account limits: the quotas Gantry reports, AWS's defaults for a new account.

#include <boost/json/array.hpp>
#include <utility>

#include "services/elbv2/elbv2_service.h"

namespace services::elbv2 {

namespace json = boost::json;

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

}  // namespace services::elbv2
