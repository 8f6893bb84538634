#include "services/dynamodb/streams/stream_trimmer.h"

#include "services/dynamodb/streams/stream_store.h"

namespace services::dynamodb::streams {
namespace {

constexpr std::string_view kKey = "trim";

}  // namespace

StreamTrimmer::StreamTrimmer(store::Db& db, const core::Clock& clock)
    : db_(db),
      clock_(clock),
      controller_("dynamodb-streams-trim", clock, [this](const std::string&) {
        trim_once();
        return reconcile::ReconcileResult::requeue_after(clock_.scaled(kTrimInterval));
      }) {}

void StreamTrimmer::start() {
  controller_.start();
  controller_.enqueue(std::string(kKey));
}

int64_t StreamTrimmer::trim_once() {
  int64_t now = core::to_epoch_millis(clock_.now());
  int64_t retention =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.scaled(kRetention)).count();
  store::Transaction tx = db_.begin();
  int64_t removed = StreamStore(tx).trim(now - retention);
  tx.commit();
  return removed;
}

}  // namespace services::dynamodb::streams
