#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

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

// A client socket connected to 127.0.0.1:port whose reads give up after 10 s, or -1.
int connect_to(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  timeval tv{.tv_sec = 10, .tv_usec = 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

void send_all(int fd, const std::string& data) {
  for (std::size_t sent = 0; sent < data.size();) {
    ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

// Everything the server sends until it closes the connection (or 10 s pass).
std::string read_to_close(int fd) {
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, n);
  return out;
}

// Reads one response with a Content-Length from a keep-alive connection.
std::string read_response(int fd) {
  std::string out;
  char buf[4096];
  for (;;) {
    std::size_t end = out.find("\r\n\r\n");
    if (end != std::string::npos) {
      std::size_t cl = out.find("Content-Length: ");
      std::size_t length = cl == std::string::npos ? 0 : std::stoul(out.substr(cl + 16));
      if (out.size() >= end + 4 + length) return out;
    }
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return out;
    out.append(buf, n);
  }
}

// Sends one request with Connection: close and returns everything the server answered.
std::string round_trip(uint16_t port, const std::string& request) {
  int fd = connect_to(port);
  if (fd < 0) return "";
  send_all(fd, request);
  std::string out = read_to_close(fd);
  ::close(fd);
  return out;
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override { start(ServerOptions{.address = "127.0.0.1", .port = 0, .threads = 1}); }
  void start(ServerOptions options) {
    if (server_) TearDown();
    server_ = std::make_unique<Server>(
        options,
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
    server_.reset();
  }

  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;
  std::thread thread_;
};

constexpr const char* kGet = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

TEST_F(ServerTest, MainListenerRequestsCarryNoLabel) {
  std::string out = round_trip(port_, kGet);
  EXPECT_NE(out.find("200 OK"), std::string::npos) << out;
  EXPECT_NE(out.find("listener= local=127.0.0.1:" + std::to_string(port_)), std::string::npos)
      << out;
}

TEST_F(ServerTest, AdoptedListenerServesRequestsWithItsLabel) {
  uint16_t port = 0;
  int fd = listening_socket(&port);
  ASSERT_GE(fd, 0);
  server_->adopt_listener(fd, "vpc-1");
  std::string out = round_trip(port, kGet);
  EXPECT_NE(out.find("listener=vpc-1 local=127.0.0.1:" + std::to_string(port)), std::string::npos)
      << out;
}

TEST_F(ServerTest, ClosedAdoptedListenerRefusesConnections) {
  uint16_t port = 0;
  int fd = listening_socket(&port);
  ASSERT_GE(fd, 0);
  uint64_t id = server_->adopt_listener(fd, "vpc-1");
  ASSERT_NE(round_trip(port, kGet).find("200 OK"), std::string::npos);
  server_->close_listener(id);
  std::string out;
  for (int i = 0; i < 200 && !(out = round_trip(port, kGet)).empty(); ++i) {
    std::this_thread::yield();
  }
  EXPECT_EQ(out, "");
}

// Connections that wait in the backlog together are accepted in batches: none may be dropped.
TEST_F(ServerTest, ServesEveryConnectionOfABurst) {
  std::vector<int> fds;
  for (int i = 0; i < 300; ++i) {
    int fd = connect_to(port_);
    ASSERT_GE(fd, 0);
    fds.push_back(fd);
  }
  for (int fd : fds) send_all(fd, kGet);
  int served = 0;
  for (int fd : fds) {
    served += read_to_close(fd).find("200 OK") != std::string::npos;
    ::close(fd);
  }
  EXPECT_EQ(served, 300);
}

// A client that sends its head one byte at a time (slowloris) keeps renewing no deadline: the
// whole head must arrive within header_timeout of its first byte.
TEST_F(ServerTest, TricklingHeadIsCutOffByOneDeadline) {
  start({.address = "127.0.0.1", .port = 0, .header_timeout = std::chrono::milliseconds(300),
         .threads = 1});
  int fd = connect_to(port_);
  ASSERT_GE(fd, 0);
  auto began = std::chrono::steady_clock::now();
  std::string head = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ";
  bool cut = false;
  // One byte every 50 ms (the attack's pace, not a wait for the server): a per-read timeout of
  // 300 ms would never fire; the head deadline must, well before 3 s.
  for (int i = 0; i < 60 && !cut; ++i) {
    char c = i < static_cast<int>(head.size()) ? head[i] : 'a';
    cut = ::send(fd, &c, 1, MSG_NOSIGNAL) != 1;
    char b;
    cut = cut || ::recv(fd, &b, 1, MSG_DONTWAIT) == 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  auto took = std::chrono::steady_clock::now() - began;
  ::close(fd);
  EXPECT_TRUE(cut);
  EXPECT_GE(took, std::chrono::milliseconds(300));
  EXPECT_LT(took, std::chrono::milliseconds(2000));
}

TEST_F(ServerTest, OversizedHeaderGets431AndClose) {
  std::string req = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(100 * 1024, 'a') +
                    "\r\n\r\n";
  std::string out = round_trip(port_, req);
  EXPECT_TRUE(out.starts_with("HTTP/1.1 431 ")) << out.substr(0, 200);
  EXPECT_NE(out.find("Connection: close"), std::string::npos) << out.substr(0, 200);
}

// The Content-Length alone decides: the server answers before the body arrives and never
// buffers it.
TEST_F(ServerTest, ContentLengthOverTheBodyLimitGets413BeforeTheBody) {
  start({.address = "127.0.0.1", .port = 0, .body_limit = 1024, .threads = 1});
  int fd = connect_to(port_);
  ASSERT_GE(fd, 0);
  send_all(fd, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10737418240\r\n\r\nabc");
  std::string out = read_to_close(fd);
  ::close(fd);
  EXPECT_TRUE(out.starts_with("HTTP/1.1 413 ")) << out;
}

TEST_F(ServerTest, ChunkedBodyOverTheBodyLimitGets413) {
  start({.address = "127.0.0.1", .port = 0, .body_limit = 1024, .threads = 1});
  std::string chunk = std::string(2048, 'a');
  std::string out = round_trip(port_,
                             "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                             "800\r\n" + chunk + "\r\n0\r\n\r\n");
  EXPECT_TRUE(out.starts_with("HTTP/1.1 413 ")) << out.substr(0, 200);
}

// At the connection limit a new client takes the slot of the connection idle the longest.
TEST_F(ServerTest, NewClientAtTheLimitClosesTheLongestIdleConnection) {
  start({.address = "127.0.0.1", .port = 0, .max_connections = 2, .threads = 1});
  const std::string get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  int oldest = connect_to(port_);
  int newer = connect_to(port_);
  ASSERT_GE(oldest, 0);
  ASSERT_GE(newer, 0);
  send_all(oldest, get);
  ASSERT_NE(read_response(oldest).find("200 OK"), std::string::npos);
  send_all(newer, get);
  ASSERT_NE(read_response(newer).find("200 OK"), std::string::npos);
  EXPECT_NE(round_trip(port_, kGet).find("200 OK"), std::string::npos);
  EXPECT_EQ(read_to_close(oldest), "");  // closed by the server, not timed out
  send_all(newer, get);
  EXPECT_NE(read_response(newer).find("200 OK"), std::string::npos);
  ::close(oldest);
  ::close(newer);
}

// With every slot in the middle of a request, a new client waits in the backlog until one ends.
TEST_F(ServerTest, NewClientWaitsWhileEveryConnectionIsBusy) {
  start({.address = "127.0.0.1", .port = 0, .header_timeout = std::chrono::milliseconds(300),
         .max_connections = 1, .threads = 1});
  int slow = connect_to(port_);
  ASSERT_GE(slow, 0);
  send_all(slow, "GET / HTTP/1.1\r\n");  // a head that never ends
  EXPECT_NE(round_trip(port_, kGet).find("200 OK"), std::string::npos);
  EXPECT_EQ(read_to_close(slow), "");
  ::close(slow);
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
