#include "dataplane/alb_metrics.h"

#include <algorithm>
#include <bit>

namespace dataplane {

namespace {

constexpr auto kRelaxed = std::memory_order_relaxed;

void add(std::atomic<uint64_t>& a, uint64_t n = 1) { a.fetch_add(n, kRelaxed); }
uint64_t take_one(std::atomic<uint64_t>& a) { return a.exchange(0, kRelaxed); }

template <size_t N>
std::array<uint64_t, N> take_all(std::array<std::atomic<uint64_t>, N>& a) {
  std::array<uint64_t, N> out{};
  for (size_t i = 0; i < N; ++i) out[i] = take_one(a[i]);
  return out;
}

// 2XX..5XX as 0..3; -1 for anything else (1XX is never final here).
int code_class(int status) { return status >= 200 && status < 600 ? status / 100 - 2 : -1; }

int elb_5xx_index(int status) {
  switch (status) {
    case 500:
      return 0;
    case 502:
      return 1;
    case 503:
      return 2;
    case 504:
      return 3;
    default:
      return -1;
  }
}

// The part of an ARN after its fifth ':' with `strip` removed from its front.
std::string arn_resource(const std::string& arn, const std::string& strip) {
  size_t pos = std::string::npos;
  for (int i = 0, from = 0; i < 5; ++i, from = static_cast<int>(pos) + 1) {
    pos = arn.find(':', static_cast<size_t>(from));
    if (pos == std::string::npos) break;
  }
  std::string resource = pos == std::string::npos ? arn : arn.substr(pos + 1);
  if (resource.rfind(strip, 0) == 0) resource.erase(0, strip.size());
  return resource;
}

void merge(ResponseTimes::Taken& into, const ResponseTimes::Taken& from) {
  if (from.count == 0) return;
  into.min_us = into.count == 0 ? from.min_us : std::min(into.min_us, from.min_us);
  into.max_us = std::max(into.max_us, from.max_us);
  into.count += from.count;
  into.sum_us += from.sum_us;
  std::map<double, uint64_t> buckets(into.buckets.begin(), into.buckets.end());
  for (const auto& [seconds, n] : from.buckets) buckets[seconds] += n;
  into.buckets.assign(buckets.begin(), buckets.end());
}

void merge(AlbCounts& into, const AlbCounts& from) {
  into.requests += from.requests;
  for (size_t i = 0; i < 4; ++i) {
    into.target_codes[i] += from.target_codes[i];
    into.elb_codes[i] += from.elb_codes[i];
    into.elb_5xx[i] += from.elb_5xx[i];
  }
  merge(into.response_times, from.response_times);
}

using Dims = std::vector<std::pair<std::string, std::string>>;

// Appends data points for one load balancer's account and region at one timestamp.
class Emitter {
 public:
  Emitter(std::vector<AlbMetricDatum>& out, const SnapshotLoadBalancer& lb, core::TimePoint ts)
      : out_(out), lb_(lb), ts_(ts) {}

  void count(const char* name, Dims dims, double value) {
    AlbMetricDatum d = base(name, std::move(dims), "Count");
    d.sum = d.min = d.max = value;
    out_.push_back(std::move(d));
  }
  void nonzero(const char* name, const Dims& dims, uint64_t value) {
    if (value != 0) count(name, dims, static_cast<double>(value));
  }
  // The request metrics both dimension sets share (LoadBalancer; TargetGroup, LoadBalancer).
  void requests(const Dims& dims, const AlbCounts& c) {
    static constexpr const char* kTarget[] = {"HTTPCode_Target_2XX_Count",
                                              "HTTPCode_Target_3XX_Count",
                                              "HTTPCode_Target_4XX_Count",
                                              "HTTPCode_Target_5XX_Count"};
    nonzero("RequestCount", dims, c.requests);
    for (size_t i = 0; i < 4; ++i) nonzero(kTarget[i], dims, c.target_codes[i]);
    const ResponseTimes::Taken& rt = c.response_times;
    if (rt.count == 0) return;
    AlbMetricDatum d = base("TargetResponseTime", dims, "Seconds");
    d.count = static_cast<double>(rt.count);
    d.sum = static_cast<double>(rt.sum_us) / 1e6;
    d.min = static_cast<double>(rt.min_us) / 1e6;
    d.max = static_cast<double>(rt.max_us) / 1e6;
    for (const auto& [seconds, n] : rt.buckets) d.values.emplace_back(seconds, static_cast<double>(n));
    out_.push_back(std::move(d));
  }
  void elb(const Dims& dims, const AlbCounts& c) {
    static constexpr const char* kClass[] = {"HTTPCode_ELB_2XX_Count", "HTTPCode_ELB_3XX_Count",
                                             "HTTPCode_ELB_4XX_Count", "HTTPCode_ELB_5XX_Count"};
    static constexpr const char* k5xx[] = {"HTTPCode_ELB_500_Count", "HTTPCode_ELB_502_Count",
                                           "HTTPCode_ELB_503_Count", "HTTPCode_ELB_504_Count"};
    for (size_t i = 0; i < 4; ++i) nonzero(kClass[i], dims, c.elb_codes[i]);
    for (size_t i = 0; i < 4; ++i) nonzero(k5xx[i], dims, c.elb_5xx[i]);
  }

 private:
  AlbMetricDatum base(const char* name, Dims dims, const char* unit) {
    AlbMetricDatum d;
    d.account = lb_.account;
    d.region = lb_.region;
    d.name = name;
    d.dimensions = std::move(dims);
    d.unit = unit;
    d.timestamp = ts_;
    return d;
  }

  std::vector<AlbMetricDatum>& out_;
  const SnapshotLoadBalancer& lb_;
  core::TimePoint ts_;
};

struct Health {
  int healthy = 0;
  int unhealthy = 0;
};

// RequestCountPerTarget's divisor: the healthy targets, or every registered one when none is.
double per_target_divisor(const SnapshotTargetGroup& group) {
  int healthy = 0;
  int registered = 0;
  for (const auto& t : group.targets) {
    healthy += t.state == TargetState::Healthy ? 1 : 0;
    registered += t.state == TargetState::Draining ? 0 : 1;
  }
  return static_cast<double>(healthy > 0 ? healthy : std::max(registered, 1));
}

// Healthy and unhealthy targets by availability zone ("": all of them).
std::map<std::string, Health> health_by_zone(const SnapshotTargetGroup& group) {
  std::map<std::string, Health> out;
  auto tally = [](Health& h, TargetState s) {
    h.healthy += s == TargetState::Healthy ? 1 : 0;
    h.unhealthy += s == TargetState::Unhealthy ? 1 : 0;
  };
  out[""];
  for (const auto& t : group.targets) {
    tally(out[""], t.state);
    if (!t.availability_zone.empty()) tally(out[t.availability_zone], t.state);
  }
  return out;
}

// The metrics a target group publishes every minute for load balancer `lb`.
void group_metrics(Emitter& emit, const SnapshotTargetGroup& group, const std::string& lb_dim,
                   uint64_t requests) {
  std::string tg_dim = target_group_dimension(group.arn);
  Dims dims{{"TargetGroup", tg_dim}, {"LoadBalancer", lb_dim}};
  emit.count("RequestCountPerTarget", dims,
             static_cast<double>(requests) / per_target_divisor(group));
  if (!group.health_check.enabled) return;
  for (const auto& [zone, h] : health_by_zone(group)) {
    Dims d = zone.empty() ? dims
                          : Dims{{"TargetGroup", tg_dim}, {"AvailabilityZone", zone},
                                 {"LoadBalancer", lb_dim}};
    emit.count("HealthyHostCount", d, h.healthy);
    emit.count("UnHealthyHostCount", d, h.unhealthy);
  }
}

}  // namespace

int ResponseTimes::bucket_of(uint64_t micros) {
  if (micros < 8) return static_cast<int>(micros);
  int e = std::bit_width(micros) - 1;  // >= 3
  int b = (e - 2) * 8 + static_cast<int>((micros >> (e - 3)) & 7);
  return std::min(b, kBuckets - 1);
}

double ResponseTimes::bucket_seconds(int bucket) {
  if (bucket < 8) return (bucket + 0.5) / 1e6;
  int e = bucket / 8 + 2;
  double width = static_cast<double>(uint64_t{1} << (e - 3));
  double lower = (8 + bucket % 8) * width;
  return (lower + width / 2) / 1e6;
}

void ResponseTimes::record(uint64_t micros) {
  add(count_);
  add(sum_us_, micros);
  add(buckets_[static_cast<size_t>(bucket_of(micros))]);
  uint64_t seen = min_us_.load(kRelaxed);
  while (micros < seen && !min_us_.compare_exchange_weak(seen, micros, kRelaxed)) {
  }
  seen = max_us_.load(kRelaxed);
  while (micros > seen && !max_us_.compare_exchange_weak(seen, micros, kRelaxed)) {
  }
}

ResponseTimes::Taken ResponseTimes::take() {
  Taken t;
  t.count = take_one(count_);
  t.sum_us = take_one(sum_us_);
  t.min_us = min_us_.exchange(~uint64_t{0}, kRelaxed);
  t.max_us = max_us_.exchange(0, kRelaxed);
  for (int b = 0; b < kBuckets; ++b) {
    if (uint64_t n = take_one(buckets_[static_cast<size_t>(b)])) {
      t.buckets.emplace_back(bucket_seconds(b), n);
    }
  }
  if (t.count == 0) return Taken{};
  t.min_us = std::min(t.min_us, t.max_us);  // a record() split by the take
  return t;
}

void AlbCounters::record(const AlbRequestOutcome& o) {
  if (o.target_chosen) add(requests_);
  if (int c = code_class(o.target_status); c >= 0) {
    add(target_codes_[static_cast<size_t>(c)]);
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(o.target_time).count();
    response_times_.record(static_cast<uint64_t>(std::max<int64_t>(us, 0)));
  }
  if (int c = code_class(o.elb_status); c >= 0) add(elb_codes_[static_cast<size_t>(c)]);
  if (int i = elb_5xx_index(o.elb_status); i >= 0) add(elb_5xx_[static_cast<size_t>(i)]);
}

AlbCounts AlbCounters::take() {
  AlbCounts c;
  c.requests = take_one(requests_);
  c.target_codes = take_all(target_codes_);
  c.elb_codes = take_all(elb_codes_);
  c.elb_5xx = take_all(elb_5xx_);
  c.response_times = response_times_.take();
  return c;
}

AlbCounters& AlbMetrics::counters(const std::string& lb_arn, const std::string& tg_arn) {
  std::lock_guard lock(mu_);
  auto& slot = counters_[{lb_arn, tg_arn}];
  if (!slot) slot = std::make_unique<AlbCounters>();
  return *slot;
}

std::map<AlbMetrics::Key, AlbCounts> AlbMetrics::take() {
  std::lock_guard lock(mu_);
  std::map<Key, AlbCounts> out;
  for (auto& [key, counters] : counters_) {
    AlbCounts c = counters->take();
    bool any = c.requests != 0 || c.response_times.count != 0;
    for (size_t i = 0; i < 4; ++i) any = any || c.target_codes[i] != 0 || c.elb_codes[i] != 0;
    if (any) out.emplace(key, std::move(c));
  }
  return out;
}

void AlbMetrics::clear() {
  std::lock_guard lock(mu_);
  counters_.clear();
}

AlbCounters& AlbCountersCache::get(AlbMetrics& metrics,
                                   const std::shared_ptr<const AlbSnapshot>& snapshot,
                                   const SnapshotLoadBalancer& lb,
                                   const SnapshotTargetGroup* group) {
  if (snapshot != snapshot_) {
    entries_.clear();
    snapshot_ = snapshot;
  }
  AlbCounters*& slot = entries_[{&lb, group}];
  if (slot == nullptr) slot = &metrics.counters(lb.arn, group == nullptr ? "" : group->arn);
  return *slot;
}

std::string load_balancer_dimension(const std::string& arn) {
  return arn_resource(arn, "loadbalancer/");
}

std::string target_group_dimension(const std::string& arn) { return arn_resource(arn, ""); }

std::vector<AlbMetricDatum> alb_metric_data(const AlbSnapshot& snapshot,
                                            const std::map<AlbMetrics::Key, AlbCounts>& counts,
                                            core::TimePoint timestamp) {
  std::vector<AlbMetricDatum> out;
  std::map<std::string, uint64_t> group_requests;  // by target group, over every load balancer
  for (const auto& [key, c] : counts) {
    if (!key.second.empty()) group_requests[key.second] += c.requests;
  }
  for (const SnapshotLoadBalancer& lb : snapshot.load_balancers) {
    Emitter emit(out, lb, timestamp);
    std::string lb_dim = load_balancer_dimension(lb.arn);
    AlbCounts total;
    for (auto it = counts.lower_bound({lb.arn, ""}); it != counts.end() && it->first.first == lb.arn;
         ++it) {
      merge(total, it->second);
      if (!it->first.second.empty()) {
        emit.requests({{"TargetGroup", target_group_dimension(it->first.second)},
                       {"LoadBalancer", lb_dim}},
                      it->second);
      }
    }
    emit.requests({{"LoadBalancer", lb_dim}}, total);
    emit.elb({{"LoadBalancer", lb_dim}}, total);
    for (const auto& [arn, group] : snapshot.target_groups) {
      if (std::find(group.load_balancer_arns.begin(), group.load_balancer_arns.end(), lb.arn) ==
          group.load_balancer_arns.end()) {
        continue;
      }
      auto it = counts.find({lb.arn, arn});
      group_metrics(emit, group, lb_dim, it == counts.end() ? 0 : it->second.requests);
    }
  }
  // RequestCountPerTarget by TargetGroup alone: the group's requests through any load balancer.
  for (const auto& [arn, group] : snapshot.target_groups) {
    const SnapshotLoadBalancer* lb = nullptr;
    for (const auto& l : snapshot.load_balancers) {
      if (!group.load_balancer_arns.empty() && l.arn == group.load_balancer_arns.front()) lb = &l;
    }
    if (lb == nullptr) continue;
    Emitter emit(out, *lb, timestamp);
    emit.count("RequestCountPerTarget", {{"TargetGroup", target_group_dimension(arn)}},
               static_cast<double>(group_requests[arn]) / per_target_divisor(group));
  }
  return out;
}

}  // namespace dataplane
