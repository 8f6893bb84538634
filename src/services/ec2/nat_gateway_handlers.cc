// NAT gateways: create (with its interface and, when public, its Elastic IP), delete, describe.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNatGateway.html

#include <boost/json/array.hpp>

#include "core/ids.h"
#include "services/ec2/ec2_service.h"
#include "services/ec2/errors.h"

namespace services::ec2 {

namespace json = boost::json;

namespace {

FilterTable nat_filters() {
  FilterTable t;
  t.names = {{"nat-gateway-id", path("NatGatewayId")},
             {"state", path("State")},
             {"subnet-id", path("SubnetId")},
             {"vpc-id", path("VpcId")}};
  return t;
}

// The Elastic IP a public NAT gateway takes: it must exist and be unassociated.
protocol::Result<Doc> free_elastic_ip(Ec2Store& st, const std::string& allocation_id) {
  std::optional<Doc> address = st.get(Kind::Address, allocation_id);
  if (!address) {
    return errors::allocation_not_found(allocation_id);
  }
  if (!str(*address, "AssociationId").empty()) {
    return errors::already_associated("Elastic IP address [" + allocation_id +
                                      "] is already associated");
  }
  return *address;
}

// Associates the Elastic IP `address` with the gateway's interface `eni`, recording the
// association on the address (stored here), the interface and the gateway's address entry.
void associate_elastic_ip(Ec2Store& st, Doc& address, Doc& eni, Doc& nat_address) {
  std::string allocation_id = str(address, "AllocationId");
  std::string association_id = core::ids::resource_id("eipassoc");
  address["AssociationId"] = association_id;
  address["NetworkInterfaceId"] = str(eni, "NetworkInterfaceId");
  address["NetworkInterfaceOwnerId"] = st.account();
  address["PrivateIpAddress"] = str(eni, "PrivateIpAddress");
  st.put(Kind::Address, allocation_id, "", "", address);
  nat_address["AllocationId"] = allocation_id;
  nat_address["PublicIp"] = str(address, "PublicIp");
  nat_address["AssociationId"] = association_id;
  eni["Association"] = Doc{{"AllocationId", allocation_id},
                           {"AssociationId", association_id},
                           {"IpOwnerId", "amazon"},
                           {"PublicIp", str(address, "PublicIp")}};
}

}  // namespace

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNatGateway.html
// The gateway is "available" at once: it holds an address in its subnet (a requester-managed
// network interface) and, when public, its Elastic IP.
Reply Ec2Service::create_nat_gateway(const Ctx& ctx, const Doc& in) {
  auto tags = tags_from_specifications(ctx, in, "natgateway");
  if (!tags) {
    return tags.error();
  }
  std::string subnet_id = str(in, "SubnetId");
  if (subnet_id.empty()) {
    return errors::missing_parameter("subnetId");
  }
  std::string connectivity = str(in, "ConnectivityType", "public");
  std::string allocation_id = str(in, "AllocationId");
  if (connectivity == "public" && allocation_id.empty()) {
    return errors::missing_parameter("allocationId");
  }
  if (connectivity == "private" && !allocation_id.empty()) {
    return errors::invalid_parameter_combination(
        "AllocationId cannot be specified for a private NAT gateway.");
  }
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    std::optional<Doc> subnet = st.get(Kind::Subnet, subnet_id);
    if (!subnet) {
      return errors::subnet_not_found(subnet_id);
    }
    std::optional<Doc> address;
    if (!allocation_id.empty()) {
      auto free = free_elastic_ip(st, allocation_id);
      if (!free) {
        return free.error();
      }
      address = std::move(*free);
    }
    std::string nat_id = core::ids::resource_id("nat");
    EniRequest request;
    request.account = st.account();
    request.region = st.region();
    request.subnet_id = subnet_id;
    request.description = "Interface for NAT Gateway " + nat_id;
    request.interface_type = "nat_gateway";
    request.requester_id = "amazon";
    auto eni = make_network_interface(st, request, std::nullopt, json::array());
    if (!eni) {
      return eni.error();
    }
    (*eni)["Status"] = "in-use";
    std::string eni_id = str(*eni, "NetworkInterfaceId");
    Doc nat_address{{"NetworkInterfaceId", eni_id},
                    {"PrivateIp", str(*eni, "PrivateIpAddress")},
                    {"IsPrimary", true},
                    {"Status", "succeeded"}};
    if (address) {
      associate_elastic_ip(st, *address, *eni, nat_address);
    }
    st.put(Kind::NetworkInterface, eni_id, str(*eni, "VpcId"), subnet_id, *eni);
    Doc nat{{"NatGatewayId", nat_id},
            {"SubnetId", subnet_id},
            {"VpcId", str(*subnet, "VpcId")},
            {"State", "available"},
            {"ConnectivityType", connectivity},
            {"CreateTime", now_epoch()},
            {"NatGatewayAddresses", json::array{nat_address}},
            {"Tags", *tags}};
    st.put(Kind::NatGateway, nat_id, str(*subnet, "VpcId"), subnet_id, nat);
    Doc out{{"NatGateway", public_view(std::move(nat))}};
    if (auto token = opt_str(in, "ClientToken")) {
      out["ClientToken"] = *token;
    }
    return out;
  });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteNatGateway.html
// The gateway stays visible as "deleted"; its interface and address association go at once.
Reply Ec2Service::delete_nat_gateway(const Ctx& ctx, const Doc& in) {
  std::string nat_id = str(in, "NatGatewayId");
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    std::optional<Doc> nat = st.get(Kind::NatGateway, nat_id);
    if (!nat || str(*nat, "State") == "deleted") {
      return errors::nat_gateway_not_found(nat_id);
    }
    for (const std::string& allocation_id : values_at(*nat, "NatGatewayAddresses.AllocationId")) {
      if (std::optional<Doc> address = st.get(Kind::Address, allocation_id)) {
        for (std::string_view m : {"AssociationId", "NetworkInterfaceId", "NetworkInterfaceOwnerId",
                                   "PrivateIpAddress"}) {
          address->erase(m);
        }
        st.put(Kind::Address, allocation_id, "", "", *address);
      }
    }
    for (const std::string& eni_id : values_at(*nat, "NatGatewayAddresses.NetworkInterfaceId")) {
      remove_network_interface(st, eni_id);
    }
    (*nat)["State"] = "deleted";
    (*nat)["DeleteTime"] = now_epoch();
    st.put(Kind::NatGateway, nat_id, str(*nat, "VpcId"), str(*nat, "SubnetId"), *nat);
    return Doc{{"NatGatewayId", nat_id}};
  });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNatGateways.html
Reply Ec2Service::describe_nat_gateways(const Ctx& ctx, const Doc& in) {
  static const FilterTable table = nat_filters();
  DescribeSpec spec{Kind::NatGateway, "NatGatewayIds", "NatGateways", &table,
                    [](std::string_view id) { return errors::nat_gateway_not_found(id); }};
  spec.filters_member = "Filter";
  return describe(ctx, in, spec);
}

}  // namespace services::ec2
