#pragma once
// The LogSink behind awslogs: appended events wait in memory and a flusher thread writes them to
// the store, every flush in as few transactions as possible (one per max_events_per_tx events).
//
// Threads: append/ensure_*/flush/discard from any thread. start() launches the flusher; before
// start() and after stop() every append is written on the caller's thread, so nothing is lost.
// A full backlog (max_backlog_events or max_backlog_bytes) makes append wait for the flusher:
// a chatty container is slowed down rather than the server's memory growing without bound.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "core/clock.h"
#include "services/logs/log_sink.h"
#include "services/logs/metric_filter_index.h"
#include "store/db.h"

namespace services::logs {

class StoreLogSink final : public LogSink {
 public:
  struct Options {
    std::chrono::milliseconds flush_interval{200};
    size_t flush_threshold = 1000;  // events waiting that wake the flusher early
    size_t max_backlog_events = 200000;
    size_t max_backlog_bytes = size_t{64} << 20;
    size_t max_events_per_tx = 20000;  // bounds how long one flush holds the database
  };

  StoreLogSink(store::Db& db, const core::Clock& clock) : StoreLogSink(db, clock, Options{}) {}
  StoreLogSink(store::Db& db, const core::Clock& clock, Options options);
  // Calls stop().
  ~StoreLogSink() override;
  StoreLogSink(const StoreLogSink&) = delete;
  StoreLogSink& operator=(const StoreLogSink&) = delete;

  // Written events go through the groups' metric filters (call before start()).
  void set_metric_filters(MetricFilterIndex* index) { metric_filters_ = index; }

  void start();
  // Writes everything still queued and joins the flusher. Idempotent.
  void stop();
  // Drops everything queued (POST /_gantry/reset, before the tables are wiped).
  void discard();
  // Events queued and not yet written.
  size_t backlog() const;

  void append(const LogTarget& t, std::vector<LogEvent> events) override;
  protocol::Result<void> ensure_group(const std::string& account, const std::string& region,
                                      const std::string& group, bool create_if_missing) override;
  protocol::Result<void> ensure_stream(const LogTarget& t) override;
  void flush() override;

 private:
  using Key = std::tuple<std::string, std::string, std::string, std::string>;
  using Pending = std::map<Key, std::vector<LogEvent>>;

  void flusher_loop();
  // Takes everything queued and writes it; serialised by flush_mutex_.
  void drain();
  void write(Pending& batch);

  store::Db& db_;
  const core::Clock& clock_;
  const Options options_;
  MetricFilterIndex* metric_filters_ = nullptr;

  std::mutex flush_mutex_;  // held while a batch is written; taken before mutex_

  mutable std::mutex mutex_;
  std::condition_variable work_;   // flusher: enough queued, or stopping
  std::condition_variable space_;  // appenders: backlog below its limits
  Pending pending_;
  size_t queued_events_ = 0;
  size_t queued_bytes_ = 0;
  bool running_ = false;
  std::thread flusher_;
};

}  // namespace services::logs
