#include "services/cloudwatch/statistics.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace services::cloudwatch {

namespace {
constexpr int64_t kMinuteMs = 60'000;
constexpr int64_t kDayMs = 86'400'000;
}  // namespace

void Aggregate::add(const Sample& s) {
  if (count == 0) {
    min = s.min;
    max = s.max;
  } else {
    min = std::min(min, s.min);
    max = std::max(max, s.max);
  }
  count += s.count;
  sum += s.sum;
  values.insert(values.end(), s.values.begin(), s.values.end());
}

Buckets bucket_samples(const std::vector<Sample>& samples, int64_t start_ms, int64_t end_ms,
                       int64_t period_ms, const std::optional<std::string>& unit,
                       bool split_units) {
  Buckets out;
  for (const Sample& s : samples) {
    if (s.ts_ms < start_ms || s.ts_ms >= end_ms || (unit && s.unit != *unit)) {
      continue;
    }
    int64_t at = start_ms + (s.ts_ms - start_ms) / period_ms * period_ms;
    Aggregate& a = out[{at, split_units ? s.unit : std::string()}];
    a.unit = s.unit;
    a.add(s);
  }
  return out;
}

bool is_percentile(std::string_view stat) {
  if (stat.size() < 2 || stat[0] != 'p') {
    return false;
  }
  double p = 0;
  auto [end, ec] = std::from_chars(stat.data() + 1, stat.data() + stat.size(), p);
  if (ec != std::errc() || end != stat.data() + stat.size() || p < 0 || p > 100) {
    return false;
  }
  size_t dot = stat.find('.');
  return dot == std::string_view::npos || stat.size() - dot - 1 <= 2;
}

bool is_basic_statistic(std::string_view stat) {
  return stat == "SampleCount" || stat == "Average" || stat == "Sum" || stat == "Minimum" ||
         stat == "Maximum";
}

std::optional<double> statistic(const Aggregate& a, std::string_view stat) {
  if (a.count <= 0) {
    return std::nullopt;
  }
  if (stat == "SampleCount") return a.count;
  if (stat == "Sum") return a.sum;
  if (stat == "Average") return a.sum / a.count;
  if (stat == "Minimum") return a.min;
  if (stat == "Maximum") return a.max;
  if (!is_percentile(stat) || a.values.empty()) {
    return std::nullopt;
  }
  double p = std::stod(std::string(stat.substr(1)));
  std::vector<std::pair<double, double>> v = a.values;
  std::sort(v.begin(), v.end());
  double total = 0;
  for (const auto& e : v) total += e.second;
  // Nearest rank: the smallest value whose cumulative count reaches p% of all values.
  double rank = std::max(1.0, std::ceil(p / 100.0 * total));
  double seen = 0;
  for (const auto& [value, count] : v) {
    seen += count;
    if (seen >= rank) {
      return value;
    }
  }
  return v.back().first;
}

bool period_available(int64_t start_ms, int64_t period_s, int64_t now_ms) {
  int64_t age = now_ms - start_ms;
  if (age > 63 * kDayMs) return period_s % 3600 == 0;
  if (age > 15 * kDayMs) return period_s % 300 == 0;
  if (age > 3 * 60 * kMinuteMs) return period_s % 60 == 0;
  return true;
}

int64_t align_start_ms(int64_t start_ms, int64_t period_s, int64_t now_ms) {
  int64_t step = kMinuteMs;
  if (period_s < 60) {
    step = period_s * 1000;
  } else if (now_ms - start_ms > 63 * kDayMs) {
    step = 60 * kMinuteMs;
  } else if (now_ms - start_ms > 15 * kDayMs) {
    step = 5 * kMinuteMs;
  }
  int64_t floor = start_ms / step * step;
  return floor > start_ms ? floor - step : floor;
}

}  // namespace services::cloudwatch
