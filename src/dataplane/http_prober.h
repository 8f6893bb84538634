#pragma once
// The real health-check probe (health_checker.h): every probe is a coroutine on one event loop
// thread owned by the prober, so a round of checks costs no thread per target. The connection is
// made by the data plane's Connector (from the load balancer's namespace) on a small connect
// pool, off the loop (alb_connect.h); the response head is read with Beast's parser.

#include <memory>

#include "dataplane/connector.h"
#include "dataplane/health_checker.h"

namespace dataplane {

class HttpProber {
 public:
  // `connector` must outlive the prober.
  explicit HttpProber(Connector connector);
  // Stops the loop; probes still in flight are abandoned without calling `done` (the checker's
  // caller has stopped waiting by then).
  ~HttpProber();
  HttpProber(const HttpProber&) = delete;
  HttpProber& operator=(const HttpProber&) = delete;

  // The Probe to give a HealthChecker; valid while this prober lives. Thread-safe.
  Probe probe();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dataplane
