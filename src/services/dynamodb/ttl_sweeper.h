#pragma once
// Deletes expired items of the tables whose TimeToLive is enabled, in the background, as
// DynamoDB's TTL does: an item expires when its TTL attribute is a Number of epoch seconds in the
// past (and not more than five years in the past, which DynamoDB ignores); other types never
// expire. Each deletion keeps the table's indexes and figures, like a DeleteItem.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html
//
// start() runs sweep_once() every kTtlSweepInterval (AWS time, scaled by the clock) on its own
// thread; stop() waits for a sweep in progress. sweep_once() may be called from any thread.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/clock.h"
#include "store/db.h"

namespace services::dynamodb {

inline constexpr std::chrono::seconds kTtlSweepInterval{10};
// Deletions per table per sweep, so that one sweep's transaction stays short.
inline constexpr int kTtlBatch = 1000;

class TtlSweeper {
 public:
  TtlSweeper(store::Db& db, const core::Clock& clock) : db_(db), clock_(clock) {}
  ~TtlSweeper() { stop(); }

  void start();
  void stop();
  // Deletes the expired items due now; returns how many.
  int sweep_once();

 private:
  store::Db& db_;
  const core::Clock& clock_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace services::dynamodb
