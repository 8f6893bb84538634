#pragma once
// Where a forward action sends one request, as an ALB node decides it: the weighted target group
// (or the one an AWSALBTG cookie pins), then the target (or the one an AWSALB / AWSALBAPP-0
// cookie pins while it may take traffic), TargetSelector's pick otherwise. While a target is in
// slow start the pick is a weighted draw instead: weight 1 per target, elapsed/duration for the
// warming one (so least_outstanding_requests does not apply during the ramp). Also says which
// Set-Cookie values the response gets. Thread-safe; used by every worker of an AlbProxy.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "dataplane/alb_slow_start.h"
#include "dataplane/target_selector.h"
#include "dataplane/alb_config.h"

namespace dataplane {


class AlbTargetPicker {
 public:
  // The Set-Cookie values a response gets for stickiness.
  struct Cookies {
    std::vector<std::string> always;  // AWSALB/AWSALBCORS, AWSALBTG/AWSALBTGCORS
    std::string app_cookie_name;      // when the target's response sets this cookie...
    std::string on_app_cookie;        // ...this AWSALBAPP-0 value is added
  };

  explicit AlbTargetPicker(const core::Clock& clock) : clock_(clock) {}

  // The target group of `forward` for a request with Cookie header `cookies`; nullptr when no
  // group has weight or the snapshot lacks it. Adds the AWSALBTG cookies when the forward has
  // group stickiness over several groups.
  const SnapshotTargetGroup* pick_group(const AlbSnapshot& snapshot,
                                               const ForwardAction& forward,
                                               std::string_view cookies, core::TimePoint now,
                                               Cookies& out);

  // The target of `group` for the request, or nullopt (503). Adds the group's sticky cookies.
  std::optional<SnapshotTarget> pick_target(const SnapshotTargetGroup& group,
                                                   std::string_view cookies, core::TimePoint now,
                                                   Cookies& out);

  // Feeds slow start with each snapshot the proxy takes.
  void observe(const AlbSnapshot& snapshot, core::TimePoint now) {
    slow_start_.observe(snapshot, now);
  }

  // Outstanding-request bookkeeping (least_outstanding_requests and draining).
  TargetSelector& selector() { return selector_; }

 private:
  // While a target of the group is in slow start: a draw weighted by slow-start share (1 for the
  // others). nullopt when none is warming up.
  std::optional<SnapshotTarget> pick_warming(const SnapshotTargetGroup& group,
                                                    core::TimePoint now);

  const core::Clock& clock_;
  TargetSelector selector_;
  SlowStartTracker slow_start_;
};

}  // namespace dataplane
