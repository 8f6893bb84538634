#include "core/time_format.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace core {
namespace {

std::tm to_tm(TimePoint t, int* millis) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  auto secs = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  *millis = static_cast<int>(ms - static_cast<int64_t>(secs) * 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return tm;
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

// TimePoint counts int64 nanoseconds, which reach ±292 years around 1970: times outside
// ±9e9 seconds (years 1684 to 2255) are not representable and are rejected as malformed.
constexpr double kMaxAbsSeconds = 9e9;

std::optional<TimePoint> from_fields(int y, int mo, int d, int h, int mi, int s, double frac,
                                     int offset_seconds) {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  std::time_t secs = timegm(&tm) - offset_seconds;
  if (std::abs(static_cast<double>(secs)) > kMaxAbsSeconds) return std::nullopt;
  auto total = std::chrono::seconds(secs);
  return TimePoint(std::chrono::duration_cast<Duration>(total) +
                   std::chrono::duration_cast<Duration>(std::chrono::duration<double>(frac)));
}

}  // namespace

std::string format_iso8601(TimePoint t) {
  int millis = 0;
  std::tm tm = to_tm(t, &millis);
  char buf[40];
  if (millis != 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  }
  return buf;
}

std::string format_http_date(TimePoint t) {
  int millis = 0;
  std::tm tm = to_tm(t, &millis);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

std::string format_amz_date(TimePoint t) {
  int millis = 0;
  std::tm tm = to_tm(t, &millis);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::optional<TimePoint> parse_timestamp(std::string_view s) {
  int y, mo, d, h, mi, sec;
  // SigV4 basic form: 20150830T123600Z
  if (s.size() == 16 && s[8] == 'T' && s[15] == 'Z' && digits(s, 0, 4, &y) &&
      digits(s, 4, 2, &mo) && digits(s, 6, 2, &d) && digits(s, 9, 2, &h) &&
      digits(s, 11, 2, &mi) && digits(s, 13, 2, &sec)) {
    return from_fields(y, mo, d, h, mi, sec, 0, 0);
  }
  // ISO 8601 extended: 2015-08-30T12:36:00[.123][Z|+hh:mm]
  if (s.size() >= 19 && s[4] == '-' && s[7] == '-' && (s[10] == 'T' || s[10] == 't') &&
      s[13] == ':' && s[16] == ':' && digits(s, 0, 4, &y) && digits(s, 5, 2, &mo) &&
      digits(s, 8, 2, &d) && digits(s, 11, 2, &h) && digits(s, 14, 2, &mi) &&
      digits(s, 17, 2, &sec)) {
    std::size_t pos = 19;
    double frac = 0;
    if (pos < s.size() && s[pos] == '.') {
      std::size_t start = ++pos;
      double scale = 0.1;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        frac += (s[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
      if (pos == start) return std::nullopt;
    }
    int offset = 0;
    if (pos == s.size()) {
      // No zone: AWS treats it as UTC.
    } else if ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) {
    } else if ((s[pos] == '+' || s[pos] == '-') && s.size() == pos + 6 && s[pos + 3] == ':') {
      int oh, om;
      if (!digits(s, pos + 1, 2, &oh) || !digits(s, pos + 4, 2, &om)) return std::nullopt;
      offset = (oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1);
    } else {
      return std::nullopt;
    }
    return from_fields(y, mo, d, h, mi, sec, frac, offset);
  }
  // IMF-fixdate: Sun, 30 Aug 2015 12:36:00 GMT
  if (s.size() == 29 && s[3] == ',' && s.substr(26) == "GMT") {
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    mo = 0;
    for (int i = 0; i < 12; ++i) {
      if (s.substr(8, 3) == kMonths[i]) mo = i + 1;
    }
    if (mo && digits(s, 5, 2, &d) && digits(s, 12, 4, &y) && digits(s, 17, 2, &h) &&
        digits(s, 20, 2, &mi) && digits(s, 23, 2, &sec)) {
      return from_fields(y, mo, d, h, mi, sec, 0, 0);
    }
    return std::nullopt;
  }
  // Epoch seconds, possibly fractional.
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc() && ptr == s.data() + s.size() && std::abs(v) <= kMaxAbsSeconds) {
    return TimePoint(std::chrono::duration_cast<Duration>(std::chrono::duration<double>(v)));
  }
  return std::nullopt;
}

}  // namespace core
