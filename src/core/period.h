#pragma once
// Periods aligned to the epoch, as CloudWatch's are: where the current one started, and how long
// until a moment after the next boundary (periodic publishers and the alarm evaluator meet there).

#include <chrono>
#include <cstdint>

namespace core {

inline int64_t period_start_ms(int64_t now_ms, int64_t period_ms) {
  return now_ms / period_ms * period_ms;
}

// From now_ms until `after_ms` past the next boundary of `period_ms` periods.
inline std::chrono::milliseconds until_after_next_boundary(int64_t now_ms, int64_t period_ms,
                                                           int64_t after_ms = 0) {
  return std::chrono::milliseconds(period_start_ms(now_ms, period_ms) + period_ms + after_ms -
                                   now_ms);
}

}  // namespace core
