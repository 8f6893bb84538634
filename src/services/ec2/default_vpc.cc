// The default VPC that every account has in every region: 172.31.0.0/16, one /20 default subnet
// per zone with public addresses on launch, an internet gateway and a main route table sending
// 0.0.0.0/0 to it, and the default security group.
// https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc.html#default-vpc-components

#include <boost/json/array.hpp>

#include "core/check.h"
#include "core/ids.h"
#include "services/ec2/ec2_service.h"

namespace services::ec2 {

namespace json = boost::json;

void Ec2Service::ensure_defaults(Ec2Store& st) {
  if (st.default_vpc_id()) {
    return;  // made once; a deleted default VPC stays deleted, as in AWS
  }
  Doc vpc = make_vpc(st, *parse_cidr("172.31.0.0/16"), /*is_default=*/true, json::array());
  std::string vpc_id = str(vpc, "VpcId");
  st.set_default_vpc_id(vpc_id);
  uint32_t base = *parse_ipv4("172.31.0.0");
  std::vector<std::string> zones = zone_names(st.region());
  for (std::size_t i = 0; i < zones.size(); ++i) {
    Cidr cidr{base + static_cast<uint32_t>(i) * 0x1000u, 20};
    auto subnet =
        make_subnet(st, vpc, cidr.str(), zones[i], /*default_for_az=*/true, json::array());
    CHECK(subnet.has_value()) << "default subnets are disjoint /20s inside 172.31.0.0/16";
  }
  std::string igw_id = core::ids::resource_id("igw");
  Doc igw{{"InternetGatewayId", igw_id},
          {"OwnerId", st.account()},
          {"Attachments", json::array{Doc{{"State", "available"}, {"VpcId", vpc_id}}}},
          {"Tags", json::array()}};
  st.put(Kind::InternetGateway, igw_id, vpc_id, "", igw);
  for (Row& table : st.list_in_vpc(Kind::RouteTable, vpc_id)) {
    table.doc["Routes"].as_array().push_back(Doc{{"DestinationCidrBlock", "0.0.0.0/0"},
                                                 {"GatewayId", igw_id},
                                                 {"Origin", "CreateRoute"},
                                                 {"State", "active"}});
    st.put(Kind::RouteTable, table.id, vpc_id, "", table.doc);
  }
}

}  // namespace services::ec2
