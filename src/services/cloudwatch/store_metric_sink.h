#pragma once
// MetricSink on the CloudWatch store: each put() is one transaction, and each put_all() one for
// all its values, visible to GetMetricData and alarms as soon as it returns.

#include "core/clock.h"
#include "services/cloudwatch/cloudwatch_store.h"
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
  std::size_t put_all(const std::string& account, const std::string& region,
                      const std::vector<Datum>& data, core::TimePoint timestamp) override;

 private:
  // Checks a statistic set and stores it in `st`'s transaction; false (logged) when invalid.
  bool store(CloudWatchStore& st, const std::string& account, const std::string& region,
             const std::string& ns, const std::string& name, Dimensions dimensions,
             const StatisticSet& stats, const std::string& unit, core::TimePoint timestamp);

  store::Db& db_;
  const core::Clock& clock_;
};

}  // namespace services::cloudwatch
