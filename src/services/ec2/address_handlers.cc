// Elastic IP addresses. Public addresses come from 203.0.113.0/24 (TEST-NET-3, never routed):
// Gantry has no internet, so an Elastic IP is bookkeeping only.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AllocateAddress.html

#include <boost/json/array.hpp>
#include <set>

#include "core/ids.h"
#include "services/ec2/ec2_service.h"
#include "services/ec2/errors.h"

namespace services::ec2 {

namespace json = boost::json;

namespace {

// "Elastic IP addresses: 5 per Region", the default quota of a new account.
constexpr std::size_t kMaxAddresses = 5;
constexpr uint32_t kPublicPool = 0xcb007100;  // 203.0.113.0

FilterTable address_filters() {
  FilterTable t;
  t.names = {{"allocation-id", path("AllocationId")},
             {"association-id", path("AssociationId")},
             {"domain", path("Domain")},
             {"instance-id", path("InstanceId")},
             {"network-border-group", path("NetworkBorderGroup")},
             {"network-interface-id", path("NetworkInterfaceId")},
             {"network-interface-owner-id", path("NetworkInterfaceOwnerId")},
             {"private-ip-address", path("PrivateIpAddress")},
             {"public-ip", path("PublicIp")}};
  return t;
}

void clear_association(Doc& address) {
  for (std::string_view m :
       {"AssociationId", "NetworkInterfaceId", "NetworkInterfaceOwnerId", "PrivateIpAddress"}) {
    address.erase(m);
  }
}

// The address named by AllocationId or PublicIp.
protocol::Result<Row> find_address(Ec2Store& st, const Doc& in) {
  if (std::optional<std::string> id = opt_str(in, "AllocationId")) {
    std::optional<Doc> doc = st.get(Kind::Address, *id);
    if (!doc) {
      return errors::allocation_not_found(*id);
    }
    return Row{0, *id, Kind::Address, std::move(*doc)};
  }
  if (std::optional<std::string> ip = opt_str(in, "PublicIp")) {
    for (Row& row : st.list(Kind::Address)) {
      if (str(row.doc, "PublicIp") == *ip) {
        return std::move(row);
      }
    }
    return errors::address_not_found(*ip);
  }
  return errors::missing_parameter("allocationId");
}

}  // namespace

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AllocateAddress.html
Reply Ec2Service::allocate_address(const Ctx& ctx, const Doc& in) {
  auto tags = tags_from_specifications(ctx, in, "elastic-ip");
  if (!tags) {
    return tags.error();
  }
  if (opt_str(in, "Address") || opt_str(in, "PublicIpv4Pool") || opt_str(in, "IpamPoolId")) {
    return errors::invalid_parameter_value(
        "Gantry allocates Elastic IPs from the Amazon pool only.");
  }
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    std::vector<Row> existing = st.list(Kind::Address);
    if (existing.size() >= kMaxAddresses) {
      return errors::address_limit();
    }
    std::set<std::string> used;
    for (const Row& row : existing) {
      used.insert(str(row.doc, "PublicIp"));
    }
    std::string ip;
    for (uint32_t host = 10; host < 255; ++host) {
      std::string candidate = format_ipv4(kPublicPool + host);
      if (!used.contains(candidate)) {
        ip = candidate;
        break;
      }
    }
    std::string id = core::ids::resource_id("eipalloc");
    Doc address{{"AllocationId", id},
                {"PublicIp", ip},
                {"Domain", "vpc"},
                {"PublicIpv4Pool", "amazon"},
                {"NetworkBorderGroup", st.region()},
                {"Tags", *tags}};
    st.put(Kind::Address, id, "", "", address);
    return Doc{{"AllocationId", id},
               {"PublicIp", ip},
               {"Domain", "vpc"},
               {"PublicIpv4Pool", "amazon"},
               {"NetworkBorderGroup", st.region()}};
  });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ReleaseAddress.html
Reply Ec2Service::release_address(const Ctx& ctx, const Doc& in) {
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    auto address = find_address(st, in);
    if (!address) {
      return address.error();
    }
    if (!str(address->doc, "AssociationId").empty()) {
      return protocol::AwsError{"InvalidIPAddress.InUse",
                                "Address " + str(address->doc, "PublicIp") + " is in use."};
    }
    st.remove(address->id);
    return Doc{};
  });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateAddress.html
Reply Ec2Service::associate_address(const Ctx& ctx, const Doc& in) {
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    auto address = find_address(st, in);
    if (!address) {
      return address.error();
    }
    if (std::optional<std::string> instance = opt_str(in, "InstanceId")) {
      return errors::instance_not_found(*instance);
    }
    std::string eni_id = str(in, "NetworkInterfaceId");
    if (eni_id.empty()) {
      return errors::missing_parameter("networkInterfaceId");
    }
    std::optional<Doc> eni = st.get(Kind::NetworkInterface, eni_id);
    if (!eni) {
      return errors::eni_not_found(eni_id);
    }
    std::string private_ip = str(in, "PrivateIpAddress", str(*eni, "PrivateIpAddress"));
    if (private_ip != str(*eni, "PrivateIpAddress")) {
      return errors::invalid_parameter_value("The specified private IP address " + private_ip +
                                             " is not assigned to " + eni_id);
    }
    // The VPC needs an internet gateway for a public address to mean anything.
    bool has_igw = st.count_in_vpc(Kind::InternetGateway, str(*eni, "VpcId")) > 0;
    if (!has_igw) {
      return protocol::AwsError{"Gateway.NotAttached", "Network " + str(*eni, "VpcId") +
                                                           " is not attached to any internet "
                                                           "gateway"};
    }
    if (!str(address->doc, "AssociationId").empty() && !flag(in, "AllowReassociation")) {
      return errors::already_associated("resource " + address->id + " is already associated");
    }
    // The interface loses any address it had.
    for (Row& other : st.list(Kind::Address)) {
      if (other.id != address->id && str(other.doc, "NetworkInterfaceId") == eni_id) {
        if (!flag(in, "AllowReassociation")) {
          return errors::already_associated("resource " + eni_id + " is already associated");
        }
        clear_association(other.doc);
        st.put(Kind::Address, other.id, "", "", other.doc);
      }
    }
    std::string association_id = core::ids::resource_id("eipassoc");
    clear_association(address->doc);
    address->doc["AssociationId"] = association_id;
    address->doc["NetworkInterfaceId"] = eni_id;
    address->doc["NetworkInterfaceOwnerId"] = st.account();
    address->doc["PrivateIpAddress"] = private_ip;
    st.put(Kind::Address, address->id, "", "", address->doc);
    (*eni)["Association"] = Doc{{"AllocationId", address->id},
                                {"AssociationId", association_id},
                                {"IpOwnerId", st.account()},
                                {"PublicIp", str(address->doc, "PublicIp")}};
    st.put(Kind::NetworkInterface, eni_id, str(*eni, "VpcId"), str(*eni, "SubnetId"), *eni);
    return Doc{{"AssociationId", association_id}};
  });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DisassociateAddress.html
Reply Ec2Service::disassociate_address(const Ctx& ctx, const Doc& in) {
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    std::string association_id = str(in, "AssociationId");
    std::optional<Row> address;
    if (!association_id.empty()) {
      for (Row& row : st.list(Kind::Address)) {
        if (str(row.doc, "AssociationId") == association_id) {
          address = std::move(row);
        }
      }
      if (!address) {
        return errors::association_not_found(association_id);
      }
    } else {
      auto found = find_address(st, in);
      if (!found) {
        return found.error();
      }
      address = std::move(*found);
    }
    std::string eni_id = str(address->doc, "NetworkInterfaceId");
    if (std::optional<Doc> eni = st.get(Kind::NetworkInterface, eni_id)) {
      if (str(*eni, "InterfaceType") == "nat_gateway") {
        return errors::operation_not_permitted(
            "You cannot disassociate an Elastic IP address "
            "that is attached to a NAT gateway.");
      }
      eni->erase("Association");
      st.put(Kind::NetworkInterface, eni_id, str(*eni, "VpcId"), str(*eni, "SubnetId"), *eni);
    }
    clear_association(address->doc);
    st.put(Kind::Address, address->id, "", "", address->doc);
    return Doc{};
  });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeAddresses.html
Reply Ec2Service::describe_addresses(const Ctx& ctx, const Doc& in) {
  static const FilterTable table = address_filters();
  std::vector<std::string> ips = strings(in, "PublicIps");
  DescribeSpec spec{Kind::Address, "AllocationIds", "Addresses", &table,
                    [](std::string_view id) { return errors::allocation_not_found(id); }};
  spec.paginated = false;
  if (ips.empty()) {
    return describe(ctx, in, spec);
  }
  auto filters = parse_filters(in, table);
  if (!filters) {
    return filters.error();
  }
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    std::vector<Row> rows = st.list(Kind::Address);
    json::array out;
    for (const std::string& ip : ips) {
      auto it = std::find_if(rows.begin(), rows.end(),
                             [&](const Row& r) { return str(r.doc, "PublicIp") == ip; });
      if (it == rows.end()) {
        return errors::address_not_found(ip);
      }
      if (matches(it->doc, *filters, table)) {
        out.push_back(public_view(it->doc));
      }
    }
    return Doc{{"Addresses", std::move(out)}};
  });
}

}  // namespace services::ec2
