// PutMetricAlarm, DescribeAlarms, DescribeAlarmsForMetric and DeleteAlarms.

#include <boost/json.hpp>

#include "core/ids.h"
#include "core/json.h"
#include "services/cloudwatch/alarm_history.h"
#include "services/cloudwatch/cloudwatch_json.h"
#include "services/cloudwatch/cloudwatch_service.h"
#include "services/cloudwatch/errors.h"
#include "services/cloudwatch/metric_query.h"
#include "services/cloudwatch/statistics.h"

namespace services::cloudwatch {

namespace json = boost::json;

namespace {

constexpr int64_t kMaxAlarms = 10'000;
constexpr int64_t kDaySeconds = 86'400;

bool anomaly_operator(const std::string& op) {
  return op == "LessThanLowerOrGreaterThanUpperThreshold" || op == "LessThanLowerThreshold" ||
         op == "GreaterThanUpperThreshold";
}

protocol::Result<void> check_actions(const Doc& in) {
  for (const char* list : {"OKActions", "AlarmActions", "InsufficientDataActions"}) {
    for (const std::string& arn : core::strings(in, list)) {
      core::ids::ParsedArn p;
      if (!core::ids::parse_arn(arn, &p)) {
        return errors::invalid_value("Invalid arn syntax: " + arn);
      }
    }
  }
  return {};
}

// The single-metric form: Namespace, MetricName, Period and one statistic.
protocol::Result<void> check_metric_form(const Doc& in) {
  if (in.contains("Metrics")) {
    for (const char* p : {"MetricName", "Namespace", "Statistic", "ExtendedStatistic", "Dimensions",
                          "Period", "Unit"}) {
      if (in.contains(p)) {
        return errors::combination("The parameters Metrics and " + std::string(p) +
                                   " are mutually exclusive and you have specified both.");
      }
    }
    return {};
  }
  if (!in.contains("MetricName")) return errors::missing("MetricName");
  if (!in.contains("Namespace")) return errors::missing("Namespace");
  if (!in.contains("Period")) return errors::missing("Period");
  bool stat = in.contains("Statistic");
  bool ext = in.contains("ExtendedStatistic");
  if (stat == ext) {
    return errors::combination(stat ? "The parameters Statistic and ExtendedStatistic are "
                                      "mutually exclusive and you have specified both."
                                    : "Exactly one of Statistic and ExtendedStatistic must be "
                                      "specified.");
  }
  if (ext && !is_percentile(*opt_string(in, "ExtendedStatistic"))) {
    return errors::invalid_value("ExtendedStatistic", *opt_string(in, "ExtendedStatistic"));
  }
  return {};
}

protocol::Result<int64_t> check_math_form(const Doc& in) {
  const json::array* metrics = core::arr(in, "Metrics");
  if (!metrics) return int64_t{0};
  CW_ASSIGN(std::vector<MetricQuery>, queries, parse_queries(*metrics, "Metrics"));
  int returning = 0;
  int64_t period = 0;
  for (const MetricQuery& q : queries) {
    returning += q.return_data ? 1 : 0;
    if (!q.expression) period = q.period_s;
  }
  if (returning != 1) {
    return errors::validation("Exactly one element of the metrics list should return data.");
  }
  return period;
}

}  // namespace

// PutMetricAlarm —
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
Reply CloudWatchService::put_metric_alarm(const Ctx& ctx, const Doc& in) {
  CW_CHECK(check_metric_form(in));
  CW_ASSIGN(int64_t, math_period, check_math_form(in));
  CW_CHECK(check_actions(in));
  std::string op = *opt_string(in, "ComparisonOperator");
  if (anomaly_operator(op)) {
    return errors::invalid_value("ComparisonOperator " + op +
                                 " needs an anomaly detection band (ThresholdMetricId), which is "
                                 "not supported.");
  }
  if (!in.contains("Threshold")) return errors::missing("Threshold");
  int64_t period = in.contains("Period") ? *opt_int(in, "Period") : math_period;
  if (period != 10 && period != 20 && period != 30 && period % 60 != 0) {
    return errors::invalid_value("The parameter Period must be 10, 20, 30 or a multiple of 60.");
  }
  int64_t n = *opt_int(in, "EvaluationPeriods");
  int64_t m = opt_int(in, "DatapointsToAlarm").value_or(n);
  if (m > n) {
    return errors::invalid_value("DatapointsToAlarm (" + std::to_string(m) +
                                 ") must be less than or equal to EvaluationPeriods (" +
                                 std::to_string(n) + ").");
  }
  int64_t max_range = period >= 3600 ? 7 * kDaySeconds : kDaySeconds;
  if (n * period > max_range) {
    return errors::invalid_value(
        "The evaluation period (EvaluationPeriods * Period) must not "
        "exceed " +
        std::to_string(max_range) + " seconds.");
  }
  AlarmRow a;
  a.account = ctx.account;
  a.region = ctx.region;
  a.name = *opt_string(in, "AlarmName");
  a.definition = in;
  for (const char* k : {"AlarmName", "ActionsEnabled", "Tags"}) a.definition.erase(k);
  if (!a.definition.contains("TreatMissingData")) a.definition["TreatMissingData"] = "missing";
  a.actions_enabled = core::opt_bool(in, "ActionsEnabled").value_or(true);
  int64_t now = now_ms();
  a.state_reason = "Unchecked: Initial alarm creation";
  a.state_updated_ms = a.state_transitioned_ms = a.config_updated_ms = now;
  if (const json::array* tags = core::arr(in, "Tags")) {
    for (const json::value& t : *tags) {
      a.tags[core::str(t.as_object(), "Key")] = core::str(t.as_object(), "Value");
    }
  }
  store::Transaction tx = db_.begin();
  CloudWatchStore st(tx);
  std::optional<AlarmRow> old = st.alarm(ctx.account, ctx.region, a.name);
  if (!old && st.count_alarms(ctx.account, ctx.region) >= kMaxAlarms) {
    return errors::limit_exceeded("The maximum number of alarms (" + std::to_string(kMaxAlarms) +
                                  ") has been reached.");
  }
  int64_t id = st.put_alarm(a);
  if (!old && !a.tags.empty()) st.set_tags(id, a.tags);
  std::optional<AlarmRow> stored = st.alarm_by_id(id);
  st.add_history(ctx.account, ctx.region, configuration_item(*stored, old, now));
  tx.commit();
  if (on_alarm_changed_) on_alarm_changed_(id);
  return json::object{};
}

// DescribeAlarms —
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html
Reply CloudWatchService::describe_alarms(const Ctx& ctx, const Doc& in) {
  std::vector<std::string> names = core::strings(in, "AlarmNames");
  std::optional<std::string> prefix = opt_string(in, "AlarmNamePrefix");
  if (!names.empty() && prefix) {
    return errors::combination(
        "The parameters AlarmNames and AlarmNamePrefix are mutually "
        "exclusive and you have specified both.");
  }
  std::vector<std::string> types = core::strings(in, "AlarmTypes");
  bool metric_alarms = types.empty() || std::count(types.begin(), types.end(), "MetricAlarm");
  std::optional<std::string> state = opt_string(in, "StateValue");
  std::optional<std::string> action_prefix = opt_string(in, "ActionPrefix");
  int64_t max = opt_int(in, "MaxRecords").value_or(50);
  std::string after;
  if (std::optional<std::string> token = opt_string(in, "NextToken")) {
    CW_ASSIGN(std::string, pos, read_token(*token));
    after = pos;
  }
  store::Transaction tx = db_.read();
  std::vector<AlarmRow> rows = CloudWatchStore(tx).alarms(ctx.account, ctx.region);
  tx.commit();
  json::array out;
  std::optional<std::string> next;
  for (const AlarmRow& a : rows) {
    if (!metric_alarms || a.name <= after) continue;
    if (!names.empty() && std::count(names.begin(), names.end(), a.name) == 0) continue;
    if (prefix && !a.name.starts_with(*prefix)) continue;
    if (state && a.state != *state) continue;
    if (action_prefix) {
      bool any = false;
      for (const char* list : {"OKActions", "AlarmActions", "InsufficientDataActions"}) {
        for (const std::string& arn : core::strings(a.definition, list)) {
          any = any || arn.starts_with(*action_prefix);
        }
      }
      if (!any) continue;
    }
    if (static_cast<int64_t>(out.size()) == max) {
      next = make_token(out.back().as_object().at("AlarmName").as_string());
      break;
    }
    out.push_back(alarm_json(a));
  }
  json::object reply{{"MetricAlarms", std::move(out)}, {"CompositeAlarms", json::array{}}};
  if (next) reply["NextToken"] = *next;
  return reply;
}

// DescribeAlarmsForMetric —
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmsForMetric.html
Reply CloudWatchService::describe_alarms_for_metric(const Ctx& ctx, const Doc& in) {
  CW_ASSIGN(Dimensions, dims, parse_dimensions(in, "Dimensions", "Dimensions"));
  bool filter_dims = in.contains("Dimensions");
  store::Transaction tx = db_.read();
  std::vector<AlarmRow> rows = CloudWatchStore(tx).alarms(ctx.account, ctx.region);
  tx.commit();
  json::array out;
  for (const AlarmRow& a : rows) {
    const Doc& d = a.definition;
    auto same = [&](const char* key) {
      return !in.contains(key) || (d.contains(key) && d.at(key) == in.at(key));
    };
    if (!same("MetricName") || !same("Namespace") || !same("Statistic") ||
        !same("ExtendedStatistic") || !same("Period") || !same("Unit")) {
      continue;
    }
    if (filter_dims) {
      protocol::Result<Dimensions> ad = parse_dimensions(d, "Dimensions", "Dimensions");
      if (!ad || *ad != dims) continue;
    }
    out.push_back(alarm_json(a));
  }
  return json::object{{"MetricAlarms", std::move(out)}};
}

// DeleteAlarms —
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DeleteAlarms.html
Reply CloudWatchService::delete_alarms(const Ctx& ctx, const Doc& in) {
  std::vector<std::string> names = core::strings(in, "AlarmNames");
  store::Transaction tx = db_.begin();
  CloudWatchStore st(tx);
  std::vector<int64_t> ids;
  for (const std::string& name : names) {
    std::optional<AlarmRow> a = st.alarm(ctx.account, ctx.region, name);
    if (!a) {
      return errors::alarm_not_found("1 alarm(s) not found: [" + name + "]");
    }
    ids.push_back(a->id);
  }
  int64_t now = now_ms();
  for (size_t i = 0; i < ids.size(); ++i) {
    st.delete_alarm(ids[i]);
    st.add_history(ctx.account, ctx.region, deletion_item(names[i], now));
  }
  tx.commit();
  return json::object{};
}

}  // namespace services::cloudwatch
