#pragma once
// The network plane: VPCs as network namespaces and endpoints (tasks, ALB nodes) as namespaces
// plugged into them, with security groups enforced. Implemented by NftNetplane (kernel: libnl +
// libnftables) and by fakes::FakeNetplane in tests of the layers above.
//
// Usage by the ECS task launcher (via its TaskNetworkPort adapter):
//   1. ensure_vpc(spec of the task's VPC, which already lists the task's ENI)   (idempotent)
//   2. attach({task_id, vpc_id, {interface}}) -> EndpointInfo.netns_path; runc joins that path
//   3. on stop: detach(task_id); EC2 releases the ENI; then ensure_vpc(updated spec)
// On every NetworkDirectory change of a VPC: ensure_vpc(new spec) (rules, sets, subnets).
// On start-up after a crash: ensure_vpc for each VPC in use, then recover(expected state).
//
// Thread-safety: any thread may call any method; calls are serialized inside. Each call is
// synchronous and takes milliseconds (no sleeps, no child processes).

#include <string>

#include "netplane/result.h"
#include "netplane/spec.h"

namespace netplane {

class Netplane {
 public:
  virtual ~Netplane() = default;

  // Converges the VPC's namespace to `spec`: created if missing; a bridge per subnet at the
  // subnet's first host address (bridges of removed subnets deleted); IPv4 forwarding between
  // subnets; 169.254.170.2/32 on its loopback; the security-group ruleset replaced atomically.
  virtual Result<void> ensure_vpc(const VpcSpec& spec) = 0;
  // Deletes the VPC's namespace (and with it bridges, rules and the VPC ends of veths). An
  // unknown VPC is not an error. Sockets made in it (listen_in_netns) keep it alive until closed.
  virtual Result<void> remove_vpc(const std::string& vpc_id) = 0;

  // Makes the endpoint's namespace with lo up, one veth per interface (eth0, eth1, ... with the
  // ENI's MAC and address; the other end on the subnet's bridge) and a default route via
  // interfaces[0].gateway. Idempotent: attaching an endpoint that is already complete returns it
  // unchanged; a half-made one is remade. errc::not_found when the VPC or a subnet's bridge is
  // missing (call ensure_vpc first); errc::bad_spec for malformed input.
  virtual Result<EndpointInfo> attach(const EndpointSpec& spec) = 0;
  // Deletes the endpoint's veths and its namespace. An unknown endpoint is not an error. Processes
  // still inside (containers) keep an empty namespace alive until they exit.
  virtual Result<void> detach(const std::string& endpoint_id) = 0;

  // Crash recovery: deletes every namespace of this instance whose VPC or endpoint is not
  // expected. Call after ensure_vpc() of the expected VPCs.
  virtual Result<void> recover(const ExpectedState& expected) = 0;

  // "/run/netns/<prefix>-v-<vpc_id>": open sockets here with listen_in_netns()/connect_in_netns()
  // (netns.h) to serve 169.254.170.2 or to reach tasks as the VPC router would.
  virtual std::string vpc_netns_path(const std::string& vpc_id) const = 0;
  // "/run/netns/<prefix>-e-<endpoint_id>": the task's namespace for runc, or the ALB node's for
  // its proxy sockets (socket_in_netns/connect_in_netns) so that security groups apply to them.
  virtual std::string endpoint_netns_path(const std::string& endpoint_id) const = 0;
};

}  // namespace netplane
