#include "services/autoscaling/schedule.h"

#include <gtest/gtest.h>

namespace services::autoscaling {
namespace {

using std::chrono::seconds;

// 2026-12-07 10:00:00 UTC, a Monday.
const core::TimePoint kMonday10 = core::TimePoint(seconds(1796637600));

core::TimePoint at_utc(int64_t offset_s) { return kMonday10 + seconds(offset_s); }

std::optional<core::TimePoint> next(std::string_view text, std::string_view tz,
                                    core::TimePoint after, double scale = 1) {
  auto s = parse_schedule(text, tz);
  EXPECT_TRUE(s) << text;
  if (!s) return std::nullopt;
  return next_fire(*s, after, after, scale, std::nullopt, std::nullopt);
}

TEST(ScheduleTest, AtFiresOnceAtItsLocalTime) {
  EXPECT_EQ(next("at(2026-12-07T10:30:00)", "", kMonday10), at_utc(1800));
  EXPECT_FALSE(next("at(2026-12-07T09:30:00)", "", kMonday10));
  // 10:30 in Paris (UTC+1 in December) is 09:30 UTC: already past at 10:00 UTC.
  EXPECT_FALSE(next("at(2026-12-07T10:30:00)", "Europe/Paris", kMonday10));
  EXPECT_EQ(next("at(2026-12-07T11:30:00)", "Europe/Paris", kMonday10), at_utc(1800));
}

TEST(ScheduleTest, RateFiresEveryPeriodFromItsOriginScaled) {
  EXPECT_EQ(next("rate(5 minutes)", "", kMonday10), at_utc(300));
  EXPECT_EQ(next("rate(1 hour)", "", kMonday10), at_utc(3600));
  EXPECT_EQ(next("rate(2 days)", "", kMonday10), at_utc(2 * 86400));
  // Time scale 60: five minutes of AWS time are five seconds.
  EXPECT_EQ(next("rate(5 minutes)", "", kMonday10, 60), at_utc(5));
}

TEST(ScheduleTest, CronFiresAtMatchingMinutesInItsTimeZone) {
  // Every weekday at 09:00 UTC: Monday's 09:00 is past, Tuesday's is next.
  EXPECT_EQ(next("cron(0 9 ? * MON-FRI *)", "", kMonday10), at_utc(23 * 3600));
  // Every 15 minutes.
  EXPECT_EQ(next("cron(*/15 * * * ? *)", "", kMonday10 + seconds(1)), at_utc(900));
  // 12:00 in New York (UTC-5 in December) is 17:00 UTC.
  EXPECT_EQ(next("cron(0 12 * * ? *)", "America/New_York", kMonday10), at_utc(7 * 3600));
  // Saturdays (7) only: 2026-12-12 00:00 UTC.
  EXPECT_EQ(next("cron(0 0 ? * 7 *)", "", kMonday10), at_utc(5 * 86400 - 10 * 3600));
  // The 1st of January 2027.
  EXPECT_EQ(next("cron(0 0 1 JAN ? 2027)", "", kMonday10), core::TimePoint(seconds(1798761600)));
  // A year that is over never fires.
  EXPECT_FALSE(next("cron(0 0 1 1 ? 2020)", "", kMonday10));
}

TEST(ScheduleTest, StartAndEndTimeBoundTheFirings) {
  auto s = parse_schedule("rate(1 hour)", "");
  ASSERT_TRUE(s);
  core::TimePoint start = at_utc(7200);
  EXPECT_EQ(next_fire(*s, kMonday10, kMonday10, 1, start, std::nullopt), start);
  EXPECT_FALSE(next_fire(*s, kMonday10, kMonday10, 1, std::nullopt, at_utc(1800)));
}

TEST(ScheduleTest, RejectsMalformedExpressions) {
  for (const char* bad :
       {"rate(0 minutes)", "rate(5 minute)", "rate(1 minutes)", "rate(5 weeks)", "at(2026-12-07)",
        "at(2026-12-07T10:30:00Z)", "cron(0 9 * * MON *)", "cron(0 9 ? * ? *)", "cron(0 9 * *)",
        "cron(61 9 * * ? *)", "cron(0 9 L * ? *)", "every(5 minutes)", "rate(5 minutes"}) {
    auto r = parse_schedule(bad, "");
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, "ValidationException");
  }
  auto tz = parse_schedule("rate(5 minutes)", "Mars/Olympus");
  ASSERT_FALSE(tz);
  EXPECT_EQ(tz.error().code, "ValidationException");
}

}  // namespace
}  // namespace services::autoscaling
