#pragma once
// Metric math: the expressions of GetMetricData and math alarms.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
//
// Supported: numbers, query ids, arrays [m1, m2], + - * / ^ and unary minus between scalars, time
// series and arrays of time series; SUM, AVG, MIN, MAX (of an array: per timestamp; of one series:
// a scalar); METRICS() and METRICS("label part"); FILL(x, value | REPEAT | LINEAR); RATE, DIFF,
// ABS, CEIL, FLOOR, PERIOD. Arithmetic between two series keeps the timestamps both have.
// Pure: values come in through MathEnv.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "protocol/aws_error.h"

namespace services::cloudwatch {

struct Series {
  std::string label;
  int64_t period_s = 60;
  std::map<int64_t, double> points;  // epoch ms -> value
};

using MathValue = std::variant<double, Series, std::vector<Series>>;

// Thrown by the evaluator and by MathEnv callbacks; evaluate_expression returns it as a value.
struct MathError {
  std::string message;
};

struct MathEnv {
  int64_t start_ms = 0;  // the request's grid, for FILL and scalars shown as series
  int64_t end_ms = 0;
  // The value of another query; throws MathError when there is none.
  std::function<MathValue(std::string_view id)> resolve;
  // METRICS(filter): every MetricStat query's series whose label contains filter.
  std::function<std::vector<Series>(std::string_view filter)> metrics;
};

// Evaluates one expression; the error message says what is wrong (without the query id).
protocol::Result<MathValue> evaluate_expression(std::string_view text, const MathEnv& env);

// A value as series: a scalar becomes a flat line over [start, end) at `period_s`.
std::vector<Series> as_series(const MathValue& v, int64_t start_ms, int64_t end_ms,
                              int64_t period_s, const std::string& label);

}  // namespace services::cloudwatch
