#include "reconcile/work_queue.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <optional>
#include <string>
#include <thread>

#include "testing/manual_clock.h"

namespace reconcile {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class WorkQueueTest : public ::testing::Test {
 protected:
  // Takes a ready key and finishes it at once.
  std::optional<std::string> take() {
    std::optional<std::string> key = queue_.try_get();
    if (key) {
      queue_.done(*key);
    }
    return key;
  }

  fakes::ManualClock clock_;
  WorkQueue<std::string> queue_{clock_};
};

TEST_F(WorkQueueTest, KeyAddedTwiceIsHandedOutOnce) {
  queue_.add("a");
  queue_.add("a");
  EXPECT_EQ(queue_.size(), 1u);
  EXPECT_EQ(take(), "a");
  EXPECT_EQ(take(), std::nullopt);
  EXPECT_EQ(queue_.size(), 0u);
}

TEST_F(WorkQueueTest, KeysDueAtTheSameTimeComeOutInTheOrderAdded) {
  queue_.add("b");
  queue_.add("a");
  queue_.add("c");
  EXPECT_EQ(take(), "b");
  EXPECT_EQ(take(), "a");
  EXPECT_EQ(take(), "c");
}

TEST_F(WorkQueueTest, DelayedKeyIsNotReadyUntilTheClockReachesItsDueTime) {
  core::TimePoint start = clock_.now();
  queue_.add_after("a", seconds(2));
  EXPECT_EQ(queue_.next_due(), start + seconds(2));
  EXPECT_EQ(take(), std::nullopt);
  clock_.advance(milliseconds(1999));
  EXPECT_EQ(take(), std::nullopt);
  EXPECT_EQ(queue_.ready_count(), 0u);
  clock_.advance(milliseconds(1));
  EXPECT_EQ(queue_.ready_count(), 1u);
  EXPECT_EQ(take(), "a");
  EXPECT_EQ(queue_.next_due(), std::nullopt);
}

TEST_F(WorkQueueTest, AddingAWaitingKeyKeepsTheEarlierDueTime) {
  core::TimePoint start = clock_.now();
  queue_.add_after("a", seconds(10));
  queue_.add_after("a", seconds(3));
  EXPECT_EQ(queue_.next_due(), start + seconds(3));
  queue_.add_after("a", seconds(20));
  EXPECT_EQ(queue_.next_due(), start + seconds(3));
  queue_.add("a");
  EXPECT_EQ(take(), "a");
  EXPECT_EQ(queue_.size(), 0u);
}

TEST_F(WorkQueueTest, EarlierKeyComesOutFirstWhateverTheOrderAdded) {
  queue_.add_after("late", seconds(2));
  queue_.add_after("early", seconds(1));
  clock_.advance(seconds(5));
  EXPECT_EQ(take(), "early");
  EXPECT_EQ(take(), "late");
}

TEST_F(WorkQueueTest, BackoffDoublesPerFailureAndCapsAtThirtySeconds) {
  const milliseconds want[] = {milliseconds(100),   milliseconds(200),   milliseconds(400),
                               milliseconds(800),   milliseconds(1600),  milliseconds(3200),
                               milliseconds(6400),  milliseconds(12800), milliseconds(25600),
                               milliseconds(30000), milliseconds(30000)};
  for (milliseconds delay : want) {
    queue_.add_rate_limited("a");
    EXPECT_EQ(queue_.next_due(), clock_.now() + delay);
    clock_.advance(delay - milliseconds(1));
    EXPECT_EQ(take(), std::nullopt) << "ready too early for delay " << delay.count() << "ms";
    clock_.advance(milliseconds(1));
    EXPECT_EQ(take(), "a");
  }
  EXPECT_EQ(queue_.failures("a"), 11);
}

TEST_F(WorkQueueTest, ForgetResetsBackoffToTheBaseDelay) {
  queue_.add_rate_limited("a");
  clock_.advance(milliseconds(100));
  EXPECT_EQ(take(), "a");
  queue_.add_rate_limited("a");
  EXPECT_EQ(queue_.next_due(), clock_.now() + milliseconds(200));
  clock_.advance(milliseconds(200));
  EXPECT_EQ(take(), "a");

  queue_.forget("a");
  EXPECT_EQ(queue_.failures("a"), 0);
  queue_.add_rate_limited("a");
  EXPECT_EQ(queue_.next_due(), clock_.now() + milliseconds(100));
}

TEST_F(WorkQueueTest, BackoffIsCountedPerKey) {
  queue_.add_rate_limited("a");
  queue_.add_rate_limited("a");
  queue_.add_rate_limited("b");
  EXPECT_EQ(queue_.failures("a"), 2);
  EXPECT_EQ(queue_.failures("b"), 1);
}

TEST_F(WorkQueueTest, KeyAddedWhileProcessingIsHeldBackUntilDone) {
  queue_.add("a");
  ASSERT_EQ(queue_.try_get(), "a");
  queue_.add("a");
  EXPECT_EQ(queue_.size(), 1u);
  EXPECT_EQ(queue_.processing(), 1u);
  EXPECT_EQ(queue_.try_get(), std::nullopt) << "a key must never be processed twice at once";
  queue_.done("a");
  EXPECT_EQ(queue_.try_get(), "a");
  queue_.done("a");
  EXPECT_EQ(queue_.try_get(), std::nullopt);
}

TEST_F(WorkQueueTest, DelayedAddWhileProcessingKeepsItsDelayAfterDone) {
  queue_.add("a");
  ASSERT_EQ(queue_.try_get(), "a");
  queue_.add_after("a", seconds(5));
  queue_.done("a");
  EXPECT_EQ(queue_.try_get(), std::nullopt);
  clock_.advance(seconds(5));
  EXPECT_EQ(queue_.try_get(), "a");
}

TEST_F(WorkQueueTest, OtherKeysAreHandedOutWhileOneIsProcessing) {
  queue_.add("a");
  queue_.add("b");
  ASSERT_EQ(queue_.try_get(), "a");
  EXPECT_EQ(queue_.try_get(), "b");
}

TEST_F(WorkQueueTest, ShutDownIgnoresAddsAndStopsHandingOutKeys) {
  queue_.add("a");
  queue_.shut_down();
  EXPECT_TRUE(queue_.shutting_down());
  EXPECT_EQ(queue_.try_get(), std::nullopt);
  EXPECT_EQ(queue_.get(), std::nullopt);
  queue_.add("b");
  EXPECT_EQ(queue_.size(), 1u);
}

TEST_F(WorkQueueTest, GetUntilReturnsNothingOnceTheDeadlinePasses) {
  queue_.add_after("a", seconds(10));
  EXPECT_EQ(queue_.get_until(clock_.now()), std::nullopt);
  clock_.advance(seconds(10));
  EXPECT_EQ(queue_.get_until(clock_.now()), "a");
}

TEST_F(WorkQueueTest, BlockedGetWakesOnShutDown) {
  std::future<std::optional<std::string>> got =
      std::async(std::launch::async, [this] { return queue_.get(); });
  queue_.shut_down();
  ASSERT_EQ(got.wait_for(seconds(5)), std::future_status::ready);
  EXPECT_EQ(got.get(), std::nullopt);
}

TEST_F(WorkQueueTest, BlockedGetNoticesAManualClockAdvance) {
  queue_.add_after("a", seconds(60));
  std::future<std::optional<std::string>> got =
      std::async(std::launch::async, [this] { return queue_.get(); });
  // Nothing calls add() or notifies: the getter must see the clock move by itself.
  clock_.advance(seconds(60));
  ASSERT_EQ(got.wait_for(seconds(5)), std::future_status::ready);
  EXPECT_EQ(got.get(), "a");
}

TEST_F(WorkQueueTest, BlockedGetWakesOnAdd) {
  std::future<std::optional<std::string>> got =
      std::async(std::launch::async, [this] { return queue_.get(); });
  queue_.add("a");
  ASSERT_EQ(got.wait_for(seconds(5)), std::future_status::ready);
  EXPECT_EQ(got.get(), "a");
}

TEST(BackoffDelayTest, ZeroBaseNeverWaits) {
  EXPECT_EQ(backoff_delay(Backoff{core::Duration::zero(), seconds(30)}, 1000),
            core::Duration::zero());
}

TEST(BackoffDelayTest, HugeFailureCountsStayAtTheCap) {
  EXPECT_EQ(backoff_delay(Backoff{}, 1'000'000), seconds(30));
}

}  // namespace
}  // namespace reconcile
