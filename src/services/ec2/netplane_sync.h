#pragma once
// The adapter between EC2's NetworkDirectory (network_directory.h) and the network plane, which
// knows no AWS: it turns a VpcTopology into a VpcSpec, and keeps the namespaces of the VPCs in use in
// step with EC2 (new subnets, groups, rules, ENIs) through a reconcile::Controller woken by
// NetworkDirectory::subscribe().
//
// Only VPCs that something needs (a task, an ALB node) get a namespace: ensure_vpc() makes one
// "active". From then on every change EC2 commits to it is applied within milliseconds; a VPC
// that EC2 no longer knows (DeleteVpc) has its namespace removed and stops being active.
//
// Thread-safe.

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

namespace services::ec2 {

// Pure conversions.
netplane::VpcSpec to_vpc_spec(const VpcTopology& topology);
netplane::InterfaceSpec to_interface_spec(const EniAllocation& eni);

class NetplaneSync {
 public:
  // Subscribes to the directory (changes are queued from then on).
  NetplaneSync(NetworkDirectory& directory, netplane::Netplane& plane, const core::Clock& clock);
  ~NetplaneSync();
  NetplaneSync(const NetplaneSync&) = delete;
  NetplaneSync& operator=(const NetplaneSync&) = delete;

  // Starts the worker thread. stop() waits for an in-flight sync.
  void start();
  void stop();

  // Applies the VPC's current topology now, on the calling thread, and keeps it in step from then
  // on. netplane::errc::not_found when EC2 does not know the VPC (InvalidVpcID.NotFound). Call before
  // Netplane::attach() of an endpoint in this VPC (after EC2 allocated the endpoint's ENIs, so
  // the ruleset already lists them).
  netplane::Result<void> ensure_vpc(const std::string& account, const std::string& region,
                          const std::string& vpc_id);

  // Waits for a sync in flight, then forgets every active VPC: until ensure_vpc() is called again
  // no sync creates a namespace (the reset, before the plane removes them all, while the syncs
  // that EC2's reset queued still read the VPCs from the database).
  void forget_all();

  // For tests without start(): runs due syncs on the calling thread.
  size_t run_ready() { return controller_.run_ready(); }

 private:
  struct Key {
    std::string account, region, vpc_id;
  };
  static std::string encode(const std::string& account, const std::string& region,
                            const std::string& vpc_id);
  static Key decode(const std::string& key);
  netplane::Result<void> sync(const std::string& key);
  void on_change(const std::string& account, const std::string& region, const std::string& vpc_id);

  NetworkDirectory& directory_;
  netplane::Netplane& plane_;
  reconcile::Controller controller_;
  std::mutex sync_mu_;  // one read-topology-then-apply at a time, so an older read never wins
  std::mutex active_mu_;
  std::set<std::string> active_;
  // The directory cannot unsubscribe; its listener reaches us through this hook, which the
  // destructor clears.
  struct Hook {
    std::mutex mu;
    NetplaneSync* self = nullptr;
  };
  std::shared_ptr<Hook> hook_;
};

}  // namespace services::ec2
