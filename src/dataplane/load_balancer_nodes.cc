#include "dataplane/load_balancer_nodes.h"

#include <algorithm>
#include <cerrno>

#include "core/log.h"
#include "netplane/netns.h"

namespace dataplane {

using reconcile::ReconcileResult;

namespace {

constexpr const char* kNodesKey = "nodes";
constexpr const char* kHealthKey = "health";
// A listener that could not be bound (port taken) or a node that could not be made is tried
// again after this long.
constexpr auto kRetry = std::chrono::seconds(5);
// Health checks are looked at again at least this often, so a new snapshot's targets are
// probed even if nothing enqueues the key.
constexpr auto kHealthPoll = std::chrono::seconds(1);

// A copy of `snap` with only the load balancers `keep` accepts (target groups all kept).
std::shared_ptr<const AlbSnapshot> filtered(
    const AlbSnapshot& snap, const std::function<bool(const SnapshotLoadBalancer&)>& keep) {
  auto out = std::make_shared<AlbSnapshot>();
  out->version = snap.version;
  out->built_at = snap.built_at;
  out->target_groups = snap.target_groups;
  for (const auto& lb : snap.load_balancers) {
    if (keep(lb)) out->load_balancers.push_back(lb);
  }
  return out;
}

bool served(const SnapshotListener& l) { return l.protocol.empty() || l.protocol == "HTTP"; }

}  // namespace

LoadBalancerNodes::LoadBalancerNodes(AlbSnapshotSource& snapshots,
                                     TargetHealthReporter& health, NodeNetwork network,
                                     const core::Clock& clock, LoadBalancerNodesOptions options)
    : snapshots_(snapshots),
      health_reporter_(health),
      network_(std::move(network)),
      clock_(clock),
      options_(std::move(options)),
      prober_(std::make_unique<HttpProber>([this](const std::string& lb, const std::string& ip,
                                                  uint16_t port, std::chrono::milliseconds timeout) {
        return connect(lb, ip, port, timeout);
      })),
      checker_(clock, prober_->probe(), health),
      controller_(make_controller()) {
  subscription_ = snapshots_.subscribe(
      [this](std::shared_ptr<const AlbSnapshot>) { enqueue_all(); });
}

LoadBalancerNodes::~LoadBalancerNodes() {
  snapshots_.unsubscribe(subscription_);
  stop();
  prober_.reset();
}

std::string LoadBalancerNodes::endpoint_id(const std::string& load_balancer_arn) {
  size_t slash = load_balancer_arn.rfind('/');
  return "alb-" + (slash == std::string::npos ? load_balancer_arn
                                              : load_balancer_arn.substr(slash + 1));
}

std::unique_ptr<reconcile::Controller> LoadBalancerNodes::make_controller() {
  return std::make_unique<reconcile::Controller>(
      "alb-nodes", clock_, [this](const std::string& key) { return reconcile(key); },
      reconcile::ControllerOptions{.workers = 2});
}

void LoadBalancerNodes::enqueue_all() {
  std::lock_guard lock(lifecycle_mu_);
  if (!controller_) return;
  controller_->enqueue(kNodesKey);
  controller_->enqueue(kHealthKey);
}

void LoadBalancerNodes::start() {
  {
    std::lock_guard lock(lifecycle_mu_);
    if (started_) return;
    started_ = true;
    controller_->start();
  }
  enqueue_all();
}

std::size_t LoadBalancerNodes::run_ready() {
  reconcile::Controller* c;
  {
    std::lock_guard lock(lifecycle_mu_);
    c = controller_.get();
  }
  return c ? c->run_ready() : 0;
}

void LoadBalancerNodes::stop() {
  std::unique_ptr<reconcile::Controller> controller;
  {
    std::lock_guard lock(lifecycle_mu_);
    controller = std::move(controller_);
    started_ = false;
  }
  if (controller) controller->stop();
  teardown();
}

void LoadBalancerNodes::reset() {
  stop();
  {
    std::lock_guard lock(lifecycle_mu_);
    controller_ = make_controller();
    started_ = true;
    controller_->start();
  }
}

std::vector<uint16_t> LoadBalancerNodes::host_ports() const {
  std::lock_guard lock(paths_mu_);
  return {host_ports_.begin(), host_ports_.end()};
}

void LoadBalancerNodes::teardown() {
  std::lock_guard lock(converge_mu_);
  for (auto& [port, proxy] : host_) proxy->stop();
  host_.clear();
  for (auto& [arn, node] : nodes_) {
    for (auto& [port, proxy] : node.listeners) proxy->stop();
    if (network_.plane) {
      if (auto r = network_.plane->detach(node.endpoint_id); !r) {
        core::log::warn("load balancer node not removed",
                        {{"endpoint", node.endpoint_id}, {"error", r.error().message}});
      }
    }
  }
  nodes_.clear();
  std::lock_guard paths(paths_mu_);
  netns_by_lb_.clear();
  host_ports_.clear();
}

ReconcileResult LoadBalancerNodes::reconcile(const std::string& key) {
  if (key == kHealthKey) {
    checker_.update(snapshots_.current());
    checker_.check_due();
    core::Duration wait = kHealthPoll;
    if (auto next = checker_.next_due()) {
      wait = std::clamp<core::Duration>(*next - clock_.now(), core::Duration::zero(), wait);
    }
    return ReconcileResult::requeue_after(wait);
  }
  converge();
  return ReconcileResult::done();
}

void LoadBalancerNodes::converge() {
  std::lock_guard lock(converge_mu_);
  std::shared_ptr<const AlbSnapshot> snap = snapshots_.current();
  bool incomplete = false;

  // Nodes: one namespace per load balancer with interfaces.
  std::set<std::string> wanted;
  for (const auto& lb : snap->load_balancers) {
    std::vector<std::string> enis;
    for (const auto& a : lb.addresses) {
      if (!a.eni_id.empty()) enis.push_back(a.eni_id);
    }
    if (enis.empty() || !network_.plane) continue;
    wanted.insert(lb.arn);
    std::string signature;
    for (const auto& e : enis) signature += e + ",";
    auto it = nodes_.find(lb.arn);
    if (it != nodes_.end() && it->second.signature == signature) continue;
    if (it != nodes_.end()) {  // SetSubnets: remake the node with its new interfaces
      for (auto& [port, proxy] : it->second.listeners) proxy->stop();
      (void)network_.plane->detach(it->second.endpoint_id);
      nodes_.erase(it);
    }
    auto interfaces = network_.interfaces(lb.account, lb.region, lb.vpc_id, enis);
    if (!interfaces) {
      incomplete = true;
      continue;
    }
    if (auto r = network_.ensure_vpc(lb.account, lb.region, lb.vpc_id); !r) {
      core::log::warn("load balancer VPC not ready",
                      {{"load_balancer", lb.arn}, {"error", r.error().message}});
      incomplete = true;
      continue;
    }
    netplane::EndpointSpec spec{endpoint_id(lb.arn), lb.vpc_id, *interfaces};
    auto attached = network_.plane->attach(spec);
    if (!attached) {
      core::log::warn("load balancer node not made",
                      {{"load_balancer", lb.arn}, {"error", attached.error().message}});
      incomplete = true;
      continue;
    }
    nodes_[lb.arn] = Node{spec.endpoint_id, attached->netns_path, signature, {}};
    core::log::info("load balancer node up",
                    {{"load_balancer", lb.arn}, {"netns", attached->netns_path}});
  }
  for (auto it = nodes_.begin(); it != nodes_.end();) {
    if (wanted.count(it->first)) {
      ++it;
      continue;
    }
    for (auto& [port, proxy] : it->second.listeners) proxy->stop();
    (void)network_.plane->detach(it->second.endpoint_id);
    it = nodes_.erase(it);
  }
  {
    std::lock_guard paths(paths_mu_);
    netns_by_lb_.clear();
    for (const auto& [arn, node] : nodes_) netns_by_lb_[arn] = node.netns_path;
  }

  AlbProxy::DrainedCallback drained = [this](const TargetKey& k) { on_drained(k); };
  AlbProxy::Connector connector = [this](const std::string& lb, const std::string& ip,
                                         uint16_t port, std::chrono::milliseconds timeout) {
    return connect(lb, ip, port, timeout);
  };

  // Listeners inside each node's namespace, on its own addresses.
  for (const auto& lb : snap->load_balancers) {
    auto it = nodes_.find(lb.arn);
    if (it == nodes_.end()) continue;
    Node& node = it->second;
    auto view = filtered(*snap, [&](const SnapshotLoadBalancer& l) { return l.arn == lb.arn; });
    std::set<uint16_t> ports;
    for (const auto& l : lb.listeners) {
      if (served(l)) ports.insert(l.port);
    }
    for (auto p = node.listeners.begin(); p != node.listeners.end();) {
      if (ports.count(p->first)) {
        p->second->update(view);
        ++p;
      } else {
        p->second->stop();
        p = node.listeners.erase(p);
      }
    }
    for (uint16_t port : ports) {
      if (node.listeners.count(port)) continue;
      auto fd = netplane::listen_in_netns(node.netns_path, "0.0.0.0", port, 1024, true);
      if (!fd) {
        core::log::warn("load balancer listener not opened in its VPC",
                        {{"load_balancer", lb.arn}, {"port", std::to_string(port)},
                         {"error", fd.error().message}});
        incomplete = true;
        continue;
      }
      AlbProxy::Options o;
      o.listen_fd = fd->release();
      o.listener_port = port;
      o.threads = 1;
      o.on_drained = drained;
      auto proxy = std::make_unique<AlbProxy>(o, connector, view);
      if (auto ec = proxy->start()) {
        incomplete = true;
        continue;
      }
      node.listeners[port] = std::move(proxy);
    }
  }

  // Host listeners: internet-facing load balancers, shared per port.
  auto public_view = filtered(*snap, [](const SnapshotLoadBalancer& l) {
    return l.scheme != "internal";
  });
  std::set<uint16_t> ports;
  for (const auto& lb : public_view->load_balancers) {
    for (const auto& l : lb.listeners) {
      if (served(l)) ports.insert(l.port);
    }
  }
  for (auto p = host_.begin(); p != host_.end();) {
    if (ports.count(p->first)) {
      p->second->update(public_view);
      ++p;
    } else {
      p->second->stop();
      core::log::info("load balancer port closed", {{"port", std::to_string(p->first)}});
      p = host_.erase(p);
    }
  }
  for (uint16_t port : ports) {
    if (host_.count(port)) continue;
    int bind_port = static_cast<int>(port) + options_.port_offset;
    if (bind_port <= 0 || bind_port > 65535) {
      core::log::warn("load balancer port out of range with the offset",
                      {{"port", std::to_string(port)}, {"offset", std::to_string(options_.port_offset)}});
      continue;
    }
    AlbProxy::Options o;
    o.address = options_.address;
    o.port = static_cast<uint16_t>(bind_port);
    o.listener_port = port;
    o.threads = options_.proxy_threads;
    o.on_drained = drained;
    auto proxy = std::make_unique<AlbProxy>(o, connector, public_view);
    if (auto ec = proxy->start()) {
      core::log::warn("load balancer port not bound",
                      {{"address", options_.address + ":" + std::to_string(bind_port)},
                       {"error", ec.message()}});
      incomplete = true;
      continue;
    }
    core::log::info("load balancer port open",
                    {{"listener_port", std::to_string(port)},
                     {"address", options_.address + ":" + std::to_string(bind_port)}});
    host_[port] = std::move(proxy);
  }
  {
    std::lock_guard paths(paths_mu_);
    host_ports_.clear();
    for (const auto& [port, proxy] : host_) host_ports_.insert(proxy->bound_port());
  }
  if (incomplete) {
    std::lock_guard l(lifecycle_mu_);
    if (controller_) controller_->enqueue_after(kNodesKey, kRetry);
  }
}

int LoadBalancerNodes::connect(const std::string& lb_arn, const std::string& ip, uint16_t port,
                               std::chrono::milliseconds timeout) {
  std::string path;
  {
    std::lock_guard lock(paths_mu_);
    auto it = netns_by_lb_.find(lb_arn);
    if (it == netns_by_lb_.end()) {
      errno = ENETUNREACH;
      return -1;
    }
    path = it->second;
  }
  auto fd = netplane::connect_in_netns(path, ip, port, timeout);
  if (!fd) {
    errno = fd.error().code == netplane::errc::timed_out ? ETIMEDOUT : ECONNREFUSED;
    return -1;
  }
  return fd->release();
}

void LoadBalancerNodes::on_drained(const TargetKey& key) {
  health_reporter_.report_drained(key);
}

}  // namespace dataplane
