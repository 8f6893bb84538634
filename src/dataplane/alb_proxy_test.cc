#include "dataplane/alb_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "dataplane/alb_metrics.h"

namespace dataplane {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

// A loopback HTTP backend. Echo answers with what it saw; Close drops every connection at once;
// Hang reads the request and never answers.
class Backend {
 public:
  enum class Mode { Echo, Close, Hang };
  Backend(std::string name, Mode mode = Mode::Echo) : name_(std::move(name)), mode_(mode) {
    acceptor_.open(tcp::v4());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    asio::co_spawn(ioc_, accept_loop(), asio::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~Backend() {
    ioc_.stop();
    thread_.join();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  int connections() const { return connections_; }
  // Waits (bounded) until `n` connections have been closed by the peer; returns the count seen.
  int wait_closed(int n) {
    std::unique_lock lock(closed_mu_);
    closed_cv_.wait_for(lock, std::chrono::seconds(5), [&] { return closed_ >= n; });
    return closed_;
  }

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      tcp::socket s = co_await acceptor_.async_accept(asio::use_awaitable);
      ++connections_;
      if (mode_ == Mode::Close) {
        beast::error_code ec;
        s.close(ec);
        continue;
      }
      asio::co_spawn(ioc_, serve(std::move(s)), asio::detached);
    }
  }
  asio::awaitable<void> serve(tcp::socket s) {
    beast::flat_buffer buf;
    beast::error_code ec;
    for (;;) {
      http::request<http::string_body> req;
      co_await http::async_read(s, buf, req, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        std::lock_guard lock(closed_mu_);
        ++closed_;
        closed_cv_.notify_all();
        co_return;
      }
      if (req.target().starts_with("/continue")) {
        std::string interim = "HTTP/1.1 100 Continue\r\n\r\n";
        co_await asio::async_write(s, asio::buffer(interim),
                                   asio::redirect_error(asio::use_awaitable, ec));
      }
      if (req.target().starts_with("/eof")) {  // a body ended by closing, as busybox httpd's
        std::string raw = "HTTP/1.0 404 Not Found\r\nContent-Type: text/plain\r\n\r\nnot here\n";
        co_await asio::async_write(s, asio::buffer(raw),
                                   asio::redirect_error(asio::use_awaitable, ec));
        s.close(ec);
        co_return;
      }
      if (mode_ == Mode::Hang) {
        asio::steady_timer t(ioc_, std::chrono::seconds(30));
        co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        co_return;
      }
      http::response<http::string_body> res{http::status::ok, 11};
      res.set("X-Backend", name_);
      res.body() = "backend=" + name_ + " target=" + std::string(req.target()) +
                   " xff=" + std::string(req["X-Forwarded-For"]) +
                   " proto=" + std::string(req["X-Forwarded-Proto"]) +
                   " port=" + std::string(req["X-Forwarded-Port"]) +
                   " trace=" + std::string(req["X-Amzn-Trace-Id"]).substr(0, 7) +
                   " bodylen=" + std::to_string(req.body().size());
      if (req.target().starts_with("/login"))
        res.insert(http::field::set_cookie, "session=abc; Path=/");
      if (req.target().starts_with("/big")) res.body() = std::string(300000, 'b');
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      co_await http::async_write(s, res, asio::redirect_error(asio::use_awaitable, ec));
      if (ec || !req.keep_alive()) co_return;
    }
  }

  std::string name_;
  Mode mode_;
  asio::io_context ioc_;
  tcp::acceptor acceptor_{ioc_};
  std::atomic<int> connections_{0};
  std::mutex closed_mu_;
  std::condition_variable closed_cv_;
  int closed_ = 0;
  std::thread thread_;
};

int connect_loopback(const std::string&, const std::string& ip, uint16_t port,
                     std::chrono::milliseconds) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  if (ip.rfind("127.", 0) != 0 || inet_pton(AF_INET, ip.c_str(), &sa.sin_addr) != 1 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// A blocking client with a bounded receive wait.
class Client {
 public:
  explicit Client(uint16_t port) : socket_(ioc_) {
    socket_.connect({asio::ip::make_address("127.0.0.1"), port});
    timeval tv{5, 0};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  http::response<http::string_body> get(
      std::string target, std::string host = "lb-1.elb.localhost",
      std::vector<std::pair<std::string, std::string>> extra = {}) {
    http::request<http::string_body> req{http::verb::get, target, 11};
    req.set(http::field::host, host);
    for (auto& [k, v] : extra) req.set(k, v);
    http::write(socket_, req);
    return read();
  }
  void send_raw(const std::string& bytes) { asio::write(socket_, asio::buffer(bytes)); }
  http::response<http::string_body> read() {
    http::response<http::string_body> res;
    http::read(socket_, buffer_, res);
    return res;
  }
  tcp::socket& socket() { return socket_; }

 private:
  asio::io_context ioc_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

SnapshotTarget target(uint16_t port,
                             TargetState state = TargetState::Healthy) {
  SnapshotTarget t;
  t.id = "127.0.0.1";
  t.port = port;
  t.state = state;
  return t;
}

RuleAction forward_to(std::string arn) {
  RuleAction a;
  a.type = ActionType::Forward;
  a.forward.target_groups = {{std::move(arn), 1}};
  return a;
}

// One load balancer listening on 80 with a /fixed rule, a /moved redirect and a default forward.
std::shared_ptr<AlbSnapshot> snapshot(std::vector<SnapshotTarget> targets) {
  auto s = std::make_shared<AlbSnapshot>();
  SnapshotTargetGroup g;
  g.arn = "arn:tg/web";
  g.targets = std::move(targets);
  s->target_groups[g.arn] = g;
  SnapshotLoadBalancer lb;
  lb.arn = "arn:lb/1";
  lb.dns_name = "lb-1.elb.localhost";
  SnapshotListener l;
  l.port = 80;
  l.protocol = "HTTP";
  SnapshotRule fixed;
  fixed.priority = 1;
  RuleCondition c;
  c.field = ConditionField::PathPattern;
  c.values = {"/fixed"};
  fixed.conditions = {c};
  RuleAction fr;
  fr.type = ActionType::FixedResponse;
  fr.fixed_response = {418, "text/plain", "teapot"};
  fixed.actions = {fr};
  SnapshotRule moved;
  moved.priority = 2;
  c.values = {"/moved*"};
  moved.conditions = {c};
  RuleAction rd;
  rd.type = ActionType::Redirect;
  rd.redirect.host = "new.example.com";
  rd.redirect.status_code = 302;
  moved.actions = {rd};
  SnapshotRule def;
  def.is_default = true;
  def.actions = {forward_to(g.arn)};
  l.rules = {fixed, moved, def};
  lb.listeners = {l};
  s->load_balancers = {lb};
  return s;
}

struct ProxyFixture : ::testing::Test {
  std::unique_ptr<AlbProxy> make(std::shared_ptr<const AlbSnapshot> snap,
                                 AlbProxy::Options opts = {}) {
    opts.listener_port = 80;
    auto p = std::make_unique<AlbProxy>(opts, connect_loopback, std::move(snap));
    EXPECT_FALSE(p->start());
    return p;
  }
};

TEST_F(ProxyFixture, ForwardsToTheTargetWithForwardedHeaders) {
  Backend b("a");
  auto proxy = make(snapshot({target(b.port())}));
  Client c(proxy->bound_port());
  auto res = c.get("/hello?x=1", "lb-1.elb.localhost", {{"X-Forwarded-For", "203.0.113.9"}});
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(),
            "backend=a target=/hello?x=1 xff=203.0.113.9, 127.0.0.1 proto=http port=80 "
            "trace=Root=1- bodylen=0");
}

TEST_F(ProxyFixture, FixedResponseAndRedirectRulesAnswerWithoutATarget) {
  auto proxy = make(snapshot({}));
  Client c(proxy->bound_port());
  auto fixed = c.get("/fixed");
  EXPECT_EQ(fixed.result_int(), 418);
  EXPECT_EQ(fixed.body(), "teapot");
  EXPECT_EQ(fixed[http::field::content_type], "text/plain");
  auto moved = c.get("/moved/here?q=2");
  EXPECT_EQ(moved.result_int(), 302);
  EXPECT_EQ(moved[http::field::location], "http://new.example.com:80/moved/here?q=2");
}

TEST_F(ProxyFixture, RoundRobinSpreadsRequestsOverHealthyTargets) {
  Backend a("a"), b("b"), sick("sick");
  auto proxy = make(snapshot(
      {target(a.port()), target(b.port()), target(sick.port(), TargetState::Unhealthy)}));
  Client c(proxy->bound_port());
  std::map<std::string, int> seen;
  for (int i = 0; i < 6; ++i) seen[std::string(c.get("/")["X-Backend"])]++;
  EXPECT_EQ(seen["a"], 3);
  EXPECT_EQ(seen["b"], 3);
  EXPECT_EQ(seen.count("sick"), 0u);
}

TEST_F(ProxyFixture, ReusesKeepAliveConnectionsToTheTarget) {
  Backend a("a");
  auto proxy = make(snapshot({target(a.port())}));
  for (int i = 0; i < 3; ++i) {
    Client c(proxy->bound_port());
    EXPECT_EQ(c.get("/").result_int(), 200);
    EXPECT_EQ(c.get("/").result_int(), 200);
  }
  EXPECT_EQ(a.connections(), 1);
}

TEST_F(ProxyFixture, ABodyTheTargetEndsByClosingReachesAKeepAliveClientChunked) {
  Backend a("a");
  auto proxy = make(snapshot({target(a.port())}));
  Client c(proxy->bound_port());
  auto res = c.get("/eof");
  EXPECT_EQ(res.result_int(), 404);
  EXPECT_EQ(res.body(), "not here\n");
  EXPECT_TRUE(res.chunked());
  EXPECT_EQ(c.get("/").result_int(), 200);  // the client connection is still usable
}

TEST_F(ProxyFixture, NoRegisteredTargetsGive503) {
  auto proxy = make(snapshot({}));
  Client c(proxy->bound_port());
  auto res = c.get("/");
  EXPECT_EQ(res.result_int(), 503);
  EXPECT_EQ(res[http::field::server], "awselb/2.0");
  EXPECT_NE(res.body().find("503 Service Temporarily Unavailable"), std::string::npos);
}

TEST_F(ProxyFixture, CountsEachRequestForTheMetricsByWhoAnsweredIt) {
  Backend a("a");
  AlbMetrics metrics;
  AlbProxy::Options opts;
  opts.metrics = &metrics;
  auto proxy = make(snapshot({target(a.port())}), opts);
  Client c(proxy->bound_port());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(c.get("/").result_int(), 200);
  EXPECT_EQ(c.get("/eof").result_int(), 404);
  EXPECT_EQ(c.get("/fixed").result_int(), 418);
  EXPECT_EQ(c.get("/moved").result_int(), 302);
  auto counts = metrics.take();
  const AlbCounts& forwarded = counts.at({"arn:lb/1", "arn:tg/web"});
  EXPECT_EQ(forwarded.requests, 4u);
  EXPECT_EQ(forwarded.target_codes[0], 3u);  // 2XX
  EXPECT_EQ(forwarded.target_codes[2], 1u);  // 4XX
  EXPECT_EQ(forwarded.response_times.count, 4u);
  EXPECT_GT(forwarded.response_times.max_us, 0u);
  const AlbCounts& answered = counts.at({"arn:lb/1", ""});
  EXPECT_EQ(answered.requests, 0u);  // no target was chosen
  EXPECT_EQ(answered.elb_codes[2], 1u);  // the fixed 418
  EXPECT_EQ(answered.elb_codes[1], 1u);  // the redirect
  EXPECT_TRUE(metrics.take().empty());   // taken: the next minute starts from zero
}

TEST_F(ProxyFixture, CountsTheLoadBalancers5xxWithTheTargetGroupItTried) {
  uint16_t closed_port;
  {
    Backend gone("gone");
    closed_port = gone.port();
  }
  AlbMetrics metrics;
  AlbProxy::Options opts;
  opts.metrics = &metrics;
  auto refused = make(snapshot({target(closed_port)}), opts);
  EXPECT_EQ(Client(refused->bound_port()).get("/").result_int(), 502);
  auto empty = make(snapshot({}), opts);
  EXPECT_EQ(Client(empty->bound_port()).get("/").result_int(), 503);
  const AlbCounts& c = metrics.take().at({"arn:lb/1", "arn:tg/web"});
  EXPECT_EQ(c.requests, 1u);  // the 502 chose a target, the 503 found none
  EXPECT_EQ(c.elb_codes[3], 2u);
  EXPECT_EQ(c.elb_5xx[1], 1u);  // 502
  EXPECT_EQ(c.elb_5xx[2], 1u);  // 503
  EXPECT_EQ(c.response_times.count, 0u);
}

TEST_F(ProxyFixture, RefusedConnectionGives502) {
  uint16_t closed_port;
  {
    Backend gone("gone");
    closed_port = gone.port();
  }
  auto proxy = make(snapshot({target(closed_port)}));
  Client c(proxy->bound_port());
  EXPECT_EQ(c.get("/").result_int(), 502);
}

TEST_F(ProxyFixture, TargetResettingTheConnectionGives502) {
  Backend b("b", Backend::Mode::Close);
  auto proxy = make(snapshot({target(b.port())}));
  Client c(proxy->bound_port());
  EXPECT_EQ(c.get("/").result_int(), 502);
}

TEST_F(ProxyFixture, TargetTooSlowGives504) {
  Backend b("b", Backend::Mode::Hang);
  AlbProxy::Options opts;
  opts.target_timeout = std::chrono::milliseconds(200);
  auto proxy = make(snapshot({target(b.port())}), opts);
  Client c(proxy->bound_port());
  EXPECT_EQ(c.get("/").result_int(), 504);
}

TEST_F(ProxyFixture, MalformedRequestGives400) {
  auto proxy = make(snapshot({}));
  Client c(proxy->bound_port());
  c.send_raw("GARBAGE\r\n\r\n");
  EXPECT_EQ(c.read().result_int(), 400);
}

TEST_F(ProxyFixture, OversizedHeadersGive413) {
  auto proxy = make(snapshot({}));
  Client c(proxy->bound_port());
  c.send_raw("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(70 * 1024, 'a') + "\r\n\r\n");
  EXPECT_EQ(c.read().result_int(), 413);
}

TEST_F(ProxyFixture, StreamsAChunkedRequestBodyToTheTarget) {
  Backend a("a");
  auto proxy = make(snapshot({target(a.port())}));
  Client c(proxy->bound_port());
  std::string chunk(40000, 'z');
  char size[16];
  std::snprintf(size, sizeof size, "%zx", chunk.size());
  c.send_raw("POST /up HTTP/1.1\r\nHost: lb-1.elb.localhost\r\nTransfer-Encoding: chunked\r\n\r\n" +
             std::string(size) + "\r\n" + chunk + "\r\n" + std::string(size) + "\r\n" + chunk +
             "\r\n0\r\n\r\n");
  auto res = c.read();
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_NE(res.body().find("bodylen=80000"), std::string::npos) << res.body();
}

TEST_F(ProxyFixture, UnknownHostOnASharedPortGives503) {
  auto s = snapshot({});
  auto second = s->load_balancers[0];
  second.arn = "arn:lb/2";
  second.dns_name = "lb-2.elb.localhost";
  second.listeners[0].rules.back().actions = {};
  RuleAction fr;
  fr.type = ActionType::FixedResponse;
  fr.fixed_response = {200, "text/plain", "second"};
  second.listeners[0].rules.back().actions = {fr};
  s->load_balancers.push_back(second);
  auto proxy = make(s);
  Client c(proxy->bound_port());
  EXPECT_EQ(c.get("/", "lb-2.elb.localhost").body(), "second");
  EXPECT_EQ(c.get("/", "other.example.com").result_int(), 503);
}

TEST_F(ProxyFixture, UpdateSwapsTheSnapshotForNewRequests) {
  Backend a("a");
  auto proxy = make(snapshot({}));
  Client c(proxy->bound_port());
  EXPECT_EQ(c.get("/").result_int(), 503);
  proxy->update(snapshot({target(a.port())}));
  EXPECT_EQ(c.get("/").result_int(), 200);
}

TEST_F(ProxyFixture, ReportsADrainingTargetOnceItsLastRequestFinished) {
  Backend a("a");
  std::vector<TargetKey> drained;
  std::mutex mu;
  AlbProxy::Options opts;
  opts.on_drained = [&](const TargetKey& k) {
    std::lock_guard lock(mu);
    drained.push_back(k);
  };
  auto proxy = make(snapshot({target(a.port())}), opts);
  Client c(proxy->bound_port());
  EXPECT_EQ(c.get("/").result_int(), 200);
  proxy->update(snapshot({target(a.port(), TargetState::Draining)}));
  EXPECT_EQ(c.get("/").result_int(), 503);  // the only target drains: no new requests
  // The first request's accounting may finish before or after the update: the idle draining
  // target is then reported at once or never, but never more than once and never another one.
  std::lock_guard lock(mu);
  EXPECT_LE(drained.size(), 1u);
  for (const TargetKey& k : drained) EXPECT_EQ(k.port, a.port());
}

TEST_F(ProxyFixture, AdoptsAnAlreadyListeningSocketAndClosesItOnStop) {
  Backend a("a");
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
  ASSERT_EQ(::listen(fd, 16), 0);
  socklen_t len = sizeof sa;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len), 0);
  uint16_t port = ntohs(sa.sin_port);

  AlbProxy::Options opts;
  opts.listen_fd = fd;
  opts.port = 1;  // ignored when a socket is adopted
  auto proxy = make(snapshot({target(a.port())}), opts);
  EXPECT_EQ(proxy->bound_port(), port);
  {
    Client c(port);
    EXPECT_EQ(c.get("/").result_int(), 200);
  }
  proxy->stop();
  EXPECT_EQ(::fcntl(fd, F_GETFD), -1);  // closed
  EXPECT_EQ(errno, EBADF);
}

TEST_F(ProxyFixture, RejectsAnAdoptedSocketThatIsNotListening) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  AlbProxy::Options opts;
  opts.listen_fd = fd;
  AlbProxy proxy(opts, connect_loopback, snapshot({}));
  EXPECT_TRUE(proxy.start());
  EXPECT_EQ(::fcntl(fd, F_GETFD), -1);  // the proxy owned it and closed it
}

// A Connector that holds connects to one port until released, and connects the rest at once.
class GatedConnector {
 public:
  explicit GatedConnector(uint16_t gated_port) : gated_port_(gated_port) {}
  ~GatedConnector() { release(); }
  AlbProxy::Connector connector() {
    return [this](const std::string& lb, const std::string& ip, uint16_t port,
                  std::chrono::milliseconds timeout) {
      if (port == gated_port_) {
        std::unique_lock lock(mu_);
        entered_ = true;
        cv_.notify_all();
        cv_.wait(lock, [&] { return released_; });
      }
      return connect_loopback(lb, ip, port, timeout);
    };
  }
  void wait_entered() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return entered_; });
  }
  void release() {
    std::lock_guard lock(mu_);
    released_ = true;
    cv_.notify_all();
  }

 private:
  uint16_t gated_port_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool entered_ = false;
  bool released_ = false;
};

TEST_F(ProxyFixture, AConnectThatBlocksNeverStallsRequestsToOtherTargets) {
  Backend slow("slow"), fast("fast");
  GatedConnector gate(slow.port());
  AlbProxy::Options opts;
  opts.threads = 1;  // one event loop: a blocking connect on it would stall everything
  opts.listener_port = 80;
  AlbProxy proxy(opts, gate.connector(), snapshot({target(slow.port()), target(fast.port())}));
  ASSERT_FALSE(proxy.start());
  Client first(proxy.bound_port());
  first.send_raw("GET / HTTP/1.1\r\nHost: lb-1.elb.localhost\r\n\r\n");  // round robin: slow
  gate.wait_entered();
  Client second(proxy.bound_port());
  EXPECT_EQ(second.get("/")["X-Backend"], "fast");
  gate.release();
  auto res = first.read();
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res["X-Backend"], "slow");
}

TEST_F(ProxyFixture, AConnectStillBlockedAtTheTimeoutGives504) {
  Backend slow("slow");
  GatedConnector gate(slow.port());
  AlbProxy::Options opts;
  opts.listener_port = 80;
  opts.target_timeout = std::chrono::milliseconds(200);
  AlbProxy proxy(opts, gate.connector(), snapshot({target(slow.port())}));
  ASSERT_FALSE(proxy.start());
  Client c(proxy.bound_port());
  EXPECT_EQ(c.get("/").result_int(), 504);
  gate.release();  // the late connection is closed, not leaked or used
  proxy.stop();
}

// A loopback WebSocket echo server.
class WsBackend {
 public:
  WsBackend() {
    acceptor_.open(tcp::v4());
    acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    asio::co_spawn(ioc_, accept_loop(), asio::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~WsBackend() {
    ioc_.stop();
    thread_.join();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      tcp::socket s = co_await acceptor_.async_accept(asio::use_awaitable);
      asio::co_spawn(ioc_, echo(std::move(s)), asio::detached);
    }
  }
  asio::awaitable<void> echo(tcp::socket s) {
    websocket::stream<tcp::socket> ws(std::move(s));
    beast::error_code ec;
    co_await ws.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    for (beast::flat_buffer buf; !ec; buf.clear()) {
      co_await ws.async_read(buf, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      ws.text(ws.got_text());
      co_await ws.async_write(buf.data(), asio::redirect_error(asio::use_awaitable, ec));
    }
  }

  asio::io_context ioc_;
  tcp::acceptor acceptor_{ioc_};
  std::thread thread_;
};

// A blocking WebSocket client through the proxy, with a bounded receive wait.
struct WsClient {
  explicit WsClient(uint16_t port) : ws(ioc) {
    ws.next_layer().connect({asio::ip::make_address("127.0.0.1"), port});
    timeval tv{5, 0};
    ::setsockopt(ws.next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ws.handshake("lb-1.elb.localhost", "/chat");
  }
  std::string echo(const std::string& text) {
    ws.write(asio::buffer(text));
    beast::flat_buffer buf;
    ws.read(buf);
    return beast::buffers_to_string(buf.data());
  }
  asio::io_context ioc;
  websocket::stream<tcp::socket> ws;
};

TEST_F(ProxyFixture, RelaysAWebSocketAfterTheTargetSwitchesProtocols) {
  WsBackend b;
  auto proxy = make(snapshot({target(b.port())}));
  WsClient c(proxy->bound_port());
  EXPECT_EQ(c.echo("hello"), "hello");
  EXPECT_EQ(c.echo(std::string(100000, 'w')), std::string(100000, 'w'));
  c.ws.close(websocket::close_code::normal);
}

TEST_F(ProxyFixture, ClosesAWebSocketIdleForTheIdleTimeout) {
  WsBackend b;
  AlbProxy::Options opts;
  opts.client_idle_timeout = std::chrono::milliseconds(200);
  auto proxy = make(snapshot({target(b.port())}), opts);
  WsClient c(proxy->bound_port());
  EXPECT_EQ(c.echo("still here"), "still here");
  beast::flat_buffer buf;
  beast::error_code ec;
  auto started = std::chrono::steady_clock::now();
  c.ws.read(buf, ec);  // nothing comes: the proxy closes the tunnel
  EXPECT_TRUE(ec);
  EXPECT_NE(ec, asio::error::would_block) << "timed out on our side instead";
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(4));
}

// The value of cookie `name` among a response's Set-Cookie headers, or "".
std::string set_cookie_value(const http::response<http::string_body>& res, std::string_view name) {
  for (const auto& f : res) {
    std::string_view v = f.value();
    if (f.name() != http::field::set_cookie) continue;
    if (v.starts_with(std::string(name) + "=")) {
      v.remove_prefix(name.size() + 1);
      return std::string(v.substr(0, v.find(';')));
    }
  }
  return "";
}

std::shared_ptr<AlbSnapshot> sticky_snapshot(std::vector<SnapshotTarget> targets,
                                                    std::string type) {
  auto s = snapshot(std::move(targets));
  auto& g = s->target_groups.begin()->second;
  g.stickiness_enabled = true;
  g.stickiness_type = std::move(type);
  g.app_cookie_name = "session";
  return s;
}

TEST_F(ProxyFixture, LbCookieKeepsAClientOnItsTargetWhileItIsHealthy) {
  Backend a("a"), b("b");
  auto proxy = make(sticky_snapshot({target(a.port()), target(b.port())}, "lb_cookie"));
  Client c(proxy->bound_port());
  auto first = c.get("/");
  std::string cookie = set_cookie_value(first, "AWSALB");
  ASSERT_FALSE(cookie.empty());
  EXPECT_EQ(set_cookie_value(first, "AWSALBCORS"), cookie);
  bool cors_flags = false;
  for (const auto& f : first) {
    cors_flags = cors_flags ||
                 (f.name() == http::field::set_cookie && f.value().starts_with("AWSALBCORS=") &&
                  f.value().ends_with("; Path=/; SameSite=None; Secure"));
  }
  EXPECT_TRUE(cors_flags);
  std::string pinned(first["X-Backend"]);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(c.get("/", "lb-1.elb.localhost", {{"Cookie", "AWSALB=" + cookie}})["X-Backend"],
              pinned);
  }
  // The pinned target turns unhealthy: the cookie is ignored and a fresh one names the other.
  auto sick = sticky_snapshot({target(a.port()), target(b.port())}, "lb_cookie");
  for (auto& t : sick->target_groups.begin()->second.targets) {
    if (pinned == (t.port == a.port() ? "a" : "b")) t.state = TargetState::Unhealthy;
  }
  proxy->update(sick);
  auto moved = c.get("/", "lb-1.elb.localhost", {{"Cookie", "AWSALB=" + cookie}});
  EXPECT_NE(moved["X-Backend"], pinned);
  EXPECT_NE(set_cookie_value(moved, "AWSALB"), cookie);
}

TEST_F(ProxyFixture, AppCookieStickinessStartsWhenTheTargetSetsItsCookie) {
  Backend a("a"), b("b");
  auto proxy = make(sticky_snapshot({target(a.port()), target(b.port())}, "app_cookie"));
  Client c(proxy->bound_port());
  EXPECT_EQ(set_cookie_value(c.get("/"), "AWSALBAPP-0"), "");  // no app cookie, no stickiness
  auto login = c.get("/login");
  std::string cookie = set_cookie_value(login, "AWSALBAPP-0");
  ASSERT_FALSE(cookie.empty());
  EXPECT_EQ(set_cookie_value(login, "session"), "abc");
  for (int i = 0; i < 4; ++i) {
    auto res = c.get("/", "lb-1.elb.localhost", {{"Cookie", "session=abc; AWSALBAPP-0=" + cookie}});
    EXPECT_EQ(res["X-Backend"], login["X-Backend"]);
  }
}

TEST_F(ProxyFixture, GroupStickinessKeepsAClientOnOneWeightedTargetGroup) {
  Backend a("a"), b("b");
  auto s = snapshot({target(a.port())});
  SnapshotTargetGroup second;
  second.arn = "arn:tg/second";
  second.targets = {target(b.port())};
  s->target_groups[second.arn] = second;
  auto& forward = s->load_balancers[0].listeners[0].rules.back().actions[0].forward;
  forward.target_groups = {{"arn:tg/web", 1}, {"arn:tg/second", 1}};
  forward.stickiness_enabled = true;
  forward.stickiness_duration_seconds = 60;
  auto proxy = make(s);
  Client c(proxy->bound_port());
  auto first = c.get("/");
  std::string cookie = set_cookie_value(first, "AWSALBTG");
  ASSERT_FALSE(cookie.empty());
  EXPECT_EQ(set_cookie_value(first, "AWSALBTGCORS"), cookie);
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(c.get("/", "lb-1.elb.localhost", {{"Cookie", "AWSALBTG=" + cookie}})["X-Backend"],
              first["X-Backend"]);
  }
}

TEST_F(ProxyFixture, StreamsAResponseLargerThanOneReadAndKeepsTheConnection) {
  Backend a("a");
  auto proxy = make(snapshot({target(a.port())}));
  Client c(proxy->bound_port());
  auto big = c.get("/big");
  EXPECT_EQ(big.result_int(), 200);
  EXPECT_EQ(big.body(), std::string(300000, 'b'));
  EXPECT_EQ(c.get("/small").result_int(), 200);  // both connections still usable
  EXPECT_EQ(a.connections(), 1);
}

TEST_F(ProxyFixture, DropsAnInterimResponseAndRelaysTheFinalOne) {
  Backend a("a");
  auto proxy = make(snapshot({target(a.port())}));
  Client c(proxy->bound_port());
  auto res = c.get("/continue");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_NE(res.body().find("target=/continue"), std::string::npos) << res.body();
  // The pooled connection carries no stale response into the next request.
  auto next = c.get("/next");
  EXPECT_NE(next.body().find("target=/next"), std::string::npos) << next.body();
  EXPECT_EQ(a.connections(), 1);
}

TEST_F(ProxyFixture, ClosesPooledConnectionsToATargetThatLeftTheSnapshot) {
  Backend a("a"), b("b");
  AlbProxy::Options opts;
  opts.threads = 1;
  auto proxy = make(snapshot({target(a.port())}), opts);
  Client c(proxy->bound_port());
  EXPECT_EQ(c.get("/")["X-Backend"], "a");      // leaves an idle pooled connection to a
  proxy->update(snapshot({target(b.port())}));  // a deregistered
  EXPECT_EQ(c.get("/")["X-Backend"], "b");
  EXPECT_EQ(a.wait_closed(1), 1);
}

}  // namespace
}  // namespace dataplane
