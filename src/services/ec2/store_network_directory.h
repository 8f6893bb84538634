#pragma once
// The NetworkDirectory over the EC2 store: every call is one transaction through Ec2Service, so
// the API and the directory see and change the same rows, and listeners hear of both.

#include "services/ec2/ec2_service.h"
#include "services/ec2/network_directory.h"

namespace services::ec2 {

class StoreNetworkDirectory final : public NetworkDirectory {
 public:
  explicit StoreNetworkDirectory(Ec2Service& service) : service_(service) {}

  protocol::Result<EniAllocation> allocate_eni(const EniRequest& request) override;
  void release_eni(const std::string& eni_id) override;
  protocol::Result<void> set_eni_attachment(const std::string& eni_id, const std::string& status,
                                            const std::string& description) override;
  protocol::Result<VpcTopology> vpc_topology(const std::string& account, const std::string& region,
                                             const std::string& vpc_id) override;
  void subscribe(VpcListener listener) override;
  std::vector<SubnetInfo> resolve_subnets(const std::string& account, const std::string& region,
                                          const std::vector<std::string>& subnet_ids) override;
  std::vector<SecurityGroupRef> resolve_security_groups(
      const std::string& account, const std::string& region,
      const std::vector<std::string>& group_ids) override;
  std::optional<std::string> default_vpc_id(const std::string& account,
                                            const std::string& region) override;

 private:
  Ec2Service& service_;
};

}  // namespace services::ec2
