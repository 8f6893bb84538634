#pragma once
// What the rest of Gantry needs to know about EC2 networking, without HTTP: ECS allocates a
// task's ENI here and validates its networkConfiguration; the netplane reads a VPC's topology
// (subnets, security groups with their rules, ENIs) to build namespaces and nftables rulesets,
// and subscribes to be told when it changes.
//
// Thread-safe: any thread may call any method. Each call runs its own store transaction, so it
// must NOT be called while the caller holds a store::Transaction on the same Db (that would
// nest; the store CHECKs against it). Listeners run on the thread that committed the change,
// after the commit and outside any transaction; they should be quick (enqueue a reconcile).
//
// Every account and region has a default VPC (172.31.0.0/16, one default subnet per AZ), made
// on first use, as in a new AWS account.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "protocol/aws_error.h"

namespace services::ec2 {

struct EniRequest {
  std::string account;
  std::string region;
  std::string subnet_id;
  std::vector<std::string> security_group_ids;  // empty → the VPC's default group
  std::string description;                      // ECS: "arn:aws:ecs:...:attachment/<uuid>"
  std::string interface_type = "interface";     // DescribeNetworkInterfaces' InterfaceType
  bool requester_managed = true;                // true for ENIs ECS makes for tasks
  std::string requester_id = "ecs";             // shown as RequesterId when requester_managed
};

struct EniAllocation {
  std::string eni_id;      // eni-<17 hex>
  std::string private_ip;  // "10.0.1.4"
  std::string mac;         // "02:xx:xx:xx:xx:xx"
  std::string vpc_id;
  std::string vpc_cidr;  // "10.0.0.0/16"
  std::string subnet_id;
  std::string subnet_cidr;        // "10.0.1.0/24"
  int prefix_length = 0;          // 24
  std::string gateway_ip;         // subnet network + 1: "10.0.1.1"
  std::string availability_zone;  // "us-east-1a"
  std::string private_dns_name;   // "ip-10-0-1-4.ec2.internal"
};

struct SubnetInfo {
  std::string subnet_id;
  std::string vpc_id;
  std::string cidr;        // "10.0.1.0/24"
  std::string gateway_ip;  // "10.0.1.1"
  std::string availability_zone;
  bool map_public_ip_on_launch = false;
};

struct SecurityGroupRef {
  std::string group_id;
  std::string group_name;
  std::string vpc_id;
};

// One IpPermission: traffic of `protocol` on [from_port, to_port] from (ingress) or to (egress)
// any of the peers. protocol is "tcp", "udp", "icmp", "icmpv6", "-1" (all traffic, ports -1) or
// an IANA protocol number as text ("50"). For icmp, from_port is the type and to_port the code
// (-1 = any). Prefix lists are listed but Gantry has no managed prefix lists to expand.
struct PermissionInfo {
  std::string protocol;
  int from_port = -1;
  int to_port = -1;
  std::vector<std::string> cidrs;  // IPv4 CIDRs
  std::vector<std::string> ipv6_cidrs;
  std::vector<std::string> source_group_ids;  // members of these groups (by ENI private IP)
  std::vector<std::string> prefix_list_ids;
};

struct SecurityGroupInfo {
  std::string group_id;
  std::string group_name;
  std::vector<PermissionInfo> ingress;
  std::vector<PermissionInfo> egress;
};

struct EniInfo {
  std::string eni_id;
  std::string subnet_id;
  std::string private_ip;
  std::string mac;
  std::string status;  // "available", "in-use"
  std::vector<std::string> group_ids;
};

struct VpcTopology {
  std::string account;
  std::string region;
  std::string vpc_id;
  std::string cidr;
  std::vector<SubnetInfo> subnets;
  std::vector<SecurityGroupInfo> security_groups;
  std::vector<EniInfo> enis;
};

class NetworkDirectory {
 public:
  using VpcListener = std::function<void(const std::string& account, const std::string& region,
                                         const std::string& vpc_id)>;

  virtual ~NetworkDirectory() = default;

  // Makes an ENI in the subnet with the lowest free private address (skipping the five AWS
  // reserves) and a fresh MAC. Errors: InvalidSubnetID.NotFound, InvalidGroup.NotFound,
  // InvalidParameter (a group of another VPC), InsufficientFreeAddressesInSubnet.
  virtual protocol::Result<EniAllocation> allocate_eni(const EniRequest& request) = 0;
  // Deletes the ENI and frees its address; an unknown id is not an error (idempotent).
  virtual void release_eni(const std::string& eni_id) = 0;
  // Records the ENI's attachment: status "attaching", "attached", "detaching" or "detached";
  // the ENI is "in-use" unless detached. A non-empty description replaces the ENI's.
  // InvalidNetworkInterfaceID.NotFound for an unknown id.
  virtual protocol::Result<void> set_eni_attachment(const std::string& eni_id,
                                                    const std::string& status,
                                                    const std::string& description) = 0;

  // InvalidVpcID.NotFound for an unknown VPC.
  virtual protocol::Result<VpcTopology> vpc_topology(const std::string& account,
                                                     const std::string& region,
                                                     const std::string& vpc_id) = 0;
  // Called after every committed change to a VPC's subnets, groups, rules or ENIs.
  virtual void subscribe(VpcListener listener) = 0;

  // The ones that exist, in request order; unknown ids are left out.
  virtual std::vector<SubnetInfo> resolve_subnets(const std::string& account,
                                                  const std::string& region,
                                                  const std::vector<std::string>& subnet_ids) = 0;
  virtual std::vector<SecurityGroupRef> resolve_security_groups(
      const std::string& account, const std::string& region,
      const std::vector<std::string>& group_ids) = 0;
  // The region's default VPC (made on first use); nullopt if the user deleted it.
  virtual std::optional<std::string> default_vpc_id(const std::string& account,
                                                    const std::string& region) = 0;
};

}  // namespace services::ec2
