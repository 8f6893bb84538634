#include "services/ec2/store_network_directory.h"

#include <atomic>
#include <boost/json/array.hpp>

#include "core/ids.h"
#include "services/ec2/errors.h"
#include "services/ec2/permissions.h"

namespace services::ec2 {

namespace json = boost::json;

namespace {

SubnetInfo subnet_info(const Doc& subnet) {
  SubnetInfo info;
  info.subnet_id = str(subnet, "SubnetId");
  info.vpc_id = str(subnet, "VpcId");
  info.cidr = str(subnet, "CidrBlock");
  if (std::optional<Cidr> cidr = parse_cidr(info.cidr)) {
    info.gateway_ip = format_ipv4(gateway_address(*cidr));
  }
  info.availability_zone = str(subnet, "AvailabilityZone");
  info.map_public_ip_on_launch = flag(subnet, "MapPublicIpOnLaunch");
  return info;
}

// Which account and region hold `id`, from the id alone.
std::optional<Scope> scope_of(store::Db& db, std::string_view id) {
  store::Transaction tx = db.read();
  std::optional<Scope> scope = find_scope(tx, id);
  tx.commit();
  return scope;
}

}  // namespace

protocol::Result<EniAllocation> StoreNetworkDirectory::allocate_eni(const EniRequest& request) {
  return service_.transact<EniAllocation>(
      request.account, request.region, [&](Ec2Store& st) -> protocol::Result<EniAllocation> {
        auto eni = service_.make_network_interface(st, request, std::nullopt, json::array());
        if (!eni) {
          return eni.error();
        }
        std::optional<Doc> subnet = st.get(Kind::Subnet, request.subnet_id);
        std::optional<Doc> vpc = st.get(Kind::Vpc, str(*eni, "VpcId"));
        SubnetInfo info = subnet_info(*subnet);
        EniAllocation out;
        out.eni_id = str(*eni, "NetworkInterfaceId");
        out.private_ip = str(*eni, "PrivateIpAddress");
        out.mac = str(*eni, "MacAddress");
        out.vpc_id = info.vpc_id;
        out.vpc_cidr = vpc ? str(*vpc, "CidrBlock") : "";
        out.subnet_id = info.subnet_id;
        out.subnet_cidr = info.cidr;
        out.prefix_length = parse_cidr(info.cidr)->prefix;
        out.gateway_ip = info.gateway_ip;
        out.availability_zone = info.availability_zone;
        out.private_dns_name = str(*eni, "PrivateDnsName");
        return out;
      });
}

void StoreNetworkDirectory::release_eni(const std::string& eni_id) {
  std::optional<Scope> scope = scope_of(service_.db(), eni_id);
  if (!scope) {
    return;
  }
  (void)service_.transact<bool>(scope->account, scope->region,
                                [&](Ec2Store& st) -> protocol::Result<bool> {
                                  if (st.get(Kind::NetworkInterface, eni_id)) {
                                    service_.remove_network_interface(st, eni_id);
                                  }
                                  return true;
                                });
}

protocol::Result<void> StoreNetworkDirectory::set_eni_attachment(const std::string& eni_id,
                                                                 const std::string& status,
                                                                 const std::string& description) {
  std::optional<Scope> scope = scope_of(service_.db(), eni_id);
  if (!scope) {
    return errors::eni_not_found(eni_id);
  }
  auto r = service_.transact<bool>(
      scope->account, scope->region, [&](Ec2Store& st) -> protocol::Result<bool> {
        std::optional<Doc> eni = st.get(Kind::NetworkInterface, eni_id);
        if (!eni) {
          return errors::eni_not_found(eni_id);
        }
        json::value& slot = (*eni)["Attachment"];
        if (!slot.is_object()) {
          // Fargate's interfaces show an "ela-attach" attachment owned by amazon-aws.
          slot = Doc{{"AttachmentId", core::ids::resource_id("ela-attach")},
                     {"AttachTime", service_.now_epoch()},
                     {"DeleteOnTermination", false},
                     {"DeviceIndex", 1},
                     {"NetworkCardIndex", 0},
                     {"InstanceOwnerId", "amazon-aws"}};
        }
        slot.as_object()["Status"] = status;
        (*eni)["Status"] = status == "detached" ? "available" : "in-use";
        if (!description.empty()) {
          (*eni)["Description"] = description;
        }
        st.put(Kind::NetworkInterface, eni_id, str(*eni, "VpcId"), str(*eni, "SubnetId"), *eni);
        return true;
      });
  if (!r) {
    return r.error();
  }
  return {};
}

protocol::Result<VpcTopology> StoreNetworkDirectory::vpc_topology(const std::string& account,
                                                                  const std::string& region,
                                                                  const std::string& vpc_id) {
  return service_.transact<VpcTopology>(
      account, region, [&](Ec2Store& st) -> protocol::Result<VpcTopology> {
        std::optional<Doc> vpc = st.get(Kind::Vpc, vpc_id);
        if (!vpc) {
          return errors::vpc_not_found(vpc_id);
        }
        VpcTopology t;
        t.account = account;
        t.region = region;
        t.vpc_id = vpc_id;
        t.cidr = str(*vpc, "CidrBlock");
        for (const Row& row : st.list_in_vpc(Kind::Subnet, vpc_id)) {
          t.subnets.push_back(subnet_info(row.doc));
        }
        for (const Row& row : st.list_in_vpc(Kind::SecurityGroup, vpc_id)) {
          std::vector<Doc> ingress, egress;
          for (Row& rule : st.list_under(Kind::SecurityGroupRule, row.id)) {
            (flag(rule.doc, "IsEgress") ? egress : ingress).push_back(std::move(rule.doc));
          }
          t.security_groups.push_back(SecurityGroupInfo{row.id, str(row.doc, "GroupName"),
                                                        to_permission_infos(ingress),
                                                        to_permission_infos(egress)});
        }
        for (const Row& row : st.list_in_vpc(Kind::NetworkInterface, vpc_id)) {
          t.enis.push_back(EniInfo{row.id, str(row.doc, "SubnetId"),
                                   str(row.doc, "PrivateIpAddress"), str(row.doc, "MacAddress"),
                                   str(row.doc, "Status"), values_at(row.doc, "Groups.GroupId")});
        }
        return t;
      });
}

void StoreNetworkDirectory::subscribe(VpcListener listener) {
  service_.subscribe(std::move(listener));
}

std::vector<SubnetInfo> StoreNetworkDirectory::resolve_subnets(
    const std::string& account, const std::string& region,
    const std::vector<std::string>& subnet_ids) {
  auto r = service_.transact<std::vector<SubnetInfo>>(
      account, region, [&](Ec2Store& st) -> protocol::Result<std::vector<SubnetInfo>> {
        std::vector<SubnetInfo> out;
        for (const std::string& id : subnet_ids) {
          if (std::optional<Doc> subnet = st.get(Kind::Subnet, id)) {
            out.push_back(subnet_info(*subnet));
          }
        }
        return out;
      });
  return r ? std::move(*r) : std::vector<SubnetInfo>{};
}

std::vector<SecurityGroupRef> StoreNetworkDirectory::resolve_security_groups(
    const std::string& account, const std::string& region,
    const std::vector<std::string>& group_ids) {
  auto r = service_.transact<std::vector<SecurityGroupRef>>(
      account, region, [&](Ec2Store& st) -> protocol::Result<std::vector<SecurityGroupRef>> {
        std::vector<SecurityGroupRef> out;
        for (const std::string& id : group_ids) {
          if (std::optional<Doc> group = st.get(Kind::SecurityGroup, id)) {
            out.push_back(SecurityGroupRef{id, str(*group, "GroupName"), str(*group, "VpcId")});
          }
        }
        return out;
      });
  return r ? std::move(*r) : std::vector<SecurityGroupRef>{};
}

std::optional<std::string> StoreNetworkDirectory::default_vpc_id(const std::string& account,
                                                                 const std::string& region) {
  auto r = service_.transact<std::optional<std::string>>(
      account, region, [&](Ec2Store& st) -> protocol::Result<std::optional<std::string>> {
        std::optional<std::string> id = st.default_vpc_id();
        if (id && !st.get(Kind::Vpc, *id)) {
          id.reset();
        }
        return id;
      });
  return r ? *r : std::nullopt;
}

}  // namespace services::ec2
