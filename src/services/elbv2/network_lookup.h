#pragma once
// What ELBv2 needs from EC2: subnets and security groups to validate, and one network interface
// per subnet for each load balancer (its addresses, which its security groups apply to).
// Ec2NetworkLookup adapts services::ec2::NetworkDirectory; unit tests inject a fake.
//
// Thread-safe. Must not be called while holding a store transaction (the EC2 side runs its own).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/aws_error.h"

namespace services::ec2 {
class NetworkDirectory;
}  // namespace services::ec2

namespace services::elbv2 {

struct SubnetRef {
  std::string subnet_id;
  std::string vpc_id;
  std::string availability_zone;
  std::string cidr;
};

struct GroupRef {
  std::string group_id;
  std::string vpc_id;
};

struct LbInterface {
  std::string subnet_id;
  std::string availability_zone;
  std::string eni_id;
  std::string private_ip;
};

class NetworkLookup {
 public:
  virtual ~NetworkLookup() = default;
  // The subnets that exist, in request order; unknown ids are left out.
  virtual std::vector<SubnetRef> subnets(const std::string& account, const std::string& region,
                                         const std::vector<std::string>& ids) = 0;
  virtual std::vector<GroupRef> security_groups(const std::string& account,
                                                const std::string& region,
                                                const std::vector<std::string>& ids) = 0;
  // The id of the VPC's "default" group; nullopt when the VPC is unknown.
  virtual std::optional<std::string> default_security_group(const std::string& account,
                                                            const std::string& region,
                                                            const std::string& vpc_id) = 0;
  // The VPC's CIDR; nullopt when the VPC is unknown.
  virtual std::optional<std::string> vpc_cidr(const std::string& account, const std::string& region,
                                              const std::string& vpc_id) = 0;
  // A requester-managed ENI (owner "amazon-elb") for a load balancer in `subnet`.
  virtual protocol::Result<LbInterface> allocate_interface(const std::string& account,
                                                           const std::string& region,
                                                           const SubnetRef& subnet,
                                                           const std::vector<std::string>& groups,
                                                           const std::string& description) = 0;
  // Idempotent.
  virtual void release_interface(const std::string& eni_id) = 0;
};

// The lookup over EC2's directory, which must outlive it.
std::unique_ptr<NetworkLookup> make_ec2_network_lookup(ec2::NetworkDirectory& directory);

}  // namespace services::elbv2
