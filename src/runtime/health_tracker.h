#pragma once
// The health of one container from its check results, as Docker and ECS judge it:
//   - UNKNOWN until the first result that counts;
//   - a passing check makes it HEALTHY and resets the failure count;
//   - a failing (or timed-out) check counts only after startPeriod; `retries` consecutive
//     counted failures make it UNHEALTHY;
//   - checks run `interval` apart, the first one `interval` after the container started.
// Pure: time comes in as arguments. Not thread-safe; the ContainerManager owns one per container.

#include "core/clock.h"
#include "runtime/container_spec.h"

namespace runtime {

enum class HealthStatus { Unknown, Healthy, Unhealthy };

const char* health_status_name(HealthStatus s);  // "UNKNOWN", "HEALTHY", "UNHEALTHY"

class HealthTracker {
 public:
  HealthTracker(HealthCheckSpec spec, core::TimePoint started_at);

  // When the next check should start (meaningless while one is in flight).
  core::TimePoint next_check() const { return next_check_; }
  // Records the result of a check that ended at `now`; returns true when the status changed.
  bool record(bool passed, core::TimePoint now);

  HealthStatus status() const { return status_; }
  const HealthCheckSpec& spec() const { return spec_; }

 private:
  HealthCheckSpec spec_;
  core::TimePoint started_at_;
  core::TimePoint next_check_;
  int failures_ = 0;
  HealthStatus status_ = HealthStatus::Unknown;
};

}  // namespace runtime
