#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "netplane/netns.h"

namespace netplane {
namespace {

std::string inode_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return "";
  }
  return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

class NetnsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) {
      GTEST_SKIP() << "needs root (network namespaces)";
    }
    name_ = "gxt" + std::to_string(::getpid()) + "-netns-test";
  }
  void TearDown() override {
    if (::geteuid() == 0) {
      EXPECT_TRUE(delete_netns(name_));
      EXPECT_FALSE(netns_exists(name_));
    }
  }
  std::string name_;
};

TEST_F(NetnsTest, CreatedNamespaceIsMountedAndDistinctFromTheHosts) {
  ASSERT_TRUE(create_netns(name_));
  EXPECT_TRUE(netns_exists(name_));
  EXPECT_NE(inode_of(netns_path(name_)), inode_of("/proc/self/ns/net"));
  std::vector<std::string> listed = list_netns("gxt" + std::to_string(::getpid()));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0], name_);
}

TEST_F(NetnsTest, CreatingALiveNamespaceTwiceFailsWithExists) {
  ASSERT_TRUE(create_netns(name_));
  Result<void> again = create_netns(name_);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, errc::exists);
}

TEST_F(NetnsTest, DeletingAMissingNamespaceSucceeds) {
  EXPECT_TRUE(delete_netns(name_));
  EXPECT_TRUE(delete_netns(name_));
}

TEST_F(NetnsTest, RunInNetnsRunsOnAThreadInsideTheNamespace) {
  ASSERT_TRUE(create_netns(name_));
  std::string seen;
  ASSERT_TRUE(
      run_in_netns(netns_path(name_), [&] { seen = inode_of("/proc/thread-self/ns/net"); }));
  EXPECT_EQ(seen, inode_of(netns_path(name_)));
}

TEST_F(NetnsTest, WithNetnsReturnsTheCallingThreadToItsNamespace) {
  ASSERT_TRUE(create_netns(name_));
  std::string before = inode_of("/proc/thread-self/ns/net");
  Result<std::string> inside =
      with_netns(netns_path(name_), [&] { return inode_of("/proc/thread-self/ns/net"); });
  ASSERT_TRUE(inside);
  EXPECT_EQ(*inside, inode_of(netns_path(name_)));
  EXPECT_EQ(inode_of("/proc/thread-self/ns/net"), before);
}

TEST_F(NetnsTest, SocketsMadeInANamespaceTalkOverItsLoopbackOnly) {
  ASSERT_TRUE(create_netns(name_));
  // A fresh namespace has lo down; bring it up from inside.
  ASSERT_TRUE(
      run_in_netns(netns_path(name_), [] { ASSERT_EQ(std::system("ip link set lo up"), 0); }));
  Result<UniqueFd> listener = listen_in_netns(netns_path(name_), "127.0.0.1", 0);
  ASSERT_TRUE(listener) << listener.error().message;
  Result<uint16_t> port = local_port(listener->get());
  ASSERT_TRUE(port);
  Result<UniqueFd> conn =
      connect_in_netns(netns_path(name_), "127.0.0.1", *port, std::chrono::milliseconds(1000));
  ASSERT_TRUE(conn) << conn.error().message;
  UniqueFd accepted(::accept(listener->get(), nullptr, nullptr));
  ASSERT_TRUE(accepted);
  ASSERT_EQ(::write(conn->get(), "hi", 2), 2);
  char buf[2];
  ASSERT_EQ(::read(accepted.get(), buf, 2), 2);
  EXPECT_EQ(std::string(buf, 2), "hi");
}

TEST_F(NetnsTest, OpeningAMissingNamespaceIsNotFound) {
  Result<UniqueFd> fd = socket_in_netns(netns_path(name_), AF_INET, SOCK_STREAM);
  ASSERT_FALSE(fd);
  EXPECT_EQ(fd.error().code, errc::not_found);
}

}  // namespace
}  // namespace netplane
