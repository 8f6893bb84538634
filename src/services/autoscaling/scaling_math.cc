#include "services/autoscaling/scaling_math.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string_view>

namespace services::autoscaling {

int64_t target_tracking_capacity(int64_t current, double metric, double target, bool scale_out) {
  if (target <= 0) return current;
  // A small tolerance keeps 2 * 70 / 70 at 2 despite rounding in the metric's average.
  double exact = static_cast<double>(current) * metric / target;
  auto proportional = static_cast<int64_t>(std::ceil(exact - 1e-9));
  if (scale_out) {
    return std::max({proportional, current, int64_t{1}});
  }
  int64_t step = std::max<int64_t>(1, current / 10);
  return std::min(current, std::max(proportional, current - step));
}

std::optional<StepAdjustment> matching_step(const std::vector<StepAdjustment>& steps, double metric,
                                            double threshold) {
  double d = metric - threshold;
  for (const StepAdjustment& s : steps) {
    bool above = s.lower ? *s.lower >= 0 : (s.upper && *s.upper > 0);
    bool lower_ok = !s.lower || (above ? d >= *s.lower : d > *s.lower);
    bool upper_ok = !s.upper || (above ? d < *s.upper : d <= *s.upper);
    if (lower_ok && upper_ok) return s;
  }
  return std::nullopt;
}

int64_t step_capacity(int64_t current, AdjustmentType type, int64_t adjustment,
                      std::optional<int64_t> min_magnitude) {
  switch (type) {
    case AdjustmentType::ExactCapacity:
      return adjustment;
    case AdjustmentType::ChangeInCapacity:
      return current + adjustment;
    case AdjustmentType::PercentChangeInCapacity: {
      double change = static_cast<double>(current) * static_cast<double>(adjustment) / 100.0;
      auto whole = static_cast<int64_t>(std::trunc(change));
      if (whole == 0 && change != 0) whole = change > 0 ? 1 : -1;
      if (min_magnitude && whole != 0 && std::llabs(whole) < *min_magnitude) {
        whole = whole > 0 ? *min_magnitude : -*min_magnitude;
      }
      return current + whole;
    }
  }
  return current;
}

int64_t clamp_capacity(int64_t capacity, int64_t min, int64_t max) {
  return std::clamp(capacity, min, std::max(min, max));
}

bool cooldown_over(int64_t last_ms, std::chrono::seconds cooldown, core::TimePoint now,
                   const core::Clock& clock) {
  if (last_ms == 0) return true;
  return now - core::from_epoch_millis(last_ms) >= clock.scaled(cooldown);
}

double aggregate(const std::vector<double>& values, std::string_view aggregation) {
  if (values.empty()) return 0;
  if (aggregation == "Minimum") return *std::min_element(values.begin(), values.end());
  if (aggregation == "Maximum") return *std::max_element(values.begin(), values.end());
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

}  // namespace services::autoscaling
