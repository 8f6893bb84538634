#pragma once
// MetricDataQuery lists, shared by GetMetricData and metric math alarms (PutMetricAlarm's
// Metrics): parsing with CloudWatch's checks, and evaluation of every query over one time range
// (MetricStat queries from stored samples, expressions with metric_math.h).

#include <boost/json/array.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "protocol/aws_error.h"
#include "services/cloudwatch/cloudwatch_store.h"
#include "services/cloudwatch/metric_math.h"

namespace services::cloudwatch {

struct MetricQuery {
  std::string id;
  std::optional<std::string> label;
  bool return_data = true;
  // MetricStat
  std::string ns;
  std::string name;
  Dimensions dimensions;
  std::string stat;
  std::optional<std::string> unit;
  int64_t period_s = 60;
  // Expression
  std::optional<std::string> expression;
};

// `field` names the list in errors ("MetricDataQueries", "Metrics").
protocol::Result<std::vector<MetricQuery>> parse_queries(const boost::json::array& list,
                                                         const std::string& field);

// Samples of one metric with start <= ts < end.
using SampleFetch =
    std::function<std::vector<Sample>(const MetricQuery& q, int64_t start_ms, int64_t end_ms)>;

struct QueryOutput {
  const MetricQuery* query = nullptr;
  Series series;  // label filled
};

// The series of every query with ReturnData, in request order (an expression that yields an
// array gives one output per series). ValidationError for a bad expression or reference.
protocol::Result<std::vector<QueryOutput>> run_queries(const std::vector<MetricQuery>& queries,
                                                       int64_t start_ms, int64_t end_ms,
                                                       const SampleFetch& fetch);

}  // namespace services::cloudwatch
