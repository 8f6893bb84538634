#include "dataplane/health_checker.h"

#include "dataplane/http_prober.h"

#include <mutex>
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <deque>
#include <future>
#include <map>
#include <thread>

#include "testing/manual_clock.h"

namespace dataplane {
namespace {

using namespace std::chrono_literals;

class RecordingReporter : public TargetHealthReporter {
 public:
  void report_health(const std::vector<TargetHealthReport>& r) override {
    reports.insert(reports.end(), r.begin(), r.end());
  }
  void report_drained(const TargetKey&) override {}
  std::vector<TargetHealthReport> reports;
};

struct ScriptedProbe {
  std::deque<ProbeResult> results;
  std::mutex mu;
  int calls = 0;
  std::string last_path;
  Probe probe() {
    return [this](ProbeRequest request, ProbeDone done) {
      ProbeResult r;
      {
        std::lock_guard lock(mu);
        ++calls;
        last_path = request.path;
        r = results.front();
        if (results.size() > 1) results.pop_front();
      }
      done(r);
    };
  }
};

ProbeResult status(int code) { return {ProbeResult::Outcome::Response, code}; }

std::shared_ptr<AlbSnapshot> snapshot(TargetState state = TargetState::Initial) {
  auto s = std::make_shared<AlbSnapshot>();
  SnapshotTargetGroup g;
  g.arn = "arn:tg/1";
  g.load_balancer_arns = {"arn:lb/1"};
  g.health_check.path = "/health";
  g.health_check.interval_seconds = 10;
  g.health_check.healthy_threshold = 3;
  g.health_check.unhealthy_threshold = 2;
  g.health_check.matcher = "200-299";
  SnapshotTarget t;
  t.id = "10.0.0.5";
  t.port = 8080;
  t.state = state;
  g.targets = {t};
  s->target_groups[g.arn] = g;
  return s;
}

TEST(MatcherAccepts, SingleListAndRange) {
  EXPECT_TRUE(matcher_accepts("200", 200));
  EXPECT_FALSE(matcher_accepts("200", 201));
  EXPECT_TRUE(matcher_accepts("200,202", 202));
  EXPECT_TRUE(matcher_accepts("200-299", 250));
  EXPECT_FALSE(matcher_accepts("200-299", 302));
}

TEST(HealthChecker, InitialTargetTurnsHealthyAfterHealthyThresholdSuccesses) {
  fakes::ManualClock clock;
  RecordingReporter reporter;
  ScriptedProbe probe{{status(200)}};
  HealthChecker checker(clock, probe.probe(), reporter);
  checker.update(snapshot());
  EXPECT_EQ(checker.check_due(), 1);
  EXPECT_EQ(checker.check_due(), 0);  // not due again before the interval
  clock.advance(10s);
  checker.check_due();
  EXPECT_TRUE(reporter.reports.empty());
  clock.advance(10s);
  checker.check_due();
  ASSERT_EQ(reporter.reports.size(), 1u);
  EXPECT_EQ(reporter.reports[0].state, TargetState::Healthy);
  EXPECT_EQ(reporter.reports[0].target.id, "10.0.0.5");
  EXPECT_EQ(probe.last_path, "/health");
}

TEST(HealthChecker, HealthyTargetTurnsUnhealthyWithResponseCodeMismatch) {
  fakes::ManualClock clock;
  RecordingReporter reporter;
  ScriptedProbe probe{{status(502)}};
  HealthChecker checker(clock, probe.probe(), reporter);
  checker.update(snapshot(TargetState::Healthy));
  checker.check_due();
  EXPECT_TRUE(reporter.reports.empty());
  clock.advance(10s);
  checker.check_due();
  ASSERT_EQ(reporter.reports.size(), 1u);
  EXPECT_EQ(reporter.reports[0].state, TargetState::Unhealthy);
  EXPECT_EQ(reporter.reports[0].reason, "Target.ResponseCodeMismatch");
  EXPECT_EQ(reporter.reports[0].description, "Health checks failed with these codes: [502]");
  clock.advance(10s);
  checker.check_due();
  EXPECT_EQ(reporter.reports.size(), 1u);  // no repeated report while it stays unhealthy
}

TEST(HealthChecker, TimeoutsAndRefusalsHaveTheirOwnReasons) {
  for (auto [outcome, reason] :
       {std::pair{ProbeResult::Outcome::Timeout, "Target.Timeout"},
        std::pair{ProbeResult::Outcome::ConnectFailed, "Target.FailedHealthChecks"}}) {
    fakes::ManualClock clock;
    RecordingReporter reporter;
    ScriptedProbe probe{{ProbeResult{outcome, 0}}};
    HealthChecker checker(clock, probe.probe(), reporter);
    checker.update(snapshot(TargetState::Healthy));
    checker.check_due();
    clock.advance(10s);
    checker.check_due();
    ASSERT_EQ(reporter.reports.size(), 1u);
    EXPECT_EQ(reporter.reports[0].reason, reason);
  }
}

// A probe that never calls back (a stuck connect, a lost callback) must not stall the checks
// of every other target: it counts as a timeout once twice its timeout has passed.
TEST(HealthChecker, AProbeThatNeverAnswersCountsAsATimeout) {
  fakes::ManualClock clock;
  clock.set_time_scale(100);  // the 5 s timeout is 50 ms of real time
  RecordingReporter reporter;
  std::vector<ProbeDone> kept;  // never called until the end
  HealthChecker checker(
      clock, [&](ProbeRequest, ProbeDone done) { kept.push_back(std::move(done)); }, reporter);
  checker.update(snapshot(TargetState::Healthy));
  EXPECT_EQ(checker.check_due(), 1);
  clock.advance(10s);
  EXPECT_EQ(checker.check_due(), 1);
  ASSERT_EQ(reporter.reports.size(), 1u);
  EXPECT_EQ(reporter.reports[0].reason, "Target.Timeout");
  for (auto& done : kept) done(status(200));  // late answers are ignored
  EXPECT_EQ(reporter.reports.size(), 1u);
}

TEST(HealthChecker, UnhealthyTargetHealsAfterHealthyThreshold) {
  fakes::ManualClock clock;
  RecordingReporter reporter;
  ScriptedProbe probe{{status(500), status(200)}};
  HealthChecker checker(clock, probe.probe(), reporter);
  checker.update(snapshot(TargetState::Unhealthy));
  for (int i = 0; i < 4; ++i) {
    checker.check_due();
    clock.advance(10s);
  }
  ASSERT_EQ(reporter.reports.size(), 1u);
  EXPECT_EQ(reporter.reports[0].state, TargetState::Healthy);
}

TEST(HealthChecker, SkipsDrainingTargetsAndGroupsWithoutLoadBalancerOrChecks) {
  fakes::ManualClock clock;
  RecordingReporter reporter;
  ScriptedProbe probe{{status(200)}};
  HealthChecker checker(clock, probe.probe(), reporter);
  checker.update(snapshot(TargetState::Draining));
  EXPECT_EQ(checker.check_due(), 0);
  auto unused = snapshot();
  unused->target_groups.begin()->second.load_balancer_arns.clear();
  checker.update(unused);
  EXPECT_EQ(checker.check_due(), 0);
  auto disabled = snapshot();
  disabled->target_groups.begin()->second.health_check.enabled = false;
  checker.update(disabled);
  EXPECT_EQ(checker.check_due(), 0);
  EXPECT_EQ(probe.calls, 0);
}

// A one-shot loopback server: answers `reply` (or nothing) to the first request.
struct OneShotServer {
  explicit OneShotServer(std::string reply) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
    ::listen(fd, 4);
    socklen_t len = sizeof sa;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
    port = ntohs(sa.sin_port);
    thread = std::thread([this, reply] {
      int c = ::accept(fd, nullptr, nullptr);
      if (c < 0) return;
      char buf[1024];
      (void)::recv(c, buf, sizeof buf, 0);
      if (!reply.empty()) (void)::send(c, reply.data(), reply.size(), MSG_NOSIGNAL);
      char drain;
      (void)::recv(c, &drain, 1, 0);  // until the prober closes
      ::close(c);
    });
  }
  ~OneShotServer() {
    ::shutdown(fd, SHUT_RDWR);
    thread.join();
    ::close(fd);
  }
  int fd;
  uint16_t port;
  std::thread thread;
};

int connect_loopback(const std::string&, const std::string&, uint16_t port,
                     std::chrono::milliseconds) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

ProbeResult probe_once(Connector connector, uint16_t port, core::Duration timeout) {
  HttpProber prober(std::move(connector));
  std::promise<ProbeResult> result;
  prober.probe()(ProbeRequest{"lb", "127.0.0.1", port, "/", timeout},
                 [&result](ProbeResult r) { result.set_value(r); });
  return result.get_future().get();
}

TEST(HttpProber, ReadsTheStatusCode) {
  OneShotServer server("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
  ProbeResult r = probe_once(connect_loopback, server.port, 2s);
  EXPECT_EQ(r.outcome, ProbeResult::Outcome::Response);
  EXPECT_EQ(r.status, 503);
}

TEST(HttpProber, SilentTargetTimesOut) {
  OneShotServer server("");
  ProbeResult r = probe_once(connect_loopback, server.port, 100ms);
  EXPECT_EQ(r.outcome, ProbeResult::Outcome::Timeout);
}

TEST(HttpProber, UnreachableTargetFailsToConnect) {
  ProbeResult r = probe_once([](const std::string&, const std::string&, uint16_t,
                                std::chrono::milliseconds) { return -1; },
                             1, 1s);
  EXPECT_EQ(r.outcome, ProbeResult::Outcome::ConnectFailed);
}

TEST(HttpProber, AReplyThatIsNotHttpIsAFailedCheck) {
  OneShotServer server("SSH-2.0-OpenSSH_9.2\r\n");
  ProbeResult r = probe_once(connect_loopback, server.port, 2s);
  EXPECT_EQ(r.outcome, ProbeResult::Outcome::ConnectFailed);
}

// One round probes every due target at once on the prober's loop: a silent target times out
// while the others are answered in the same round.
TEST(HttpProber, OneRoundProbesSilentAndAnsweringTargetsTogether) {
  OneShotServer silent("");
  OneShotServer ok("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  OneShotServer bad("HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n");
  auto s = snapshot();
  auto& g = s->target_groups["arn:tg/1"];
  g.health_check.healthy_threshold = 1;
  g.health_check.unhealthy_threshold = 1;
  g.health_check.timeout_seconds = 1;
  g.targets.clear();
  for (uint16_t port : {silent.port, ok.port, bad.port}) {
    SnapshotTarget t;
    t.id = "127.0.0.1";
    t.port = port;
    g.targets.push_back(t);
  }
  fakes::ManualClock clock;
  RecordingReporter reporter;
  HttpProber prober(connect_loopback);
  HealthChecker checker(clock, prober.probe(), reporter);
  checker.update(s);
  EXPECT_EQ(checker.check_due(), 3);
  std::map<uint16_t, std::string> verdicts;
  for (const auto& r : reporter.reports) {
    verdicts[r.target.port] = r.state == TargetState::Healthy ? "healthy" : r.reason;
  }
  EXPECT_EQ(verdicts[silent.port], "Target.Timeout");
  EXPECT_EQ(verdicts[ok.port], "healthy");
  EXPECT_EQ(verdicts[bad.port], "Target.ResponseCodeMismatch");
}

}  // namespace
}  // namespace dataplane
