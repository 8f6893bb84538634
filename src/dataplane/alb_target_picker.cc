#include "dataplane/alb_target_picker.h"

#include "dataplane/alb_http.h"
#include "dataplane/alb_stickiness.h"
#include "dataplane/rule_matcher.h"

namespace dataplane {
namespace {

// As TargetSelector: healthy, or "unavailable" while health checks are off.
bool receives_traffic(const SnapshotTarget& t, bool checks_enabled) {
  return t.state == TargetState::Healthy ||
         (!checks_enabled && t.state == TargetState::Unavailable);
}

}  // namespace

std::optional<SnapshotTarget> AlbTargetPicker::pick_warming(
    const SnapshotTargetGroup& group, core::TimePoint now) {
  // Weight 1 for every target that takes traffic, elapsed/duration for one in slow start; a
  // weighted draw among them. Only while some target warms up: otherwise the selector decides.
  std::vector<std::pair<const SnapshotTarget*, double>> weighted;
  double total = 0;
  bool warming = false;
  for (const auto& t : group.targets) {
    if (!receives_traffic(t, group.health_check.enabled)) continue;
    double w = slow_start_.share(group, t, now, clock_.time_scale());
    warming = warming || w < 1.0;
    total += w;
    weighted.emplace_back(&t, w);
  }
  if (!warming || weighted.empty()) return std::nullopt;
  double x = static_cast<double>(random64()) / 18446744073709551616.0 * total;
  for (const auto& [t, w] : weighted) {
    if (x < w) return *t;
    x -= w;
  }
  return *weighted.back().first;
}

const SnapshotTargetGroup* AlbTargetPicker::pick_group(const AlbSnapshot& snapshot,
                                                              const ForwardAction& forward,
                                                              std::string_view cookies,
                                                              core::TimePoint now, Cookies& out) {
  const WeightedTargetGroup* weighted = nullptr;
  bool group_sticky = forward.stickiness_enabled && forward.target_groups.size() > 1;
  if (group_sticky) {
    auto c = find_cookie(cookies, kGroupCookie);
    if (!c) c = find_cookie(cookies, kGroupCorsCookie);
    auto arn = c ? decode_group_cookie(*c, now) : std::nullopt;
    for (const auto& wg : forward.target_groups) {
      if (arn && wg.arn == *arn && wg.weight > 0) weighted = &wg;
    }
  }
  if (weighted == nullptr) weighted = pick_target_group(forward, random64());
  const auto* group = weighted == nullptr ? nullptr : snapshot.target_group(weighted->arn);
  if (group != nullptr && group_sticky) {
    auto expires = now + std::chrono::seconds(forward.stickiness_duration_seconds);
    for (auto& h : group_cookie_headers(encode_group_cookie(group->arn, expires), expires)) {
      out.always.push_back(std::move(h));
    }
  }
  return group;
}

std::optional<SnapshotTarget> AlbTargetPicker::pick_target(
    const SnapshotTargetGroup& group, std::string_view cookies, core::TimePoint now,
    Cookies& out) {
  std::optional<SnapshotTarget> target;
  bool app = group.stickiness_type == "app_cookie";
  if (group.stickiness_enabled) {
    auto c = find_cookie(cookies, app ? kAppCookie : kLbCookie);
    if (!c && !app) c = find_cookie(cookies, kLbCorsCookie);
    auto wanted = c ? decode_target_cookie(*c, group.arn, now) : std::nullopt;
    const auto* t = wanted ? sticky_target(group, *wanted) : nullptr;
    if (t != nullptr) target = *t;
  }
  if (!target && group.slow_start_seconds > 0) target = pick_warming(group, now);
  if (!target) target = selector_.pick(group);
  if (target && group.stickiness_enabled) {
    auto expires = now + std::chrono::seconds(stickiness_duration_seconds(group));
    std::string value = encode_target_cookie(group.arn, target->id, target->port, expires);
    if (app) {
      out.app_cookie_name = group.app_cookie_name;
      out.on_app_cookie = app_cookie_header(value, expires);
    } else {
      for (auto& h : lb_cookie_headers(value, expires)) out.always.push_back(std::move(h));
    }
  }
  return target;
}

}  // namespace dataplane
