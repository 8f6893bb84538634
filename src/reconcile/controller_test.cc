#include "reconcile/controller.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "testing/manual_clock.h"

namespace reconcile {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class ControllerTest : public ::testing::Test {
 protected:
  // A controller whose reconcile records the key and answers with next_result_.
  Controller make(ControllerOptions options = {}) {
    return Controller(
        "test", clock_, [this](const std::string& key) { return record(key); }, std::move(options));
  }

  ReconcileResult record(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    runs_.push_back(key);
    return next_result_;
  }

  std::vector<std::string> runs() {
    std::lock_guard<std::mutex> lock(mutex_);
    return runs_;
  }

  fakes::ManualClock clock_;
  std::mutex mutex_;
  std::vector<std::string> runs_;
  ReconcileResult next_result_ = ReconcileResult::done();
};

TEST_F(ControllerTest, KeyEnqueuedTwiceIsReconciledOnce) {
  Controller c = make();
  c.enqueue("a");
  c.enqueue("a");
  c.enqueue("b");
  EXPECT_EQ(c.run_ready(), 2u);
  EXPECT_EQ(runs(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(c.run_ready(), 0u);
}

TEST_F(ControllerTest, EnqueueAfterWaitsForTheClock) {
  Controller c = make();
  c.enqueue_after("a", seconds(3));
  EXPECT_EQ(c.run_ready(), 0u);
  clock_.advance(seconds(3));
  EXPECT_EQ(c.run_ready(), 1u);
}

TEST_F(ControllerTest, RequeueAfterRunsTheKeyAgainOnceTheDelayPasses) {
  Controller c = make();
  next_result_ = ReconcileResult::requeue_after(seconds(5));
  c.enqueue("a");
  EXPECT_EQ(c.run_ready(), 1u);
  clock_.advance(milliseconds(4999));
  EXPECT_EQ(c.run_ready(), 0u);
  next_result_ = ReconcileResult::done();
  clock_.advance(milliseconds(1));
  EXPECT_EQ(c.run_ready(), 1u);
  clock_.advance(seconds(60));
  EXPECT_EQ(c.run_ready(), 0u);
}

TEST_F(ControllerTest, KeyRequeuedAsDueNowWaitsForTheNextRunReady) {
  Controller c = make();
  next_result_ = ReconcileResult::requeue_after(core::Duration::zero());
  c.enqueue("a");
  c.enqueue("b");
  EXPECT_EQ(c.run_ready(), 2u);
  EXPECT_EQ(c.run_ready(), 2u);
  EXPECT_EQ(runs(), (std::vector<std::string>{"a", "b", "a", "b"}));
}

TEST_F(ControllerTest, RetryBacksOffAndSuccessResetsTheBackoff) {
  Controller c = make();
  next_result_ = ReconcileResult::retry();
  c.enqueue("a");
  EXPECT_EQ(c.run_ready(), 1u);
  EXPECT_EQ(c.queue().next_due(), clock_.now() + milliseconds(100));
  clock_.advance(milliseconds(100));
  EXPECT_EQ(c.run_ready(), 1u);
  EXPECT_EQ(c.queue().next_due(), clock_.now() + milliseconds(200));
  next_result_ = ReconcileResult::done();
  clock_.advance(milliseconds(200));
  EXPECT_EQ(c.run_ready(), 1u);
  EXPECT_EQ(c.queue().failures("a"), 0);
  EXPECT_EQ(c.queue().next_due(), std::nullopt);
}

TEST_F(ControllerTest, ExceptionFromReconcileBecomesARetryWithBackoff) {
  int calls = 0;
  Controller c("throwing", clock_, [&](const std::string&) -> ReconcileResult {
    ++calls;
    throw std::runtime_error("runtime unavailable");
  });
  c.enqueue("a");
  EXPECT_EQ(c.run_ready(), 1u);
  EXPECT_EQ(c.queue().failures("a"), 1);
  clock_.advance(milliseconds(99));
  EXPECT_EQ(c.run_ready(), 0u);
  clock_.advance(milliseconds(1));
  EXPECT_EQ(c.run_ready(), 1u);
  EXPECT_EQ(c.queue().next_due(), clock_.now() + milliseconds(200));
  EXPECT_EQ(calls, 2);
}

TEST_F(ControllerTest, NonStandardExceptionIsAlsoCaught) {
  Controller c("throwing", clock_, [](const std::string&) -> ReconcileResult { throw 42; });
  c.enqueue("a");
  EXPECT_EQ(c.run_ready(), 1u);
  EXPECT_EQ(c.queue().failures("a"), 1);
}

TEST_F(ControllerTest, ResyncEnqueuesEveryListedKeyAtFirstAndEachPeriod) {
  int lists = 0;
  Controller c = make({.resync_period = seconds(30), .list_keys = [&] {
                         ++lists;
                         return std::vector<std::string>{"a", "b", "c"};
                       }});
  EXPECT_EQ(c.run_ready(), 3u);
  EXPECT_EQ(c.run_ready(), 0u);
  clock_.advance(seconds(29));
  EXPECT_EQ(c.run_ready(), 0u);
  clock_.advance(seconds(1));
  EXPECT_EQ(c.run_ready(), 3u);
  EXPECT_EQ(lists, 2);
}

TEST_F(ControllerTest, ListKeysWithoutAPeriodResyncsOnlyOnce) {
  Controller c = make({.list_keys = [] { return std::vector<std::string>{"a"}; }});
  EXPECT_EQ(c.run_ready(), 1u);
  clock_.advance(std::chrono::hours(24));
  EXPECT_EQ(c.run_ready(), 0u);
}

TEST_F(ControllerTest, FailingListKeysIsLoggedAndRetriedNextPeriod) {
  int lists = 0;
  Controller c =
      make({.resync_period = seconds(10), .list_keys = [&]() -> std::vector<std::string> {
              if (++lists == 1) {
                throw std::runtime_error("database is locked");
              }
              return {"a"};
            }});
  EXPECT_EQ(c.run_ready(), 0u);
  clock_.advance(seconds(10));
  EXPECT_EQ(c.run_ready(), 1u);
}

TEST_F(ControllerTest, WorkersReconcileEnqueuedKeys) {
  std::promise<void> all_ran;
  std::atomic<int> count{0};
  Controller c("workers", clock_,
               [&](const std::string&) {
                 if (++count == 10) {
                   all_ran.set_value();
                 }
                 return ReconcileResult::done();
               },
               {.workers = 3});
  c.start();
  for (int i = 0; i < 10; ++i) {
    c.enqueue("key-" + std::to_string(i));
  }
  ASSERT_EQ(all_ran.get_future().wait_for(seconds(5)), std::future_status::ready);
  c.stop();
  EXPECT_EQ(count.load(), 10);
}

TEST_F(ControllerTest, WorkersResyncWhenTheClockPassesThePeriod) {
  std::promise<void> first_resync_ran;
  std::promise<void> second_resync_ran;
  std::atomic<int> count{0};
  Controller c(
      "resync", clock_,
      [&](const std::string&) {
        int n = ++count;
        if (n == 1) {
          first_resync_ran.set_value();
        } else if (n == 2) {
          second_resync_ran.set_value();
        }
        return ReconcileResult::done();
      },
      {.resync_period = seconds(30), .list_keys = [] { return std::vector<std::string>{"a"}; }});
  c.start();
  ASSERT_EQ(first_resync_ran.get_future().wait_for(seconds(5)), std::future_status::ready);
  clock_.advance(seconds(30));
  ASSERT_EQ(second_resync_ran.get_future().wait_for(seconds(5)), std::future_status::ready);
  c.stop();
}

TEST_F(ControllerTest, KeyEnqueuedDuringItsReconcileRunsAgainAfterwardsNeverConcurrently) {
  std::promise<void> first_started;
  std::promise<void> release_first;
  std::shared_future<void> released = release_first.get_future().share();
  std::promise<void> second_ran;
  std::atomic<int> calls{0};
  std::atomic<int> in_flight{0};
  std::atomic<int> max_in_flight{0};
  Controller c(
      "serial", clock_,
      [&](const std::string&) {
        int now_in_flight = ++in_flight;
        int seen = max_in_flight.load();
        while (now_in_flight > seen && !max_in_flight.compare_exchange_weak(seen, now_in_flight)) {
        }
        int call = ++calls;
        if (call == 1) {
          first_started.set_value();
          released.wait_for(seconds(5));
        }
        --in_flight;
        if (call == 2) {
          second_ran.set_value();
        }
        return ReconcileResult::done();
      },
      {.workers = 2});
  c.start();
  c.enqueue("a");
  ASSERT_EQ(first_started.get_future().wait_for(seconds(5)), std::future_status::ready);
  c.enqueue("a");
  // The second worker is idle; give it a moment in which it must not pick up "a".
  std::future<void> second = second_ran.get_future();
  EXPECT_EQ(second.wait_for(milliseconds(5)), std::future_status::timeout);
  EXPECT_EQ(calls.load(), 1);
  release_first.set_value();
  ASSERT_EQ(second.wait_for(seconds(5)), std::future_status::ready);
  c.stop();
  EXPECT_EQ(calls.load(), 2);
  EXPECT_EQ(max_in_flight.load(), 1);
}

TEST_F(ControllerTest, StopWaitsForAnInFlightReconcile) {
  std::promise<void> started;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> finished{false};
  Controller c("stopping", clock_, [&](const std::string&) {
    started.set_value();
    released.wait_for(seconds(5));
    finished = true;
    return ReconcileResult::done();
  });
  c.start();
  c.enqueue("a");
  ASSERT_EQ(started.get_future().wait_for(seconds(5)), std::future_status::ready);
  std::future<void> stopped = std::async(std::launch::async, [&] { c.stop(); });
  EXPECT_EQ(stopped.wait_for(milliseconds(5)), std::future_status::timeout);
  EXPECT_FALSE(finished.load());
  release.set_value();
  ASSERT_EQ(stopped.wait_for(seconds(5)), std::future_status::ready);
  EXPECT_TRUE(finished.load());
}

TEST_F(ControllerTest, StopWithoutStartAndTwiceIsHarmless) {
  Controller c = make();
  c.stop();
  c.stop();
  c.enqueue("a");
  EXPECT_EQ(c.run_ready(), 0u);
}

}  // namespace
}  // namespace reconcile
