#pragma once
// A level-triggered controller, after Kubernetes controllers: keys (resource ARNs) go into a
// WorkQueue; workers take each due key and call reconcile(key), which re-reads everything about the
// key and converges the world toward it. The result says whether to look again.
//
//   Controller tasks{"task", clock, [&](const std::string& arn) { return reconcile_task(arn); },
//                    {.workers = 2, .resync_period = std::chrono::seconds(30),
//                     .list_keys = [&] { return store.task_arns(); }}};
//   tasks.start();            // server start-up
//   tasks.enqueue(task_arn);  // from a handler, after its transaction commits
//   tasks.stop();             // shutdown: waits for in-flight reconciles
//
// Guarantees: one key is never reconciled by two workers at once; a key enqueued while it is being
// reconciled runs once more afterwards; an exception thrown by reconcile is logged with the
// controller's name and the key, then handled as ReconcileResult::retry(). None escapes a worker.
//
// Resync: with list_keys set, every key it returns is enqueued once at first (on the first
// run_ready() or as soon as the workers start), and again whenever resync_period has passed on the
// clock since the last resync, which catches any change that was never enqueued.
//
// Threads: enqueue*() may be called from any thread. Tests call run_ready() on their own thread
// instead of start(), advancing a fakes::ManualClock between calls.

#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "reconcile/work_queue.h"

namespace reconcile {

// What a reconcile asks for next.
struct ReconcileResult {
  enum class Kind { Done, RequeueAfter, Retry };

  // Converged (or gone): nothing to do until the key is enqueued again. Resets the key's backoff.
  static ReconcileResult done() { return {Kind::Done, {}}; }
  // Still converging, no failure: look again after delay (e.g. waiting for a container to stop).
  // Resets the key's backoff.
  static ReconcileResult requeue_after(core::Duration delay) { return {Kind::RequeueAfter, delay}; }
  // Failed: look again after the key's exponential backoff (100 ms, 200 ms, ... up to 30 s).
  static ReconcileResult retry() { return {Kind::Retry, {}}; }

  Kind kind = Kind::Done;
  core::Duration delay{};
};

struct ControllerOptions {
  int workers = 1;
  std::optional<core::Duration> resync_period;
  // Every key that should be looked at on resync; called on a worker thread (or in run_ready()).
  std::function<std::vector<std::string>()> list_keys;
  Backoff backoff;
};

class Controller {
 public:
  using ReconcileFn = std::function<ReconcileResult(const std::string& key)>;

  Controller(std::string name, const core::Clock& clock, ReconcileFn reconcile,
             ControllerOptions options = {});
  Controller(const Controller&) = delete;
  Controller& operator=(const Controller&) = delete;
  // Calls stop().
  ~Controller();

  // Launches options.workers worker threads. Call once.
  void start();
  // Shuts the queue down, waits for in-flight reconciles to return and joins the workers. Keys
  // still waiting are dropped; they are desired state in the store, and the next start's resync
  // finds them. Idempotent.
  void stop();

  void enqueue(const std::string& key);
  void enqueue_after(const std::string& key, core::Duration delay);

  // For tests, without start(): resyncs if due, then reconciles on the calling thread every key
  // that is due now (a key that requeues itself as due now waits for the next call). Returns how
  // many reconciles ran.
  std::size_t run_ready();

  const std::string& name() const { return name_; }
  WorkQueue<std::string>& queue() { return queue_; }

 private:
  void worker_loop();
  void process(const std::string& key);
  // When the next resync is due; nullopt if there will be none.
  std::optional<core::TimePoint> next_resync();
  void maybe_resync();

  const std::string name_;
  const core::Clock& clock_;
  const ReconcileFn reconcile_;
  const ControllerOptions options_;
  WorkQueue<std::string> queue_;

  std::mutex resync_mutex_;
  std::optional<core::TimePoint> last_resync_;

  std::mutex lifecycle_mutex_;
  bool started_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace reconcile
