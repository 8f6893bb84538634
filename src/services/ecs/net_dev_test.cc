#include "services/ecs/net_dev.h"

#include <gtest/gtest.h>
#include <unistd.h>

namespace services::ecs {
namespace {

TEST(ParseNetDevTest, EveryInterfaceButLoopback) {
  std::string text =
      "Inter-|   Receive                                                |  Transmit\n"
      " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs "
      "drop fifo colls carrier compressed\n"
      "    lo:     500       5    0    0    0     0          0         0      500       5    0 "
      "   0    0     0       0          0\n"
      "  eth0:    1200      10    1    2    0     0          0         0      800       8    3 "
      "   4    0     0       0          0\n"
      "  eth1:      34       1    0    0    0     0          0         0        6       1    0 "
      "   0    0     0       0          0\n";
  std::optional<std::vector<InterfaceCounters>> n = parse_net_dev(text);
  ASSERT_TRUE(n);
  ASSERT_EQ(n->size(), 2u);
  EXPECT_EQ((*n)[0], (InterfaceCounters{"eth0", 1200, 10, 1, 2, 800, 8, 3, 4}));
  EXPECT_EQ((*n)[1].name, "eth1");
  EXPECT_EQ((*n)[1].tx_bytes, 6u);
  EXPECT_FALSE(parse_net_dev("no table here\n"));
  EXPECT_EQ(parse_net_dev("Inter-|\n face |\n    lo: 1 1 0 0 0 0 0 0 1 1 0 0 0 0 0 0\n"),
            std::vector<InterfaceCounters>{});
}

TEST(ReadNetDevTest, ReadsTheNamespaceOfAProcess) {
  // This process's own namespace has a table (at least loopback); a pid that cannot exist none.
  EXPECT_TRUE(read_net_dev(::getpid()));
  EXPECT_FALSE(read_net_dev(0));
}

}  // namespace
}  // namespace services::ecs
