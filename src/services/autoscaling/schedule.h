#pragma once
// Scheduled action schedules as Application Auto Scaling reads them
// (https://docs.aws.amazon.com/autoscaling/application/userguide/scheduled-scaling-using-cron-expressions.html):
//
//   at(2026-12-07T10:30:00)          once, at that local time of the action's Timezone
//   rate(5 minutes)                  every N minutes|hours|days (singular for 1), from StartTime
//   cron(0 9 ? * MON-FRI *)          minutes hours day-of-month month day-of-week year
//
// Cron fields take *, ?, lists (a,b), ranges (a-b), steps (*/n, a/n, a-b/n), month names
// JAN-DEC and weekday names SUN-SAT (1 = SUN ... 7 = SAT); one of day-of-month and day-of-week
// must be ?. L, W and # are not supported and rejected. Times are local to the IANA time zone
// (default UTC); a local time skipped by a daylight-saving change runs at the change.
//
// Pure functions of their arguments; thread-safe.

#include <bitset>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/clock.h"
#include "protocol/aws_error.h"

namespace services::autoscaling {

struct AtSchedule {
  std::chrono::sys_seconds local;  // the wall-clock time as written, read as if it were UTC
};
struct RateSchedule {
  std::chrono::seconds every{0};  // AWS time
};
struct CronSchedule {
  std::bitset<60> minutes;
  std::bitset<24> hours;
  std::bitset<32> days;     // 1..31
  std::bitset<13> months;   // 1..12
  std::bitset<8> weekdays;  // 1..7, 1 = Sunday
  bool any_day = true;      // day-of-month is ? (or *): weekdays decide
  bool any_weekday = true;  // day-of-week is ? (or *): days decide
  std::bitset<200> years;   // 1970..2169; all set for *
};

struct Schedule {
  std::variant<AtSchedule, RateSchedule, CronSchedule> kind;
  std::string timezone = "UTC";
};

// Parses Schedule and Timezone; a ValidationException in AWS's words when either is invalid.
protocol::Result<Schedule> parse_schedule(std::string_view text, std::string_view timezone);

// True when `name` is an IANA time zone this host knows.
bool known_timezone(std::string_view name);

// The first time strictly after `after` at which the schedule fires, no earlier than `start` and
// no later than `end` (when given). A rate fires at start, start + every, ...; `start` defaults
// to the time the action was created, passed as `origin`. `scale` divides a rate's period (the
// clock's time scale): wall-clock schedules (at, cron) are never scaled.
std::optional<core::TimePoint> next_fire(const Schedule& s, core::TimePoint after,
                                         core::TimePoint origin, double scale,
                                         std::optional<core::TimePoint> start,
                                         std::optional<core::TimePoint> end);

}  // namespace services::autoscaling
