#pragma once
// Shared by the CloudWatch handler tests: an in-memory store, a ManualClock, the operation table
// called the way the HTTP path calls it (model validation included) and the alarm evaluator.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "protocol/service_registry.h"
#include "services/cloudwatch/alarm_evaluator.h"
#include "services/cloudwatch/cloudwatch_service.h"
#include "store/db.h"
#include "testing/manual_clock.h"
#include "testing/registry_calls.h"

namespace services::cloudwatch {

using fakes::J;

class CloudWatchHandlersTest : public ::testing::Test, protected fakes::RegistryCalls {
 protected:
  CloudWatchHandlersTest() : RegistryCalls(registry_, "cloudwatch") {
    // 2023-11-14 22:13:00 UTC, on a minute.
    clock_.set(core::TimePoint(std::chrono::seconds(1699999980)));
    cw_.set_alarm_listener([this](int64_t id) { evaluator_.enqueue(id); });
    cw_.set_state_listener(
        [this](int64_t id, const std::string& old) { evaluator_.run_actions(id, old); });
    cw_.register_operations(registry_);
  }

  int64_t now_ms() const { return core::to_epoch_millis(clock_.now()); }
  double now_s() const { return static_cast<double>(now_ms()) / 1000.0; }

  // One datapoint per value, one minute apart, the last one `minutes_ago_last` minutes ago.
  void put_minutes(const std::string& ns, const std::string& name,
                   const std::vector<double>& values, int minutes_ago_last = 1,
                   boost::json::array dims = {}) {
    boost::json::array data;
    double t = now_s() - 60.0 * (minutes_ago_last + static_cast<double>(values.size()) - 1);
    for (double v : values) {
      data.push_back(boost::json::object{
          {"MetricName", name}, {"Value", v}, {"Timestamp", t}, {"Dimensions", dims}});
      t += 60;
    }
    ok("PutMetricData", boost::json::object{{"Namespace", ns}, {"MetricData", data}});
  }

  boost::json::object alarm(const std::string& name) {
    boost::json::object r =
        ok("DescribeAlarms", boost::json::object{{"AlarmNames", boost::json::array{name}}});
    const boost::json::array& a = r["MetricAlarms"].as_array();
    if (a.empty()) {
      ADD_FAILURE() << "no alarm " << name;
      return {};
    }
    return a[0].as_object();
  }

  fakes::ManualClock clock_;
  store::Db db_ = store::Db::open_in_memory();
  protocol::ServiceRegistry registry_;
  CloudWatchService cw_{db_, clock_};
  AlarmEvaluator evaluator_{db_, clock_};
};

}  // namespace services::cloudwatch
