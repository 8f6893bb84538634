#pragma once
// The network plane's own view of a VPC and of an endpoint: plain values, filled from EC2's
// NetworkDirectory by services/ec2/netplane_sync.h (or by tests), so the core never depends on a service.

#include <string>
#include <vector>

namespace netplane {

struct SubnetSpec {
  std::string subnet_id;
  std::string cidr;  // "10.0.1.0/24"; the bridge gets the first host address ("10.0.1.1/24")
};

// One IpPermission. protocol: "tcp", "udp", "icmp", "-1" (all), or an IANA number as text
// ("6", "17", "1", "50"). tcp/udp: ports from_port..to_port (-1 or 0..65535 = all). icmp:
// from_port is the type and to_port the code (-1 = any). IPv6 peers and prefix lists are not
// enforced (the VPC namespaces are IPv4 only).
struct PermissionSpec {
  std::string protocol = "-1";
  int from_port = -1;
  int to_port = -1;
  std::vector<std::string> cidrs;      // IPv4 peers, "0.0.0.0/0" = anywhere
  std::vector<std::string> group_ids;  // peers = private IPs of ENIs in these groups
};

struct SecurityGroupSpec {
  std::string group_id;
  std::vector<PermissionSpec> ingress;
  std::vector<PermissionSpec> egress;
};

// Every ENI of the VPC, attached or not: its address is a member of its groups' sets.
struct EniSpec {
  std::string eni_id;
  std::string subnet_id;
  std::string ip;   // "10.0.1.4"
  std::string mac;  // "02:xx:xx:xx:xx:xx"
  std::vector<std::string> group_ids;
};

struct VpcSpec {
  std::string vpc_id;
  std::string cidr;
  std::vector<SubnetSpec> subnets;
  std::vector<SecurityGroupSpec> security_groups;
  std::vector<EniSpec> enis;
};

// One interface of an endpoint: the ENI it carries, in its subnet.
struct InterfaceSpec {
  std::string eni_id;
  std::string subnet_id;
  std::string ip;       // "10.0.1.4"
  int prefix_length;    // 24
  std::string mac;      // "02:xx:xx:xx:xx:xx"
  std::string gateway;  // "10.0.1.1"
};

// A task or an ALB node: one network namespace with interfaces[0] as eth0 (default route via
// its gateway), interfaces[1] as eth1, ...
struct EndpointSpec {
  std::string endpoint_id;  // e.g. the ECS task id; [A-Za-z0-9._-]
  std::string vpc_id;
  std::vector<InterfaceSpec> interfaces;
};

struct EndpointInfo {
  std::string netns_path;  // "/run/netns/gx1a2b3c-e-<endpoint_id>": give it to runc
  std::vector<std::string> interface_names;  // "eth0", ...
};

// What should exist after a restart; everything else of this instance is removed.
struct ExpectedState {
  std::vector<std::string> vpc_ids;
  std::vector<std::string> endpoint_ids;
};

// Where tasks reach Gantry: ECS's task metadata address, on the VPC namespace's loopback.
inline constexpr const char* kTaskMetadataIp = "169.254.170.2";

}  // namespace netplane
