#include "services/autoscaling/schedule.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

#include "services/autoscaling/errors.h"

namespace services::autoscaling {

namespace {

using std::chrono::days;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_seconds;

constexpr int kFirstYear = 1970;
constexpr int kYears = 200;
// How far ahead a cron expression is searched: one that fires less often is as good as never.
constexpr int kSearchDays = 366 * 5;

std::optional<int> to_int(std::string_view s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t from = 0;
  while (true) {
    size_t at = s.find(sep, from);
    out.push_back(s.substr(from, at == std::string_view::npos ? at : at - from));
    if (at == std::string_view::npos) return out;
    from = at + 1;
  }
}

struct Field {
  int lo;
  int hi;
  const char* const* names;  // names[i] stands for lo + i, or null
};

constexpr const char* kMonths[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                   "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr const char* kWeekdays[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

std::optional<int> value(std::string_view s, const Field& f) {
  if (f.names) {
    std::string up(s);
    for (char& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (int i = 0; i <= f.hi - f.lo; ++i) {
      if (up == f.names[i]) return f.lo + i;
    }
  }
  std::optional<int> v = to_int(s);
  if (!v || *v < f.lo || *v > f.hi) return std::nullopt;
  return v;
}

// One cron field into `out` (bit i for value i); false when malformed.
template <size_t N>
bool parse_field(std::string_view text, const Field& f, std::bitset<N>& out, int offset = 0) {
  for (std::string_view part : split(text, ',')) {
    int step = 1;
    if (size_t slash = part.find('/'); slash != std::string_view::npos) {
      std::optional<int> s = to_int(part.substr(slash + 1));
      if (!s || *s <= 0) return false;
      step = *s;
      part = part.substr(0, slash);
    }
    int lo = f.lo;
    int hi = f.hi;
    if (part != "*") {
      size_t dash = part.find('-');
      std::optional<int> a = value(part.substr(0, dash), f);
      if (!a) return false;
      lo = *a;
      hi = *a;
      if (dash != std::string_view::npos) {
        std::optional<int> b = value(part.substr(dash + 1), f);
        if (!b || *b < *a) return false;
        hi = *b;
      } else if (step != 1) {
        hi = f.hi;  // "a/n": from a to the end, every n
      }
    }
    for (int v = lo; v <= hi; v += step) out.set(static_cast<size_t>(v - offset));
  }
  return true;
}

protocol::AwsError bad_schedule(std::string_view text) {
  return errors::validation("Unsupported schedule expression: " + std::string(text));
}

protocol::Result<CronSchedule> parse_cron(std::string_view body, std::string_view text) {
  std::vector<std::string_view> f;
  for (std::string_view p : split(body, ' ')) {
    if (!p.empty()) f.push_back(p);
  }
  if (f.size() != 6) return bad_schedule(text);
  CronSchedule c;
  c.any_day = f[2] == "?" || f[2] == "*";
  c.any_weekday = f[4] == "?" || f[4] == "*";
  if ((f[2] == "?") == (f[4] == "?")) {
    return errors::validation("Unsupported schedule expression: " + std::string(text) +
                              ". Exactly one of day-of-month and day-of-week must be '?'.");
  }
  bool ok = parse_field(f[0], {0, 59, nullptr}, c.minutes) &&
            parse_field(f[1], {0, 23, nullptr}, c.hours) &&
            (f[2] == "?" || parse_field(f[2], {1, 31, nullptr}, c.days)) &&
            parse_field(f[3], {1, 12, kMonths}, c.months) &&
            (f[4] == "?" || parse_field(f[4], {1, 7, kWeekdays}, c.weekdays)) &&
            parse_field(f[5], {kFirstYear, kFirstYear + kYears - 1, nullptr}, c.years, kFirstYear);
  if (!ok) return bad_schedule(text);
  return c;
}

protocol::Result<RateSchedule> parse_rate(std::string_view body, std::string_view text) {
  std::vector<std::string_view> f = split(body, ' ');
  if (f.size() != 2) return bad_schedule(text);
  std::optional<int> n = to_int(f[0]);
  if (!n || *n <= 0) return bad_schedule(text);
  std::string_view unit = f[1];
  // AWS wants the singular for 1 ("rate(1 minute)") and the plural otherwise.
  bool plural = unit.ends_with('s');
  if (plural == (*n == 1)) return bad_schedule(text);
  if (plural) unit.remove_suffix(1);
  int64_t unit_s = unit == "minute" ? 60 : unit == "hour" ? 3600 : unit == "day" ? 86400 : 0;
  if (unit_s == 0) return bad_schedule(text);
  return RateSchedule{seconds(unit_s * *n)};
}

protocol::Result<AtSchedule> parse_at(std::string_view body, std::string_view text) {
  std::istringstream in{std::string(body)};
  date::sys_seconds t;
  in >> date::parse("%Y-%m-%dT%H:%M:%S", t);
  if (in.fail() || in.peek() != std::char_traits<char>::eof()) return bad_schedule(text);
  return AtSchedule{t};
}

const date::time_zone* zone(std::string_view name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

// A local wall-clock time (as if UTC) in zone `tz` to UTC.
sys_seconds to_utc(sys_seconds local, const date::time_zone* tz) {
  date::local_seconds l{local.time_since_epoch()};
  return tz->to_sys(l, date::choose::earliest);
}

sys_seconds to_local(sys_seconds utc, const date::time_zone* tz) {
  return sys_seconds{tz->to_local(utc).time_since_epoch()};
}

bool day_matches(const CronSchedule& c, date::year_month_day ymd) {
  int y = static_cast<int>(ymd.year()) - kFirstYear;
  if (y < 0 || y >= kYears || !c.years.test(static_cast<size_t>(y))) return false;
  if (!c.months.test(static_cast<unsigned>(ymd.month()))) return false;
  if (!c.any_day && !c.days.test(static_cast<unsigned>(ymd.day()))) return false;
  if (!c.any_weekday) {
    unsigned wd = date::weekday(date::sys_days(ymd)).c_encoding() + 1;  // 1 = Sunday
    if (!c.weekdays.test(wd)) return false;
  }
  return true;
}

std::optional<sys_seconds> next_cron(const CronSchedule& c, sys_seconds after,
                                     const date::time_zone* tz) {
  sys_seconds local_after = to_local(after, tz);
  date::sys_days day = date::floor<days>(local_after);
  for (int i = 0; i <= kSearchDays; ++i, day += days(1)) {
    if (!day_matches(c, date::year_month_day(day))) continue;
    for (int h = 0; h < 24; ++h) {
      if (!c.hours.test(static_cast<size_t>(h))) continue;
      for (int m = 0; m < 60; ++m) {
        if (!c.minutes.test(static_cast<size_t>(m))) continue;
        sys_seconds local = day + std::chrono::hours(h) + minutes(m);
        sys_seconds utc = to_utc(local, tz);
        if (utc > after) return utc;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

bool known_timezone(std::string_view name) { return zone(name) != nullptr; }

protocol::Result<Schedule> parse_schedule(std::string_view text, std::string_view timezone) {
  Schedule s;
  if (!timezone.empty()) {
    if (!known_timezone(timezone)) {
      return errors::validation("Time zone " + std::string(timezone) + " is not supported");
    }
    s.timezone = std::string(timezone);
  }
  size_t open = text.find('(');
  if (open == std::string_view::npos || !text.ends_with(')')) return bad_schedule(text);
  std::string_view kind = text.substr(0, open);
  std::string_view body = text.substr(open + 1, text.size() - open - 2);
  if (kind == "at") {
    auto r = parse_at(body, text);
    if (!r) return r.error();
    s.kind = *r;
  } else if (kind == "rate") {
    auto r = parse_rate(body, text);
    if (!r) return r.error();
    s.kind = *r;
  } else if (kind == "cron") {
    auto r = parse_cron(body, text);
    if (!r) return r.error();
    s.kind = *r;
  } else {
    return bad_schedule(text);
  }
  return s;
}

std::optional<core::TimePoint> next_fire(const Schedule& s, core::TimePoint after,
                                         core::TimePoint origin, double scale,
                                         std::optional<core::TimePoint> start,
                                         std::optional<core::TimePoint> end) {
  const date::time_zone* tz = zone(s.timezone);
  if (!tz) return std::nullopt;
  if (start && *start > after) after = *start - std::chrono::nanoseconds(1);
  std::optional<core::TimePoint> at;
  if (const auto* a = std::get_if<AtSchedule>(&s.kind)) {
    core::TimePoint t = to_utc(a->local, tz);
    if (t > after) at = t;
  } else if (const auto* r = std::get_if<RateSchedule>(&s.kind)) {
    core::TimePoint base = start.value_or(origin);
    auto every = std::chrono::duration_cast<core::Duration>(r->every / scale);
    if (every <= core::Duration::zero()) return std::nullopt;
    int64_t n = after < base ? 0 : (after - base) / every + 1;
    at = base + every * n;
  } else {
    sys_seconds from = std::chrono::floor<seconds>(after);
    if (auto t = next_cron(std::get<CronSchedule>(s.kind), from, tz)) at = *t;
  }
  if (at && end && *at > *end) return std::nullopt;
  return at;
}

}  // namespace services::autoscaling
