#pragma once
// Publishes the AWS/ECS and ECS/ContainerInsights metrics (service_metrics.h) of every RUNNING
// task once a period: 60 s of AWS time by default (divided by the clock's time scale, so 1 s at
// --time-scale 60), as ECS sends its metrics "at one-minute intervals".
//
// Each period it reads every RUNNING task's containers through the same source as the task
// metadata endpoint's /stats (RuntimeContainers::stats: the cgroup counters), computes the
// period's CPU from the change in cumulative CPU time since the task's previous reading (a
// task's first reading gives its memory only), and puts the data through the CloudWatch MetricSink
// with the reading's timestamp. Container Insights data go only to clusters whose
// containerInsights setting is on (CreateCluster or UpdateClusterSettings, or the account
// default at CreateCluster).
//
// Publications keep to the epoch-aligned periods (of real time: period / time scale, at least
// 200 ms) on which CloudWatch's alarm evaluator judges a scaled minute, each a tenth of a period
// after a boundary: every task gives one value to each period, and the period is complete when
// the evaluator looks just after its end. A reconcile::Controller with one key that requeues
// itself. Threads: start()/stop() from the module; publish() and run_ready() in tests.

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "reconcile/controller.h"
#include "services/cloudwatch/metric_sink.h"
#include "services/ecs/service_metrics.h"
#include "services/ecs/task_metadata.h"
#include "store/db.h"

namespace services::ecs {

// Where the readings come from: the runtime in the module, fakes in tests.
struct TaskReadings {
  // One container's cgroup reading (and its namespace's interfaces, which every container of
  // the task shares); nullopt when it is not running.
  std::function<std::optional<ContainerStats>(const std::string& task_arn,
                                              const std::string& container)>
      stats;
};

// How long from `now` until the next publication: a tenth of `period` (real time) after the
// next epoch-aligned boundary of `period`.
core::Duration until_next_publication(core::TimePoint now, core::Duration period);

class EcsMetricsPublisher {
 public:
  static constexpr std::chrono::seconds kDefaultPeriod{60};

  // `period` in AWS time.
  EcsMetricsPublisher(store::Db& db, const core::Clock& clock, cloudwatch::MetricSink& sink,
                      TaskReadings readings, core::Duration period = kDefaultPeriod);

  void start() { controller_.start(); }
  void stop() { controller_.stop(); }
  std::size_t run_ready() { return controller_.run_ready(); }

  // Reads every RUNNING task now and puts its data; returns how many data were put.
  std::size_t publish();

 private:
  struct Collected {
    std::string account, region;
    std::vector<MetricDatum> data;
  };
  // The data of every RUNNING task (and, for Container Insights, of the services and clusters).
  std::vector<Collected> collect(double now);
  std::optional<TaskUsage> read_task(const std::string& arn, const std::vector<std::string>& names,
                                     double now);

  store::Db& db_;
  const core::Clock& clock_;
  cloudwatch::MetricSink& sink_;
  TaskReadings readings_;
  std::mutex mu_;  // serialises publish()
  std::map<std::string, TaskBaseline> baselines_;  // by task ARN
  reconcile::Controller controller_;
};

}  // namespace services::ecs
