#include "reconcile/controller.h"

#include <exception>
#include <utility>

#include "core/check.h"
#include "core/log.h"

namespace reconcile {

Controller::Controller(std::string name, const core::Clock& clock, ReconcileFn reconcile,
                       ControllerOptions options)
    : name_(std::move(name)),
      clock_(clock),
      reconcile_(std::move(reconcile)),
      options_(std::move(options)),
      queue_(clock, options_.backoff) {
  CHECK(reconcile_) << "controller " << name_ << " needs a reconcile function";
  CHECK(options_.workers >= 1) << "controller " << name_ << " needs at least one worker";
}

Controller::~Controller() { stop(); }

void Controller::start() {
  std::lock_guard<std::mutex> lock(lifecycle_mutex_);
  CHECK(!started_) << "controller " << name_ << " started twice";
  started_ = true;
  for (int i = 0; i < options_.workers; ++i) {
    workers_.emplace_back([this] { worker_loop(); });
  }
  core::log::debug("controller started",
                   {{"controller", name_}, {"workers", std::to_string(options_.workers)}});
}

void Controller::stop() {
  std::lock_guard<std::mutex> lock(lifecycle_mutex_);
  queue_.shut_down();
  for (std::thread& worker : workers_) {
    worker.join();
  }
  workers_.clear();
}

void Controller::enqueue(const std::string& key) { queue_.add(key); }

void Controller::enqueue_after(const std::string& key, core::Duration delay) {
  queue_.add_after(key, delay);
}

std::size_t Controller::run_ready() {
  maybe_resync();
  // Count first: a key that requeues itself as due now sorts after every key already due, so
  // stopping at this count runs each due key once and always terminates.
  std::size_t due = queue_.ready_count();
  std::size_t ran = 0;
  while (ran < due) {
    std::optional<std::string> key = queue_.try_get();
    if (!key) {
      break;
    }
    process(*key);
    ++ran;
  }
  return ran;
}

void Controller::worker_loop() {
  while (true) {
    std::optional<core::TimePoint> resync_at = next_resync();
    std::optional<std::string> key = resync_at ? queue_.get_until(*resync_at) : queue_.get();
    if (key) {
      process(*key);
    } else if (queue_.shutting_down()) {
      return;
    }
    maybe_resync();
  }
}

void Controller::process(const std::string& key) {
  ReconcileResult result = ReconcileResult::retry();
  try {
    result = reconcile_(key);
  } catch (const std::exception& e) {
    core::log::error("reconcile failed",
                     {{"controller", name_}, {"key", key}, {"error", e.what()}});
  } catch (...) {
    core::log::error("reconcile failed",
                     {{"controller", name_}, {"key", key}, {"error", "unknown exception"}});
  }
  switch (result.kind) {
    case ReconcileResult::Kind::Done:
      queue_.forget(key);
      break;
    case ReconcileResult::Kind::RequeueAfter:
      queue_.forget(key);
      queue_.add_after(key, result.delay);
      break;
    case ReconcileResult::Kind::Retry:
      queue_.add_rate_limited(key);
      core::log::debug("reconcile retry", {{"controller", name_},
                                           {"key", key},
                                           {"failures", std::to_string(queue_.failures(key))}});
      break;
  }
  // After the add: the key is still processing, so the add marks it dirty and done() requeues it.
  queue_.done(key);
}

std::optional<core::TimePoint> Controller::next_resync() {
  if (!options_.list_keys) {
    return std::nullopt;
  }
  std::lock_guard<std::mutex> lock(resync_mutex_);
  if (!last_resync_) {
    return clock_.now();
  }
  if (!options_.resync_period) {
    return std::nullopt;
  }
  return *last_resync_ + *options_.resync_period;
}

void Controller::maybe_resync() {
  if (!options_.list_keys) {
    return;
  }
  std::lock_guard<std::mutex> lock(resync_mutex_);
  core::TimePoint now = clock_.now();
  if (last_resync_ && (!options_.resync_period || now < *last_resync_ + *options_.resync_period)) {
    return;
  }
  // Stamp before listing: a failing list_keys waits a full period instead of spinning.
  last_resync_ = now;
  std::vector<std::string> keys;
  try {
    keys = options_.list_keys();
  } catch (const std::exception& e) {
    core::log::error("resync failed", {{"controller", name_}, {"error", e.what()}});
    return;
  } catch (...) {
    core::log::error("resync failed", {{"controller", name_}, {"error", "unknown exception"}});
    return;
  }
  for (const std::string& key : keys) {
    queue_.add(key);
  }
}

}  // namespace reconcile
