#pragma once
// The ALB's HTTP/1.1 reverse proxy for one listening socket. Every load balancer with a listener on
// the socket's port shares it; a request goes to the load balancer whose DNS name is its Host (or
// to the only one), through the listener's rules (rule_matcher.h) to a fixed response, a redirect
// or a target chosen by TargetSelector. Targets are reached through an injected Connector (the
// server connects from inside the VPC's network namespace; tests connect to loopback) and kept in
// keep-alive pools per target. Bodies are streamed both ways, never buffered whole. A WebSocket
// upgrade the target accepts (101) becomes a byte tunnel until either side closes or the idle
// timeout passes without traffic.
//
// Target-group stickiness (AWSALB/AWSALBCORS lb_cookie, AWSALBAPP-0 app_cookie), forward-action
// group stickiness (AWSALBTG) and slow start follow alb_stickiness.h and alb_slow_start.h.
//
// Failures answer as ALB does, with its HTML bodies and "Server: awselb/2.0": 400 malformed
// request, 413 headers too large, 502 target refused/reset/bad response, 503 no load balancer,
// rule or target, 504 target did not answer in time.
//
// The proxy never reads SQLite: update() swaps the AlbSnapshot that new requests use. Asio and
// Beast stay inside alb_proxy.cc.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <system_error>

#include "core/clock.h"
#include "dataplane/connector.h"
#include "dataplane/alb_config.h"

namespace dataplane {

class AlbMetrics;

class AlbProxy {
 public:
  // See connector.h; the proxy owns the fd it returns, and answers 502 on -1 (504 when it
  // took the whole timeout). Called on the proxy's connect threads, never on a worker.
  using Connector = dataplane::Connector;
  // Called when a draining target finished its last in-flight request.
  using DrainedCallback = std::function<void(const TargetKey&)>;

  struct Options {
    std::string address = "127.0.0.1";
    uint16_t port = 0;           // 0 picks a free port (tests); see bound_port()
    // An already-listening TCP socket to adopt instead of binding address:port (an internal load
    // balancer's socket, made inside its VPC's network namespace). The proxy owns it from
    // construction on: stop() closes it, as do a failed start() and the destructor. -1: bind
    // address:port.
    int listen_fd = -1;
    uint16_t listener_port = 0;  // the listener port in the snapshot; 0 means the bound port
    int threads = 1;             // worker threads, each with its own event loop and pools
    // Threads that run the blocking Connector, so that a connect that hangs (a security group
    // dropping silently) never stalls a worker. More concurrent new connections than this wait.
    int connect_threads = 8;
    size_t max_header_bytes = 64 * 1024;  // larger request headers get 413
    // How long a target may take to answer (and between body reads). Default: the load
    // balancer's idle timeout, as ALB does.
    std::optional<std::chrono::milliseconds> target_timeout;
    // How long an idle client connection (and an idle WebSocket tunnel) is kept. Default: the
    // load balancer's idle timeout.
    std::optional<std::chrono::milliseconds> client_idle_timeout;
    size_t max_idle_per_target = 64;  // pooled keep-alive connections per target and worker
    DrainedCallback on_drained;
    // Stamps sticky-cookie expiries and times slow start (scaled by its time_scale()). nullptr:
    // the system clock. Must outlive the proxy.
    const core::Clock* clock = nullptr;
    // Where requests are counted for CloudWatch (alb_metrics.h); nullptr: not counted. Must
    // outlive the proxy.
    AlbMetrics* metrics = nullptr;
  };

  AlbProxy(Options options, Connector connector,
           std::shared_ptr<const AlbSnapshot> snapshot);
  ~AlbProxy();  // stops
  AlbProxy(const AlbProxy&) = delete;
  AlbProxy& operator=(const AlbProxy&) = delete;

  // Binds and listens (or adopts Options::listen_fd) and starts the worker threads. An error when
  // the address cannot be bound or the adopted fd is not a listening TCP socket.
  std::error_code start();
  // Closes the socket and every connection, joins the workers; waits for Connector calls in
  // flight (each bounded by its timeout). Idempotent.
  void stop();
  // The port actually bound (after start()).
  uint16_t bound_port() const;
  // New requests use `snapshot` from now on; requests in flight finish with the old one.
  void update(std::shared_ptr<const AlbSnapshot> snapshot);
  std::shared_ptr<const AlbSnapshot> snapshot() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dataplane
