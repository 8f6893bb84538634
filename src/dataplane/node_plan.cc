#include "dataplane/node_plan.h"

namespace dataplane {

NodesPlan plan_nodes(const AlbSnapshot& snapshot,
                     const std::map<std::string, std::string>& existing) {
  NodesPlan plan;
  std::set<std::string> wanted;
  for (const auto& lb : snapshot.load_balancers) {
    std::vector<std::string> enis;
    for (const auto& a : lb.addresses) {
      if (!a.eni_id.empty()) enis.push_back(a.eni_id);
    }
    if (enis.empty()) continue;
    wanted.insert(lb.arn);
    std::string signature;
    for (const auto& e : enis) signature += e + ",";
    auto it = existing.find(lb.arn);
    if (it != existing.end() && it->second == signature) continue;
    plan.make.push_back({&lb, std::move(enis), std::move(signature)});
  }
  for (const auto& [arn, signature] : existing) {
    if (wanted.count(arn) == 0) plan.remove.push_back(arn);
  }
  return plan;
}

std::set<uint16_t> served_ports(const SnapshotLoadBalancer& lb) {
  std::set<uint16_t> ports;
  for (const auto& l : lb.listeners) {
    if (l.protocol.empty() || l.protocol == "HTTP") ports.insert(l.port);
  }
  return ports;
}

std::set<uint16_t> host_listener_ports(const AlbSnapshot& snapshot) {
  std::set<uint16_t> ports;
  for (const auto& lb : snapshot.load_balancers) {
    if (lb.scheme == "internal") continue;
    ports.merge(served_ports(lb));
  }
  return ports;
}

}  // namespace dataplane
