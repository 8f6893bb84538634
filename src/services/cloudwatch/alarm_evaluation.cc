#include "services/cloudwatch/alarm_evaluation.h"

#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <vector>

namespace services::cloudwatch {

namespace json = boost::json;

namespace {

std::string comparison_words(const std::string& op) {
  if (op == "GreaterThanThreshold") return "greater than";
  if (op == "GreaterThanOrEqualToThreshold") return "greater than or equal to";
  if (op == "LessThanThreshold") return "less than";
  return "less than or equal to";
}

std::string plural(int n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string point_list(const std::vector<const EvalPoint*>& points) {
  std::string out = "[";
  for (size_t i = 0; i < points.size(); ++i) {
    if (i) out += ", ";
    out += format_value(*points[i]->value) + " (" + reason_time(points[i]->ts_ms) + ")";
  }
  return out + "]";
}

json::object reason_data(const AlarmRule& rule, const std::vector<const EvalPoint*>& judged,
                         int64_t query_ms) {
  json::object d{{"version", "1.0"}, {"queryDate", data_time(query_ms)}};
  if (!judged.empty()) d["startDate"] = data_time(judged.back()->ts_ms);
  if (!rule.statistic.empty()) {
    d[rule.statistic.starts_with("p") ? "extendedStatistic" : "statistic"] = rule.statistic;
  }
  d["period"] = rule.period_s;
  json::array recent;
  json::array evaluated;
  for (const EvalPoint* p : judged) {
    recent.push_back(*p->value);
    evaluated.push_back(json::object{{"timestamp", data_time(p->ts_ms)},
                                     {"sampleCount", p->sample_count},
                                     {"value", *p->value}});
  }
  d["recentDatapoints"] = recent;
  d["threshold"] = rule.threshold;
  d["evaluatedDatapoints"] = evaluated;
  return d;
}

// The reason for a decision over judged real points (newest first) plus `filled` missing ones.
std::string threshold_reason(const AlarmRule& rule, const std::string& from, bool alarm,
                             const std::vector<const EvalPoint*>& judged, int filled) {
  std::vector<const EvalPoint*> shown;
  for (const EvalPoint* p : judged) {
    if (breaches(rule, *p->value) == alarm) shown.push_back(p);
  }
  int n = rule.evaluation_periods;
  int count =
      static_cast<int>(shown.size()) + ((rule.treat_missing == "breaching") == alarm ? filled : 0);
  std::string verb = (count == 1 ? "was " : "were ") + std::string(alarm ? "" : "not ");
  std::string r = "Threshold Crossed: ";
  if (n == 1) {
    r += "1 datapoint " + point_list(shown) + " " + verb + comparison_words(rule.comparison) +
         " the threshold (" + format_value(rule.threshold) + ").";
  } else {
    int minimum = alarm ? rule.datapoints_to_alarm : n - rule.datapoints_to_alarm + 1;
    r += std::to_string(count) + " out of the last " + std::to_string(n) + " datapoints " +
         point_list(shown) + " " + verb + comparison_words(rule.comparison) + " the threshold (" +
         format_value(rule.threshold) + ") (minimum " + plural(minimum, "datapoint") + " for " +
         from + " -> " + (alarm ? "ALARM" : "OK") + " transition).";
  }
  if (filled > 0) {
    r += " " + plural(filled, "missing datapoint") + (filled == 1 ? " was" : " were") +
         " treated as [" + (rule.treat_missing == "breaching" ? "Breaching" : "NonBreaching") +
         "].";
  }
  return r;
}

}  // namespace

bool breaches(const AlarmRule& rule, double v) {
  const std::string& op = rule.comparison;
  if (op == "GreaterThanThreshold") return v > rule.threshold;
  if (op == "GreaterThanOrEqualToThreshold") return v >= rule.threshold;
  if (op == "LessThanThreshold") return v < rule.threshold;
  return v <= rule.threshold;
}

std::optional<Evaluation> evaluate_alarm(const AlarmRule& rule, std::span<const EvalPoint> range,
                                         const std::string& current, int64_t query_ms) {
  const int n = rule.evaluation_periods;
  const int m = rule.datapoints_to_alarm;
  std::vector<const EvalPoint*> judged;  // newest first
  for (auto it = range.rbegin(); it != range.rend() && static_cast<int>(judged.size()) < n; ++it) {
    if (it->value) judged.push_back(&*it);
  }
  int breaching = 0;
  for (const EvalPoint* p : judged) breaching += breaches(rule, *p->value) ? 1 : 0;
  int not_breaching = static_cast<int>(judged.size()) - breaching;
  int missing = n - static_cast<int>(judged.size());
  const std::string& t = rule.treat_missing;

  auto decide = [&](bool alarm, int filled) -> std::optional<Evaluation> {
    std::string state = alarm ? "ALARM" : "OK";
    if (state == current) return std::nullopt;
    return Evaluation{state, threshold_reason(rule, current, alarm, judged, filled),
                      reason_data(rule, judged, query_ms)};
  };
  if (missing == 0) return decide(breaching >= m, 0);
  if (judged.empty()) {
    if (t == "ignore") return std::nullopt;
    if (t == "missing") {
      if (current == "INSUFFICIENT_DATA") return std::nullopt;
      return Evaluation{"INSUFFICIENT_DATA",
                        "Insufficient Data: " + plural(n, "datapoint") +
                            (n == 1 ? " was" : " were") + " unknown.",
                        reason_data(rule, judged, query_ms)};
    }
    bool alarm = t == "breaching";
    std::string state = alarm ? "ALARM" : "OK";
    if (state == current) return std::nullopt;
    return Evaluation{state,
                      "Threshold Crossed: no datapoints were received for " + plural(n, "period") +
                          " and " + plural(n, "missing datapoint") + (n == 1 ? " was" : " were") +
                          " treated as [" + (alarm ? "Breaching" : "NonBreaching") + "].",
                      reason_data(rule, judged, query_ms)};
  }
  if (t == "breaching") return decide(breaching + missing >= m, missing);
  if (t == "notBreaching") return decide(breaching >= m, missing);
  // missing, ignore: only the real points, and only when they settle it.
  if (breaching >= m) return decide(true, 0);
  if (not_breaching >= n - m + 1) return decide(false, 0);
  return std::nullopt;
}

std::string format_value(double v) {
  if (std::isnan(v)) return "NaN";
  char buf[64];
  double a = std::fabs(v);
  bool scientific = a != 0 && (a < 1e-3 || a >= 1e7);
  auto r = std::to_chars(buf, buf + sizeof buf, v,
                         scientific ? std::chars_format::scientific : std::chars_format::fixed);
  std::string s(buf, r.ptr);
  if (!scientific) {
    return s.find('.') == std::string::npos ? s + ".0" : s;
  }
  // Shortest digits, Java's spelling: "1.0E-5", "1.2345678E7".
  size_t e = s.find('e');
  std::string mantissa = s.substr(0, e);
  if (mantissa.find('.') == std::string::npos) mantissa += ".0";
  return mantissa + "E" + std::to_string(std::stoi(s.substr(e + 1)));
}

namespace {
std::tm utc(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}
}  // namespace

std::string reason_time(int64_t ms) {
  std::tm tm = utc(ms);
  char buf[32];
  std::strftime(buf, sizeof buf, "%d/%m/%y %H:%M:%S", &tm);
  return buf;
}

std::string data_time(int64_t ms) {
  std::tm tm = utc(ms);
  char buf[48];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[64];
  std::snprintf(out, sizeof out, "%s.%03d+0000", buf, static_cast<int>(ms % 1000));
  return out;
}

}  // namespace services::cloudwatch
