#pragma once
// Evaluates metric alarms, as CloudWatch does once a minute (a minute of AWS time: 1 s at
// --time-scale 60). A reconcile::Controller keyed by alarm id: read the alarm and its evaluation
// range of datapoints, decide with the pure evaluate_alarm(), then apply: the new state and a
// StateUpdate history item in one transaction, and afterwards the actions of the new state
// (recorded as Action history items; ARNs a registered AlarmActionSink handles are handed to it).
//
// Actions run on a state change, except Auto Scaling actions (arn:aws:autoscaling:...), which
// CloudWatch invokes again at each evaluation (once a minute) while the alarm stays in the state.
//
// Periods are aligned to the epoch and only complete ones are judged: at 10:03:20 a 60 s alarm
// with EvaluationPeriods 3 looks at 10:00, 10:01 and 10:02 (and two earlier periods, the
// evaluation range, for missing data).
//
// Threads: enqueue() from any thread; add_action_sink() before start(); start()/stop() from the
// module; run_ready() in tests.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.h"
#include "reconcile/controller.h"
#include "services/cloudwatch/alarm_action_sink.h"
#include "services/cloudwatch/alarm_evaluation.h"
#include "services/cloudwatch/cloudwatch_store.h"
#include "store/db.h"

namespace services::cloudwatch {

// An alarm's periods under the time scale: one period of `period_ms` AWS time lasts `real_ms`
// of real time. Real timestamps map to a stretched axis on which every real period is one AWS
// period (bucket k of real_ms is bucket k of period_ms), and back. Scale 1 is the identity.
struct ScaledAxis {
  ScaledAxis(int64_t period_ms, double time_scale);
  int64_t to_axis(int64_t real) const {
    return real / real_ms * period_ms + real % real_ms * period_ms / real_ms;
  }
  int64_t to_real(int64_t axis) const {
    return axis / period_ms * real_ms + axis % period_ms * real_ms / period_ms;
  }
  int64_t period_ms;
  int64_t real_ms;
};

// How long from now_ms until the next evaluation: a moment after the next boundary of a (scaled)
// minute, so that an alarm sees a period as soon as it is complete.
core::Duration until_next_evaluation(int64_t now_ms, double time_scale);

class AlarmEvaluator {
 public:
  static constexpr std::chrono::minutes kEvaluateEvery{1};

  AlarmEvaluator(store::Db& db, const core::Clock& clock);

  void add_action_sink(AlarmActionSink& sink) { sinks_.push_back(&sink); }
  void start() { controller_.start(); }
  void stop() { controller_.stop(); }
  void enqueue(int64_t alarm_id) { controller_.enqueue(std::to_string(alarm_id)); }
  size_t run_ready() { return controller_.run_ready(); }

  // Evaluates one alarm now; true when its state changed.
  bool evaluate(int64_t alarm_id);
  // Runs (and records) the actions for a state change already committed; with `repeat`, only the
  // Auto Scaling actions of the state the alarm stayed in.
  // `recent`: the repeat's datapoints, newest first (AlarmActionEvent::recent_datapoints).
  void run_actions(int64_t alarm_id, const std::string& old_state, bool repeat = false,
                   const std::vector<double>& recent = {});

  // The evaluation range of an alarm at now_ms, oldest first, and its rule.
  struct Range {
    AlarmRule rule;
    std::vector<EvalPoint> points;
  };
  Range read_range(CloudWatchStore& st, const AlarmRow& alarm, int64_t now_ms) const;

 private:
  reconcile::ReconcileResult reconcile(const std::string& key);

  store::Db& db_;
  const core::Clock& clock_;
  std::vector<AlarmActionSink*> sinks_;
  reconcile::Controller controller_;
};

}  // namespace services::cloudwatch
