#include "runtime/health_tracker.h"

namespace runtime {

const char* health_status_name(HealthStatus s) {
  switch (s) {
    case HealthStatus::Healthy:
      return "HEALTHY";
    case HealthStatus::Unhealthy:
      return "UNHEALTHY";
    case HealthStatus::Unknown:
      break;
  }
  return "UNKNOWN";
}

HealthTracker::HealthTracker(HealthCheckSpec spec, core::TimePoint started_at)
    : spec_(std::move(spec)), started_at_(started_at), next_check_(started_at + spec_.interval) {}

bool HealthTracker::record(bool passed, core::TimePoint now) {
  HealthStatus before = status_;
  next_check_ = now + spec_.interval;
  if (passed) {
    failures_ = 0;
    status_ = HealthStatus::Healthy;
  } else if (now >= started_at_ + spec_.start_period) {
    if (++failures_ >= spec_.retries) {
      status_ = HealthStatus::Unhealthy;
    }
  }
  return status_ != before;
}

}  // namespace runtime
