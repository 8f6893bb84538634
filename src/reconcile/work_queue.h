#pragma once
// A keyed, deduplicating, delaying work queue, after client-go's workqueue.
//
//  - Deduplicating: a key waits in the queue at most once. Adding a waiting key again keeps the
//    earlier of the two due times.
//  - Never concurrent with itself: a key handed out by get()/try_get() is "processing" until
//    done(key). Adding it meanwhile marks it dirty; done() puts it back, so the latest state is
//    always looked at once more, by one worker at a time.
//  - Delays come from the injected core::Clock: add_after(key, 2s) is ready once clock.now() has
//    moved 2s on, which a test does with fakes::ManualClock::advance().
//  - Per-key exponential backoff: add_rate_limited(key) waits base * 2^(failures-1), capped at max,
//    counting consecutive failures until forget(key).
//
// Thread-safe: every method may be called from any thread. Keys with equal due times come out in
// the order they were added.

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "core/clock.h"

namespace reconcile {

// Exponential backoff for add_rate_limited(). These are our own retry delays, not AWS timers, so
// they are not divided by the clock's time scale.
struct Backoff {
  core::Duration base = std::chrono::milliseconds(100);
  core::Duration max = std::chrono::seconds(30);
};

// The delay before retry number `failures` (1 for the first failure): base * 2^(failures-1),
// never more than max.
core::Duration backoff_delay(const Backoff& backoff, int failures);

template <class Key, class Hash = std::hash<Key>>
class WorkQueue {
 public:
  // How long a blocked get() sleeps (real time) before looking at the clock again, so that it
  // notices a ManualClock that was advanced without an add().
  static constexpr std::chrono::milliseconds kMaxPoll{50};

  explicit WorkQueue(const core::Clock& clock, Backoff backoff = {})
      : clock_(clock), backoff_(backoff) {}
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // Queues key to be ready now. Ignored after shut_down().
  void add(const Key& key) { add_at(key, clock_.now()); }
  // Queues key to be ready once the clock has moved on by delay.
  void add_after(const Key& key, core::Duration delay) {
    add_at(key, clock_.now() + std::max(delay, core::Duration::zero()));
  }
  // Queues key after its backoff delay and counts one more consecutive failure.
  void add_rate_limited(const Key& key) {
    core::Duration delay;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      delay = backoff_delay(backoff_, ++failures_[key]);
    }
    add_after(key, delay);
  }
  // Resets key's failure count, so its next add_rate_limited() waits only the base delay.
  void forget(const Key& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    failures_.erase(key);
  }
  // Consecutive failures counted for key since the last forget().
  int failures(const Key& key) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = failures_.find(key);
    return it == failures_.end() ? 0 : it->second;
  }

  // Non-blocking: a key that is due (due time <= clock.now()), now marked processing, or nullopt.
  std::optional<Key> try_get() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (shutting_down_) {
      return std::nullopt;
    }
    return pop_ready_locked();
  }

  // Blocking: waits until a key is due and returns it marked processing, or returns nullopt once
  // shut_down() has been called.
  std::optional<Key> get() { return wait_for_key(std::nullopt); }
  // As get(), but also returns nullopt once clock.now() reaches deadline.
  std::optional<Key> get_until(core::TimePoint deadline) { return wait_for_key(deadline); }

  // Ends processing of key, which get()/try_get() returned. If key was added meanwhile, it is
  // queued again with the earliest due time it was given.
  void done(const Key& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    processing_.erase(key);
    auto it = dirty_.find(key);
    if (it != dirty_.end()) {
      core::TimePoint due = it->second;
      dirty_.erase(it);
      if (!shutting_down_) {
        enqueue_locked(key, due);
      }
    }
  }

  // Wakes every get(), which then return nullopt; later adds are ignored. Keys being processed
  // may still be passed to done().
  void shut_down() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      shutting_down_ = true;
    }
    cv_.notify_all();
  }
  bool shutting_down() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return shutting_down_;
  }

  // When the earliest waiting key is due; nullopt if none waits. Dirty keys still being processed
  // are not counted until done().
  std::optional<core::TimePoint> next_due() const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (order_.empty()) {
      return std::nullopt;
    }
    return order_.begin()->due;
  }
  // Keys waiting, delayed or not, including keys added while being processed.
  std::size_t size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return queued_.size() + dirty_.size();
  }
  // Waiting keys that are due now.
  std::size_t ready_count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    core::TimePoint now = clock_.now();
    std::size_t n = 0;
    for (auto it = order_.begin(); it != order_.end() && it->due <= now; ++it) {
      ++n;
    }
    return n;
  }
  // Keys handed out and not yet done().
  std::size_t processing() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return processing_.size();
  }

 private:
  struct Entry {
    core::TimePoint due;
    uint64_t seq;
    Key key;
    bool operator<(const Entry& other) const {
      return due != other.due ? due < other.due : seq < other.seq;
    }
  };
  using Order = std::set<Entry>;

  void add_at(const Key& key, core::TimePoint due) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (shutting_down_) {
        return;
      }
      if (processing_.contains(key)) {
        auto [it, inserted] = dirty_.try_emplace(key, due);
        if (!inserted) {
          it->second = std::min(it->second, due);
        }
        return;
      }
      enqueue_locked(key, due);
    }
  }

  void enqueue_locked(const Key& key, core::TimePoint due) {
    auto it = queued_.find(key);
    if (it != queued_.end()) {
      if (it->second->due <= due) {
        return;
      }
      order_.erase(it->second);
      queued_.erase(it);
    }
    auto pos = order_.insert(Entry{due, next_seq_++, key}).first;
    queued_.emplace(key, pos);
    cv_.notify_one();
  }

  std::optional<Key> pop_ready_locked() {
    if (order_.empty() || order_.begin()->due > clock_.now()) {
      return std::nullopt;
    }
    auto node = order_.extract(order_.begin());
    Key key = std::move(node.value().key);
    queued_.erase(key);
    processing_.insert(key);
    return key;
  }

  std::optional<Key> wait_for_key(std::optional<core::TimePoint> deadline) {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      if (shutting_down_) {
        return std::nullopt;
      }
      if (std::optional<Key> key = pop_ready_locked()) {
        return key;
      }
      core::TimePoint now = clock_.now();
      if (deadline && now >= *deadline) {
        return std::nullopt;
      }
      std::optional<core::TimePoint> wake = deadline;
      if (!order_.empty() && (!wake || order_.begin()->due < *wake)) {
        wake = order_.begin()->due;
      }
      if (!wake) {
        cv_.wait(lock);  // nothing is scheduled: only add() or shut_down() can change that
        continue;
      }
      // The clock may be a ManualClock that moves without telling us: look again at least every
      // kMaxPoll of real time.
      cv_.wait_for(lock, std::min<core::Duration>(*wake - now, kMaxPoll));
    }
  }

  const core::Clock& clock_;
  const Backoff backoff_;

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  Order order_;                                                     // waiting keys by due time
  std::unordered_map<Key, typename Order::iterator, Hash> queued_;  // key -> its entry in order_
  std::unordered_set<Key, Hash> processing_;
  std::unordered_map<Key, core::TimePoint, Hash> dirty_;  // added while processing
  std::unordered_map<Key, int, Hash> failures_;
  uint64_t next_seq_ = 0;
  bool shutting_down_ = false;
};

extern template class WorkQueue<std::string>;

}  // namespace reconcile
