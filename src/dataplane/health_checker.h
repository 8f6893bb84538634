#pragma once
// Active ALB health checks. check_due() probes every target whose interval has elapsed on the
// injected clock (intervals and timeouts are AWS seconds divided by the clock's time_scale()),
// keeps per-target counters and reports state changes through the TargetHealthReporter:
// initial/unhealthy -> healthy after HealthyThreshold consecutive successes, initial/healthy ->
// unhealthy after UnhealthyThreshold consecutive failures, with AWS's reasons
// Target.ResponseCodeMismatch, Target.Timeout or Target.FailedHealthChecks. Groups with checks
// disabled or not used by a load balancer, and draining/unused targets, are not probed.
//
// The caller drives it (a reconciler or a timer thread calling check_due() after update()). Probes
// are asynchronous: check_due() starts one for every due target at once and waits for all of
// them. The probe is injectable so that tests need no network; HttpProber (http_prober.h) is the
// real one, which runs every probe on one event loop.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "dataplane/alb_config.h"

namespace dataplane {

struct ProbeResult {
  enum class Outcome { Response, Timeout, ConnectFailed };
  Outcome outcome = Outcome::ConnectFailed;
  int status = 0;  // Response only
};

struct ProbeRequest {
  std::string load_balancer_arn;  // the first load balancer that uses the target group
  std::string ip;
  uint16_t port = 0;
  std::string path;
  core::Duration timeout{};  // for the connection and the status line together
};

// Sends "GET <path> HTTP/1.1" to ip:port from the load balancer and reads the status line; calls
// `done` exactly once, on any thread, at the latest when the timeout has passed. The checker
// stops waiting at twice the timeout and counts a probe that has not answered as timed out.
using ProbeDone = std::function<void(ProbeResult)>;
using Probe = std::function<void(ProbeRequest request, ProbeDone done)>;

// "200", "200,202", "200-299": does `status` match?
bool matcher_accepts(const std::string& matcher, int status);

class HealthChecker {
 public:
  HealthChecker(const core::Clock& clock, Probe probe,
                TargetHealthReporter& reporter);

  void update(std::shared_ptr<const AlbSnapshot> snapshot);
  // Probes every target that is due, reports changed verdicts in one call. Returns how many
  // targets were probed.
  int check_due();
  // When the next probe is due (nullopt: nothing to check).
  std::optional<core::TimePoint> next_due() const;

 private:
  struct TargetCounters {
    core::TimePoint next{};
    int successes = 0;
    int failures = 0;
    TargetState state = TargetState::Initial;
    bool known = false;
  };

  struct Job;
  // check_due() in steps: the due targets (their next probe time moved on), every probe at once
  // (waiting for all), then each result counted; a changed verdict comes back as a report.
  std::vector<Job> take_due(core::TimePoint now);
  std::vector<ProbeResult> probe_all(const std::vector<Job>& jobs);
  std::optional<TargetHealthReport> record(const Job& job, const ProbeResult& result);

  const core::Clock& clock_;
  Probe probe_;
  TargetHealthReporter& reporter_;
  mutable std::mutex mu_;
  std::shared_ptr<const AlbSnapshot> snapshot_;
  std::map<TargetKey, TargetCounters> counters_;
};

}  // namespace dataplane
