// NetworkLookup over the EC2 module's NetworkDirectory (src/services/ec2/network_directory.h).

#include <memory>

#include "services/ec2/network_directory.h"
#include "services/elbv2/network_lookup.h"

namespace services::elbv2 {
namespace {

class Ec2NetworkLookup final : public NetworkLookup {
 public:
  explicit Ec2NetworkLookup(ec2::NetworkDirectory& directory) : directory_(directory) {}

  std::vector<SubnetRef> subnets(const std::string& account, const std::string& region,
                                 const std::vector<std::string>& ids) override {
    std::vector<SubnetRef> out;
    for (const ec2::SubnetInfo& s : directory_.resolve_subnets(account, region, ids)) {
      out.push_back({s.subnet_id, s.vpc_id, s.availability_zone, s.cidr});
    }
    return out;
  }

  std::vector<GroupRef> security_groups(const std::string& account, const std::string& region,
                                        const std::vector<std::string>& ids) override {
    std::vector<GroupRef> out;
    for (const ec2::SecurityGroupRef& g : directory_.resolve_security_groups(account, region, ids)) {
      out.push_back({g.group_id, g.vpc_id});
    }
    return out;
  }

  std::optional<std::string> default_security_group(const std::string& account,
                                                    const std::string& region,
                                                    const std::string& vpc_id) override {
    protocol::Result<ec2::VpcTopology> topology = directory_.vpc_topology(account, region, vpc_id);
    if (!topology) {
      return std::nullopt;
    }
    for (const ec2::SecurityGroupInfo& g : topology->security_groups) {
      if (g.group_name == "default") {
        return g.group_id;
      }
    }
    return std::nullopt;
  }

  std::optional<std::string> vpc_cidr(const std::string& account, const std::string& region,
                                      const std::string& vpc_id) override {
    protocol::Result<ec2::VpcTopology> topology = directory_.vpc_topology(account, region, vpc_id);
    if (!topology) {
      return std::nullopt;
    }
    return topology->cidr;
  }

  protocol::Result<LbInterface> allocate_interface(const std::string& account,
                                                   const std::string& region,
                                                   const SubnetRef& subnet,
                                                   const std::vector<std::string>& groups,
                                                   const std::string& description) override {
    ec2::EniRequest request;
    request.account = account;
    request.region = region;
    request.subnet_id = subnet.subnet_id;
    request.security_group_ids = groups;
    request.description = description;
    request.requester_managed = true;
    request.requester_id = "amazon-elb";
    protocol::Result<ec2::EniAllocation> eni = directory_.allocate_eni(request);
    if (!eni) {
      return eni.error();
    }
    // An ALB's interfaces are in use from the start.
    (void)directory_.set_eni_attachment(eni->eni_id, "attached", "");
    return LbInterface{subnet.subnet_id, eni->availability_zone, eni->eni_id, eni->private_ip};
  }

  void release_interface(const std::string& eni_id) override {
    directory_.release_eni(eni_id);
  }

 private:
  ec2::NetworkDirectory& directory_;
};

}  // namespace

std::unique_ptr<NetworkLookup> make_ec2_network_lookup(ec2::NetworkDirectory& directory) {
  return std::make_unique<Ec2NetworkLookup>(directory);
}

}  // namespace services::elbv2
