#pragma once
// Names of everything one Gantry server makes in the kernel. Several servers run on one machine
// (the e2e tests start many), so every namespace name starts with a per-server instance prefix,
// "gx" + 6 hex digits of a hash of the server's data directory:
//
//   /run/netns/gx1a2b3c-v-<vpc_id>        a VPC
//   /run/netns/gx1a2b3c-e-<endpoint_id>   an endpoint (a task, an ALB node)
//
// Interfaces live only inside those namespaces, never in the host's, so their names need no
// instance prefix; they are derived from the AWS ids and fit IFNAMSIZ (15 characters):
//
//   br-<12 hex>  the bridge of a subnet (in the VPC namespace), hash of the subnet id
//   ve-<12 hex>  the VPC end of an ENI's veth pair, hash of the ENI id
//   eth0, eth1   the endpoint end, in the order of the endpoint's interfaces

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace netplane {

class InstanceNames {
 public:
  // prefix: "gx" + 6 lowercase hex; see for_data_dir().
  explicit InstanceNames(std::string prefix) : prefix_(std::move(prefix)) {}
  // The prefix of the server whose data directory is `data_dir` (made absolute, not resolved).
  static InstanceNames for_data_dir(const std::string& data_dir);

  const std::string& prefix() const { return prefix_; }
  std::string vpc_netns(const std::string& vpc_id) const { return prefix_ + "-v-" + vpc_id; }
  std::string endpoint_netns(const std::string& endpoint_id) const {
    return prefix_ + "-e-" + endpoint_id;
  }
  std::string vpc_netns_prefix() const { return prefix_ + "-v-"; }
  std::string endpoint_netns_prefix() const { return prefix_ + "-e-"; }

  static std::string bridge(const std::string& subnet_id) { return "br-" + hash12(subnet_id); }
  static std::string veth(const std::string& eni_id) { return "ve-" + hash12(eni_id); }
  static std::string endpoint_interface(size_t index) { return "eth" + std::to_string(index); }
  // The MAC of a subnet's bridge (the gateway's): locally administered, from a hash of the id.
  static std::array<uint8_t, 6> bridge_mac(const std::string& subnet_id);

  // True for ids usable in a namespace file name: [A-Za-z0-9._-], 1..200 characters, not "."/"..".
  static bool valid_id(std::string_view id);

  // 64-bit FNV-1a: stable across builds and machines (unlike std::hash).
  static uint64_t fnv1a(std::string_view text);

 private:
  static std::string hash12(std::string_view text);
  std::string prefix_;
};

}  // namespace netplane
