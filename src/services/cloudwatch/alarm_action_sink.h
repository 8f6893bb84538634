#pragma once
// Where alarm actions go in process. The alarm evaluator records every action in the alarm's
// history; an action whose ARN a registered sink handles is also handed to it (Application Auto
// Scaling implements it for arn:aws:autoscaling:...:scalingPolicy:... ARNs). Other ARNs (SNS,
// EC2 actions) are only recorded.
//
// Auto Scaling actions are invoked again at each evaluation (once a minute of AWS time) while the
// alarm stays in the state, as CloudWatch does; other actions only on a state change.
//
// Threads: invoke() runs on the evaluator's worker thread (for SetAlarmState, on the request's
// thread), with no transaction open; it may call CloudWatch in process.

#include <cstdint>
#include <string>
#include <vector>
#include <string_view>

namespace services::cloudwatch {

struct AlarmActionEvent {
  std::string account;
  std::string region;
  std::string alarm_name;
  std::string alarm_arn;
  std::string action_arn;
  std::string old_state;  // OK, ALARM, INSUFFICIENT_DATA
  std::string new_state;
  std::string reason;
  int64_t timestamp_ms = 0;
  // An alarm that stays in its state invokes its Auto Scaling actions again each evaluation: the
  // values of that evaluation, newest first, which its StateReasonData (written at the change)
  // no longer shows. Empty for a state change.
  std::vector<double> recent_datapoints;
};

struct ActionOutcome {
  bool ok = true;
  std::string message;  // why it failed, for the history item
};

class AlarmActionSink {
 public:
  virtual ~AlarmActionSink() = default;
  virtual bool handles(std::string_view action_arn) const = 0;
  virtual ActionOutcome invoke(const AlarmActionEvent& event) = 0;
};

}  // namespace services::cloudwatch
