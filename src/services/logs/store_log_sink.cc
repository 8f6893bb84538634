#include "services/logs/store_log_sink.h"

#include <exception>

#include "core/log.h"
#include "services/logs/logs_json.h"
#include "services/logs/logs_store.h"
#include "store/store_errors.h"

namespace services::logs {

StoreLogSink::StoreLogSink(store::Db& db, const core::Clock& clock, Options options)
    : db_(db), clock_(clock), options_(options) {}

StoreLogSink::~StoreLogSink() { stop(); }

void StoreLogSink::start() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (running_) {
    return;
  }
  running_ = true;
  flusher_ = std::thread([this] { flusher_loop(); });
}

void StoreLogSink::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    running_ = false;
  }
  work_.notify_all();
  space_.notify_all();
  if (flusher_.joinable()) {
    flusher_.join();
  }
  drain();
}

void StoreLogSink::discard() {
  std::lock_guard<std::mutex> flushing(flush_mutex_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.clear();
    queued_events_ = 0;
    queued_bytes_ = 0;
  }
  space_.notify_all();
}

size_t StoreLogSink::backlog() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queued_events_;
}

void StoreLogSink::append(const LogTarget& t, std::vector<LogEvent> events) {
  if (events.empty()) {
    return;
  }
  const size_t n = events.size();
  size_t bytes = 0;
  for (const LogEvent& e : events) {
    bytes += static_cast<size_t>(event_size(e.message));
  }
  std::unique_lock<std::mutex> lock(mutex_);
  space_.wait(lock, [&] {
    return !running_ || (queued_events_ < options_.max_backlog_events &&
                         queued_bytes_ < options_.max_backlog_bytes);
  });
  std::vector<LogEvent>& queue = pending_[Key{t.account, t.region, t.group, t.stream}];
  if (queue.empty()) {
    queue = std::move(events);
  } else {
    queue.insert(queue.end(), std::make_move_iterator(events.begin()),
                 std::make_move_iterator(events.end()));
  }
  queued_events_ += n;
  queued_bytes_ += bytes;
  bool inline_write = !running_;
  bool wake = queued_events_ >= options_.flush_threshold;
  lock.unlock();
  if (inline_write) {
    drain();
  } else if (wake) {
    work_.notify_one();
  }
}

void StoreLogSink::flush() { drain(); }

void StoreLogSink::flusher_loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (running_) {
    work_.wait_for(lock, options_.flush_interval,
                   [&] { return !running_ || queued_events_ >= options_.flush_threshold; });
    if (queued_events_ == 0) {
      continue;
    }
    lock.unlock();
    drain();
    lock.lock();
  }
}

void StoreLogSink::drain() {
  std::lock_guard<std::mutex> flushing(flush_mutex_);
  Pending batch;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    batch.swap(pending_);
    queued_events_ = 0;
    queued_bytes_ = 0;
  }
  space_.notify_all();
  if (!batch.empty()) {
    write(batch);
  }
}

void StoreLogSink::write(Pending& batch) {
  int64_t now = core::to_epoch_millis(clock_.now());
  // Published once the events are committed, outside the transaction.
  struct Filtered {
    const Key* key;
    std::shared_ptr<const GroupMetricFilters> filters;
    const std::vector<LogEvent>* events;
  };
  std::vector<Filtered> filtered;
  try {
    std::optional<store::Transaction> tx(db_.begin());
    size_t in_tx = 0;
    for (auto& [key, events] : batch) {
      const auto& [account, region, group, stream] = key;
      LogsStore st(*tx);
      std::optional<GroupRow> g = st.group(account, region, group);
      if (!g) {
        continue;  // the group was deleted: CloudWatch would refuse these events too
      }
      std::optional<StreamRow> s = st.stream(g->id, stream);
      if (!s) {
        StreamRow row;
        row.id = st.insert_stream(g->id, stream, now);
        row.group_id = g->id;
        row.name = stream;
        s = row;
      }
      if (metric_filters_ != nullptr) {
        if (auto filters = metric_filters_->filters(*tx, *g)) {
          filtered.push_back({&key, std::move(filters), &events});
        }
      }
      std::span<const LogEvent> all(events);
      for (size_t at = 0; at < all.size();) {
        // in_tx < max_events_per_tx here: it is reset whenever it reaches the limit.
        size_t n = std::min(all.size() - at, options_.max_events_per_tx - in_tx);
        LogsStore(*tx).append(*s, all.subspan(at, n), now);
        at += n;
        in_tx += n;
        if (in_tx >= options_.max_events_per_tx) {
          // Let API calls in between a very large flush.
          tx->commit();
          tx.emplace(db_.begin());
          in_tx = 0;
        }
      }
    }
    tx->commit();
  } catch (const std::exception& e) {
    core::log::error("logs sink: flush failed", {{"error", e.what()}});
    return;
  }
  for (const Filtered& f : filtered) {
    const auto& [account, region, group, stream] = *f.key;
    metric_filters_->publish(account, region, *f.filters, *f.events);
  }
}

protocol::Result<void> StoreLogSink::ensure_group(const std::string& account,
                                                  const std::string& region,
                                                  const std::string& group,
                                                  bool create_if_missing) {
  store::Transaction tx = db_.begin();
  LogsStore st(tx);
  if (st.group(account, region, group)) {
    return {};
  }
  if (!create_if_missing) {
    return awslogs_group_missing();
  }
  if (auto r = check_group_name(group, "logGroupName"); !r) {
    return protocol::AwsError{"ResourceInitializationError",
                              "ResourceInitializationError: failed to validate logger args: "
                              "failed to create Cloudwatch log group: " +
                                  r.error().code + ": " + r.error().message + " : exit status 1"};
  }
  GroupRow g;
  g.account = account;
  g.region = region;
  g.name = group;
  g.created_at_ms = core::to_epoch_millis(clock_.now());
  st.insert_group(g);
  tx.commit();
  return {};
}

protocol::Result<void> StoreLogSink::ensure_stream(const LogTarget& t) {
  store::Transaction tx = db_.begin();
  LogsStore st(tx);
  std::optional<GroupRow> g = st.group(t.account, t.region, t.group);
  if (!g) {
    return awslogs_group_missing();
  }
  if (!st.stream(g->id, t.stream)) {
    st.insert_stream(g->id, t.stream, core::to_epoch_millis(clock_.now()));
  }
  tx.commit();
  return {};
}

}  // namespace services::logs
