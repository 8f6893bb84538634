// Runs real busybox containers with runc (root only; skipped otherwise). Each test uses its own
// data directory and asserts that nothing (mount, cgroup, process, directory) is left behind.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "core/clock.h"
#include "core/ids.h"
#include "runtime/container_manager.h"
#include "runtime/privileged_test_support.h"
#include "runtime/process.h"

namespace runtime {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class ContainerManagerPrivilegedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string missing = test_support::missing_for_containers(); !missing.empty()) {
      GTEST_SKIP() << missing;
    }
    data_ = fs::temp_directory_path() / ("gantry-rt-" + core::ids::random_hex(8));
    fs::path layer = data_ / "runtime" / "layers" / std::string(64, 'b');
    test_support::make_busybox_layer(layer,
                                     {"sh", "sleep", "echo", "cat", "dd", "true", "false", "id"});
    fs::create_directories(layer / "tmp");
    layers_ = {layer};
    manager_ = make_manager();
    manager_->start();
  }

  void TearDown() override {
    if (!manager_) {
      return;
    }
    for (const ContainerStatus& s : manager_->list_all()) {
      (void)manager_->remove(s.id);
    }
    manager_.reset();
    fs::remove_all(data_);
  }

  std::unique_ptr<ContainerManager> make_manager() {
    ContainerManagerOptions options;
    options.data_dir = data_;
    options.shim = GANTRY_SHIM_PATH;
    options.init = GANTRY_INIT_PATH;
    auto m = std::make_unique<ContainerManager>(options, clock_);
    m->on_change([this](const ContainerStatus&) {
      std::lock_guard lock(mu_);
      ++changes_;
      cv_.notify_all();
    });
    return m;
  }

  ContainerSpec spec(std::vector<std::string> args) {
    ContainerSpec s;
    s.group = "task-1";
    s.name = "app-" + core::ids::random_hex(4);
    s.layers = layers_;
    s.args = std::move(args);
    s.env = {"PATH=/bin"};
    s.hostname = "test";
    return s;
  }

  // Waits (on on_change notifications) until the container reaches `phase`.
  ContainerStatus wait_for(ContainerManager& m, const std::string& id, ContainerPhase phase,
                           std::chrono::milliseconds timeout = 20s) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, timeout, [&] {
      std::optional<ContainerStatus> s = m.status(id);
      return s && s->phase == phase;
    });
    return *m.status(id);
  }

  std::vector<fs::path> cgroups_of(const std::string& id) {
    std::vector<fs::path> out;
    for (const fs::directory_entry& h : fs::directory_iterator("/sys/fs/cgroup")) {
      fs::path cg = h.path() / fs::path(manager_->cgroup_of(id)).relative_path();
      if (fs::exists(cg)) {
        out.push_back(cg);
      }
    }
    return out;
  }

  core::SystemClock clock_;
  fs::path data_;
  std::vector<fs::path> layers_;
  std::unique_ptr<ContainerManager> manager_;
  std::mutex mu_;
  std::condition_variable cv_;
  int changes_ = 0;
};

TEST_F(ContainerManagerPrivilegedTest, ABusyboxContainerRunsAndExitsWithItsCode) {
  auto begin = std::chrono::steady_clock::now();
  Result<std::string> id = manager_->run(spec({"sh", "-c", "sleep 0.2; exit 7"}));
  auto elapsed = std::chrono::steady_clock::now() - begin;
  ASSERT_TRUE(id) << id.error().message;
  std::cout << "run() to running: "
            << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms\n";
  ContainerStatus s = wait_for(*manager_, *id, ContainerPhase::Exited);
  EXPECT_EQ(s.exit_code, 7);
  EXPECT_FALSE(s.oom_killed);
  EXPECT_GE(s.finished_at, s.started_at);
}

TEST_F(ContainerManagerPrivilegedTest, CapturesStdoutAndStderrLinesWithTimestamps) {
  auto before = core::to_epoch_millis(clock_.now());
  Result<std::string> id =
      manager_->run(spec({"sh", "-c", "echo hello; echo oops >&2; printf partial"}));
  ASSERT_TRUE(id) << id.error().message;
  wait_for(*manager_, *id, ContainerPhase::Exited);
  auto after = core::to_epoch_millis(clock_.now());
  Result<LogChunk> chunk = manager_->read_logs(*id, {});
  ASSERT_TRUE(chunk);
  ASSERT_EQ(chunk->records.size(), 3u);
  std::map<std::string, LogStream> seen;
  for (const LogRecord& r : chunk->records) {
    seen[r.message] = r.stream;
    EXPECT_GE(r.timestamp_ms, before);
    EXPECT_LE(r.timestamp_ms, after);
  }
  EXPECT_EQ(seen.at("hello"), LogStream::Stdout);
  EXPECT_EQ(seen.at("oops"), LogStream::Stderr);
  EXPECT_EQ(seen.at("partial"), LogStream::Stdout);
  Result<LogChunk> rest = manager_->read_logs(*id, chunk->next);
  ASSERT_TRUE(rest);
  EXPECT_TRUE(rest->records.empty());
}

TEST_F(ContainerManagerPrivilegedTest, AContainerOverItsMemoryLimitIsReportedOomKilled) {
  ContainerSpec s = spec({"dd", "if=/dev/zero", "of=/dev/null", "bs=128M", "count=1"});
  s.memory_limit_bytes = 32 << 20;
  Result<std::string> id = manager_->run(s);
  ASSERT_TRUE(id) << id.error().message;
  ContainerStatus st = wait_for(*manager_, *id, ContainerPhase::Exited);
  EXPECT_TRUE(st.oom_killed);
  EXPECT_EQ(st.exit_code, 137);
}

TEST_F(ContainerManagerPrivilegedTest, WritesTheCpuQuotaAndMemoryLimitToTheCgroup) {
  ContainerSpec s = spec({"sleep", "30"});
  s.cpu_quota_us = 50000;
  s.memory_limit_bytes = 64 << 20;
  s.pids_limit = 100;
  Result<std::string> id = manager_->run(s);
  ASSERT_TRUE(id) << id.error().message;
  std::string cg = manager_->cgroup_of(*id);
  EXPECT_EQ(std::stol(read_file("/sys/fs/cgroup/cpu" + cg + "/cpu.cfs_quota_us")), 50000);
  EXPECT_EQ(std::stol(read_file("/sys/fs/cgroup/memory" + cg + "/memory.limit_in_bytes")),
            64 << 20);
  EXPECT_EQ(std::stol(read_file("/sys/fs/cgroup/pids" + cg + "/pids.max")), 100);
}

TEST_F(ContainerManagerPrivilegedTest, StopSendsSigtermFirst) {
  Result<std::string> id = manager_->run(spec(
      {"sh", "-c", "trap 'echo bye; exit 3' TERM; echo ready; while true; do sleep 0.05; done"}));
  ASSERT_TRUE(id) << id.error().message;
  // The trap must be installed before the signal arrives (the log says so).
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (manager_->read_logs(*id, {})->records.empty() &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  manager_->kill(*id, 30s);
  ContainerStatus s = wait_for(*manager_, *id, ContainerPhase::Exited, 10s);
  EXPECT_EQ(s.exit_code, 3);
  EXPECT_EQ(manager_->read_logs(*id, {})->records.at(1).message, "bye");
}

TEST_F(ContainerManagerPrivilegedTest, StopSendsSigkillWhenSigtermIsIgnored) {
  // PID 1 without a handler ignores SIGTERM, as in Docker.
  Result<std::string> id = manager_->run(spec({"sleep", "1000"}));
  ASSERT_TRUE(id) << id.error().message;
  auto begin = std::chrono::steady_clock::now();
  manager_->kill(*id, 500ms);
  ContainerStatus s = wait_for(*manager_, *id, ContainerPhase::Exited, 10s);
  EXPECT_EQ(s.exit_code, 137);
  EXPECT_GE(std::chrono::steady_clock::now() - begin, 500ms);
}

TEST_F(ContainerManagerPrivilegedTest, WithAnInitSigtermStopsAProgramThatHasNoHandler) {
  ContainerSpec s = spec({"sleep", "1000"});
  s.init = true;
  Result<std::string> id = manager_->run(s);
  ASSERT_TRUE(id) << id.error().message;
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (read_file("/proc/" + std::to_string(manager_->status(*id)->pid) + "/task/" +
                   std::to_string(manager_->status(*id)->pid) + "/children")
             .empty() &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);  // until the init has started its child
  }
  manager_->kill(*id, 30s);
  ContainerStatus st = wait_for(*manager_, *id, ContainerPhase::Exited, 10s);
  EXPECT_EQ(st.exit_code, 128 + SIGTERM);
}

TEST_F(ContainerManagerPrivilegedTest, JoinsTheGivenNetworkNamespaceOrGetsItsOwn) {
  std::string netns = "gantry-rt-" + core::ids::random_hex(6);
  ASSERT_EQ(run_process({"ip", "netns", "add", netns}), 0);
  ContainerSpec joined = spec({"sleep", "1000"});
  joined.netns_path = "/run/netns/" + netns;
  Result<std::string> a = manager_->run(joined);
  Result<std::string> b = manager_->run(spec({"sleep", "1000"}));
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_TRUE(b) << b.error().message;
  auto inode = [](const fs::path& p) {
    struct stat st {};
    ::stat(p.c_str(), &st);
    return st.st_ino;
  };
  fs::path a_ns = "/proc/" + std::to_string(manager_->status(*a)->pid) + "/ns/net";
  fs::path b_ns = "/proc/" + std::to_string(manager_->status(*b)->pid) + "/ns/net";
  EXPECT_EQ(inode(a_ns), inode("/run/netns/" + netns));
  EXPECT_NE(inode(b_ns), inode("/proc/self/ns/net"));
  EXPECT_NE(inode(b_ns), inode(a_ns));
  EXPECT_TRUE(manager_->remove(*a));
  EXPECT_TRUE(manager_->remove(*b));
  EXPECT_EQ(run_process({"ip", "netns", "del", netns}), 0);
}

TEST_F(ContainerManagerPrivilegedTest, ANewManagerReadoptsARunningContainerAndSeesItExit) {
  Result<std::string> id = manager_->run(spec({"sh", "-c", "sleep 1.5; echo done; exit 4"}));
  ASSERT_TRUE(id) << id.error().message;
  manager_->stop();
  manager_ = make_manager();  // as after a kill -9 of the server: the shim kept going
  manager_->start();
  std::optional<ContainerStatus> adopted = manager_->status(*id);
  ASSERT_TRUE(adopted);
  EXPECT_EQ(adopted->phase, ContainerPhase::Running);
  ContainerStatus s = wait_for(*manager_, *id, ContainerPhase::Exited);
  EXPECT_EQ(s.exit_code, 4);
  EXPECT_EQ(manager_->read_logs(*id, {})->records.at(0).message, "done");
}

TEST_F(ContainerManagerPrivilegedTest, ANewManagerCleansUpAHalfCreatedContainer) {
  fs::path half = data_ / "runtime" / "containers" / "deadbeef";
  fs::create_directories(half / "rootfs");
  std::ofstream(half / "meta.json") << R"({"id":"deadbeef","group":"g","name":"n"})";
  manager_->stop();
  manager_ = make_manager();
  manager_->start();
  EXPECT_FALSE(fs::exists(half));
  EXPECT_FALSE(manager_->status("deadbeef"));
}

TEST_F(ContainerManagerPrivilegedTest, RemoveLeavesNoMountCgroupProcessOrDirectory) {
  ContainerSpec s = spec({"sleep", "1000"});
  s.mounts.push_back({MountSpec::Kind::TaskVolume, "shared", "/data", false, 0});
  Result<std::string> id = manager_->run(s);
  ASSERT_TRUE(id) << id.error().message;
  int pid = manager_->status(*id)->pid;
  ASSERT_GT(pid, 0);
  EXPECT_FALSE(cgroups_of(*id).empty());
  ASSERT_TRUE(manager_->remove(*id));
  EXPECT_FALSE(manager_->status(*id));
  EXPECT_EQ(read_file("/proc/self/mountinfo").find(*id), std::string::npos);
  EXPECT_TRUE(cgroups_of(*id).empty());
  EXPECT_NE(::kill(pid, 0), 0);
  EXPECT_FALSE(fs::exists(manager_->container_dir(*id)));
  EXPECT_FALSE(fs::exists(data_ / "runtime" / "runc" / *id));
  EXPECT_TRUE(fs::is_empty(data_ / "runtime" / "volumes"));
  EXPECT_TRUE(manager_->remove(*id));  // idempotent
}

TEST_F(ContainerManagerPrivilegedTest, AMissingExecutableFailsTheStartWithRuncsMessage) {
  Result<std::string> id = manager_->run(spec({"/no/such/binary"}));
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, errc::runc_failed);
  EXPECT_NE(id.error().message.find("no such file"), std::string::npos) << id.error().message;
}

TEST_F(ContainerManagerPrivilegedTest, AHealthCheckThatPassesMakesTheContainerHealthy) {
  ContainerSpec s = spec({"sleep", "1000"});
  s.health_check = HealthCheckSpec{{"sh", "-c", "true"}, 1s, 5s, 0s, 3};
  Result<std::string> id = manager_->run(s);
  ASSERT_TRUE(id) << id.error().message;
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, 15s, [&] { return manager_->status(*id)->health == HealthStatus::Healthy; });
  EXPECT_EQ(manager_->status(*id)->health, HealthStatus::Healthy);
}

TEST_F(ContainerManagerPrivilegedTest, AHealthCheckThatFailsRetriesTimesMakesItUnhealthy) {
  ContainerSpec s = spec({"sleep", "1000"});
  s.health_check = HealthCheckSpec{{"false"}, 1s, 5s, 0s, 2};
  Result<std::string> id = manager_->run(s);
  ASSERT_TRUE(id) << id.error().message;
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, 15s, [&] { return manager_->status(*id)->health == HealthStatus::Unhealthy; });
  EXPECT_EQ(manager_->status(*id)->health, HealthStatus::Unhealthy);
}

}  // namespace
}  // namespace runtime
