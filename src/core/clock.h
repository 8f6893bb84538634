#pragma once
// Time for everything that schedules or stamps: handlers, reconcilers, the data plane.
// Code never calls system_clock::now() directly; it asks an injected Clock, so that tests advance a
// ManualClock (src/testing/manual_clock.h) and demos can run AWS's timers faster (time scale).

#include <chrono>
#include <cstdint>

namespace core {

using Duration = std::chrono::nanoseconds;
// Wall-clock time (UNIX epoch). Monotonic enough for our purposes; reconcilers tolerate jumps.
using TimePoint = std::chrono::time_point<std::chrono::system_clock, Duration>;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
  // AWS timers (health-check intervals, cooldowns, deregistration delays) are divided by this factor.
  // 1.0 is real time. A duration an AWS doc states should go through scaled() before it is waited for.
  virtual double time_scale() const { return 1.0; }
  Duration scaled(Duration aws_duration) const {
    return std::chrono::duration_cast<Duration>(aws_duration / time_scale());
  }
};

class SystemClock final : public Clock {
 public:
  explicit SystemClock(double time_scale = 1.0) : time_scale_(time_scale) {}
  TimePoint now() const override {
    return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
  }
  double time_scale() const override { return time_scale_; }

 private:
  double time_scale_;
};

inline double to_epoch_seconds(TimePoint t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}
inline int64_t to_epoch_millis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
inline TimePoint from_epoch_millis(int64_t ms) {
  return TimePoint(std::chrono::milliseconds(ms));
}

}  // namespace core
