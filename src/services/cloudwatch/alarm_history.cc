#include "services/cloudwatch/alarm_history.h"

#include <boost/json.hpp>

#include "services/cloudwatch/alarm_evaluation.h"
#include "services/cloudwatch/cloudwatch_json.h"

namespace services::cloudwatch {

namespace json = boost::json;

namespace {

// The alarm's configuration as HistoryData spells it (camelCase, as CloudWatch records it).
json::object config_json(const AlarmRow& a) {
  json::object out;
  for (const auto& [k, v] : alarm_json(a)) {
    if (k == "StateValue" || k == "StateReason" || k == "StateReasonData" ||
        k == "StateUpdatedTimestamp" || k == "StateTransitionedTimestamp" ||
        k == "AlarmConfigurationUpdatedTimestamp") {
      continue;
    }
    std::string key(k);
    key[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(key[0])));
    if (key == "oKActions") key = "okActions";
    out[key] = v;
  }
  out["timestamp"] = data_time(a.config_updated_ms);
  return out;
}

json::object state_json(const AlarmRow& a) {
  json::object s{{"stateValue", a.state}, {"stateReason", a.state_reason}};
  if (a.state_reason_data) {
    json::error_code ec;
    json::value data = json::parse(*a.state_reason_data, ec);
    if (!ec) s["stateReasonData"] = data;
  }
  return s;
}

HistoryRow item(const std::string& name, int64_t ts_ms, const char* type, std::string summary,
                const json::object& data) {
  return {0, name, "MetricAlarm", ts_ms, type, std::move(summary), json::serialize(data)};
}

}  // namespace

HistoryRow configuration_item(const AlarmRow& now_alarm, const std::optional<AlarmRow>& before,
                              int64_t ts_ms) {
  json::object data{{"version", "1.0"}};
  if (before) {
    data["type"] = "Update";
    data["updatedAlarm"] = config_json(now_alarm);
    data["originalAlarm"] = config_json(*before);
  } else {
    data["type"] = "Create";
    data["createdAlarm"] = config_json(now_alarm);
  }
  return item(now_alarm.name, ts_ms, "ConfigurationUpdate",
              "Alarm \"" + now_alarm.name + "\" " + (before ? "updated" : "created"), data);
}

HistoryRow deletion_item(const std::string& alarm_name, int64_t ts_ms) {
  json::object data{{"version", "1.0"}, {"type", "Delete"}};
  return item(alarm_name, ts_ms, "ConfigurationUpdate", "Alarm \"" + alarm_name + "\" deleted",
              data);
}

HistoryRow state_item(const AlarmRow& before, const AlarmRow& after, int64_t ts_ms) {
  json::object data{
      {"version", "1.0"}, {"oldState", state_json(before)}, {"newState", state_json(after)}};
  return item(after.name, ts_ms, "StateUpdate",
              "Alarm updated from " + before.state + " to " + after.state, data);
}

HistoryRow action_item(const AlarmRow& alarm, const std::string& action_arn,
                       const ActionOutcome& outcome, int64_t ts_ms) {
  json::object data{{"actionState", outcome.ok ? "Succeeded" : "Failed"},
                    {"stateUpdateTimestamp", alarm.state_updated_ms},
                    {"notificationResource", action_arn}};
  if (!outcome.ok) data["error"] = outcome.message;
  std::string summary =
      (outcome.ok ? "Successfully executed action " : "Failed to execute action ") + action_arn;
  return item(alarm.name, ts_ms, "Action", std::move(summary), data);
}

}  // namespace services::cloudwatch
