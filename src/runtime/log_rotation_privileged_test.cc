// The shim's log segments with a real container (root only; skipped otherwise): output is cut
// into segments, a reader that releases what it read sees every line exactly once across
// rotations, and without a reader the shim keeps only the newest segments or, blocking, stops
// reading the container's output until the reader makes room.

#include <gtest/gtest.h>
#include <unistd.h>

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

constexpr int kLines = 5000;

class LogRotationPrivilegedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string missing = test_support::missing_for_containers(); !missing.empty()) {
      GTEST_SKIP() << missing;
    }
    data_ = fs::temp_directory_path() / ("gantry-logrot-" + core::ids::random_hex(8));
    layer_ = data_ / "runtime" / "layers" / std::string(64, 'c');
    test_support::make_busybox_layer(layer_, {"sh"});
  }

  void TearDown() override {
    if (manager_) {
      for (const ContainerStatus& s : manager_->list_all()) {
        (void)manager_->remove(s.id);
      }
      manager_.reset();
    }
    fs::remove_all(data_);
  }

  // A manager with 4 KiB segments, at most `max_segments` of them, running the line counter.
  std::string run_counter(std::uint64_t max_segments, bool blocking = false) {
    ContainerManagerOptions options;
    options.data_dir = data_;
    options.shim = GANTRY_SHIM_PATH;
    options.init = GANTRY_INIT_PATH;
    options.log_segment_bytes = 4096;
    options.log_max_segments = max_segments;
    manager_ = std::make_unique<ContainerManager>(options, clock_);
    manager_->start();
    ContainerSpec s;
    s.group = "task-1";
    s.name = "counter";
    s.layers = {layer_};
    s.args = {"sh", "-c",
              "i=0; while [ $i -lt " + std::to_string(kLines) + " ]; do echo line-$i; "
              "i=$((i+1)); done"};
    s.env = {"PATH=/bin"};
    s.log_blocking = blocking;
    Result<std::string> id = manager_->run(s);
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : std::string();
  }

  bool exited(const std::string& id) {
    std::optional<ContainerStatus> s = manager_->status(id);
    return s && s->phase == ContainerPhase::Exited;
  }

  core::SystemClock clock_;
  fs::path data_;
  fs::path layer_;
  std::unique_ptr<ContainerManager> manager_;
};

TEST_F(LogRotationPrivilegedTest, AReaderThatReleasesSeesEveryLineOnceAcrossRotations) {
  std::string id = run_counter(100000);
  ASSERT_FALSE(id.empty());
  std::vector<std::string> seen;
  LogPosition pos;
  std::size_t max_segments_on_disk = 0;
  auto deadline = std::chrono::steady_clock::now() + 60s;
  for (;;) {
    bool done = exited(id);  // before the read: a read after the exit finds everything
    Result<LogChunk> chunk = manager_->read_logs(id, pos, {.max_records = 700});
    ASSERT_TRUE(chunk);
    EXPECT_EQ(chunk->skipped_segments, 0u);
    for (const LogRecord& r : chunk->records) seen.push_back(r.message);
    pos = chunk->next;
    manager_->release_logs(id, pos);
    max_segments_on_disk =
        std::max(max_segments_on_disk, list_log_segments(manager_->container_dir(id)).size());
    if (done && chunk->records.empty()) break;
    ASSERT_LT(std::chrono::steady_clock::now(), deadline);
    if (chunk->records.empty()) std::this_thread::sleep_for(5ms);  // polling, as the forwarder
  }
  ASSERT_EQ(seen.size(), static_cast<std::size_t>(kLines));
  for (int i = 0; i < kLines; ++i) {
    ASSERT_EQ(seen[i], "line-" + std::to_string(i));
  }
  EXPECT_GT(pos.segment, 15u);  // ~95 KB in 4 KiB segments
  EXPECT_EQ(list_log_segments(manager_->container_dir(id)),
            std::vector<std::uint64_t>{pos.segment});
  std::cout << "segments written: " << pos.segment + 1
            << ", most on disk at once: " << max_segments_on_disk << "\n";
}

TEST_F(LogRotationPrivilegedTest, WithoutAReaderTheShimKeepsOnlyTheNewestSegments) {
  std::string id = run_counter(3);
  ASSERT_FALSE(id.empty());
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (!exited(id)) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline);
    std::this_thread::sleep_for(10ms);
  }
  std::vector<std::uint64_t> segments = list_log_segments(manager_->container_dir(id));
  ASSERT_EQ(segments.size(), 3u);
  EXPECT_GT(segments.front(), 0u);
  Result<LogChunk> chunk = manager_->read_logs(id, {});
  ASSERT_TRUE(chunk);
  EXPECT_EQ(chunk->skipped_segments, segments.front());
  ASSERT_FALSE(chunk->records.empty());
  EXPECT_EQ(chunk->records.back().message, "line-" + std::to_string(kLines - 1));
  // Whole records only: the newest segments, read in order, hold consecutive lines.
  int first = std::stoi(chunk->records.front().message.substr(5));
  for (std::size_t i = 0; i < chunk->records.size(); ++i) {
    ASSERT_EQ(chunk->records[i].message, "line-" + std::to_string(first + static_cast<int>(i)));
  }
}

TEST_F(LogRotationPrivilegedTest, BlockingTheShimStopsTheContainerAtTheCapUntilTheReaderCatchesUp) {
  std::string id = run_counter(3, true);
  ASSERT_FALSE(id.empty());
  fs::path dir = manager_->container_dir(id);
  // Nobody reads: the shim fills three segments and then waits instead of starting a fourth
  // (dropping the first would lose lines, which the reader below would see as skipped).
  auto full = [&] {
    std::vector<std::uint64_t> segments = list_log_segments(dir);
    std::error_code ec;
    return segments.size() == 3 && fs::file_size(log_segment_path(dir, 2), ec) > 4000;
  };
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (!full()) {
    ASSERT_FALSE(exited(id)) << "finished: the shim never blocked";
    ASSERT_LT(std::chrono::steady_clock::now(), deadline);
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_FALSE(exited(id));
  EXPECT_EQ(list_log_segments(dir), (std::vector<std::uint64_t>{0, 1, 2}));
  // A reader that releases what it read lets it finish, and sees every line once.
  std::vector<std::string> seen;
  LogPosition pos;
  deadline = std::chrono::steady_clock::now() + 60s;
  for (;;) {
    bool done = exited(id);
    Result<LogChunk> chunk = manager_->read_logs(id, pos);
    ASSERT_TRUE(chunk);
    EXPECT_EQ(chunk->skipped_segments, 0u);
    for (const LogRecord& r : chunk->records) seen.push_back(r.message);
    pos = chunk->next;
    manager_->release_logs(id, pos);
    EXPECT_LE(list_log_segments(dir).size(), 3u);
    if (done && chunk->records.empty()) break;
    ASSERT_LT(std::chrono::steady_clock::now(), deadline);
    if (chunk->records.empty()) std::this_thread::sleep_for(5ms);
  }
  ASSERT_EQ(seen.size(), static_cast<std::size_t>(kLines));
  EXPECT_EQ(seen.back(), "line-" + std::to_string(kLines - 1));
}

}  // namespace
}  // namespace runtime
