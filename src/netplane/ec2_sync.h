#pragma once
// The adapter between EC2's NetworkDirectory (services/ec2/network_directory.h) and the network
// plane: it turns a VpcTopology into a VpcSpec, and keeps the namespaces of the VPCs in use in
// step with EC2 (new subnets, groups, rules, ENIs) through a reconcile::Controller woken by
// NetworkDirectory::subscribe().
//
// Only VPCs that something needs (a task, an ALB node) get a namespace: ensure_vpc() makes one
// "active". From then on every change EC2 commits to it is applied within milliseconds; a VPC
// that EC2 no longer knows (DeleteVpc) has its namespace removed and stops being active.
//
// Lives in its own library (gantry_netplane_ec2) so that the core of the network plane stays
// free of service types. Thread-safe.

#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "core/clock.h"
#include "netplane/netplane.h"
#include "netplane/result.h"
#include "netplane/spec.h"
#include "reconcile/controller.h"
#include "services/ec2/network_directory.h"

namespace netplane {

// Pure conversions.
VpcSpec to_vpc_spec(const services::ec2::VpcTopology& topology);
InterfaceSpec to_interface_spec(const services::ec2::EniAllocation& eni);

class Ec2Sync {
 public:
  // Subscribes to the directory (changes are queued from then on).
  Ec2Sync(services::ec2::NetworkDirectory& directory, Netplane& plane, const core::Clock& clock);
  ~Ec2Sync();
  Ec2Sync(const Ec2Sync&) = delete;
  Ec2Sync& operator=(const Ec2Sync&) = delete;

  // Starts the worker thread. stop() waits for an in-flight sync.
  void start();
  void stop();

  // Applies the VPC's current topology now, on the calling thread, and keeps it in step from then
  // on. errc::not_found when EC2 does not know the VPC (InvalidVpcID.NotFound). Call before
  // Netplane::attach() of an endpoint in this VPC (after EC2 allocated the endpoint's ENIs, so
  // the ruleset already lists them).
  Result<void> ensure_vpc(const std::string& account, const std::string& region,
                          const std::string& vpc_id);

  // For tests without start(): runs due syncs on the calling thread.
  size_t run_ready() { return controller_.run_ready(); }

 private:
  struct Key {
    std::string account, region, vpc_id;
  };
  static std::string encode(const std::string& account, const std::string& region,
                            const std::string& vpc_id);
  static Key decode(const std::string& key);
  Result<void> sync(const std::string& key);
  void on_change(const std::string& account, const std::string& region, const std::string& vpc_id);

  services::ec2::NetworkDirectory& directory_;
  Netplane& plane_;
  reconcile::Controller controller_;
  std::mutex sync_mu_;  // one read-topology-then-apply at a time, so an older read never wins
  std::mutex active_mu_;
  std::set<std::string> active_;
  // The directory cannot unsubscribe; its listener reaches us through this hook, which the
  // destructor clears.
  struct Hook {
    std::mutex mu;
    Ec2Sync* self = nullptr;
  };
  std::shared_ptr<Hook> hook_;
};

}  // namespace netplane
