#include "reconcile/work_queue.h"

namespace reconcile {

core::Duration backoff_delay(const Backoff& backoff, int failures) {
  if (backoff.base <= core::Duration::zero()) {
    return core::Duration::zero();
  }
  core::Duration delay = backoff.base;
  // Doubling stops at max, so this loop runs at most log2(max / base) times.
  for (int i = 1; i < failures && delay < backoff.max; ++i) {
    delay *= 2;
  }
  return std::min(delay, backoff.max);
}

template class WorkQueue<std::string>;

}  // namespace reconcile
