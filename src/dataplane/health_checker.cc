#include "dataplane/health_checker.h"

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <set>
#include <sstream>
#include <vector>

namespace dataplane {
namespace {

using core::Duration;

Duration aws_seconds(const core::Clock& clock, int seconds) {
  return clock.scaled(std::chrono::seconds(seconds));
}

bool probed(const SnapshotTarget& t) {
  return t.state != TargetState::Draining && t.state != TargetState::Unused;
}

}  // namespace

bool matcher_accepts(const std::string& matcher, int status) {
  std::stringstream in(matcher);
  std::string part;
  while (std::getline(in, part, ',')) {
    size_t dash = part.find('-');
    int lo = std::atoi(part.substr(0, dash).c_str());
    int hi = dash == std::string::npos ? lo : std::atoi(part.substr(dash + 1).c_str());
    if (status >= lo && status <= hi) return true;
  }
  return false;
}

HealthChecker::HealthChecker(const core::Clock& clock, Probe probe,
                             TargetHealthReporter& reporter)
    : clock_(clock), probe_(std::move(probe)), reporter_(reporter) {}

void HealthChecker::update(std::shared_ptr<const AlbSnapshot> snapshot) {
  std::lock_guard lock(mu_);
  snapshot_ = std::move(snapshot);
  // Forget targets that are gone; adopt recorded states for new ones.
  std::set<TargetKey> live;
  if (snapshot_) {
    for (const auto& [arn, g] : snapshot_->target_groups) {
      for (const auto& t : g.targets) {
        TargetKey key{arn, t.id, t.port};
        live.insert(key);
        auto& c = counters_[key];
        if (!c.known) {
          c.known = true;
          c.state = t.state;
          c.next = clock_.now();
        }
      }
    }
  }
  for (auto it = counters_.begin(); it != counters_.end();) {
    it = live.count(it->first) ? std::next(it) : counters_.erase(it);
  }
}

std::optional<core::TimePoint> HealthChecker::next_due() const {
  std::lock_guard lock(mu_);
  std::optional<core::TimePoint> best;
  for (const auto& [k, c] : counters_) {
    if (!best || c.next < *best) best = c.next;
  }
  return best;
}

// One target due for a probe.
struct HealthChecker::Job {
  TargetKey key;
  std::string load_balancer_arn;
  std::string ip;
  uint16_t port;
  HealthCheckSettings hc;
};

int HealthChecker::check_due() {
  std::vector<Job> jobs = take_due(clock_.now());
  std::vector<ProbeResult> results = probe_all(jobs);
  std::vector<TargetHealthReport> reports;
  for (size_t i = 0; i < jobs.size(); ++i) {
    if (auto report = record(jobs[i], results[i])) reports.push_back(std::move(*report));
  }
  if (!reports.empty()) reporter_.report_health(reports);
  return static_cast<int>(jobs.size());
}

std::vector<HealthChecker::Job> HealthChecker::take_due(core::TimePoint now) {
  std::vector<Job> jobs;
  std::lock_guard lock(mu_);
  if (!snapshot_) return jobs;
  for (const auto& [arn, g] : snapshot_->target_groups) {
    if (!g.health_check.enabled || g.load_balancer_arns.empty()) continue;
    for (const auto& t : g.targets) {
      if (!probed(t)) continue;
      TargetKey key{arn, t.id, t.port};
      auto it = counters_.find(key);
      if (it == counters_.end() || it->second.next > now) continue;
      it->second.next = now + aws_seconds(clock_, g.health_check.interval_seconds);
      uint16_t port = t.port;
      if (g.health_check.port != "traffic-port") {
        port = static_cast<uint16_t>(std::atoi(g.health_check.port.c_str()));
      }
      jobs.push_back({key, g.load_balancer_arns.front(), t.id, port, g.health_check});
    }
  }
  return jobs;
}

std::vector<ProbeResult> HealthChecker::probe_all(const std::vector<Job>& jobs) {
  // Probes run concurrently: a silent target must not delay the others' checks.
  struct Round {
    std::mutex mu;
    std::condition_variable cv;
    std::vector<std::optional<ProbeResult>> results;
    size_t pending = 0;
  };
  auto round = std::make_shared<Round>();
  round->results.resize(jobs.size());
  round->pending = jobs.size();
  core::Duration longest{};
  for (size_t i = 0; i < jobs.size(); ++i) {
    const Job& job = jobs[i];
    core::Duration timeout = aws_seconds(clock_, job.hc.timeout_seconds);
    longest = std::max(longest, timeout);
    probe_(ProbeRequest{job.load_balancer_arn, job.ip, job.port, job.hc.path, timeout},
           [round, i](ProbeResult r) {
             std::lock_guard lock(round->mu);
             if (round->results[i]) return;  // a second call: ignored
             round->results[i] = r;
             if (--round->pending == 0) round->cv.notify_all();
           });
  }
  // A probe answers by its timeout; one that has not by twice that (a stuck connect, a lost
  // callback) counts as timed out, so that it cannot stall every other target's checks.
  auto deadline = std::chrono::steady_clock::now() + 2 * longest + std::chrono::milliseconds(100);
  std::unique_lock lock(round->mu);
  round->cv.wait_until(lock, deadline, [&] { return round->pending == 0; });
  std::vector<ProbeResult> results;
  results.reserve(jobs.size());
  for (auto& r : round->results) {
    if (!r) r = ProbeResult{ProbeResult::Outcome::Timeout, 0};  // late calls are ignored
    results.push_back(*r);
  }
  return results;
}

namespace {

// The report of a target found unhealthy by `r`, with AWS's reason.
TargetHealthReport unhealthy_report(const TargetKey& key, const ProbeResult& r) {
  TargetHealthReport report{key, TargetState::Unhealthy, "", ""};
  switch (r.outcome) {
    case ProbeResult::Outcome::Response:
      report.reason = "Target.ResponseCodeMismatch";
      report.description =
          "Health checks failed with these codes: [" + std::to_string(r.status) + "]";
      break;
    case ProbeResult::Outcome::Timeout:
      report.reason = "Target.Timeout";
      report.description = "Request timed out";
      break;
    case ProbeResult::Outcome::ConnectFailed:
      report.reason = "Target.FailedHealthChecks";
      report.description = "Health checks failed";
      break;
  }
  return report;
}

}  // namespace

std::optional<TargetHealthReport> HealthChecker::record(const Job& job, const ProbeResult& r) {
  bool ok =
      r.outcome == ProbeResult::Outcome::Response && matcher_accepts(job.hc.matcher, r.status);
  std::lock_guard lock(mu_);
  auto it = counters_.find(job.key);
  if (it == counters_.end()) return std::nullopt;
  auto& c = it->second;
  if (ok) {
    c.failures = 0;
    if (++c.successes >= job.hc.healthy_threshold && c.state != TargetState::Healthy) {
      c.state = TargetState::Healthy;
      return TargetHealthReport{job.key, TargetState::Healthy, "", ""};
    }
    return std::nullopt;
  }
  c.successes = 0;
  if (++c.failures < job.hc.unhealthy_threshold || c.state == TargetState::Unhealthy) {
    return std::nullopt;
  }
  c.state = TargetState::Unhealthy;
  return unhealthy_report(job.key, r);
}

}  // namespace dataplane
