#pragma once
// ALB stickiness, as pure functions over the snapshot: the cookies that pin a client to a target
// (target-group stickiness) or to a target group (forward-action stickiness across weighted
// groups), and whether the target a cookie names may still take the request.
//
//  - lb_cookie: ALB sets AWSALB and AWSALBCORS (SameSite=None; Secure) on every response, naming
//    the target it chose, for stickiness.lb_cookie.duration_seconds. A later request that brings
//    either cookie goes to that target while it may receive traffic.
//  - app_cookie: when the target's response sets the cookie named
//  stickiness.app_cookie.cookie_name,
//    ALB adds AWSALBAPP-0 naming the target, for stickiness.app_cookie.duration_seconds.
//  - Forward with several weighted groups and group stickiness: AWSALBTG and AWSALBTGCORS name the
//    group chosen.
//
// Cookie values are opaque to clients: base64 of "<kind>|<target group ARN>|<id>|<port>|<expiry>";
// a value that does not decode, has expired or names another group is ignored.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "dataplane/alb_config.h"

namespace dataplane {


inline constexpr std::string_view kLbCookie = "AWSALB";
inline constexpr std::string_view kLbCorsCookie = "AWSALBCORS";
inline constexpr std::string_view kAppCookie = "AWSALBAPP-0";
inline constexpr std::string_view kGroupCookie = "AWSALBTG";
inline constexpr std::string_view kGroupCorsCookie = "AWSALBTGCORS";

// The value of cookie `name` in a Cookie header ("a=1; b=2"), or nullopt. Names are
// case-sensitive, as browsers send them.
std::optional<std::string_view> find_cookie(std::string_view cookie_header, std::string_view name);

// Whether a Set-Cookie header value sets the cookie `name`.
bool sets_cookie(std::string_view set_cookie, std::string_view name);

// A cookie value naming target id:port of `target_group_arn` until `expires`.
std::string encode_target_cookie(std::string_view target_group_arn, std::string_view id,
                                 uint16_t port, core::TimePoint expires);
struct StickyTarget {
  std::string id;
  uint16_t port = 0;
};
// The target named by `value` when it is a target cookie of `target_group_arn` not expired at
// `now`.
std::optional<StickyTarget> decode_target_cookie(std::string_view value,
                                                 std::string_view target_group_arn,
                                                 core::TimePoint now);

// A cookie value naming the target group `target_group_arn` until `expires`.
std::string encode_group_cookie(std::string_view target_group_arn, core::TimePoint expires);
// The target group ARN named by `value`, when not expired at `now`.
std::optional<std::string> decode_group_cookie(std::string_view value, core::TimePoint now);

// Set-Cookie values for the AWSALB pair, the AWSALBAPP-0 cookie and the AWSALBTG pair.
std::vector<std::string> lb_cookie_headers(const std::string& value, core::TimePoint expires);
std::string app_cookie_header(const std::string& value, core::TimePoint expires);
std::vector<std::string> group_cookie_headers(const std::string& value, core::TimePoint expires);

// The target of `group` a sticky cookie names, when it may take a new request: it is healthy (or
// "unavailable" with health checks off), or no target of the group is and it is not draining or
// unused (fail-open, as TargetSelector). nullptr otherwise.
const SnapshotTarget* sticky_target(const SnapshotTargetGroup& group,
                                           const StickyTarget& wanted);

// The stickiness duration in seconds for the group's stickiness type, from its attributes
// (stickiness.lb_cookie.duration_seconds or stickiness.app_cookie.duration_seconds), falling back
// to stickiness_duration_seconds.
int stickiness_duration_seconds(const SnapshotTargetGroup& group);

}  // namespace dataplane
