#pragma once
// The two CloudWatch alarms a target tracking policy creates and owns, as AWS defines them
// (https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking.html):
//
//   TargetTracking-<resource id>-AlarmHigh-<uuid>  metric > target, 3 of 3 one-minute datapoints
//   TargetTracking-<resource id>-AlarmLow-<uuid>   metric < 90 % of target, 15 of 15 datapoints
//                                                  (none when DisableScaleIn is true)
//
// both with the description "DO NOT EDIT OR DELETE. For TargetTrackingScaling policy <arn>" and
// the policy's ARN as their only alarm action. Pure functions; thread-safe.

#include <boost/json/object.hpp>
#include <string>

#include "protocol/aws_error.h"

namespace services::autoscaling {

// The metric a target tracking configuration follows, as PutMetricAlarm's fields (MetricName,
// Namespace, Statistic, Dimensions and Unit when given).
protocol::Result<boost::json::object> tracked_metric(const boost::json::object& config,
                                                     const std::string& resource_id);

// PutMetricAlarm's input for the high (or low) alarm of a policy.
boost::json::object tracking_alarm(const boost::json::object& metric, const std::string& name,
                                   const std::string& policy_arn, double target, bool high);

// "TargetTracking-service/c/s-AlarmHigh-<uuid>", with a fresh uuid.
std::string tracking_alarm_name(const std::string& resource_id, bool high);

}  // namespace services::autoscaling
