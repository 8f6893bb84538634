#include "services/logs/store_log_sink.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "services/logs/logs_store.h"
#include "store/db.h"
#include "testing/manual_clock.h"

namespace services::logs {
namespace {

const LogTarget kTarget{"123456789012", "us-east-1", "/ecs/web", "ecs/app/task1"};

class StoreLogSinkTest : public ::testing::Test {
 protected:
  StoreLogSinkTest() {
    EXPECT_TRUE(sink_.ensure_group(kTarget.account, kTarget.region, kTarget.group, true));
  }

  // Every message of a stream, in reading order.
  std::vector<std::string> read(const LogTarget& t = kTarget) {
    std::vector<std::string> out;
    store::Transaction tx = db_.read();
    LogsStore st(tx);
    std::optional<GroupRow> g = st.group(t.account, t.region, t.group);
    if (!g) {
      return out;
    }
    std::optional<StreamRow> s = st.stream(g->id, t.stream);
    if (!s) {
      return out;
    }
    for (const EventRow& e : st.stream_events_after(s->id, {}, EventKey::min(), 1 << 30)) {
      out.push_back(e.message);
    }
    tx.commit();
    return out;
  }

  fakes::ManualClock clock_;
  store::Db db_ = store::Db::open_in_memory();
  StoreLogSink sink_{db_, clock_};
};

TEST_F(StoreLogSinkTest, AppendBeforeStartIsWrittenOnTheCallersThread) {
  sink_.append(kTarget, {{1, "a"}});
  EXPECT_EQ(read(), std::vector<std::string>{"a"});
}

TEST_F(StoreLogSinkTest, ReadersSeeEventsByTimestampThenAppendOrder) {
  sink_.start();
  sink_.append(kTarget, {{30, "c"}, {10, "a"}});
  sink_.append(kTarget, {{20, "b1"}, {20, "b2"}});
  sink_.flush();
  EXPECT_EQ(read(), (std::vector<std::string>{"a", "b1", "b2", "c"}));
}

TEST_F(StoreLogSinkTest, MissingStreamOfAnExistingGroupIsCreated) {
  sink_.start();
  sink_.append(kTarget, {{1, "x"}});
  sink_.flush();
  store::Transaction tx = db_.read();
  LogsStore st(tx);
  std::optional<GroupRow> g = st.group(kTarget.account, kTarget.region, kTarget.group);
  ASSERT_TRUE(g);
  std::optional<StreamRow> s = st.stream(g->id, kTarget.stream);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->last_ingestion_ms, core::to_epoch_millis(clock_.now()));
}

TEST_F(StoreLogSinkTest, EventsForAMissingGroupAreDropped) {
  LogTarget other{"123456789012", "us-east-1", "/gone", "s"};
  sink_.append(other, {{1, "x"}});
  sink_.append(kTarget, {{1, "kept"}});
  EXPECT_TRUE(read(other).empty());
  EXPECT_EQ(read(), std::vector<std::string>{"kept"});
}

TEST_F(StoreLogSinkTest, StopWritesEverythingFromManyThreads) {
  sink_.start();
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      LogTarget t = kTarget;
      t.stream = "s" + std::to_string(w);
      for (int i = 0; i < 5000; ++i) {
        sink_.append(t, {{i, std::to_string(i)}});
      }
    });
  }
  for (std::thread& t : writers) {
    t.join();
  }
  sink_.stop();
  for (int w = 0; w < 4; ++w) {
    LogTarget t = kTarget;
    t.stream = "s" + std::to_string(w);
    std::vector<std::string> got = read(t);
    ASSERT_EQ(got.size(), 5000u);
    EXPECT_EQ(got.front(), "0");
    EXPECT_EQ(got.back(), "4999");
  }
}

TEST_F(StoreLogSinkTest, AppendAfterStopIsStillWritten) {
  sink_.start();
  sink_.stop();
  sink_.append(kTarget, {{1, "late"}});
  EXPECT_EQ(read(), std::vector<std::string>{"late"});
}

TEST_F(StoreLogSinkTest, FullBacklogMakesAppendWaitForTheFlusher) {
  StoreLogSink::Options o;
  o.flush_interval = std::chrono::hours(1);  // only flush() drains
  o.flush_threshold = 1000000;
  o.max_backlog_events = 10;
  StoreLogSink sink(db_, clock_, o);
  sink.start();
  std::vector<LogEvent> ten;
  for (int i = 0; i < 10; ++i) {
    ten.push_back({i, "m"});
  }
  sink.append(kTarget, ten);
  EXPECT_EQ(sink.backlog(), 10u);
  std::atomic<bool> done{false};
  std::thread blocked([&] {
    sink.append(kTarget, {{100, "after"}});
    done = true;
  });
  EXPECT_FALSE(done.load());  // waiting for room
  sink.flush();               // makes room; the waiting append goes through
  blocked.join();
  EXPECT_TRUE(done.load());
  sink.stop();
  EXPECT_EQ(read().size(), 11u);
}

TEST_F(StoreLogSinkTest, LargeFlushIsSplitAcrossTransactionsWithoutLoss) {
  StoreLogSink::Options o;
  o.max_events_per_tx = 7;
  StoreLogSink sink(db_, clock_, o);
  std::vector<LogEvent> events;
  for (int i = 0; i < 100; ++i) {
    events.push_back({i, std::to_string(i)});
  }
  sink.append(kTarget, events);
  EXPECT_EQ(read().size(), 100u);
}

TEST_F(StoreLogSinkTest, DiscardDropsWhatIsQueued) {
  StoreLogSink::Options o;
  o.flush_interval = std::chrono::hours(1);
  o.flush_threshold = 1000000;
  StoreLogSink sink(db_, clock_, o);
  sink.start();
  sink.append(kTarget, {{1, "x"}});
  sink.discard();
  sink.stop();
  EXPECT_TRUE(read().empty());
}

TEST_F(StoreLogSinkTest, MissingGroupFailsAsEcsReportsIt) {
  protocol::Result<void> r = sink_.ensure_group("123456789012", "us-east-1", "/nope", false);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "ResourceInitializationError");
  EXPECT_NE(r.error().message.find("ResourceNotFoundException: The specified log group does not "
                                   "exist."),
            std::string::npos);
  EXPECT_FALSE(sink_.ensure_stream({"123456789012", "us-east-1", "/nope", "s"}));
  EXPECT_TRUE(sink_.ensure_group("123456789012", "us-east-1", "/nope", true));
  EXPECT_TRUE(sink_.ensure_group("123456789012", "us-east-1", "/nope", true));
  EXPECT_TRUE(sink_.ensure_stream({"123456789012", "us-east-1", "/nope", "s"}));
  EXPECT_TRUE(sink_.ensure_stream({"123456789012", "us-east-1", "/nope", "s"}));
}

}  // namespace
}  // namespace services::logs
