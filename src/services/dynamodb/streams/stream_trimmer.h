#pragma once
// Removes what DynamoDB Streams no longer keeps: "All data in DynamoDB Streams is subject to a
// 24-hour lifetime", so records older than kRetention are trimmed (TRIM_HORIZON then starts
// after them, and an iterator behind them fails with TrimmedDataAccessException), and a stream
// disabled kRetention ago (by UpdateTable or DeleteTable) goes with its records.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html
//
// start() runs trim_once() every kTrimInterval on a reconcile::Controller; both durations are
// AWS time, scaled by the clock. stop() waits for a trim in progress. trim_once() may be called
// from any thread.

#include <chrono>

#include "core/clock.h"
#include "reconcile/controller.h"
#include "store/db.h"

namespace services::dynamodb::streams {

inline constexpr std::chrono::hours kRetention{24};
inline constexpr std::chrono::minutes kTrimInterval{1};

class StreamTrimmer {
 public:
  StreamTrimmer(store::Db& db, const core::Clock& clock);

  void start();
  void stop() { controller_.stop(); }
  // Trims what is due now; returns the records removed.
  int64_t trim_once();

 private:
  store::Db& db_;
  const core::Clock& clock_;
  reconcile::Controller controller_;
};

}  // namespace services::dynamodb::streams
