// Runs one dataplane::AlbProxy, the class the server runs per listener port, for
// bench/alb_bench.py: a snapshot with one load balancer, one HTTP listener and a default forward
// to a target group holding one healthy target on 127.0.0.1, reached through a loopback
// Connector.
//
// Usage: alb_proxy_harness --backend-port P [--port 0] [--threads 2] [--metrics 0|1]
// Prints "listening <port>" once it accepts, then runs until SIGINT or SIGTERM. --metrics 1 counts
// every request for CloudWatch as the server does (dataplane/alb_metrics.h) and prints the count
// taken at the end to stderr.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "dataplane/alb_metrics.h"
#include "dataplane/alb_proxy.h"

namespace {


int connect_loopback(const std::string&, const std::string& ip, uint16_t port,
                     std::chrono::milliseconds) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  if (::inet_pton(AF_INET, ip.c_str(), &sa.sin_addr) != 1 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::shared_ptr<dataplane::AlbSnapshot> bench_snapshot(uint16_t backend_port) {
  auto s = std::make_shared<dataplane::AlbSnapshot>();
  dataplane::SnapshotTargetGroup g;
  g.arn = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/bench/0123456789abcdef";
  g.name = "bench";
  g.protocol = "HTTP";
  g.port = backend_port;
  g.target_type = "ip";
  dataplane::SnapshotTarget t;
  t.id = "127.0.0.1";
  t.port = backend_port;
  t.state = dataplane::TargetState::Healthy;
  g.targets = {t};
  dataplane::SnapshotLoadBalancer lb;
  lb.arn =
      "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/bench/0123456789abcdef";
  lb.name = "bench";
  lb.dns_name = "bench-123456789.us-east-1.elb.localhost";
  lb.state = "active";
  g.load_balancer_arns = {lb.arn};
  dataplane::SnapshotListener l;
  l.port = 80;
  l.protocol = "HTTP";
  l.load_balancer_arn = lb.arn;
  dataplane::SnapshotRule def;
  def.is_default = true;
  dataplane::RuleAction forward;
  forward.type = dataplane::ActionType::Forward;
  forward.forward.target_groups = {{g.arn, 1}};
  def.actions = {forward};
  l.rules = {def};
  lb.listeners = {l};
  s->load_balancers = {lb};
  s->target_groups[g.arn] = g;
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  int backend_port = 0, port = 0, threads = 2, metrics = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    int value = std::atoi(argv[i + 1]);
    if (flag == "--backend-port")
      backend_port = value;
    else if (flag == "--port")
      port = value;
    else if (flag == "--threads")
      threads = value;
    else if (flag == "--metrics")
      metrics = value;
  }
  if (backend_port <= 0) {
    std::fprintf(stderr, "usage: %s --backend-port P [--port 0] [--threads 2]\n", argv[0]);
    return 2;
  }
  // Block the stop signals before any thread starts, so that only sigwait() sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  dataplane::AlbProxy::Options opts;
  opts.address = "127.0.0.1";
  opts.port = static_cast<uint16_t>(port);
  opts.listener_port = 80;
  opts.threads = threads;
  dataplane::AlbMetrics counted;
  if (metrics != 0) opts.metrics = &counted;
  dataplane::AlbProxy proxy(opts, connect_loopback,
                            bench_snapshot(static_cast<uint16_t>(backend_port)));
  if (auto ec = proxy.start()) {
    std::fprintf(stderr, "start: %s\n", ec.message().c_str());
    return 1;
  }
  std::printf("listening %u\n", static_cast<unsigned>(proxy.bound_port()));
  std::fflush(stdout);
  int sig = 0;
  sigwait(&stop_signals, &sig);
  proxy.stop();
  if (metrics != 0) {
    uint64_t requests = 0;
    for (const auto& [key, counts] : counted.take()) requests += counts.requests;
    std::fprintf(stderr, "metrics: %llu requests counted\n",
                 static_cast<unsigned long long>(requests));
  }
  return 0;
}
