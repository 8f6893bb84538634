#pragma once
// A Clock that moves only when a test advances it.

#include <atomic>

#include "core/clock.h"

namespace fakes {

class ManualClock final : public core::Clock {
 public:
  explicit ManualClock(core::TimePoint start = core::TimePoint(std::chrono::seconds(1700000000)))
      : now_(start.time_since_epoch().count()) {}
  core::TimePoint now() const override { return core::TimePoint(core::Duration(now_.load())); }
  void advance(core::Duration d) { now_ += d.count(); }
  void set(core::TimePoint t) { now_ = t.time_since_epoch().count(); }
  double time_scale() const override { return scale_.load(); }
  void set_time_scale(double scale) { scale_ = scale; }

 private:
  std::atomic<int64_t> now_;
  std::atomic<double> scale_{1.0};
};

}  // namespace fakes
