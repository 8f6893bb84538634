#include "services/cloudwatch/alarm_evaluator.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>

#include "core/json.h"
#include "core/log.h"
#include "core/period.h"
#include "services/cloudwatch/alarm_history.h"
#include "services/cloudwatch/cloudwatch_json.h"
#include "services/cloudwatch/metric_query.h"
#include "services/cloudwatch/statistics.h"

namespace services::cloudwatch {

namespace json = boost::json;

namespace {

core::Duration evaluate_period(const core::Clock& clock) {
  return std::max<core::Duration>(clock.scaled(AlarmEvaluator::kEvaluateEvery),
                                  std::chrono::milliseconds(200));
}

AlarmRule rule_of(const json::object& d) {
  AlarmRule r;
  r.comparison = core::str(d, "ComparisonOperator");
  r.threshold = opt_double(d, "Threshold").value_or(0);
  r.evaluation_periods = static_cast<int>(core::opt_int(d, "EvaluationPeriods").value_or(1));
  r.datapoints_to_alarm =
      static_cast<int>(core::opt_int(d, "DatapointsToAlarm").value_or(r.evaluation_periods));
  r.treat_missing = core::str(d, "TreatMissingData", "missing");
  r.statistic = core::str(d, "Statistic", core::str(d, "ExtendedStatistic"));
  r.period_s = core::opt_int(d, "Period").value_or(60);
  return r;
}

}  // namespace

ScaledAxis::ScaledAxis(int64_t period_ms, double time_scale)
    : period_ms(period_ms),
      real_ms(std::max<int64_t>(
          1, std::llround(static_cast<double>(period_ms) / std::max(time_scale, 1e-9)))) {}

AlarmEvaluator::AlarmEvaluator(store::Db& db, const core::Clock& clock)
    : db_(db),
      clock_(clock),
      controller_("cloudwatch-alarms", clock,
                  [this](const std::string& key) { return reconcile(key); },
                  {.workers = 1, .resync_period = evaluate_period(clock), .list_keys = [this] {
                     std::vector<std::string> keys;
                     store::Transaction tx = db_.read();
                     for (int64_t id : CloudWatchStore(tx).alarm_ids()) {
                       keys.push_back(std::to_string(id));
                     }
                     tx.commit();
                     return keys;
                   }}) {}

AlarmEvaluator::Range AlarmEvaluator::read_range(CloudWatchStore& st, const AlarmRow& alarm,
                                                 int64_t now_ms) const {
  const json::object& d = alarm.definition;
  Range r{rule_of(d), {}};
  std::vector<MetricQuery> queries;
  if (const json::array* metrics = core::arr(d, "Metrics")) {
    if (auto parsed = parse_queries(*metrics, "Metrics")) queries = std::move(*parsed);
    for (const MetricQuery& q : queries) {
      if (!q.expression) r.rule.period_s = q.period_s;
    }
  } else {
    MetricQuery q;
    q.id = "m1";
    q.ns = core::str(d, "Namespace");
    q.name = core::str(d, "MetricName");
    if (auto dims = parse_dimensions(d, "Dimensions", "Dimensions")) q.dimensions = *dims;
    q.stat = r.rule.statistic;
    q.unit = opt_string(d, "Unit");
    q.period_s = r.rule.period_s;
    queries.push_back(std::move(q));
  }
  // Under a time scale an alarm period is period/scale of real time. The queries run on an axis
  // stretched by the scale (real bucket k of real_ms is axis bucket k of period_ms), so that
  // statistics and math see AWS periods; points come back to real time for the history.
  int64_t period_ms = r.rule.period_s * 1000;
  const ScaledAxis axis{period_ms, clock_.time_scale()};
  int64_t end = axis.to_axis(now_ms / axis.real_ms * axis.real_ms);
  int64_t start = end - (r.rule.evaluation_periods + kExtraPeriods) * period_ms;
  SampleFetch fetch = [&](const MetricQuery& q, int64_t from, int64_t to) {
    std::optional<int64_t> id =
        st.metric_id(alarm.account, alarm.region, q.ns, q.name, q.dimensions);
    std::vector<Sample> out =
        id ? st.samples(*id, axis.to_real(from), axis.to_real(to)) : std::vector<Sample>{};
    for (Sample& s : out) s.ts_ms = axis.to_axis(s.ts_ms);
    return out;
  };
  Series series;
  std::map<int64_t, double> counts;
  if (auto out = run_queries(queries, start, end, fetch); out && !out->empty()) {
    series = out->front().series;
    if (!queries.front().expression && queries.size() == 1) {
      // Sample counts for StateReasonData's evaluatedDatapoints.
      for (const auto& [k, agg] : bucket_samples(fetch(queries.front(), start, end), start, end,
                                                 period_ms, queries.front().unit, false)) {
        counts[k.first] = agg.count;
      }
    }
  }
  for (int64_t t = start; t < end; t += period_ms) {
    EvalPoint p{axis.to_real(t), std::nullopt, 0};
    if (auto it = series.points.find(t); it != series.points.end() && std::isfinite(it->second)) {
      p.value = it->second;
      p.sample_count = counts.count(t) ? counts[t] : 1.0;
    }
    r.points.push_back(p);
  }
  return r;
}

bool AlarmEvaluator::evaluate(int64_t alarm_id) {
  int64_t now = core::to_epoch_millis(clock_.now());
  store::Transaction tx = db_.begin();
  CloudWatchStore st(tx);
  std::optional<AlarmRow> before = st.alarm_by_id(alarm_id);
  if (!before) {
    return false;
  }
  Range range = read_range(st, *before, now);
  std::optional<Evaluation> next = evaluate_alarm(range.rule, range.points, before->state, now);
  if (!next) {
    tx.commit();
    std::vector<double> recent;
    for (auto it = range.points.rbegin(); it != range.points.rend(); ++it) {
      if (it->value) recent.push_back(*it->value);
    }
    run_actions(alarm_id, before->state, true, recent);
    return false;
  }
  st.set_state(alarm_id, next->state, next->reason, json::serialize(next->reason_data), now);
  std::optional<AlarmRow> after = st.alarm_by_id(alarm_id);
  st.add_history(before->account, before->region, state_item(*before, *after, now));
  tx.commit();
  core::log::info("cloudwatch alarm state changed",
                  {{"alarm", before->name}, {"from", before->state}, {"to", next->state}});
  run_actions(alarm_id, before->state);
  return true;
}

void AlarmEvaluator::run_actions(int64_t alarm_id, const std::string& old_state, bool repeat,
                                 const std::vector<double>& recent) {
  std::optional<AlarmRow> alarm;
  {
    store::Transaction tx = db_.read();
    alarm = CloudWatchStore(tx).alarm_by_id(alarm_id);
    tx.commit();
  }
  if (!alarm || !alarm->actions_enabled) {
    return;
  }
  const char* list = alarm->state == "ALARM" ? "AlarmActions"
                     : alarm->state == "OK"  ? "OKActions"
                                             : "InsufficientDataActions";
  std::vector<HistoryRow> items;
  for (const std::string& arn : core::strings(alarm->definition, list)) {
    if (repeat && !arn.starts_with("arn:aws:autoscaling:")) continue;
    ActionOutcome outcome;
    auto sink = std::find_if(sinks_.begin(), sinks_.end(),
                             [&](AlarmActionSink* s) { return s->handles(arn); });
    if (sink != sinks_.end()) {
      AlarmActionEvent ev{alarm->account,
                          alarm->region,
                          alarm->name,
                          alarm_arn(alarm->account, alarm->region, alarm->name),
                          arn,
                          old_state,
                          alarm->state,
                          alarm->state_reason,
                          alarm->state_updated_ms,
                          recent};
      outcome = (*sink)->invoke(ev);
    }
    items.push_back(action_item(*alarm, arn, outcome, core::to_epoch_millis(clock_.now())));
  }
  if (items.empty()) {
    return;
  }
  store::Transaction tx = db_.begin();
  CloudWatchStore st(tx);
  for (const HistoryRow& h : items) st.add_history(alarm->account, alarm->region, h);
  tx.commit();
}

reconcile::ReconcileResult AlarmEvaluator::reconcile(const std::string& key) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), id);
  if (ec != std::errc() || end != key.data() + key.size()) {
    return reconcile::ReconcileResult::done();
  }
  evaluate(id);
  store::Transaction tx = db_.read();
  bool alive = CloudWatchStore(tx).alarm_by_id(id).has_value();
  tx.commit();
  if (!alive) return reconcile::ReconcileResult::done();
  return reconcile::ReconcileResult::requeue_after(
      until_next_evaluation(core::to_epoch_millis(clock_.now()), clock_.time_scale()));
}

core::Duration until_next_evaluation(int64_t now_ms, double time_scale) {
  // Just after each (scaled) minute boundary, when the minute that ended has its datapoints:
  // in-process publishers put theirs at the boundary.
  const ScaledAxis minute{60000, time_scale};
  int64_t grace = std::clamp<int64_t>(minute.real_ms / 20, 50, 1000);
  return core::until_after_next_boundary(now_ms - grace, minute.real_ms);
}

}  // namespace services::cloudwatch
