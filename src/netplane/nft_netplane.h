#pragma once
// Netplane on the Linux kernel: network namespaces (netns.h), bridges and veth pairs over
// rtnetlink (rtnl.h, libnl-route-3) and security groups as an nftables ruleset applied in process
// with libnftables (nft_ruleset.h). It never spawns `ip` or `nft` and never touches the host's
// own interfaces, routes or ruleset: everything it makes lives in namespaces named with this
// server's instance prefix (instance_names.h).

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "netplane/instance_names.h"
#include "netplane/netplane.h"
#include "netplane/rtnl.h"

namespace netplane {

class NftNetplane final : public Netplane {
 public:
  explicit NftNetplane(InstanceNames names);
  ~NftNetplane() override;

  Result<void> ensure_vpc(const VpcSpec& spec) override;
  Result<void> remove_vpc(const std::string& vpc_id) override;
  Result<EndpointInfo> attach(const EndpointSpec& spec) override;
  Result<void> detach(const std::string& endpoint_id) override;
  Result<void> recover(const ExpectedState& expected) override;
  std::string vpc_netns_path(const std::string& vpc_id) const override;
  std::string endpoint_netns_path(const std::string& endpoint_id) const override;

  // (recover() also deletes, in the expected VPCs ensured by this process, veths whose ENI is no
  // longer in the VPC's spec: the VPC ends of endpoints whose namespace was unmounted while a
  // process still held it.)

  // Deletes everything of this instance (endpoints first, then VPCs): for reset and tests.
  Result<void> remove_all();
  // Deletes everything any instance with `prefix` left behind, without an NftNetplane (e.g. the
  // e2e harness after a server was killed). Namespaces still held by processes die with them.
  static Result<void> cleanup_instance(const std::string& prefix);

  const InstanceNames& names() const { return names_; }

 private:
  static constexpr std::chrono::milliseconds kPortReadyTimeout{1000};

  struct VpcState {
    std::unique_ptr<Rtnl> rtnl;  // socket inside the VPC namespace (holds a reference to it)
    bool initialized = false;    // sysctls, lo, 169.254.170.2 done by this process
    std::string applied_ruleset;
    std::set<std::string> eni_veths;  // veth names of the ENIs in the last applied spec
  };

  Result<VpcState*> vpc_state(const std::string& vpc_id, bool create);
  Result<void> init_vpc_namespace(const std::string& path, VpcState& state);
  Result<void> ensure_bridges(const VpcSpec& spec, VpcState& state);
  Result<EndpointInfo> make_endpoint(const EndpointSpec& spec, VpcState& vpc);
  Result<bool> endpoint_complete(const EndpointSpec& spec);
  Result<void> wait_port_forwarding(Rtnl& vpc, const std::string& veth);
  Result<void> detach_locked(const std::string& endpoint_id);
  Result<void> remove_vpc_locked(const std::string& vpc_id);

  InstanceNames names_;
  std::mutex mu_;
  std::map<std::string, VpcState> vpcs_;
};

}  // namespace netplane
