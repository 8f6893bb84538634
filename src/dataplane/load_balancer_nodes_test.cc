#include "dataplane/load_balancer_nodes.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>

#include "netplane/fake_netplane.h"
#include "testing/manual_clock.h"

namespace dataplane {
namespace {

const std::string kLbArn =
    "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/web/50dc6c495c0c9188";

class FakeSource final : public AlbSnapshotSource {
 public:
  std::shared_ptr<const AlbSnapshot> current() const override {
    std::lock_guard lock(mu_);
    return snap_;
  }
  uint64_t subscribe(Listener l) override {
    std::lock_guard lock(mu_);
    listeners_[++next_] = std::move(l);
    return next_;
  }
  void unsubscribe(uint64_t id) override {
    std::lock_guard lock(mu_);
    listeners_.erase(id);
  }
  void publish(std::shared_ptr<const AlbSnapshot> s) {
    std::map<uint64_t, Listener> ls;
    {
      std::lock_guard lock(mu_);
      snap_ = s;
      ls = listeners_;
    }
    for (auto& [id, l] : ls) l(s);
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const AlbSnapshot> snap_ = std::make_shared<AlbSnapshot>();
  std::map<uint64_t, Listener> listeners_;
  uint64_t next_ = 0;
};

class NullReporter final : public TargetHealthReporter {
 public:
  void report_health(const std::vector<TargetHealthReport>& r) override {
    std::lock_guard lock(mu);
    reports.insert(reports.end(), r.begin(), r.end());
  }
  void report_drained(const TargetKey&) override {}
  std::vector<TargetHealthReport> taken() {
    std::lock_guard lock(mu);
    return reports;
  }

 private:
  std::mutex mu;
  std::vector<TargetHealthReport> reports;
};

// A load balancer with two ENIs and one HTTP listener whose default rule answers with a fixed
// response (no target needed).
SnapshotLoadBalancer load_balancer(const std::string& scheme, uint16_t port) {
  SnapshotLoadBalancer lb;
  lb.arn = kLbArn;
  lb.name = "web";
  lb.account = "000000000000";
  lb.region = "us-east-1";
  lb.dns_name = "web-50dc6c495c0c9188.us-east-1.elb.localhost";
  lb.scheme = scheme;
  lb.vpc_id = "vpc-1";
  lb.addresses = {{"subnet-a", "us-east-1a", "eni-a", "10.0.1.10"},
                  {"subnet-b", "us-east-1b", "eni-b", "10.0.2.10"}};
  SnapshotListener l;
  l.arn = kLbArn + "/listener";
  l.load_balancer_arn = kLbArn;
  l.port = port;
  l.protocol = "HTTP";
  SnapshotRule rule;
  rule.is_default = true;
  RuleAction fixed;
  fixed.type = ActionType::FixedResponse;
  fixed.fixed_response = {200, "text/plain", "from the node"};
  rule.actions.push_back(fixed);
  l.rules.push_back(rule);
  lb.listeners.push_back(l);
  return lb;
}

std::shared_ptr<const AlbSnapshot> snapshot_of(std::vector<SnapshotLoadBalancer> lbs) {
  auto s = std::make_shared<AlbSnapshot>();
  s->version = 1;
  s->load_balancers = std::move(lbs);
  return s;
}

// GET / with the given Host on 127.0.0.1:port; the whole response, or "" if nothing listens.
std::string get(uint16_t port, const std::string& host) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    ::close(fd);
    return "";
  }
  std::string req = "GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
  (void)::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) out.append(buf, static_cast<size_t>(n));
  ::close(fd);
  return out;
}

// A free loopback port, so that the test's listener port plus offset is bindable.
uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
  socklen_t len = sizeof sa;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
  ::close(fd);
  return ntohs(sa.sin_port);
}

class LoadBalancerNodesTest : public ::testing::Test {
 protected:
  LoadBalancerNodesTest() {
    network.plane = &plane;
    network.ensure_vpc = [this](const std::string&, const std::string&, const std::string& vpc) {
      return plane.ensure_vpc(netplane::VpcSpec{vpc, "10.0.0.0/16", {}, {}, {}});
    };
    network.interfaces = [](const std::string&, const std::string&, const std::string&,
                            const std::vector<std::string>& enis)
        -> std::optional<std::vector<netplane::InterfaceSpec>> {
      std::vector<netplane::InterfaceSpec> out;
      int i = 1;
      for (const auto& e : enis) {
        std::string net = "10.0." + std::to_string(i++) + ".";
        out.push_back(
            {e, "subnet-" + e, net + "10", 24, "02:00:00:00:00:0" + std::to_string(i), net + "1"});
      }
      return out;
    };
  }

  fakes::ManualClock clock;
  fakes::FakeNetplane plane;
  FakeSource source;
  NullReporter reporter;
  NodeNetwork network;
};

TEST_F(LoadBalancerNodesTest, MakesANodeWithOneInterfacePerSubnet) {
  LoadBalancerNodes nodes(source, reporter, network, clock, {.port_offset = 0});
  source.publish(snapshot_of({load_balancer("internet-facing", free_port())}));
  nodes.run_ready();

  auto ep = plane.endpoint(LoadBalancerNodes::endpoint_id(kLbArn));
  ASSERT_TRUE(ep.has_value());
  EXPECT_EQ(ep->endpoint_id, "alb-50dc6c495c0c9188");
  EXPECT_EQ(ep->vpc_id, "vpc-1");
  ASSERT_EQ(ep->interfaces.size(), 2u);
  EXPECT_EQ(ep->interfaces[0].eni_id, "eni-a");
  EXPECT_EQ(ep->interfaces[1].eni_id, "eni-b");
}

TEST_F(LoadBalancerNodesTest, ServesAnInternetFacingListenerOnTheHostPortPlusOffset) {
  uint16_t bind = free_port();
  uint16_t listener = 80;
  LoadBalancerNodes nodes(source, reporter, network, clock,
                          {.port_offset = static_cast<int>(bind) - listener});
  source.publish(snapshot_of({load_balancer("internet-facing", listener)}));
  nodes.run_ready();

  ASSERT_EQ(nodes.host_ports(), std::vector<uint16_t>{bind});
  std::string res = get(bind, "web-50dc6c495c0c9188.us-east-1.elb.localhost");
  EXPECT_NE(res.find("HTTP/1.1 200"), std::string::npos) << res;
  EXPECT_NE(res.find("from the node"), std::string::npos) << res;
}

TEST_F(LoadBalancerNodesTest, KeepsInternalLoadBalancersOffTheHost) {
  LoadBalancerNodes nodes(source, reporter, network, clock, {.port_offset = 0});
  source.publish(snapshot_of({load_balancer("internal", free_port())}));
  nodes.run_ready();

  EXPECT_TRUE(nodes.host_ports().empty());
  EXPECT_TRUE(plane.endpoint(LoadBalancerNodes::endpoint_id(kLbArn)).has_value());
}

TEST_F(LoadBalancerNodesTest, RemovesTheNodeAndClosesThePortWhenTheLoadBalancerGoes) {
  uint16_t port = free_port();
  LoadBalancerNodes nodes(source, reporter, network, clock, {.port_offset = 0});
  source.publish(snapshot_of({load_balancer("internet-facing", port)}));
  nodes.run_ready();
  ASSERT_EQ(plane.endpoint_count(), 1u);

  source.publish(snapshot_of({}));
  nodes.run_ready();

  EXPECT_EQ(plane.endpoint_count(), 0u);
  EXPECT_TRUE(nodes.host_ports().empty());
  EXPECT_EQ(get(port, "x"), "");
}

// The running listeners take a new snapshot when it is published, not when the reconciler next
// runs: once the API shows a change (a target draining), no new request may miss it. (The e2e
// test of DeleteService --force sent a request to a draining target under ASan's slower timing.)
TEST_F(LoadBalancerNodesTest, RunningListenersFollowAPublishedSnapshotAtOnce) {
  uint16_t bind = free_port();
  LoadBalancerNodes nodes(source, reporter, network, clock,
                          {.port_offset = static_cast<int>(bind) - 80});
  auto lb = load_balancer("internet-facing", 80);
  source.publish(snapshot_of({lb}));
  nodes.run_ready();
  ASSERT_NE(get(bind, lb.dns_name).find("from the node"), std::string::npos);

  lb.listeners[0].rules[0].actions[0].fixed_response.body = "from the next snapshot";
  source.publish(snapshot_of({lb}));  // and no run_ready(): the reconciler has not run

  std::string res = get(bind, lb.dns_name);
  EXPECT_NE(res.find("from the next snapshot"), std::string::npos) << res;
}

// A target is not judged while its load balancer has no node to probe from: after a restart
// the node takes a while to make (under ASan, long enough for every target to fail its checks and
// ECS to stop the tasks). Here the node cannot be made at all.
TEST_F(LoadBalancerNodesTest, NoHealthVerdictWhileTheNodeIsNotUp) {
  network.interfaces = [](const std::string&, const std::string&, const std::string&,
                          const std::vector<std::string>&)
      -> std::optional<std::vector<netplane::InterfaceSpec>> { return std::nullopt; };
  LoadBalancerNodes nodes(source, reporter, network, clock, {.port_offset = 0});
  auto snap = std::make_shared<AlbSnapshot>();
  snap->version = 1;
  snap->load_balancers = {load_balancer("internet-facing", free_port())};
  SnapshotTargetGroup group;
  group.arn = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/1";
  group.health_check.interval_seconds = 5;
  group.health_check.timeout_seconds = 2;
  group.load_balancer_arns = {kLbArn};
  group.targets = {SnapshotTarget{.id = "10.0.1.20", .port = 8080, .state = TargetState::Healthy}};
  snap->target_groups[group.arn] = group;
  source.publish(snap);

  for (int i = 0; i < 4; ++i) {
    nodes.run_ready();
    clock.advance(std::chrono::seconds(10));
  }

  ASSERT_EQ(plane.endpoint_count(), 0u);
  EXPECT_TRUE(reporter.taken().empty());
}

TEST_F(LoadBalancerNodesTest, RemakesTheNodeWhenItsSubnetsChange) {
  LoadBalancerNodes nodes(source, reporter, network, clock, {.port_offset = 0});
  auto lb = load_balancer("internet-facing", free_port());
  source.publish(snapshot_of({lb}));
  nodes.run_ready();

  lb.addresses.pop_back();
  source.publish(snapshot_of({lb}));
  nodes.run_ready();

  auto ep = plane.endpoint(LoadBalancerNodes::endpoint_id(kLbArn));
  ASSERT_TRUE(ep.has_value());
  EXPECT_EQ(ep->interfaces.size(), 1u);
}

TEST_F(LoadBalancerNodesTest, StopRemovesEveryNode) {
  LoadBalancerNodes nodes(source, reporter, network, clock, {.port_offset = 0});
  source.publish(snapshot_of({load_balancer("internet-facing", free_port())}));
  nodes.run_ready();

  nodes.stop();

  EXPECT_EQ(plane.endpoint_count(), 0u);
  EXPECT_TRUE(nodes.host_ports().empty());
}

TEST_F(LoadBalancerNodesTest, PublishesTheMinutesMetricsEveryMinuteOfTheClock) {
  uint16_t bind = free_port();
  std::vector<AlbMetricDatum> published;
  LoadBalancerNodes nodes(source, reporter, network, clock,
                          {.port_offset = static_cast<int>(bind) - 80,
                           .publish_metrics = [&](std::vector<AlbMetricDatum> data) {
                             published.insert(published.end(), data.begin(), data.end());
                           }});
  auto snap = std::make_shared<AlbSnapshot>(*snapshot_of({load_balancer("internet-facing", 80)}));
  SnapshotTargetGroup group;
  group.arn = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/api/1";
  group.load_balancer_arns = {kLbArn};
  group.health_check.enabled = false;
  snap->target_groups[group.arn] = group;
  source.publish(snap);
  nodes.run_ready();
  ASSERT_NE(get(bind, "web-50dc6c495c0c9188.us-east-1.elb.localhost").find("200"),
            std::string::npos);
  nodes.run_ready();
  EXPECT_TRUE(published.empty());  // not a minute yet

  clock.advance(std::chrono::seconds(60));
  nodes.run_ready();

  std::map<std::string, double> seen;
  for (const auto& d : published) {
    if (d.dimensions.size() == 1 || d.name == "RequestCountPerTarget") seen[d.name] = d.sum;
    // Stamped in the minute that ended at the last boundary.
    EXPECT_EQ(d.timestamp,
              core::from_epoch_millis(core::to_epoch_millis(clock.now()) / 60000 * 60000 - 1));
  }
  EXPECT_EQ(seen, (std::map<std::string, double>{{"HTTPCode_ELB_2XX_Count", 1},
                                                 {"RequestCountPerTarget", 0}}));
}

TEST_F(LoadBalancerNodesTest, KeepsPublishingAfterAReset) {
  std::mutex mu;
  std::condition_variable cv;
  int flushes = 0;
  LoadBalancerNodes nodes(source, reporter, network, clock,
                          {.port_offset = 0, .publish_metrics = [&](std::vector<AlbMetricDatum>) {
                             std::lock_guard lock(mu);
                             ++flushes;
                             cv.notify_all();
                           }});
  auto snap = std::make_shared<AlbSnapshot>();
  SnapshotLoadBalancer lb;
  lb.arn = kLbArn;
  snap->load_balancers = {lb};
  SnapshotTargetGroup group;
  group.arn = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/api/1";
  group.load_balancer_arns = {kLbArn};
  snap->target_groups[group.arn] = group;
  source.publish(snap);
  auto flushed_after_a_minute = [&] {
    std::unique_lock lock(mu);
    int before = flushes;
    clock.advance(std::chrono::seconds(61));
    return cv.wait_for(lock, std::chrono::seconds(5), [&] { return flushes > before; });
  };
  nodes.start();
  EXPECT_TRUE(flushed_after_a_minute());
  nodes.reset();
  EXPECT_TRUE(flushed_after_a_minute());
  nodes.stop();
}

// A worked example of the plan: "same" keeps its node, "moved" changed subnets (remade), "new"
// gets its first node, "bare" lost its ENIs and "gone" left the snapshot (both removed).
TEST(NodePlanTest, MakesRemakesAndRemovesNodesByTheirInterfaces) {
  auto lb_with = [](const std::string& arn, std::vector<std::string> enis) {
    SnapshotLoadBalancer lb;
    lb.arn = arn;
    for (auto& e : enis) lb.addresses.push_back({"subnet-" + e, "us-east-1a", e, ""});
    return lb;
  };
  auto snap =
      snapshot_of({lb_with("same", {"eni-1", "eni-2"}), lb_with("moved", {"eni-3", "eni-5"}),
                   lb_with("new", {"eni-6"}), lb_with("bare", {""})});
  std::map<std::string, std::string> existing{
      {"same", "eni-1,eni-2,"}, {"moved", "eni-3,eni-4,"}, {"bare", "eni-7,"}, {"gone", "eni-8,"}};

  NodesPlan plan = plan_nodes(*snap, existing);

  ASSERT_EQ(plan.make.size(), 2u);
  EXPECT_EQ(plan.make[0].lb->arn, "moved");
  EXPECT_EQ(plan.make[0].enis, (std::vector<std::string>{"eni-3", "eni-5"}));
  EXPECT_EQ(plan.make[0].signature, "eni-3,eni-5,");
  EXPECT_EQ(plan.make[1].lb->arn, "new");
  EXPECT_EQ(plan.make[1].signature, "eni-6,");
  EXPECT_EQ(plan.remove, (std::vector<std::string>{"bare", "gone"}));
}

// The host serves the HTTP listener ports of internet-facing load balancers only; a node serves
// its own load balancer's HTTP ports.
TEST(NodePlanTest, ServesHttpPortsOfInternetFacingLoadBalancersOnTheHost) {
  SnapshotLoadBalancer outside = load_balancer("internet-facing", 80);
  SnapshotListener https = outside.listeners[0];
  https.port = 443;
  https.protocol = "HTTPS";
  outside.listeners.push_back(https);
  SnapshotLoadBalancer inside = load_balancer("internal", 8080);

  EXPECT_EQ(host_listener_ports(*snapshot_of({outside, inside})), (std::set<uint16_t>{80}));
  EXPECT_EQ(served_ports(inside), (std::set<uint16_t>{8080}));
}

}  // namespace
}  // namespace dataplane
