#pragma once
// The ALB's CloudWatch metrics (namespace AWS/ApplicationELB), counted by the proxies and turned
// into data points once a minute (of AWS time) by LoadBalancerNodes.
//
// Counting: every request a proxy answers lands in the AlbCounters of its (load balancer, target
// group) pair, "" for the group when no forward action took it (a fixed response, a redirect, no
// rule). A request is counted when its exchange ends (a WebSocket tunnel when it closes); a 400 or
// 413 for a request whose load balancer is not known yet is not counted. Counters are relaxed
// atomics: a proxy worker finds its pair's counters through its own AlbCountersCache (no lock
// once cached), and the flush takes them with exchange(0) from another thread. A request counted
// while the flush runs may land half in this minute and half in the next (its count in one, its
// response time in the other); sums over minutes stay exact. Pairs are kept until the nodes stop
// or reset (a worker may hold a reference), so a deleted load balancer's few counters linger.
//
// Publishing (alb_metric_data(), pure): as AWS documents it, request metrics only when nonzero —
// RequestCount counts the requests for which a target was chosen (also when it then failed with
// 502/504); HTTPCode_Target_NXX_Count, TargetResponseTime (Seconds, as a statistic set with
// values for percentiles), HTTPCode_ELB_NXX_Count and HTTPCode_ELB_500/502/503/504_Count — and
// every minute, zero or not, for each target group a load balancer uses: RequestCountPerTarget
// (its requests divided by its healthy targets, or by all registered targets when none is
// healthy) and, when health checks are enabled, HealthyHostCount and UnHealthyHostCount (per
// AvailabilityZone too for targets registered with one). Dimension values are AWS's:
// LoadBalancer "app/<name>/<id>", TargetGroup "targetgroup/<name>/<id>".

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "dataplane/alb_config.h"

namespace dataplane {

// How one request ended, as the proxy saw it.
struct AlbRequestOutcome {
  bool target_chosen = false;  // counts toward RequestCount
  int target_status = 0;       // the status the target answered; 0: none
  int elb_status = 0;          // the status the load balancer answered itself; 0: none
  std::chrono::nanoseconds target_time{};  // request sent → response head read (target_status)
};

// TargetResponseTime's distribution: log buckets of microseconds, 8 per power of two (at most
// 9 % wide), plus the exact count, sum, minimum and maximum.
class ResponseTimes {
 public:
  static constexpr int kBuckets = 8 * 40;
  void record(uint64_t micros);

  struct Taken {
    uint64_t count = 0;
    uint64_t sum_us = 0;
    uint64_t min_us = 0;
    uint64_t max_us = 0;
    std::vector<std::pair<double, uint64_t>> buckets;  // (seconds, count), nonzero ones
  };
  // The counts since the last take(), reset to zero.
  Taken take();

  static int bucket_of(uint64_t micros);
  static double bucket_seconds(int bucket);  // the bucket's middle

 private:
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_us_{0};
  std::atomic<uint64_t> min_us_{~uint64_t{0}};
  std::atomic<uint64_t> max_us_{0};
  std::array<std::atomic<uint64_t>, kBuckets> buckets_{};
};

// Plain numbers of one (load balancer, target group) pair over one interval.
struct AlbCounts {
  uint64_t requests = 0;
  std::array<uint64_t, 4> target_codes{};  // 2XX, 3XX, 4XX, 5XX
  std::array<uint64_t, 4> elb_codes{};     // 2XX, 3XX, 4XX, 5XX
  std::array<uint64_t, 4> elb_5xx{};       // 500, 502, 503, 504
  ResponseTimes::Taken response_times;
};

// The live counters of one (load balancer, target group) pair.
class AlbCounters {
 public:
  void record(const AlbRequestOutcome& outcome);
  AlbCounts take();

 private:
  std::atomic<uint64_t> requests_{0};
  std::array<std::atomic<uint64_t>, 4> target_codes_{};
  std::array<std::atomic<uint64_t>, 4> elb_codes_{};
  std::array<std::atomic<uint64_t>, 4> elb_5xx_{};
  ResponseTimes response_times_;
};

// Every pair's counters, shared by the proxies of one LoadBalancerNodes. Thread-safe.
class AlbMetrics {
 public:
  using Key = std::pair<std::string, std::string>;  // (load balancer ARN, target group ARN or "")
  // The pair's counters, made on first use; the reference stays valid until clear().
  AlbCounters& counters(const std::string& lb_arn, const std::string& tg_arn);
  // Every pair's counts since the last take(); pairs with nothing counted are left out.
  std::map<Key, AlbCounts> take();
  // Forgets every pair. Only while no proxy counts (they hold references).
  void clear();

 private:
  std::mutex mu_;
  std::map<Key, std::unique_ptr<AlbCounters>> counters_;
};

// One proxy worker's lookup of AlbMetrics counters by snapshot objects, without a lock once
// cached. Its keys point into the snapshot it holds, so they cannot be reused while cached; a
// request on another snapshot starts the cache over. One thread only.
class AlbCountersCache {
 public:
  AlbCounters& get(AlbMetrics& metrics, const std::shared_ptr<const AlbSnapshot>& snapshot,
                   const SnapshotLoadBalancer& lb, const SnapshotTargetGroup* group);

 private:
  std::shared_ptr<const AlbSnapshot> snapshot_;
  std::map<std::pair<const void*, const void*>, AlbCounters*> entries_;
};

// One CloudWatch data point. A plain value has count 1 and sum = min = max = the value.
struct AlbMetricDatum {
  std::string account;
  std::string region;
  std::string name;
  std::vector<std::pair<std::string, std::string>> dimensions;  // (name, value)
  std::string unit;  // "Count" or "Seconds"
  double count = 1;
  double sum = 0;
  double min = 0;
  double max = 0;
  std::vector<std::pair<double, double>> values;  // (value, count) for percentiles, or empty
  core::TimePoint timestamp{};
};

inline constexpr const char* kAlbNamespace = "AWS/ApplicationELB";

// "app/<name>/<id>" from a load balancer ARN, "targetgroup/<name>/<id>" from a target group ARN.
std::string load_balancer_dimension(const std::string& arn);
std::string target_group_dimension(const std::string& arn);

// The data points of one interval: `counts` as AlbMetrics::take() returned them, health and
// registrations from `snapshot`. Pairs whose load balancer is not in the snapshot are dropped.
std::vector<AlbMetricDatum> alb_metric_data(const AlbSnapshot& snapshot,
                                            const std::map<AlbMetrics::Key, AlbCounts>& counts,
                                            core::TimePoint timestamp);

}  // namespace dataplane
