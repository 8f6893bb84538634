#pragma once
// Shared by the Application Auto Scaling tests: fakes of its ports (an ECS service table and a
// CloudWatch alarm table), an in-memory store, a ManualClock and the operation table called the
// way the HTTP path calls it.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "protocol/service_registry.h"
#include "services/autoscaling/autoscaling_service.h"
#include "services/autoscaling/errors.h"
#include "services/autoscaling/policy_executor.h"
#include "services/autoscaling/scaler.h"
#include "services/autoscaling/scheduled_action_runner.h"
#include "store/db.h"
#include "testing/manual_clock.h"
#include "testing/registry_calls.h"

namespace services::autoscaling {

using fakes::J;

// ECS services by "cluster/service".
class FakeServiceCapacity final : public ServiceCapacity {
 public:
  protocol::Result<ServiceCapacityState> get(const std::string&, const std::string&,
                                             const std::string& cluster,
                                             const std::string& service) override {
    auto it = services.find(cluster + "/" + service);
    if (it == services.end()) {
      return errors::validation("ECS service doesn't exist: service/" + cluster + "/" + service);
    }
    return it->second;
  }
  protocol::Result<void> set_desired(const std::string&, const std::string&,
                                     const std::string& cluster, const std::string& service,
                                     int64_t desired) override {
    services[cluster + "/" + service].desired = desired;
    sets.push_back(desired);
    return {};
  }
  std::map<std::string, ServiceCapacityState> services;
  std::vector<int64_t> sets;
};

class FakePolicyAlarms final : public PolicyAlarms {
 public:
  protocol::Result<void> put(const std::string&, const std::string&,
                             const boost::json::object& input) override {
    alarms[std::string(input.at("AlarmName").as_string())] = input;
    return {};
  }
  void remove(const std::string&, const std::string&,
              const std::vector<std::string>& names) override {
    for (const auto& n : names) alarms.erase(n);
  }
  AlarmReading reading(const std::string&, const std::string&, const std::string& name) override {
    AlarmReading r = readings[name];
    return r;
  }
  std::map<std::string, boost::json::object> alarms;
  std::map<std::string, AlarmReading> readings;
};

class AutoscalingTest : public ::testing::Test, protected fakes::RegistryCalls {
 protected:
  AutoscalingTest() : RegistryCalls(registry_, "application-autoscaling") {
    clock_.set(core::TimePoint(std::chrono::seconds(1796637600)));  // 2026-12-07 10:00 UTC
    ecs_.services["c/web"] = {1, 1, false};
    service_.register_operations(registry_);
  }

  void register_web(int min = 1, int max = 6) {
    ok("RegisterScalableTarget",
       J(R"({"ServiceNamespace":"ecs","ResourceId":"service/c/web",
             "ScalableDimension":"ecs:service:DesiredCount","MinCapacity":)" +
         std::to_string(min) + R"(,"MaxCapacity":)" + std::to_string(max) + "}"));
  }

  // Puts a CPU target tracking policy; returns PutScalingPolicy's output.
  boost::json::object put_cpu_policy(const std::string& extra = "") {
    return ok("PutScalingPolicy",
              J(R"({"PolicyName":"cpu70","ServiceNamespace":"ecs","ResourceId":"service/c/web",
                    "ScalableDimension":"ecs:service:DesiredCount",
                    "PolicyType":"TargetTrackingScaling",
                    "TargetTrackingScalingPolicyConfiguration":{"TargetValue":70)" +
                extra + R"(,"PredefinedMetricSpecification":
                    {"PredefinedMetricType":"ECSServiceAverageCPUUtilization"}}})"));
  }

  cloudwatch::ActionOutcome fire(const std::string& alarm, const std::string& policy_arn,
                                 std::vector<double> points, double threshold = 70) {
    alarms_.readings[alarm] = {std::move(points), threshold};
    cloudwatch::AlarmActionEvent ev{"123456789012", "us-east-1",         alarm,
                                    "arn:alarm",    policy_arn,          "OK",
                                    "ALARM",        "Threshold Crossed", 0};
    return executor_.invoke(ev);
  }

  boost::json::array activities() {
    return ok("DescribeScalingActivities", J(R"({"ServiceNamespace":"ecs"})"))
        .at("ScalingActivities")
        .as_array();
  }

  fakes::ManualClock clock_;
  store::Db db_ = store::Db::open_in_memory();
  protocol::ServiceRegistry registry_;
  FakeServiceCapacity ecs_;
  FakePolicyAlarms alarms_;
  AutoscalingService service_{db_, clock_, ecs_, alarms_};
  Scaler scaler_{db_, clock_, ecs_};
  PolicyExecutor executor_{db_, clock_, ecs_, alarms_, scaler_};
  ScheduledActionRunner runner_{db_, clock_, ecs_, scaler_};
};

}  // namespace services::autoscaling
