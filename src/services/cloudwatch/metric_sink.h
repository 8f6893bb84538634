#pragma once
// How other modules publish metrics in process (ECS and ALB metrics under "AWS/..."), without
// HTTP. The CloudWatch module offers one (CloudWatchModule::metrics()); PutMetricData's checks
// apply except that "AWS/" namespaces are allowed.
//
// Thread-safe: put() may be called from any thread.

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"

namespace services::cloudwatch {

struct Dimension {
  std::string name;
  std::string value;
  auto operator<=>(const Dimension&) const = default;
};
using Dimensions = std::vector<Dimension>;

class MetricSink {
 public:
  virtual ~MetricSink() = default;
  // Stores one value; unit is a CloudWatch unit name ("Percent", "Count", "None", ...). Returns
  // false (and logs) when the datum is invalid: a bad unit, more than 30 dimensions, a value
  // CloudWatch cannot store.
  virtual bool put(const std::string& account, const std::string& region, const std::string& ns,
                   const std::string& name, Dimensions dimensions, double value,
                   const std::string& unit, core::TimePoint timestamp) = 0;
};

}  // namespace services::cloudwatch
