// make_ec2_network_lookup() for builds without the EC2 service: a network with no subnet, group
// or VPC, so that CreateLoadBalancer answers SubnetNotFound instead of inventing addresses.

#ifndef GANTRY_ELBV2_WITH_EC2

#include <memory>

#include "services/elbv2/network_lookup.h"

namespace services::elbv2 {
namespace {

class NoNetworkLookup final : public NetworkLookup {
 public:
  std::vector<SubnetRef> subnets(const std::string&, const std::string&,
                                 const std::vector<std::string>&) override {
    return {};
  }
  std::vector<GroupRef> security_groups(const std::string&, const std::string&,
                                        const std::vector<std::string>&) override {
    return {};
  }
  std::optional<std::string> default_security_group(const std::string&, const std::string&,
                                                    const std::string&) override {
    return std::nullopt;
  }
  std::optional<std::string> vpc_cidr(const std::string&, const std::string&,
                                      const std::string&) override {
    return std::nullopt;
  }
  protocol::Result<LbInterface> allocate_interface(const std::string&, const std::string&,
                                                   const SubnetRef& subnet,
                                                   const std::vector<std::string>&,
                                                   const std::string&) override {
    return protocol::AwsError("SubnetNotFound",
                              "The subnet ID '" + subnet.subnet_id + "' is not valid");
  }
  void release_interface(const std::string&) override {}
};

}  // namespace

std::unique_ptr<NetworkLookup> make_ec2_network_lookup() {
  return std::make_unique<NoNetworkLookup>();
}

}  // namespace services::elbv2

#endif  // GANTRY_ELBV2_WITH_EC2
