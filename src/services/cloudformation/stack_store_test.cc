// StackStore over an in-memory store: the order and time of a stack's events.

#include "services/cloudformation/stack_store.h"

#include <gtest/gtest.h>

#include "store/db.h"

namespace services::cloudformation {
namespace {

StackEvent event(const std::string& logical_id, int64_t timestamp_ms) {
  StackEvent e;
  e.stack_id = "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1";
  e.event_id = logical_id + "-event";
  e.logical_id = logical_id;
  e.timestamp_ms = timestamp_ms;
  return e;
}

// Two resource threads: B stamped its event a millisecond before A, but took the store after.
TEST(StackStoreTest, AnEventIsNeverOlderThanTheOneBeforeIt) {
  store::Db db = store::Db::open_in_memory();
  store::Transaction tx = db.begin();
  StackStore s(tx);
  EXPECT_EQ(s.append_event(event("A", 1001)).seq, 1);
  StackEvent b = s.append_event(event("B", 1000));
  EXPECT_EQ(b.seq, 2);
  EXPECT_EQ(b.timestamp_ms, 1001);
  StackEvent c = s.append_event(event("C", 1500));
  EXPECT_EQ(c.timestamp_ms, 1500);
  std::vector<StackEvent> newest_first = s.events(b.stack_id);
  ASSERT_EQ(newest_first.size(), 3u);
  EXPECT_EQ(newest_first[0].logical_id, "C");
  EXPECT_EQ(newest_first[1].timestamp_ms, 1001);
  EXPECT_EQ(newest_first[2].logical_id, "A");
}

}  // namespace
}  // namespace services::cloudformation
