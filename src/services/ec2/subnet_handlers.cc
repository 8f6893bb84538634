// Subnets: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSubnet.html and
// siblings.

#include <boost/json/array.hpp>

#include "core/ids.h"
#include "services/ec2/ec2_service.h"
#include "services/ec2/errors.h"

namespace services::ec2 {

namespace json = boost::json;

namespace {

FilterTable subnet_filters() {
  FilterTable t;
  t.names = {{"subnet-id", path("SubnetId")},
             {"subnet-arn", path("SubnetArn")},
             {"vpc-id", path("VpcId")},
             {"cidr-block", path("CidrBlock")},
             {"cidr", path("CidrBlock")},
             {"cidrBlock", path("CidrBlock")},
             {"availability-zone", path("AvailabilityZone")},
             {"availabilityZone", path("AvailabilityZone")},
             {"availability-zone-id", path("AvailabilityZoneId")},
             {"available-ip-address-count", path("AvailableIpAddressCount")},
             {"default-for-az", path("DefaultForAz")},
             {"defaultForAz", path("DefaultForAz")},
             {"map-public-ip-on-launch", path("MapPublicIpOnLaunch")},
             {"owner-id", path("OwnerId")},
             {"state", path("State")}};
  return t;
}

std::string zone_list(const std::vector<std::string>& zones) {
  std::string out;
  for (const std::string& z : zones) {
    out += (out.empty() ? "" : ", ") + z;
  }
  return out;
}

}  // namespace

Doc Ec2Service::subnet_view(Ec2Store& st, Doc subnet) {
  std::optional<Cidr> cidr = parse_cidr(str(subnet, "CidrBlock"));
  int64_t size = cidr ? static_cast<int64_t>(cidr->size()) : 0;
  subnet["AvailableIpAddressCount"] = std::max<int64_t>(
      0, size - kReservedAddressesPerSubnet - st.count_allocated(str(subnet, "SubnetId")));
  return subnet;
}

protocol::Result<Doc> Ec2Service::make_subnet(Ec2Store& st, const Doc& vpc, std::string_view text,
                                              std::string_view zone, bool default_for_az,
                                              const json::array& tags) {
  std::optional<Cidr> cidr = parse_cidr(text);
  if (!cidr) {
    if (parse_cidr(text, /*strict=*/false)) {
      return errors::subnet_range(text);
    }
    return errors::invalid_parameter_value("Value (" + std::string(text) +
                                           ") for parameter cidrBlock is invalid. This is not a "
                                           "valid CIDR block.");
  }
  std::string vpc_id = str(vpc, "VpcId");
  std::optional<Cidr> vpc_cidr = parse_cidr(str(vpc, "CidrBlock"));
  // A subnet is a /16 to /28 block inside its VPC's block, overlapping none of its siblings.
  if (cidr->prefix < 16 || cidr->prefix > 28 || !vpc_cidr || !vpc_cidr->contains(*cidr)) {
    return errors::subnet_range(text);
  }
  for (const Row& sibling : st.list_in_vpc(Kind::Subnet, vpc_id)) {
    std::optional<Cidr> other = parse_cidr(str(sibling.doc, "CidrBlock"));
    if (other && other->overlaps(*cidr)) {
      return errors::subnet_conflict(text);
    }
  }
  std::string subnet_id = core::ids::resource_id("subnet");
  Doc subnet{{"SubnetId", subnet_id},
             {"SubnetArn", resource_arn(st, "subnet", subnet_id)},
             {"VpcId", vpc_id},
             {"CidrBlock", cidr->str()},
             {"AvailabilityZone", zone},
             {"AvailabilityZoneId", zone_id(st.region(), zone)},
             {"DefaultForAz", default_for_az},
             {"MapPublicIpOnLaunch", default_for_az},
             {"State", "available"},
             {"OwnerId", st.account()},
             {"AssignIpv6AddressOnCreation", false},
             {"Ipv6CidrBlockAssociationSet", json::array()},
             {"MapCustomerOwnedIpOnLaunch", false},
             {"EnableDns64", false},
             {"Ipv6Native", false},
             {"PrivateDnsNameOptionsOnLaunch", Doc{{"HostnameType", "ip-name"},
                                                   {"EnableResourceNameDnsARecord", false},
                                                   {"EnableResourceNameDnsAAAARecord", false}}},
             {"Tags", tags},
             {"_NetworkAclAssociationId", core::ids::resource_id("aclassoc")}};
  st.put(Kind::Subnet, subnet_id, vpc_id, "", subnet);
  return subnet_view(st, std::move(subnet));
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSubnet.html
Reply Ec2Service::create_subnet(const Ctx& ctx, const Doc& in) {
  auto tags = tags_from_specifications(ctx, in, "subnet");
  if (!tags) {
    return tags.error();
  }
  std::string vpc_id = str(in, "VpcId");
  std::optional<std::string> cidr = opt_str(in, "CidrBlock");
  if (!cidr) {
    return errors::missing_parameter("cidrBlock");
  }
  std::vector<std::string> zones = zone_names(ctx.region);
  std::string zone = str(in, "AvailabilityZone");
  if (std::optional<std::string> id = opt_str(in, "AvailabilityZoneId")) {
    if (!zone.empty()) {
      return errors::invalid_parameter_combination(
          "Only one of availabilityZone or availabilityZoneId may be specified.");
    }
    for (const std::string& z : zones) {
      if (zone_id(ctx.region, z) == *id) {
        zone = z;
      }
    }
    if (zone.empty()) {
      return errors::invalid_parameter_value("Value (" + *id +
                                             ") for parameter availabilityZoneId is invalid. "
                                             "Subnets can currently only be created in the "
                                             "following availability zones: " +
                                             zone_list(zones) + ".");
    }
  }
  if (zone.empty()) {
    zone = zones.front();
  } else if (std::find(zones.begin(), zones.end(), zone) == zones.end()) {
    return errors::invalid_parameter_value("Value (" + zone +
                                           ") for parameter availabilityZone is invalid. Subnets "
                                           "can currently only be created in the following "
                                           "availability zones: " +
                                           zone_list(zones) + ".");
  }
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    std::optional<Doc> vpc = st.get(Kind::Vpc, vpc_id);
    if (!vpc) {
      return errors::vpc_not_found(vpc_id);
    }
    auto subnet = make_subnet(st, *vpc, *cidr, zone, false, *tags);
    if (!subnet) {
      return subnet.error();
    }
    return Doc{{"Subnet", public_view(std::move(*subnet))}};
  });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteSubnet.html
Reply Ec2Service::delete_subnet(const Ctx& ctx, const Doc& in) {
  std::string subnet_id = str(in, "SubnetId");
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    std::optional<Doc> subnet = st.get(Kind::Subnet, subnet_id);
    if (!subnet) {
      return errors::subnet_not_found(subnet_id);
    }
    if (!st.list_under(Kind::NetworkInterface, subnet_id).empty()) {
      return errors::dependency_violation("subnet", subnet_id);
    }
    for (const Row& nat : st.list_under(Kind::NatGateway, subnet_id)) {
      if (str(nat.doc, "State") != "deleted") {
        return errors::dependency_violation("subnet", subnet_id);
      }
    }
    // Its explicit route table association goes with it.
    std::string vpc_id = str(*subnet, "VpcId");
    for (Row& table : st.list_in_vpc(Kind::RouteTable, vpc_id)) {
      json::array kept;
      bool changed = false;
      if (const json::array* assocs = arr(table.doc, "Associations")) {
        for (const json::value& a : *assocs) {
          if (str(a.as_object(), "SubnetId") == subnet_id) {
            changed = true;
          } else {
            kept.push_back(a);
          }
        }
      }
      if (changed) {
        table.doc["Associations"] = std::move(kept);
        st.put(Kind::RouteTable, table.id, vpc_id, "", table.doc);
      }
    }
    st.remove(subnet_id);
    return Doc{};
  });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSubnets.html
Reply Ec2Service::describe_subnets(const Ctx& ctx, const Doc& in) {
  static const FilterTable table = subnet_filters();
  return describe(ctx, in,
                  {Kind::Subnet, "SubnetIds", "Subnets", &table,
                   [](std::string_view id) { return errors::subnet_not_found(id); }},
                  [this](Ec2Store& st, Doc doc) { return subnet_view(st, std::move(doc)); });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifySubnetAttribute.html
Reply Ec2Service::modify_subnet_attribute(const Ctx& ctx, const Doc& in) {
  std::string subnet_id = str(in, "SubnetId");
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    std::optional<Doc> subnet = st.get(Kind::Subnet, subnet_id);
    if (!subnet) {
      return errors::subnet_not_found(subnet_id);
    }
    for (std::string_view member : {"MapPublicIpOnLaunch", "AssignIpv6AddressOnCreation",
                                    "MapCustomerOwnedIpOnLaunch", "EnableDns64"}) {
      if (const Doc* value = obj(in, member)) {
        (*subnet)[member] = flag(*value, "Value");
      }
    }
    if (std::optional<std::string> type = opt_str(in, "PrivateDnsHostnameTypeOnLaunch")) {
      (*subnet)["PrivateDnsNameOptionsOnLaunch"].as_object()["HostnameType"] = *type;
    }
    st.put(Kind::Subnet, subnet_id, str(*subnet, "VpcId"), "", *subnet);
    return Doc{};
  });
}

}  // namespace services::ec2
