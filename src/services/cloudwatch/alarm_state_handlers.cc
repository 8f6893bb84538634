// SetAlarmState, EnableAlarmActions, DisableAlarmActions and DescribeAlarmHistory.

#include <boost/json.hpp>

#include "core/json.h"
#include "services/cloudwatch/alarm_history.h"
#include "services/cloudwatch/cloudwatch_json.h"
#include "services/cloudwatch/cloudwatch_service.h"
#include "services/cloudwatch/errors.h"

namespace services::cloudwatch {

namespace json = boost::json;

// SetAlarmState —
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_SetAlarmState.html
Reply CloudWatchService::set_alarm_state(const Ctx& ctx, const Doc& in) {
  std::string name = *opt_string(in, "AlarmName");
  std::optional<std::string> data = opt_string(in, "StateReasonData");
  if (data) {
    json::error_code ec;
    json::value parsed = json::parse(*data, ec);
    if (ec || !parsed.is_object()) {
      return errors::invalid_format("Unable to parse StateReasonData as JSON: " + *data);
    }
  }
  store::Transaction tx = db_.begin();
  CloudWatchStore st(tx);
  std::optional<AlarmRow> before = st.alarm(ctx.account, ctx.region, name);
  if (!before) {
    return errors::alarm_not_found("Alarm " + name + " not found");
  }
  int64_t now = now_ms();
  std::string state = *opt_string(in, "StateValue");
  st.set_state(before->id, state, *opt_string(in, "StateReason"), data, now);
  std::optional<AlarmRow> after = st.alarm_by_id(before->id);
  bool changed = before->state != state;
  if (changed) {
    st.add_history(ctx.account, ctx.region, state_item(*before, *after, now));
  }
  tx.commit();
  if (changed && on_state_set_) on_state_set_(before->id, before->state);
  return json::object{};
}

Reply CloudWatchService::set_actions(const Ctx& ctx, const Doc& in, bool enabled) {
  store::Transaction tx = db_.begin();
  CloudWatchStore st(tx);
  // Names that are not alarms are skipped, as CloudWatch does.
  for (const std::string& name : core::strings(in, "AlarmNames")) {
    if (std::optional<AlarmRow> a = st.alarm(ctx.account, ctx.region, name)) {
      st.set_actions_enabled(a->id, enabled);
    }
  }
  tx.commit();
  return json::object{};
}

// EnableAlarmActions —
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_EnableAlarmActions.html
Reply CloudWatchService::enable_alarm_actions(const Ctx& ctx, const Doc& in) {
  return set_actions(ctx, in, true);
}

// DisableAlarmActions —
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DisableAlarmActions.html
Reply CloudWatchService::disable_alarm_actions(const Ctx& ctx, const Doc& in) {
  return set_actions(ctx, in, false);
}

// DescribeAlarmHistory —
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmHistory.html
Reply CloudWatchService::describe_alarm_history(const Ctx& ctx, const Doc& in) {
  HistoryQuery q;
  q.alarm_name = opt_string(in, "AlarmName");
  q.item_type = opt_string(in, "HistoryItemType");
  q.start_ms = opt_time_ms(in, "StartDate").value_or(0);
  q.end_ms = opt_time_ms(in, "EndDate").value_or(INT64_MAX);
  q.ascending = opt_string(in, "ScanBy").value_or("TimestampDescending") == "TimestampAscending";
  q.limit = opt_int(in, "MaxRecords").value_or(100) + 1;
  if (std::optional<std::string> token = opt_string(in, "NextToken")) {
    CW_ASSIGN(int64_t, position, read_number_token(*token));
    q.after_id = position;
  }
  std::vector<std::string> types = core::strings(in, "AlarmTypes");
  bool metric_alarms = types.empty() || std::count(types.begin(), types.end(), "MetricAlarm");
  store::Transaction tx = db_.read();
  std::vector<HistoryRow> rows = metric_alarms
                                     ? CloudWatchStore(tx).history(ctx.account, ctx.region, q)
                                     : std::vector<HistoryRow>{};
  tx.commit();
  json::object out;
  if (static_cast<int64_t>(rows.size()) == q.limit) {
    rows.pop_back();
    out["NextToken"] = make_token(std::to_string(rows.back().id));
  }
  json::array items;
  for (const HistoryRow& h : rows) {
    items.push_back(json::object{{"AlarmName", h.alarm_name},
                                 {"AlarmType", h.alarm_type},
                                 {"Timestamp", epoch_seconds(h.ts_ms)},
                                 {"HistoryItemType", h.item_type},
                                 {"HistorySummary", h.summary},
                                 {"HistoryData", h.data}});
  }
  out["AlarmHistoryItems"] = std::move(items);
  return out;
}

}  // namespace services::cloudwatch
