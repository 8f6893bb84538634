#pragma once
// Aggregating stored samples into period buckets and computing CloudWatch statistics over them
// (SampleCount, Average, Sum, Minimum, Maximum and percentiles pNN[.NN]). Pure functions.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "services/cloudwatch/cloudwatch_store.h"

namespace services::cloudwatch {

struct Aggregate {
  std::string unit;
  double count = 0;
  double sum = 0;
  double min = 0;
  double max = 0;
  std::vector<std::pair<double, double>> values;  // (value, count) of samples that had values

  void add(const Sample& s);
};

// Bucket start (epoch ms) and unit ("" unless split by unit) -> aggregate.
using Buckets = std::map<std::pair<int64_t, std::string>, Aggregate>;

// Puts each sample with start_ms <= ts < end_ms into the bucket [start_ms + k*period, ...).
// With `unit`, only samples of that unit count; with split_units, each unit has its own buckets.
Buckets bucket_samples(const std::vector<Sample>& samples, int64_t start_ms, int64_t end_ms,
                       int64_t period_ms, const std::optional<std::string>& unit, bool split_units);

// The statistic `stat` of an aggregate: SampleCount, Average, Sum, Minimum, Maximum or pNN[.NN]
// (nearest rank over the published values); nullopt when it cannot be computed.
std::optional<double> statistic(const Aggregate& a, std::string_view stat);

// p0..p100 with up to two decimals ("p99", "p99.9").
bool is_percentile(std::string_view stat);
bool is_basic_statistic(std::string_view stat);

// CloudWatch rounds a query's start time down: to the period for periods under a minute, else to
// the minute (less than 15 days ago), 5 minutes (up to 63 days) or the hour (older).
int64_t align_start_ms(int64_t start_ms, int64_t period_s, int64_t now_ms);

// Whether data that old can be read at this period: "If the StartTime parameter specifies a time
// stamp that is greater than 3 hours ago, you must specify the period as follows or no data
// points in that time range is returned": a multiple of 60 (3 hours to 15 days ago), of 300 (15
// to 63 days) or of 3600 (older).
bool period_available(int64_t start_ms, int64_t period_s, int64_t now_ms);

}  // namespace services::cloudwatch
