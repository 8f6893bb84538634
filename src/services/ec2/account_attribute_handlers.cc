// Account attributes: the limits and default VPC a new account sees.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeAccountAttributes.html

#include <algorithm>
#include <boost/json/array.hpp>

#include "services/ec2/ec2_service.h"

namespace services::ec2 {

namespace json = boost::json;

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeAccountAttributes.html
Reply Ec2Service::describe_account_attributes(const Ctx& ctx, const Doc& in) {
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    std::optional<std::string> default_vpc = st.default_vpc_id();
    if (default_vpc && !st.get(Kind::Vpc, *default_vpc)) {
      default_vpc.reset();
    }
    std::vector<std::pair<std::string, std::vector<std::string>>> attributes{
        {"supported-platforms", {"VPC"}}, {"vpc-max-security-groups-per-interface", {"5"}},
        {"max-elastic-ips", {"5"}},       {"max-instances", {"20"}},
        {"vpc-max-elastic-ips", {"5"}},   {"default-vpc", {default_vpc.value_or("none")}},
    };
    std::vector<std::string> wanted = strings(in, "AttributeNames");
    json::array out;
    for (const auto& [name, values] : attributes) {
      if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), name) == wanted.end()) {
        continue;
      }
      json::array vals;
      for (const std::string& v : values) {
        vals.push_back(Doc{{"AttributeValue", v}});
      }
      out.push_back(Doc{{"AttributeName", name}, {"AttributeValues", std::move(vals)}});
    }
    return Doc{{"AccountAttributes", std::move(out)}};
  });
}

}  // namespace services::ec2
