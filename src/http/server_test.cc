#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <string>
#include <thread>

namespace http {
namespace {

// A listening socket on 127.0.0.1 with a kernel-chosen port, as netplane would hand over one made
// inside a namespace.
int listening_socket(uint16_t* port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 16) != 0) {
    ::close(fd);
    return -1;
  }
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  *port = ntohs(a.sin_port);
  return fd;
}

// Sends one request with Connection: close and returns everything the server answered.
std::string exchange(uint16_t port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return "";
  }
  ::send(fd, request.data(), request.size(), 0);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, n);
  ::close(fd);
  return out;
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<Server>(
        ServerOptions{.address = "127.0.0.1", .port = 0, .threads = 1},
        [](Request& req, Response& res) {
          res.body = "listener=" + req.listener + " local=" + req.local_address + ":" +
                     std::to_string(req.local_port);
        });
    port_ = server_->listen();
    thread_ = std::thread([this] { server_->run(); });
  }
  void TearDown() override {
    server_->stop();
    thread_.join();
  }

  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;
  std::thread thread_;
};

constexpr const char* kGet = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

TEST_F(ServerTest, MainListenerRequestsCarryNoLabel) {
  std::string out = exchange(port_, kGet);
  EXPECT_NE(out.find("200 OK"), std::string::npos) << out;
  EXPECT_NE(out.find("listener= local=127.0.0.1:" + std::to_string(port_)), std::string::npos)
      << out;
}

TEST_F(ServerTest, AdoptedListenerServesRequestsWithItsLabel) {
  uint16_t port = 0;
  int fd = listening_socket(&port);
  ASSERT_GE(fd, 0);
  server_->adopt_listener(fd, "vpc-1");
  std::string out = exchange(port, kGet);
  EXPECT_NE(out.find("listener=vpc-1 local=127.0.0.1:" + std::to_string(port)), std::string::npos)
      << out;
}

TEST_F(ServerTest, ClosedAdoptedListenerRefusesConnections) {
  uint16_t port = 0;
  int fd = listening_socket(&port);
  ASSERT_GE(fd, 0);
  uint64_t id = server_->adopt_listener(fd, "vpc-1");
  ASSERT_NE(exchange(port, kGet).find("200 OK"), std::string::npos);
  server_->close_listener(id);
  std::string out;
  for (int i = 0; i < 200 && !(out = exchange(port, kGet)).empty(); ++i) {
    std::this_thread::yield();
  }
  EXPECT_EQ(out, "");
}

// A sink that takes nothing, as an upload to a full disk does.
class RefusingSink final : public BodySink {
 public:
  bool write(std::string_view) override { return false; }
};

// The server answers before it has read the body (the sink refused it) and then closes. The
// client, still sending, must get that answer: the server reads and drops the rest first
// instead of resetting the connection under it (a lingering close).
TEST(ServerLingeringCloseTest, ClientStillSendingGetsTheAnswerToARefusedBody) {
  Server server(
      ServerOptions{.address = "127.0.0.1", .port = 0, .threads = 1},
      [](Request&, Response& res) {
        res.status = 500;
        res.body = "disk full";
      },
      [](const Request&) { return std::make_shared<RefusingSink>(); });
  uint16_t port = server.listen();
  std::thread thread([&] { server.run(); });

  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  const std::size_t body = 16 << 20;
  std::string head = "PATCH /upload HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                     std::to_string(body) + "\r\n\r\n";
  ASSERT_EQ(::send(fd, head.data(), head.size(), MSG_NOSIGNAL), static_cast<ssize_t>(head.size()));
  std::string chunk(64 << 10, 'x');
  bool sent_all = true;
  for (std::size_t left = body; left > 0;) {
    ssize_t n = ::send(fd, chunk.data(), std::min(left, chunk.size()), MSG_NOSIGNAL);
    if (n <= 0) {
      sent_all = false;
      break;
    }
    left -= static_cast<std::size_t>(n);
  }
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, n);
  ::close(fd);
  server.stop();
  thread.join();
  EXPECT_TRUE(sent_all);
  EXPECT_NE(out.find("HTTP/1.1 500"), std::string::npos) << out;
  EXPECT_NE(out.find("disk full"), std::string::npos) << out;
}

}  // namespace
}  // namespace http
