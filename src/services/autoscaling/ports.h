#pragma once
// What Application Auto Scaling needs from other services, as narrow interfaces so that its
// tests fake them. The module implements them over the in-process client (registry_ports.h):
// ECS's UpdateService and DescribeServices, CloudWatch's PutMetricAlarm, DeleteAlarms and
// DescribeAlarms, with the same validation as over HTTP.
//
// Threads: any; never called with a transaction of this module open.

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "protocol/aws_error.h"

namespace services::autoscaling {

// An ECS service's desiredCount, as the scheduler sees it.
struct ServiceCapacityState {
  int64_t desired = 0;
  int64_t running = 0;
  bool deploying = false;  // a deployment is in progress: no scale-in
};

class ServiceCapacity {
 public:
  virtual ~ServiceCapacity() = default;
  // The service's state; an error when the cluster or service does not exist (or is inactive).
  virtual protocol::Result<ServiceCapacityState> get(const std::string& account,
                                                     const std::string& region,
                                                     const std::string& cluster,
                                                     const std::string& service) = 0;
  // Sets desiredCount the way UpdateService does: the scheduler starts or stops tasks and the
  // service's events say so.
  virtual protocol::Result<void> set_desired(const std::string& account, const std::string& region,
                                             const std::string& cluster, const std::string& service,
                                             int64_t desired) = 0;
};

// What an alarm's last evaluation saw (its StateReasonData).
struct AlarmReading {
  std::vector<double> datapoints;  // newest first
  double threshold = 0;
};

class PolicyAlarms {
 public:
  virtual ~PolicyAlarms() = default;
  // PutMetricAlarm with `input` (creates or replaces the alarm).
  virtual protocol::Result<void> put(const std::string& account, const std::string& region,
                                     const boost::json::object& input) = 0;
  // DeleteAlarms; alarms already gone are skipped.
  virtual void remove(const std::string& account, const std::string& region,
                      const std::vector<std::string>& names) = 0;
  // The alarm's last evaluation; empty datapoints when it has none (or is gone).
  virtual AlarmReading reading(const std::string& account, const std::string& region,
                               const std::string& name) = 0;
};

}  // namespace services::autoscaling
