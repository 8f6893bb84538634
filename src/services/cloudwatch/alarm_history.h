#pragma once
// The alarm history items CloudWatch records, with its HistorySummary wording and HistoryData
// JSON (DescribeAlarmHistory): ConfigurationUpdate on create, update and delete, StateUpdate on
// each state change, Action for each action run.

#include <cstdint>
#include <optional>
#include <string>

#include "services/cloudwatch/alarm_action_sink.h"
#include "services/cloudwatch/cloudwatch_store.h"

namespace services::cloudwatch {

// "Alarm \"x\" created" / "updated", with the alarm's configuration (and the previous one).
HistoryRow configuration_item(const AlarmRow& now_alarm, const std::optional<AlarmRow>& before,
                              int64_t ts_ms);
HistoryRow deletion_item(const std::string& alarm_name, int64_t ts_ms);
// "Alarm updated from OK to ALARM"; `before` is the alarm as it was, `after` as it is now.
HistoryRow state_item(const AlarmRow& before, const AlarmRow& after, int64_t ts_ms);
// "Successfully executed action arn:..." or "Failed to execute action arn:...".
HistoryRow action_item(const AlarmRow& alarm, const std::string& action_arn,
                       const ActionOutcome& outcome, int64_t ts_ms);

}  // namespace services::cloudwatch
