#pragma once
// MetricSink on the CloudWatch store: each put() is one transaction, visible to GetMetricData
// and alarms as soon as it returns.

#include "core/clock.h"
#include "services/cloudwatch/metric_sink.h"
#include "store/db.h"

namespace services::cloudwatch {

class StoreMetricSink final : public MetricSink {
 public:
  StoreMetricSink(store::Db& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  bool put(const std::string& account, const std::string& region, const std::string& ns,
           const std::string& name, Dimensions dimensions, double value, const std::string& unit,
           core::TimePoint timestamp) override;
  bool put_statistics(const std::string& account, const std::string& region, const std::string& ns,
                      const std::string& name, Dimensions dimensions, const StatisticSet& stats,
                      const std::string& unit, core::TimePoint timestamp) override;

 private:
  store::Db& db_;
  const core::Clock& clock_;
};

}  // namespace services::cloudwatch
