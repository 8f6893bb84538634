#include "http/connection_table.h"

#include <gtest/gtest.h>

#include <vector>

namespace http {
namespace {

TEST(ConnectionTableTest, IsFullAtItsLimit) {
  ConnectionTable table(2);
  ConnectionTable::Id a = table.add();
  EXPECT_FALSE(table.full());
  table.add();
  EXPECT_TRUE(table.full());
  table.remove(a);
  EXPECT_FALSE(table.full());
  EXPECT_EQ(table.size(), 1u);
}

TEST(ConnectionTableTest, EvictsTheConnectionIdleTheLongest) {
  ConnectionTable table(3);
  std::vector<int> closed;
  ConnectionTable::Id a = table.add();
  ConnectionTable::Id b = table.add();
  ConnectionTable::Id c = table.add();
  table.set_idle(b, [&] { closed.push_back(2); });
  table.set_idle(a, [&] { closed.push_back(1); });
  table.set_idle(c, [&] { closed.push_back(3); });
  ASSERT_TRUE(table.evict_oldest_idle());
  ASSERT_TRUE(table.evict_oldest_idle());
  EXPECT_EQ(closed, (std::vector<int>{2, 1}));
}

TEST(ConnectionTableTest, NeverEvictsABusyConnection) {
  ConnectionTable table(2);
  bool closed = false;
  ConnectionTable::Id a = table.add();
  table.set_idle(a, [&] { closed = true; });
  table.set_busy(a);
  EXPECT_FALSE(table.evict_oldest_idle());
  EXPECT_FALSE(closed);
}

TEST(ConnectionTableTest, IdleAgainMovesAConnectionToTheBackOfTheLine) {
  ConnectionTable table(2);
  std::vector<int> closed;
  ConnectionTable::Id a = table.add();
  ConnectionTable::Id b = table.add();
  table.set_idle(a, [&] { closed.push_back(1); });
  table.set_idle(b, [&] { closed.push_back(2); });
  table.set_busy(a);
  table.set_idle(a, [&] { closed.push_back(1); });
  ASSERT_TRUE(table.evict_oldest_idle());
  EXPECT_EQ(closed, (std::vector<int>{2}));
}

TEST(ConnectionTableTest, EvictsEachConnectionOnce) {
  ConnectionTable table(1);
  int closes = 0;
  ConnectionTable::Id a = table.add();
  table.set_idle(a, [&] { ++closes; });
  EXPECT_TRUE(table.evict_oldest_idle());
  EXPECT_FALSE(table.evict_oldest_idle());
  table.remove(a);
  EXPECT_EQ(closes, 1);
  EXPECT_EQ(table.size(), 0u);
}

TEST(ConnectionTableTest, DefaultLimitLeavesHalfTheDescriptorsFree) {
  EXPECT_EQ(default_connection_limit(1024), 512u);
  EXPECT_EQ(default_connection_limit(20000), 10000u);
  EXPECT_EQ(default_connection_limit(1u << 20), 10000u);
}

}  // namespace
}  // namespace http
