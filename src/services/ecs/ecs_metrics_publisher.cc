#include "services/ecs/ecs_metrics_publisher.h"

#include <algorithm>
#include <limits>
#include <set>
#include <tuple>

#include "core/json.h"
#include "core/log.h"
#include "core/period.h"
#include "services/ecs/ecs_store.h"
#include "store/transaction.h"

namespace services::ecs {

namespace {

core::Duration publish_period(const core::Clock& clock, core::Duration period) {
  return std::max<core::Duration>(clock.scaled(period), std::chrono::milliseconds(200));
}

using ClusterKey = std::tuple<std::string, std::string, std::string>;  // account, region, ARN

struct ClusterInfo {
  bool insights = false;
  std::int64_t running = 0;
};

// ECS's counts of the cluster's live services (Container Insights' service metrics).
std::vector<MetricDatum> insights_counts(store::Transaction& tx, const ClusterRow& c,
                                         std::int64_t running_tasks) {
  std::string arn = core::str(c.doc, "clusterArn");
  std::string cluster = core::str(c.doc, "clusterName");
  EcsStore st(tx, c.account, c.region);
  std::vector<MetricDatum> out;
  std::int64_t services = 0;
  for (const std::string& service_arn :
       st.service_arns(arn, std::nullopt, std::nullopt, "", std::numeric_limits<int64_t>::max())) {
    std::optional<Service> s = st.service(service_arn);
    if (!s || s->status != "ACTIVE") continue;
    ++services;
    std::vector<MetricDatum> d =
        service_count_metrics({cluster, s->name, s->desired_count, s->running_count.value_or(0),
                               s->pending_count.value_or(0)});
    out.insert(out.end(), d.begin(), d.end());
  }
  std::vector<MetricDatum> d = cluster_count_metrics(cluster, running_tasks, services);
  out.insert(out.end(), d.begin(), d.end());
  return out;
}

}  // namespace

EcsMetricsPublisher::EcsMetricsPublisher(store::Db& db, const core::Clock& clock,
                                         cloudwatch::MetricSink& sink, TaskReadings readings,
                                         core::Duration period)
    : db_(db),
      clock_(clock),
      sink_(sink),
      readings_(std::move(readings)),
      period_(publish_period(clock, period)),
      controller_("ecs-metrics", clock, [this](const std::string&) { return tick(); },
                  {.workers = 1, .resync_period = publish_period(clock, period), .list_keys = [] {
                     return std::vector<std::string>{"metrics"};
                   }}) {}

std::optional<TaskUsage> EcsMetricsPublisher::read_task(const std::string& arn,
                                                        const std::vector<std::string>& names,
                                                        double now) {
  TaskUsage u;
  bool any = false;
  for (const std::string& name : names) {
    std::optional<ContainerStats> s = readings_.stats ? readings_.stats(arn, name) : std::nullopt;
    if (!s) continue;
    any = true;
    if (s->cgroup.cpu) u.cpu_ns += s->cgroup.cpu->usage_ns;
    if (s->cgroup.memory) u.memory_bytes += memory_used(*s->cgroup.memory);
    if (!u.network && !s->networks.empty()) u.network = network_total(s->networks);
  }
  if (!any) return std::nullopt;
  u.at = now;
  return u;
}

std::vector<EcsMetricsPublisher::Collected> EcsMetricsPublisher::collect(double now) {
  std::vector<UnstoppedTask> tasks = unstopped_tasks(db_);
  std::vector<ClusterRow> clusters;
  {
    store::Transaction tx = db_.read();
    clusters = active_clusters(tx);
  }
  std::map<ClusterKey, ClusterInfo> info;
  for (const ClusterRow& c : clusters) {
    info[{c.account, c.region, core::str(c.doc, "clusterArn")}].insights = insights_enabled(c.doc);
  }
  std::map<std::pair<std::string, std::string>, std::vector<MetricDatum>> data;
  std::map<std::string, TaskBaseline> next;
  for (const UnstoppedTask& t : tasks) {
    if (t.task.last_status != "RUNNING") continue;
    std::vector<std::string> names;
    for (const TaskContainer& c : t.task.containers) names.push_back(c.name);
    std::optional<TaskUsage> u = read_task(t.task.arn, names, now);
    if (!u) continue;
    ClusterInfo& cluster = info[{t.account, t.region, t.task.cluster_arn}];
    ++cluster.running;
    u->cluster = name_of(t.task.cluster_arn);
    if (t.task.group.starts_with("service:")) u->service = t.task.group.substr(8);
    u->family = family_of(t.task.task_definition_arn);
    u->insights = cluster.insights;
    u->reserved = task_reservation(t.task.doc);
    // A task's first reading is only a baseline: since its start, the counters hold the
    // container's own start-up (runc, the init) over too short a time to be a rate.
    std::optional<TaskBaseline> before;
    if (auto it = baselines_.find(t.task.arn); it != baselines_.end()) before = it->second;
    std::vector<MetricDatum> d = task_metrics(*u, before);
    std::vector<MetricDatum>& out = data[{t.account, t.region}];
    out.insert(out.end(), d.begin(), d.end());
    next[t.task.arn] = TaskBaseline{u->cpu_ns, u->network, now};
  }
  baselines_ = std::move(next);
  store::Transaction tx = db_.read();
  for (const ClusterRow& c : clusters) {
    const ClusterInfo& ci = info[{c.account, c.region, core::str(c.doc, "clusterArn")}];
    if (!ci.insights) continue;
    std::vector<MetricDatum> d = insights_counts(tx, c, ci.running);
    std::vector<MetricDatum>& out = data[{c.account, c.region}];
    out.insert(out.end(), d.begin(), d.end());
  }
  std::vector<Collected> out;
  for (auto& [where, d] : data) out.push_back({where.first, where.second, std::move(d)});
  return out;
}

std::size_t EcsMetricsPublisher::publish() { return publish_as_of(clock_.now()); }

std::size_t EcsMetricsPublisher::publish_as_of(core::TimePoint stamp) {
  std::lock_guard lock(mu_);
  std::size_t put = 0;
  for (const Collected& c : collect(core::to_epoch_seconds(clock_.now()))) {
    put += sink_.put_all(c.account, c.region, c.data, stamp);  // one transaction in the store
  }
  return put;
}

// Once per period, just after its boundary (periods aligned to the epoch, as CloudWatch's are),
// with the data stamped in the period that just ended: an alarm evaluated right after the
// boundary (cloudwatch/alarm_evaluator.h) sees it at once. A resync in mid-period only requeues.
reconcile::ReconcileResult EcsMetricsPublisher::tick() {
  using std::chrono::milliseconds;
  const int64_t period = std::chrono::duration_cast<milliseconds>(period_).count();
  const int64_t now = core::to_epoch_millis(clock_.now());
  const int64_t boundary = core::period_start_ms(now, period);
  if (boundary != last_boundary_) {
    last_boundary_ = boundary;
    publish_as_of(core::from_epoch_millis(boundary - 1));
  }
  constexpr int64_t kAfterBoundary = 5;
  return reconcile::ReconcileResult::requeue_after(
      core::until_after_next_boundary(core::to_epoch_millis(clock_.now()), period, kAfterBoundary));
}

}  // namespace services::ecs
