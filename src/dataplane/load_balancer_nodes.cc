#include "dataplane/load_balancer_nodes.h"

#include <algorithm>
#include <cerrno>

#include "core/log.h"
#include "core/period.h"
#include "netplane/netns.h"

namespace dataplane {

using reconcile::ReconcileResult;

namespace {

constexpr const char* kNodesKey = "nodes";
constexpr const char* kHealthKey = "health";
constexpr const char* kMetricsKey = "metrics";
// ELB publishes its metrics in 60-second intervals (of AWS time).
constexpr auto kMetricsPeriod = std::chrono::seconds(60);

core::Duration metrics_period(const core::Clock& clock) {
  return std::max<core::Duration>(clock.scaled(kMetricsPeriod), std::chrono::milliseconds(100));
}
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

// What the listeners of one load balancer's node see: that load balancer only.
std::shared_ptr<const AlbSnapshot> node_view(const AlbSnapshot& snap, const std::string& arn) {
  return filtered(snap, [&](const SnapshotLoadBalancer& l) { return l.arn == arn; });
}

// What the host's listeners see: the internet-facing load balancers.
std::shared_ptr<const AlbSnapshot> public_view(const AlbSnapshot& snap) {
  return filtered(snap, [](const SnapshotLoadBalancer& l) { return l.scheme != "internal"; });
}

}  // namespace

LoadBalancerNodes::LoadBalancerNodes(AlbSnapshotSource& snapshots, TargetHealthReporter& health,
                                     NodeNetwork network, const core::Clock& clock,
                                     LoadBalancerNodesOptions options)
    : snapshots_(snapshots),
      health_reporter_(health),
      network_(std::move(network)),
      clock_(clock),
      options_(std::move(options)),
      prober_(std::make_unique<HttpProber>(
          [this](const std::string& lb, const std::string& ip, uint16_t port,
                 std::chrono::milliseconds timeout) { return connect(lb, ip, port, timeout); })),
      checker_(clock, prober_->probe(), health),
      controller_(make_controller()) {
  subscription_ =
      snapshots_.subscribe([this](std::shared_ptr<const AlbSnapshot>) { on_snapshot(); });
  schedule_metrics();
}

// On the publishing thread, before the change it publishes is acknowledged: the running
// listeners take the new snapshot at once, so that no new request goes to a target the API
// already shows draining. Making and removing nodes and listeners (namespaces: slow) is left to
// the reconciler. try_lock: a converge under way installs the latest snapshot itself and runs
// again for this one; waiting for it could deadlock (teardown() holds the lock while it stops
// proxies whose threads may be publishing a drained target).
void LoadBalancerNodes::on_snapshot() {
  {
    std::unique_lock lock(converge_mu_, std::try_to_lock);
    if (lock.owns_lock()) {
      std::shared_ptr<const AlbSnapshot> snap = snapshots_.current();
      for (auto& [arn, node] : nodes_) {
        auto view = node_view(*snap, arn);
        for (auto& [port, proxy] : node.listeners) proxy->update(view);
      }
      auto view = public_view(*snap);
      for (auto& [port, proxy] : host_) proxy->update(view);
    }
  }
  enqueue_all();
}

LoadBalancerNodes::~LoadBalancerNodes() {
  snapshots_.unsubscribe(subscription_);
  stop();
  prober_.reset();
}

std::string LoadBalancerNodes::endpoint_id(const std::string& load_balancer_arn) {
  size_t slash = load_balancer_arn.rfind('/');
  return "alb-" +
         (slash == std::string::npos ? load_balancer_arn : load_balancer_arn.substr(slash + 1));
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

void LoadBalancerNodes::schedule_metrics() {
  if (options_.publish_metrics) {
    controller_->enqueue_after(kMetricsKey, metrics_period(clock_));
  }
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
    schedule_metrics();
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
  metrics_.clear();
  std::lock_guard paths(paths_mu_);
  netns_by_lb_.clear();
  host_ports_.clear();
}

ReconcileResult LoadBalancerNodes::reconcile(const std::string& key) {
  if (key == kHealthKey) {
    checker_.update(probe_view(snapshots_.current()));
    checker_.check_due();
    core::Duration wait = kHealthPoll;
    if (auto next = checker_.next_due()) {
      wait = std::clamp<core::Duration>(*next - clock_.now(), core::Duration::zero(), wait);
    }
    return ReconcileResult::requeue_after(wait);
  }
  if (key == kMetricsKey) return ReconcileResult::requeue_after(flush_metrics());
  converge();
  return ReconcileResult::done();
}

// Just after each period's boundary (periods aligned to the epoch, as CloudWatch's are), with the
// data stamped in the period that just ended, so that an alarm evaluated right after the boundary
// (an ALBRequestCountPerTarget policy's) sees them at once.
core::Duration LoadBalancerNodes::flush_metrics() {
  using std::chrono::milliseconds;
  const int64_t period = std::chrono::duration_cast<milliseconds>(metrics_period(clock_)).count();
  const int64_t boundary = core::period_start_ms(core::to_epoch_millis(clock_.now()), period);
  auto counts = metrics_.take();
  std::vector<AlbMetricDatum> data =
      alb_metric_data(*snapshots_.current(), counts, core::from_epoch_millis(boundary - 1));
  if (!data.empty()) options_.publish_metrics(std::move(data));
  constexpr int64_t kAfterBoundary = 5;
  return core::until_after_next_boundary(core::to_epoch_millis(clock_.now()), period,
                                         kAfterBoundary);
}

// Each target group probed only from load balancers whose node is up: until then (after a
// restart, for a new load balancer) a probe cannot leave a namespace that does not exist yet,
// which is no fault of the target's, so its targets get no verdict. (Under ASan a restarted
// server took long enough to make its nodes that every target failed its checks and ECS stopped
// the tasks.)
std::shared_ptr<const AlbSnapshot> LoadBalancerNodes::probe_view(
    std::shared_ptr<const AlbSnapshot> snap) const {
  if (!network_.plane) return snap;
  std::set<std::string> up;
  {
    std::lock_guard paths(paths_mu_);
    for (const auto& [arn, path] : netns_by_lb_) up.insert(arn);
  }
  auto out = std::make_shared<AlbSnapshot>(*snap);
  for (auto& [arn, group] : out->target_groups) {
    std::erase_if(group.load_balancer_arns, [&](const std::string& lb) { return !up.count(lb); });
  }
  return out;
}

// Read → plan (node_plan.h) → apply: nodes first, so that their listeners find their namespaces.
void LoadBalancerNodes::converge() {
  std::lock_guard lock(converge_mu_);
  std::shared_ptr<const AlbSnapshot> snap = snapshots_.current();
  bool complete = true;
  if (network_.plane) {
    std::map<std::string, std::string> existing;
    for (const auto& [arn, node] : nodes_) existing[arn] = node.signature;
    NodesPlan plan = plan_nodes(*snap, existing);
    for (const NodeToMake& make : plan.make) {
      if (nodes_.count(make.lb->arn)) remove_node(make.lb->arn);  // SetSubnets: remake it
      complete = make_node(make) && complete;
    }
    for (const std::string& arn : plan.remove) remove_node(arn);
  }
  {
    std::lock_guard paths(paths_mu_);
    netns_by_lb_.clear();
    for (const auto& [arn, node] : nodes_) netns_by_lb_[arn] = node.netns_path;
  }
  complete = converge_node_listeners(*snap) && complete;
  complete = converge_host_listeners(*snap) && complete;
  {
    std::lock_guard paths(paths_mu_);
    host_ports_.clear();
    for (const auto& [port, proxy] : host_) host_ports_.insert(proxy->bound_port());
  }
  if (!complete) {
    std::lock_guard l(lifecycle_mu_);
    if (controller_) controller_->enqueue_after(kNodesKey, kRetry);
  }
}

bool LoadBalancerNodes::make_node(const NodeToMake& make) {
  const SnapshotLoadBalancer& lb = *make.lb;
  auto interfaces = network_.interfaces(lb.account, lb.region, lb.vpc_id, make.enis);
  if (!interfaces) return false;
  if (auto r = network_.ensure_vpc(lb.account, lb.region, lb.vpc_id); !r) {
    core::log::warn("load balancer VPC not ready",
                    {{"load_balancer", lb.arn}, {"error", r.error().message}});
    return false;
  }
  netplane::EndpointSpec spec{endpoint_id(lb.arn), lb.vpc_id, *interfaces};
  auto attached = network_.plane->attach(spec);
  if (!attached) {
    core::log::warn("load balancer node not made",
                    {{"load_balancer", lb.arn}, {"error", attached.error().message}});
    return false;
  }
  nodes_[lb.arn] = Node{spec.endpoint_id, attached->netns_path, make.signature, {}};
  core::log::info("load balancer node up",
                  {{"load_balancer", lb.arn}, {"netns", attached->netns_path}});
  return true;
}

void LoadBalancerNodes::remove_node(const std::string& lb_arn) {
  auto it = nodes_.find(lb_arn);
  if (it == nodes_.end()) return;
  for (auto& [port, proxy] : it->second.listeners) proxy->stop();
  (void)network_.plane->detach(it->second.endpoint_id);
  nodes_.erase(it);
}

std::vector<uint16_t> LoadBalancerNodes::keep_listeners(
    std::map<uint16_t, std::unique_ptr<AlbProxy>>& proxies, const std::set<uint16_t>& ports,
    const std::shared_ptr<const AlbSnapshot>& view) {
  std::vector<uint16_t> closed;
  for (auto p = proxies.begin(); p != proxies.end();) {
    if (ports.count(p->first)) {
      p->second->update(view);
      ++p;
    } else {
      p->second->stop();
      closed.push_back(p->first);
      p = proxies.erase(p);
    }
  }
  return closed;
}

std::unique_ptr<AlbProxy> LoadBalancerNodes::make_proxy(AlbProxy::Options options,
                                                        std::shared_ptr<const AlbSnapshot> view) {
  options.on_drained = [this](const TargetKey& k) { on_drained(k); };
  // The server's clock: slow start and sticky cookies follow its time scale, as health checks
  // and deregistration delays do.
  options.clock = &clock_;
  if (options_.publish_metrics) options.metrics = &metrics_;
  AlbProxy::Connector connector = [this](const std::string& lb, const std::string& ip,
                                         uint16_t port, std::chrono::milliseconds timeout) {
    return connect(lb, ip, port, timeout);
  };
  return std::make_unique<AlbProxy>(std::move(options), std::move(connector), std::move(view));
}

bool LoadBalancerNodes::converge_node_listeners(const AlbSnapshot& snap) {
  bool complete = true;
  for (const auto& lb : snap.load_balancers) {
    auto it = nodes_.find(lb.arn);
    if (it == nodes_.end()) continue;
    Node& node = it->second;
    auto view = node_view(snap, lb.arn);
    std::set<uint16_t> ports = served_ports(lb);
    keep_listeners(node.listeners, ports, view);
    for (uint16_t port : ports) {
      if (node.listeners.count(port)) continue;
      auto fd = netplane::listen_in_netns(node.netns_path, "0.0.0.0", port, 1024, true);
      if (!fd) {
        core::log::warn("load balancer listener not opened in its VPC",
                        {{"load_balancer", lb.arn},
                         {"port", std::to_string(port)},
                         {"error", fd.error().message}});
        complete = false;
        continue;
      }
      AlbProxy::Options o;
      o.listen_fd = fd->release();
      o.listener_port = port;
      o.threads = 1;
      auto proxy = make_proxy(std::move(o), view);
      if (auto ec = proxy->start()) {
        complete = false;
        continue;
      }
      node.listeners[port] = std::move(proxy);
    }
  }
  return complete;
}

bool LoadBalancerNodes::converge_host_listeners(const AlbSnapshot& snap) {
  bool complete = true;
  auto view = public_view(snap);
  std::set<uint16_t> ports = host_listener_ports(snap);
  for (uint16_t port : keep_listeners(host_, ports, view)) {
    core::log::info("load balancer port closed", {{"port", std::to_string(port)}});
  }
  for (uint16_t port : ports) {
    if (host_.count(port)) continue;
    int bind_port = static_cast<int>(port) + options_.port_offset;
    if (bind_port <= 0 || bind_port > 65535) {
      core::log::warn(
          "load balancer port out of range with the offset",
          {{"port", std::to_string(port)}, {"offset", std::to_string(options_.port_offset)}});
      continue;
    }
    AlbProxy::Options o;
    o.address = options_.address;
    o.port = static_cast<uint16_t>(bind_port);
    o.listener_port = port;
    o.threads = options_.proxy_threads;
    auto proxy = make_proxy(std::move(o), view);
    std::string address = options_.address + ":" + std::to_string(bind_port);
    if (auto ec = proxy->start()) {
      core::log::warn("load balancer port not bound",
                      {{"address", address}, {"error", ec.message()}});
      complete = false;
      continue;
    }
    core::log::info("load balancer port open",
                    {{"listener_port", std::to_string(port)}, {"address", address}});
    host_[port] = std::move(proxy);
  }
  return complete;
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

void LoadBalancerNodes::on_drained(const TargetKey& key) { health_reporter_.report_drained(key); }

}  // namespace dataplane
