// VPCs: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpc.html and siblings.

#include <boost/json/array.hpp>

#include "core/ids.h"
#include "services/ec2/ec2_service.h"
#include "services/ec2/errors.h"

namespace services::ec2 {

namespace json = boost::json;

namespace {

FilterTable vpc_filters() {
  FilterTable t;
  t.names = {
      {"vpc-id", path("VpcId")},
      {"cidr", path("CidrBlock")},
      {"cidr-block-association.cidr-block", path("CidrBlockAssociationSet.CidrBlock")},
      {"cidr-block-association.association-id", path("CidrBlockAssociationSet.AssociationId")},
      {"cidr-block-association.state", path("CidrBlockAssociationSet.CidrBlockState.State")},
      {"dhcp-options-id", path("DhcpOptionsId")},
      {"is-default", path("IsDefault")},
      {"isDefault", path("IsDefault")},
      {"owner-id", path("OwnerId")},
      {"state", path("State")}};
  return t;
}

constexpr std::string_view kDnsSupport = "_EnableDnsSupport";
constexpr std::string_view kDnsHostnames = "_EnableDnsHostnames";

}  // namespace

Doc Ec2Service::make_vpc(Ec2Store& st, const Cidr& cidr, bool is_default, const json::array& tags,
                         bool amazon_ipv6) {
  std::string vpc_id = core::ids::resource_id("vpc");
  json::array ipv6;
  if (amazon_ipv6) {
    // A /56 of Amazon's 2600:1f18::/32, as us-east-1 hands them out. Gantry's tasks stay IPv4.
    std::string bits = core::ids::random_hex(6);
    ipv6.push_back(Doc{{"AssociationId", core::ids::resource_id("vpc-cidr-assoc")},
                       {"Ipv6CidrBlock", "2600:1f18:" + bits.substr(0, 4) + ":" + bits.substr(4) +
                                             "00::/56"},
                       {"Ipv6CidrBlockState", Doc{{"State", "associated"}}},
                       {"NetworkBorderGroup", st.region()},
                       {"Ipv6Pool", "Amazon"}});
  }
  Doc vpc{{"VpcId", vpc_id},
          {"OwnerId", st.account()},
          {"InstanceTenancy", "default"},
          {"CidrBlock", cidr.str()},
          {"CidrBlockAssociationSet",
           json::array{Doc{{"AssociationId", core::ids::resource_id("vpc-cidr-assoc")},
                           {"CidrBlock", cidr.str()},
                           {"CidrBlockState", Doc{{"State", "associated"}}}}}},
          {"Ipv6CidrBlockAssociationSet", std::move(ipv6)},
          {"IsDefault", is_default},
          {"State", "available"},
          {"DhcpOptionsId", core::ids::resource_id("dopt")},
          {"Tags", tags},
          {kDnsSupport, true},
          {kDnsHostnames, is_default}};
  st.put(Kind::Vpc, vpc_id, vpc_id, "", vpc);
  make_route_table(st, vpc, /*main=*/true, json::array());
  make_security_group(st, vpc_id, "default", "default VPC security group", json::array());
  make_default_network_acl(st, vpc_id);
  return vpc;
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpc.html
Reply Ec2Service::create_vpc(const Ctx& ctx, const Doc& in) {
  auto tags = tags_from_specifications(ctx, in, "vpc");
  if (!tags) {
    return tags.error();
  }
  std::optional<std::string> text = opt_str(in, "CidrBlock");
  if (!text) {
    return errors::missing_parameter("cidrBlock");
  }
  std::optional<Cidr> cidr = parse_cidr(*text);
  if (!cidr) {
    if (parse_cidr(*text, /*strict=*/false)) {
      return errors::vpc_range(*text);
    }
    return errors::invalid_parameter_value("Value (" + *text +
                                           ") for parameter cidrBlock is invalid. This is not a "
                                           "valid CIDR block.");
  }
  // "The allowed block size is between a /16 netmask (65,536 IP addresses) and /28 netmask
  // (16 IP addresses)."
  if (cidr->prefix < 16 || cidr->prefix > 28) {
    return errors::vpc_range(*text);
  }
  std::string tenancy = str(in, "InstanceTenancy", "default");
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    Doc vpc = make_vpc(st, *cidr, false, *tags,
                       opt_bool(in, "AmazonProvidedIpv6CidrBlock").value_or(false));
    vpc["InstanceTenancy"] = tenancy;
    st.put(Kind::Vpc, str(vpc, "VpcId"), str(vpc, "VpcId"), "", vpc);
    return Doc{{"Vpc", public_view(std::move(vpc))}};
  });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteVpc.html
Reply Ec2Service::delete_vpc(const Ctx& ctx, const Doc& in) {
  std::string vpc_id = str(in, "VpcId");
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    if (!st.get(Kind::Vpc, vpc_id)) {
      return errors::vpc_not_found(vpc_id);
    }
    // EC2 refuses while anything the user made (or attached) is still in the VPC; the main route
    // table and the default security group go with it.
    bool busy = st.count_in_vpc(Kind::Subnet, vpc_id) > 0 ||
                st.count_in_vpc(Kind::InternetGateway, vpc_id) > 0 ||
                st.count_in_vpc(Kind::NetworkInterface, vpc_id) > 0;
    for (const Row& nat : st.list_in_vpc(Kind::NatGateway, vpc_id)) {
      busy = busy || str(nat.doc, "State") != "deleted";
    }
    for (const Row& group : st.list_in_vpc(Kind::SecurityGroup, vpc_id)) {
      busy = busy || str(group.doc, "GroupName") != "default";
    }
    for (const Row& table : st.list_in_vpc(Kind::RouteTable, vpc_id)) {
      busy = busy || !flag(table.doc, "_Main");
    }
    if (busy) {
      return errors::dependency_violation("vpc", vpc_id);
    }
    for (const Row& group : st.list_in_vpc(Kind::SecurityGroup, vpc_id)) {
      for (const Row& rule : st.list_under(Kind::SecurityGroupRule, group.id)) {
        st.remove(rule.id);
      }
      st.remove(group.id);
    }
    for (const Row& table : st.list_in_vpc(Kind::RouteTable, vpc_id)) {
      st.remove(table.id);
    }
    for (const Row& nat : st.list_in_vpc(Kind::NatGateway, vpc_id)) {
      st.remove(nat.id);
    }
    for (const Row& acl : st.list_in_vpc(Kind::NetworkAcl, vpc_id)) {
      st.remove(acl.id);
    }
    st.remove(vpc_id);
    st.touch(vpc_id);
    return Doc{};
  });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcs.html
Reply Ec2Service::describe_vpcs(const Ctx& ctx, const Doc& in) {
  static const FilterTable table = vpc_filters();
  return describe(ctx, in, {Kind::Vpc, "VpcIds", "Vpcs", &table, [](std::string_view id) {
                              return errors::vpc_not_found(id);
                            }});
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpcAttribute.html
Reply Ec2Service::modify_vpc_attribute(const Ctx& ctx, const Doc& in) {
  std::string vpc_id = str(in, "VpcId");
  const Doc* support = obj(in, "EnableDnsSupport");
  const Doc* hostnames = obj(in, "EnableDnsHostnames");
  const Doc* metrics = obj(in, "EnableNetworkAddressUsageMetrics");
  int given = (support ? 1 : 0) + (hostnames ? 1 : 0) + (metrics ? 1 : 0);
  if (given != 1) {
    return errors::invalid_parameter_combination(
        "Fields for multiple attribute types specified: enableDnsSupport, enableDnsHostnames");
  }
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    std::optional<Doc> vpc = st.get(Kind::Vpc, vpc_id);
    if (!vpc) {
      return errors::vpc_not_found(vpc_id);
    }
    if (support) {
      (*vpc)[kDnsSupport] = flag(*support, "Value");
    }
    if (hostnames) {
      // "You can only enable DNS hostnames if you've enabled DNS support."
      if (flag(*hostnames, "Value") && !flag(*vpc, kDnsSupport)) {
        return errors::invalid_parameter_value(
            "Cannot enable DNS hostnames if DNS support is disabled.");
      }
      (*vpc)[kDnsHostnames] = flag(*hostnames, "Value");
    }
    if (metrics) {
      (*vpc)["_EnableNetworkAddressUsageMetrics"] = flag(*metrics, "Value");
    }
    st.put(Kind::Vpc, vpc_id, vpc_id, "", *vpc);
    return Doc{};
  });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcAttribute.html
Reply Ec2Service::describe_vpc_attribute(const Ctx& ctx, const Doc& in) {
  std::string vpc_id = str(in, "VpcId");
  std::string attribute = str(in, "Attribute");
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    std::optional<Doc> vpc = st.get(Kind::Vpc, vpc_id);
    if (!vpc) {
      return errors::vpc_not_found(vpc_id);
    }
    Doc out{{"VpcId", vpc_id}};
    if (attribute == "enableDnsSupport") {
      out["EnableDnsSupport"] = Doc{{"Value", flag(*vpc, kDnsSupport)}};
    } else if (attribute == "enableDnsHostnames") {
      out["EnableDnsHostnames"] = Doc{{"Value", flag(*vpc, kDnsHostnames)}};
    } else if (attribute == "enableNetworkAddressUsageMetrics") {
      out["EnableNetworkAddressUsageMetrics"] =
          Doc{{"Value", flag(*vpc, "_EnableNetworkAddressUsageMetrics")}};
    } else {
      return errors::invalid_parameter_value("Value (" + attribute +
                                             ") for parameter attribute is invalid. Unknown "
                                             "attribute.");
    }
    return out;
  });
}

}  // namespace services::ec2
