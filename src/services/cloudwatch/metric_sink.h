#pragma once
// How other modules publish metrics in process (ECS and ALB metrics under "AWS/..."), without
// HTTP. The CloudWatch module offers one (CloudWatchModule::metrics()); PutMetricData's checks
// apply except that "AWS/" namespaces are allowed.
//
// Thread-safe: put() may be called from any thread.

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"

namespace services::cloudwatch {

struct Dimension {
  std::string name;
  std::string value;
  auto operator<=>(const Dimension&) const = default;
};
using Dimensions = std::vector<Dimension>;

// Many observations at once, as PutMetricData's StatisticValues with Values/Counts: the
// statistics are exact, `values` ((value, count) pairs) serve percentiles and may be empty.
struct StatisticSet {
  double sample_count = 0;
  double sum = 0;
  double minimum = 0;
  double maximum = 0;
  std::vector<std::pair<double, double>> values;
};

// One value of a metric, for put_all().
struct Datum {
  std::string ns;
  std::string name;
  Dimensions dimensions;
  double value = 0;
  std::string unit;
  bool operator==(const Datum&) const = default;
};

class MetricSink {
 public:
  virtual ~MetricSink() = default;
  // Stores one value; unit is a CloudWatch unit name ("Percent", "Count", "None", ...). Returns
  // false (and logs) when the datum is invalid: a bad unit, more than 30 dimensions, a value
  // CloudWatch cannot store.
  virtual bool put(const std::string& account, const std::string& region, const std::string& ns,
                   const std::string& name, Dimensions dimensions, double value,
                   const std::string& unit, core::TimePoint timestamp) = 0;
  // Stores a statistic set (the ALB's TargetResponseTime) under put()'s checks, also false when
  // sample_count is not positive. A sink that keeps single values only gets the average.
  virtual bool put_statistics(const std::string& account, const std::string& region,
                              const std::string& ns, const std::string& name,
                              Dimensions dimensions, const StatisticSet& stats,
                              const std::string& unit, core::TimePoint timestamp) {
    if (stats.sample_count <= 0) return false;
    return put(account, region, ns, name, std::move(dimensions), stats.sum / stats.sample_count,
               unit, timestamp);
  }
  // Stores many values with one timestamp, at once where the sink can (the store: in one
  // transaction); returns how many were stored. By default, put() one by one.
  virtual std::size_t put_all(const std::string& account, const std::string& region,
                              const std::vector<Datum>& data, core::TimePoint timestamp) {
    std::size_t stored = 0;
    for (const Datum& d : data) {
      stored += put(account, region, d.ns, d.name, d.dimensions, d.value, d.unit, timestamp);
    }
    return stored;
  }
};

}  // namespace services::cloudwatch
