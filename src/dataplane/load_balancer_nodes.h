#pragma once
// The ALB data plane inside the server: it turns every published AlbSnapshot into running
// machinery, as the ELB service does with its nodes.
//
//   - Each load balancer with network interfaces gets a node: a netplane endpoint (its own network
//     namespace) carrying its ENIs, one per subnet, so that it reaches targets from its own
//     addresses and the VPC's security groups apply to it.
//   - Each listener port P of internet-facing load balancers is served on <address>:(P + offset)
//     of the host (127.0.0.1:80 by default); load balancers sharing a port are told apart by Host.
//   - Every load balancer, internal or not, is also served inside its own namespace on
//     0.0.0.0:P, i.e. on its ENI addresses: that is how clients inside the VPC reach it.
//   - Targets are connected to from the node's namespace (Connector), and an active health
//     checker probes them from there, reporting verdicts to the control plane.
//   - With publish_metrics set, the proxies count requests (alb_metrics.h) and a third key,
//     "metrics", hands the minute's AWS/ApplicationELB data points to it every 60 s of AWS time.
//
// Level-triggered: one reconcile key "nodes" converges nodes and listeners to the current
// snapshot; a second key "health" runs the due health checks and requeues itself for the next.
// The proxies never read SQLite; they get snapshots filtered to the load balancers they serve.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/clock.h"
#include "dataplane/alb_config.h"
#include "dataplane/alb_metrics.h"
#include "dataplane/alb_proxy.h"
#include "dataplane/health_checker.h"
#include "dataplane/http_prober.h"
#include "dataplane/node_plan.h"
#include "netplane/netplane.h"
#include "netplane/result.h"
#include "netplane/spec.h"
#include "reconcile/controller.h"

namespace dataplane {

struct LoadBalancerNodesOptions {
  std::string address = "127.0.0.1";  // where internet-facing listeners are served on the host
  int port_offset = 0;                // listener port P is served on P + port_offset
  int proxy_threads = 2;              // worker threads of each host listener
  // Receives each minute's CloudWatch data points, on a reconcile worker; empty: requests are
  // not counted.
  std::function<void(std::vector<AlbMetricDatum>)> publish_metrics;
};

// What the nodes need from EC2 and the network plane; narrow so that tests can fake it.
struct NodeNetwork {
  netplane::Netplane* plane = nullptr;
  // Brings the VPC's namespace up to date with EC2 (services::ec2::NetplaneSync::ensure_vpc).
  std::function<netplane::Result<void>(const std::string& account, const std::string& region,
                                       const std::string& vpc_id)>
      ensure_vpc;
  // The interfaces carrying these ENIs, in order (from EC2's view of the VPC); nullopt when one
  // is unknown.
  std::function<std::optional<std::vector<netplane::InterfaceSpec>>(
      const std::string& account, const std::string& region, const std::string& vpc_id,
      const std::vector<std::string>& eni_ids)>
      interfaces;
};

class LoadBalancerNodes {
 public:
  LoadBalancerNodes(AlbSnapshotSource& snapshots,
                    TargetHealthReporter& health, NodeNetwork network,
                    const core::Clock& clock, LoadBalancerNodesOptions options = {});
  ~LoadBalancerNodes();  // stop()
  LoadBalancerNodes(const LoadBalancerNodes&) = delete;
  LoadBalancerNodes& operator=(const LoadBalancerNodes&) = delete;

  // Starts the workers, which converge to the current snapshot and to every later one. (The
  // constructor subscribes: snapshots published before start() are picked up then.)
  void start();
  // For tests, without start(): runs the due reconciles on the calling thread.
  std::size_t run_ready();
  // Stops listening and checking, and removes every node's namespace (the ENIs stay in EC2:
  // the next start makes the nodes again).
  void stop();
  // /_gantry/reset: as stop(), then starts again, empty until the next snapshot.
  void reset();

  // The endpoint id of a load balancer's node: "alb-<the ARN's last 16 hex digits>".
  static std::string endpoint_id(const std::string& load_balancer_arn);
  // Host ports served now (tests and logs).
  std::vector<uint16_t> host_ports() const;

 private:
  struct Node {
    std::string endpoint_id;
    std::string netns_path;
    std::string signature;  // the ENI ids it carries
    std::map<uint16_t, std::unique_ptr<AlbProxy>> listeners;  // in its namespace, by port
  };

  reconcile::ReconcileResult reconcile(const std::string& key);
  // Takes the counters and publishes the interval's data points; when the next flush is due.
  core::Duration flush_metrics();
  // Converges nodes and listeners to the current snapshot; requeues itself when something failed.
  void converge();
  // The steps of converge(). make_node() and the listener steps return false when something
  // could not be made (retried later).
  bool make_node(const NodeToMake& make);
  void remove_node(const std::string& lb_arn);  // stops its listeners and removes its namespace
  bool converge_node_listeners(const AlbSnapshot& snap);  // each node's, in its namespace
  bool converge_host_listeners(const AlbSnapshot& snap);  // internet-facing, shared per port
  // Updates the proxies on `ports` to `view` and stops the others; returns the ports closed.
  static std::vector<uint16_t> keep_listeners(
      std::map<uint16_t, std::unique_ptr<AlbProxy>>& proxies, const std::set<uint16_t>& ports,
      const std::shared_ptr<const AlbSnapshot>& view);
  // A proxy connecting through connect() and reporting drained targets (not started).
  std::unique_ptr<AlbProxy> make_proxy(AlbProxy::Options options,
                                       std::shared_ptr<const AlbSnapshot> view);
  // The connector of every proxy and of the health checker.
  int connect(const std::string& lb_arn, const std::string& ip, uint16_t port,
              std::chrono::milliseconds timeout);
  void on_drained(const TargetKey& key);
  void teardown();
  std::unique_ptr<reconcile::Controller> make_controller();
  void enqueue_all();
  void schedule_metrics();  // the first flush of a new controller (lifecycle_mu_ held)
  // What the health checker gets: `snap` with each group's load balancers narrowed to those
  // whose node is up.
  std::shared_ptr<const AlbSnapshot> probe_view(std::shared_ptr<const AlbSnapshot> snap) const;
  void on_snapshot();  // the subscription: running listeners follow at once, then enqueue_all()

  AlbSnapshotSource& snapshots_;
  TargetHealthReporter& health_reporter_;
  NodeNetwork network_;
  const core::Clock& clock_;
  LoadBalancerNodesOptions options_;
  // Reset first in the destructor: its connect threads call connect(), which reads the maps below.
  std::unique_ptr<HttpProber> prober_;
  HealthChecker checker_;
  AlbMetrics metrics_;  // counted by every proxy; cleared by teardown() once they are stopped

  std::mutex converge_mu_;  // one converge() at a time; guards nodes_ and host_
  std::map<std::string, Node> nodes_;                       // by load balancer ARN
  std::map<uint16_t, std::unique_ptr<AlbProxy>> host_;      // by listener port
  mutable std::mutex paths_mu_;
  std::map<std::string, std::string> netns_by_lb_;  // what connect() reads
  std::set<uint16_t> host_ports_;

  std::mutex lifecycle_mu_;
  std::unique_ptr<reconcile::Controller> controller_;
  bool started_ = false;
  uint64_t subscription_ = 0;
};

}  // namespace dataplane
