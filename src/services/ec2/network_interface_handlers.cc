// Network interfaces: the ENIs ECS makes for awsvpc tasks (through NetworkDirectory), NAT
// gateways' interfaces and those users make themselves.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNetworkInterface.html

#include <boost/json/array.hpp>

#include "core/ids.h"
#include "services/ec2/ec2_service.h"
#include "services/ec2/errors.h"

namespace services::ec2 {

namespace json = boost::json;

namespace {

FilterTable eni_filters() {
  FilterTable t;
  t.tags_member = "TagSet";
  t.names = {
      {"network-interface-id", path("NetworkInterfaceId")},
      {"addresses.private-ip-address", path("PrivateIpAddresses.PrivateIpAddress")},
      {"addresses.primary", path("PrivateIpAddresses.Primary")},
      {"association.allocation-id", path("Association.AllocationId")},
      {"association.association-id", path("Association.AssociationId")},
      {"association.public-ip", path("Association.PublicIp")},
      {"attachment.attachment-id", path("Attachment.AttachmentId")},
      {"attachment.instance-id", path("Attachment.InstanceId")},
      {"attachment.instance-owner-id", path("Attachment.InstanceOwnerId")},
      {"attachment.device-index", path("Attachment.DeviceIndex")},
      {"attachment.status", path("Attachment.Status")},
      {"attachment.delete-on-termination", path("Attachment.DeleteOnTermination")},
      {"availability-zone", path("AvailabilityZone")},
      {"description", path("Description")},
      {"group-id", path("Groups.GroupId")},
      {"group-name", path("Groups.GroupName")},
      {"interface-type", path("InterfaceType")},
      {"mac-address", path("MacAddress")},
      {"owner-id", path("OwnerId")},
      {"private-dns-name", path("PrivateDnsName")},
      {"private-ip-address", path("PrivateIpAddress")},
      {"requester-id", path("RequesterId")},
      {"requester-managed", path("RequesterManaged")},
      {"source-dest-check", path("SourceDestCheck")},
      {"status", path("Status")},
      {"subnet-id", path("SubnetId")},
      {"vpc-id", path("VpcId")},
  };
  return t;
}

std::string random_mac() {
  std::string hex = core::ids::random_hex(10);
  std::string mac = "02";
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    mac += ":" + hex.substr(i, 2);
  }
  return mac;
}

std::string private_dns_name(std::string_view region, std::string_view ip) {
  std::string name = "ip-" + std::string(ip);
  std::replace(name.begin(), name.end(), '.', '-');
  return name + (region == "us-east-1" ? ".ec2.internal"
                                       : "." + std::string(region) + ".compute.internal");
}

}  // namespace

protocol::Result<Doc> Ec2Service::make_network_interface(Ec2Store& st, const EniRequest& request,
                                                         std::optional<std::string> private_ip,
                                                         const json::array& tags) {
  std::optional<Doc> subnet = st.get(Kind::Subnet, request.subnet_id);
  if (!subnet) {
    return errors::subnet_not_found(request.subnet_id);
  }
  std::string vpc_id = str(*subnet, "VpcId");
  json::array groups;
  std::vector<std::string> group_ids = request.security_group_ids;
  if (group_ids.empty() && request.interface_type != "nat_gateway") {
    for (const Row& row : st.list_in_vpc(Kind::SecurityGroup, vpc_id)) {
      if (str(row.doc, "GroupName") == "default") {
        group_ids.push_back(row.id);
      }
    }
  }
  for (const std::string& id : group_ids) {
    std::optional<Doc> group = st.get(Kind::SecurityGroup, id);
    if (!group) {
      return errors::group_not_found(id);
    }
    if (str(*group, "VpcId") != vpc_id) {
      return errors::invalid_parameter("Security group " + id + " and subnet " + request.subnet_id +
                                       " belong to different networks.");
    }
    groups.push_back(Doc{{"GroupId", id}, {"GroupName", str(*group, "GroupName")}});
  }
  Cidr cidr = *parse_cidr(str(*subnet, "CidrBlock"));
  std::set<uint32_t> used = st.allocated_ips(request.subnet_id);
  uint32_t address = 0;
  if (private_ip) {
    std::optional<uint32_t> wanted = parse_ipv4(*private_ip);
    if (!wanted || !cidr.contains(*wanted) || is_reserved_in_subnet(cidr, *wanted)) {
      return errors::invalid_parameter_value("Address " + *private_ip +
                                             " does not fall within the subnet's address range");
    }
    if (used.contains(*wanted)) {
      return errors::address_in_use(*private_ip);
    }
    address = *wanted;
  } else {
    // The lowest free address: new tasks fill a subnet from the bottom, like EC2 in practice.
    for (uint32_t a = cidr.first() + 4; a < cidr.last(); ++a) {
      if (!used.contains(a)) {
        address = a;
        break;
      }
    }
    if (address == 0) {
      return errors::insufficient_addresses(request.subnet_id);
    }
  }
  std::string eni_id = core::ids::resource_id("eni");
  std::string ip = format_ipv4(address);
  std::string dns = private_dns_name(st.region(), ip);
  st.allocate_ip(request.subnet_id, address, eni_id);
  Doc eni{{"NetworkInterfaceId", eni_id},
          {"SubnetId", request.subnet_id},
          {"VpcId", vpc_id},
          {"AvailabilityZone", str(*subnet, "AvailabilityZone")},
          {"AvailabilityZoneId", str(*subnet, "AvailabilityZoneId")},
          {"Description", request.description},
          {"Groups", std::move(groups)},
          {"InterfaceType", request.interface_type},
          {"MacAddress", random_mac()},
          {"OwnerId", st.account()},
          {"PrivateDnsName", dns},
          {"PrivateIpAddress", ip},
          {"PrivateIpAddresses",
           json::array{Doc{{"Primary", true}, {"PrivateDnsName", dns}, {"PrivateIpAddress", ip}}}},
          {"Ipv6Addresses", json::array()},
          {"RequesterManaged", request.requester_managed},
          {"SourceDestCheck", true},
          {"Status", "available"},
          {"TagSet", tags}};
  if (request.requester_managed) {
    eni["RequesterId"] = request.requester_id;
  }
  st.put(Kind::NetworkInterface, eni_id, vpc_id, request.subnet_id, eni);
  return eni;
}

void Ec2Service::remove_network_interface(Ec2Store& st, std::string_view eni_id) {
  for (Row& address : st.list(Kind::Address)) {
    if (str(address.doc, "NetworkInterfaceId") == eni_id) {
      for (std::string_view m :
           {"AssociationId", "NetworkInterfaceId", "NetworkInterfaceOwnerId", "PrivateIpAddress"}) {
        address.doc.erase(m);
      }
      st.put(Kind::Address, address.id, "", "", address.doc);
    }
  }
  st.release_ips(eni_id);
  st.remove(eni_id);
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNetworkInterface.html
Reply Ec2Service::create_network_interface(const Ctx& ctx, const Doc& in) {
  auto tags = tags_from_specifications(ctx, in, "network-interface");
  if (!tags) {
    return tags.error();
  }
  EniRequest request;
  request.account = ctx.account;
  request.region = ctx.region;
  request.subnet_id = str(in, "SubnetId");
  request.security_group_ids = strings(in, "Groups");
  request.description = str(in, "Description");
  request.interface_type = "interface";
  request.requester_managed = false;
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    auto eni = make_network_interface(st, request, opt_str(in, "PrivateIpAddress"), *tags);
    if (!eni) {
      return eni.error();
    }
    Doc out{{"NetworkInterface", public_view(std::move(*eni))}};
    if (auto token = opt_str(in, "ClientToken")) {
      out["ClientToken"] = *token;
    }
    return out;
  });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteNetworkInterface.html
Reply Ec2Service::delete_network_interface(const Ctx& ctx, const Doc& in) {
  std::string eni_id = str(in, "NetworkInterfaceId");
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    std::optional<Doc> eni = st.get(Kind::NetworkInterface, eni_id);
    if (!eni) {
      return errors::eni_not_found(eni_id);
    }
    if (str(*eni, "Status") == "in-use" || flag(*eni, "RequesterManaged")) {
      return errors::eni_in_use(eni_id);
    }
    remove_network_interface(st, eni_id);
    return Doc{};
  });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNetworkInterfaces.html
Reply Ec2Service::describe_network_interfaces(const Ctx& ctx, const Doc& in) {
  static const FilterTable table = eni_filters();
  return describe(ctx, in,
                  {Kind::NetworkInterface, "NetworkInterfaceIds", "NetworkInterfaces", &table,
                   [](std::string_view id) { return errors::eni_not_found(id); }});
}

}  // namespace services::ec2
