#pragma once
// The decision of one metric alarm evaluation, as CloudWatch documents it ("Evaluating an alarm",
// "Configuring how CloudWatch alarms treat missing data"). Pure: datapoints and time in, state
// and reason out; AlarmEvaluator reads the rows and applies the result.
//
// The evaluation range holds more periods than EvaluationPeriods (N): kExtraPeriods more.
//  - If at least N real datapoints exist in the range, the N most recent real ones are judged
//    and missing periods are irrelevant: ALARM if at least DatapointsToAlarm (M) of them
//    breach, else OK.
//  - If none exists: missing -> INSUFFICIENT_DATA, ignore -> current state kept,
//    breaching -> ALARM, notBreaching -> OK.
//  - Otherwise the real ones are judged with as few missing ones as possible: breaching and
//    notBreaching fill the most recent missing periods up to N; missing and ignore use only the
//    real ones and keep the current state unless they alone decide it (M of them breach, or
//    N - M + 1 do not, so that M breaches are impossible).
// Worked example, N = M = 3, oldest first, X breaching, 0 not, - missing: "0 - X - X" is OK
// (0 X X: 2 of 3); "0 X X - X" is ALARM (X X X); "- - X - -" keeps the state for missing and
// ignore, is ALARM for breaching and OK for notBreaching.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace services::cloudwatch {

inline constexpr int kExtraPeriods = 2;

struct EvalPoint {
  int64_t ts_ms = 0;  // period start
  std::optional<double> value;
  double sample_count = 0;
};

struct AlarmRule {
  std::string comparison;  // GreaterThanThreshold, ... LessThanOrEqualToThreshold
  double threshold = 0;
  int evaluation_periods = 1;
  int datapoints_to_alarm = 1;
  std::string treat_missing = "missing";
  int64_t period_s = 60;
  std::string statistic;  // for StateReasonData ("Average", "p90"); empty for math alarms
};

struct Evaluation {
  std::string state;  // OK, ALARM, INSUFFICIENT_DATA
  std::string reason;
  boost::json::object reason_data;
};

// `range`: the evaluation range, one point per period, oldest first. `current`: the alarm's
// state now. Returns nullopt when the state is kept.
std::optional<Evaluation> evaluate_alarm(const AlarmRule& rule, std::span<const EvalPoint> range,
                                         const std::string& current, int64_t query_ms);

bool breaches(const AlarmRule& rule, double value);

// "85.0", "0.5", "1.0E-5": a double as CloudWatch prints it in reasons (Java's Double.toString).
std::string format_value(double v);
// "07/12/26 10:01:00" (dd/MM/yy HH:mm:ss UTC), the datapoint time in a StateReason.
std::string reason_time(int64_t ms);
// "2026-12-07T10:01:00.000+0000", the time format of StateReasonData and HistoryData.
std::string data_time(int64_t ms);

}  // namespace services::cloudwatch
