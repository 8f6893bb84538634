#pragma once
// The pure half of LoadBalancerNodes::converge() (load_balancer_nodes.cc): from a snapshot and the
// nodes that exist, which nodes to make, remake or remove, and which listener ports each node and
// the host serve. No side effects; load_balancer_nodes.cc applies the plan.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "dataplane/alb_config.h"

namespace dataplane {

// A node to make: a load balancer's network interfaces, one per subnet.
struct NodeToMake {
  const SnapshotLoadBalancer* lb = nullptr;  // points into the planned snapshot
  std::vector<std::string> enis;             // in the load balancer's address order
  std::string signature;                     // "eni-a,eni-b,": a changed one remakes the node
};

struct NodesPlan {
  // New nodes, and nodes whose interfaces changed (SetSubnets: removed, then made again).
  std::vector<NodeToMake> make;
  // Nodes of load balancers that are gone or have no interfaces any more.
  std::vector<std::string> remove;
};

// Plans the nodes for `snapshot` given the nodes that exist (load balancer ARN -> signature). A
// load balancer gets a node when it has at least one ENI.
NodesPlan plan_nodes(const AlbSnapshot& snapshot,
                     const std::map<std::string, std::string>& existing);

// The listener ports a load balancer serves (HTTP; HTTPS is not served).
std::set<uint16_t> served_ports(const SnapshotLoadBalancer& lb);

// The listener ports served on the host: those of every internet-facing load balancer.
std::set<uint16_t> host_listener_ports(const AlbSnapshot& snapshot);

}  // namespace dataplane
