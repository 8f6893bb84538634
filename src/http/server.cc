#include "http/server.h"

#include <sys/resource.h>
#include <sys/socket.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <map>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include <unistd.h>

#include "core/log.h"
#include "core/time_format.h"
#include "http/connection_table.h"
#include "http/response_writer.h"

namespace http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;

using RequestParser = bhttp::request_parser<bhttp::string_body>;

constexpr unsigned char kTlsHandshakeRecord = 0x16;
constexpr std::size_t kStreamChunk = 256 * 1024;
constexpr std::size_t kFirstRead = 8192;
// A lingering close (discard_rest) reads and drops at most this much, for at most this long.
constexpr std::chrono::seconds kLingerTime{5};
constexpr std::size_t kLingerBytes = 64 * 1024 * 1024;
// How long the acceptor pauses when it cannot take a connection (the limit, or no descriptors).
constexpr std::chrono::milliseconds kAcceptPause{50};
// Connections taken from the backlog at each wake of an accept loop, at most.
constexpr int kAcceptBatch = 64;

struct Origin {
  std::string remote;
  std::string local;
  uint16_t local_port = 0;
  std::string listener;
};

Request head_of(const bhttp::request<bhttp::string_body>& breq, const Origin& origin) {
  Request req;
  req.method = std::string(breq.method_string());
  req.target = std::string(breq.target());
  req.headers.reserve(16);
  for (const auto& f : breq) {
    req.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  }
  req.remote_address = origin.remote;
  req.local_address = origin.local;
  req.local_port = origin.local_port;
  req.listener = origin.listener;
  return req;
}

// One connection's stream, shared so that an eviction posted to the connection's strand can tell
// whether the session still runs and still waits for a request.
struct Connection {
  explicit Connection(tcp::socket s) : stream(std::move(s)) {}
  beast::tcp_stream stream;
  bool idle = false;  // read and written on the connection's strand only
};

Response simple(int status, std::string_view text) {
  Response r;
  r.status = status;
  r.set_header("Content-Type", "text/plain");
  r.body = std::string(text);
  return r;
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  RequestHandler handler;
  BodySinkFactory stream_sink_factory;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  asio::signal_set signals{ioc};
  std::atomic<bool> stopping{false};
  std::atomic<int> in_flight{0};
  ConnectionTable connections;
  std::atomic<int64_t> last_warning{0};  // steady_clock ticks of warn_throttled's last line

  Impl(ServerOptions o, RequestHandler h, BodySinkFactory f)
      : options(std::move(o)),
        handler(std::move(h)),
        stream_sink_factory(std::move(f)),
        ioc(options.threads),
        connections(options.max_connections > 0 ? options.max_connections
                                                : default_connection_limit(nofile_limit())) {}

  static uint64_t nofile_limit() {
    rlimit r{};
    if (::getrlimit(RLIMIT_NOFILE, &r) != 0 || r.rlim_cur == RLIM_INFINITY) return 1u << 20;
    return r.rlim_cur;
  }

  awaitable<void> write(beast::tcp_stream& stream, Response res, unsigned version, bool keep_alive,
                        bool head, beast::error_code& ec) {
    co_await write_response(stream, std::move(res), version, keep_alive, head,
                            options.read_timeout, ec);
  }

  // Reads the rest of the body into `sink`. Returns false when the body was not read to its end
  // (the sink refused a chunk, or a read failed), so the connection must close after the reply.
  awaitable<bool> stream_body(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                              bhttp::request_parser<bhttp::string_body>& parser, BodySink& sink,
                              beast::error_code& ec) {
    bhttp::request_parser<bhttp::buffer_body> p{std::move(parser)};
    p.body_limit(boost::none);
    std::vector<char> chunk(kStreamChunk);
    while (!p.is_done()) {
      p.get().body().data = chunk.data();
      p.get().body().size = chunk.size();
      stream.expires_after(options.read_timeout);
      co_await bhttp::async_read_some(stream, buffer, p, asio::redirect_error(use_awaitable, ec));
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec) co_return false;
      std::size_t got = chunk.size() - p.get().body().size;
      if (got > 0 && !sink.write(std::string_view(chunk.data(), got))) co_return false;
    }
    sink.finish();
    co_return true;
  }

  // One client connection, holding slot `id` of `connections`: requests in sequence until either
  // side closes.
  awaitable<void> session(tcp::socket socket, std::string listener, ConnectionTable::Id id) {
    struct Release {
      ConnectionTable& table;
      ConnectionTable::Id id;
      ~Release() { table.remove(id); }
    } release{connections, id};
    beast::error_code ec;
    Origin origin = origin_of(socket, std::move(listener));
    socket.set_option(tcp::no_delay(true), ec);
    auto conn = std::make_shared<Connection>(std::move(socket));
    beast::tcp_stream& stream = conn->stream;
    beast::flat_buffer buffer;
    for (bool first = true;; first = false) {
      if (!co_await await_request(conn, id, buffer)) co_return;
      if (first && is_tls_hello(buffer)) {
        core::log::debug("closing TLS handshake on plain HTTP port", {{"remote", origin.remote}});
        stream.socket().shutdown(tcp::socket::shutdown_both, ec);
        co_return;
      }
      // One deadline for the whole head, from its first byte: each byte a slow client sends does
      // not renew it (beast::tcp_stream's expiry holds until it is set again).
      stream.expires_after(options.header_timeout);
      RequestParser parser;
      parser.body_limit(boost::none);  // read_body() checks it once it knows who reads the body
      parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
      if (!co_await read_head(stream, buffer, parser, origin)) co_return;
      auto& head = parser.get();
      Request req = head_of(head, origin);
      bool keep_alive = head.keep_alive() && !stopping.load();
      bool is_head = head.method() == bhttp::verb::head;
      unsigned version = head.version();
      bool body_left = false;
      if (!co_await read_body(stream, buffer, parser, origin, req, keep_alive, body_left)) {
        co_return;
      }
      Response res = call_handler(req);
      stream.expires_after(options.read_timeout);
      co_await write(stream, std::move(res), version, keep_alive, is_head, ec);
      if (ec || !keep_alive) {
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        if (!ec && body_left) co_await discard_rest(stream);
        co_return;
      }
    }
  }

  // Waits up to idle_timeout for the first bytes of the connection's next request (bytes already
  // in `buffer`, pipelined, count). Meanwhile the connection is idle: the acceptor may close it
  // to make room for a new client. False when the connection is to be closed.
  awaitable<bool> await_request(const std::shared_ptr<Connection>& conn, ConnectionTable::Id id,
                                beast::flat_buffer& buffer) {
    if (buffer.size() > 0) co_return true;
    beast::tcp_stream& stream = conn->stream;
    conn->idle = true;
    connections.set_idle(id, [weak = std::weak_ptr<Connection>(conn), ex = stream.get_executor()] {
      asio::post(ex, [weak] {
        // On the connection's strand: it may have started reading a request since.
        if (std::shared_ptr<Connection> c = weak.lock(); c && c->idle) c->stream.cancel();
      });
    });
    stream.expires_after(options.idle_timeout);
    beast::error_code ec;
    std::size_t n = co_await stream.async_read_some(buffer.prepare(kFirstRead),
                                                    asio::redirect_error(use_awaitable, ec));
    conn->idle = false;
    connections.set_busy(id);
    if (ec || n == 0) co_return false;
    buffer.commit(n);
    co_return true;
  }

  // A TLS ClientHello on this plain-HTTP port (the client then falls back to HTTP).
  static bool is_tls_hello(const beast::flat_buffer& buffer) {
    return static_cast<unsigned char>(static_cast<const char*>(buffer.data().data())[0]) ==
           kTlsHandshakeRecord;
  }

  static Origin origin_of(const tcp::socket& socket, std::string listener) {
    beast::error_code ec;
    Origin origin;
    origin.listener = std::move(listener);
    auto ep = socket.remote_endpoint(ec);
    if (!ec) origin.remote = ep.address().to_string();
    auto lp = socket.local_endpoint(ec);
    if (!ec) {
      origin.local = lp.address().to_string();
      origin.local_port = lp.port();
    }
    return origin;
  }

  // Reads a request head under the deadline the caller set, answering a bad one (400, 431) and
  // "Expect: 100-continue". False when the connection is to be closed.
  awaitable<bool> read_head(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                            RequestParser& parser, const Origin& origin) {
    beast::error_code ec;
    co_await bhttp::async_read_header(stream, buffer, parser,
                                      asio::redirect_error(use_awaitable, ec));
    if (ec) {
      if (ec == beast::error::timeout) {
        core::log::info("request head not received in time",
                        {{"remote", origin.remote},
                         {"timeout_ms", std::to_string(options.header_timeout.count())}});
        co_return false;
      }
      if (ec == bhttp::error::end_of_stream || ec == asio::error::operation_aborted ||
          ec == asio::error::connection_reset || ec == asio::error::eof) {
        co_return false;
      }
      int status = ec == bhttp::error::header_limit ? 431 : 400;
      core::log::info("bad request", {{"remote", origin.remote}, {"error", ec.message()}});
      // Built before co_await: GCC 12 destroys temporaries of a conditional expression twice
      // inside a co_await's operands.
      Response res = simple(status, status == 431 ? std::string("Request header fields too large")
                                                  : "Bad request: " + ec.message());
      co_await reject(stream, std::move(res), 11);
      co_return false;
    }
    auto& head = parser.get();
    if (bhttp::token_list{head[bhttp::field::expect]}.exists("100-continue") ||
        iequals(head[bhttp::field::expect], "100-continue")) {
      bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, head.version()};
      co_await bhttp::async_write(stream, cont, asio::redirect_error(use_awaitable, ec));
      if (ec) co_return false;
    }
    co_return true;
  }

  // Sends `res` on a connection whose request was not read to its end, then closes it gently.
  awaitable<void> reject(beast::tcp_stream& stream, Response res, unsigned version) {
    beast::error_code ec;
    stream.expires_after(options.read_timeout);
    co_await write(stream, std::move(res), version, false, false, ec);
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (!ec) co_await discard_rest(stream);
    stream.close();
  }

  // A lingering close (RFC 9112 section 9.6): after answering a request whose body it did not
  // read to its end, the server reads and drops what the client still sends, bounded in time and
  // bytes, before closing. Closing with unread bytes would make the kernel reset the connection,
  // which can destroy the response before the client reads it (a registry client pushing a layer
  // to a full disk would see a broken pipe instead of the 500).
  awaitable<void> discard_rest(beast::tcp_stream& stream) {
    beast::error_code ec;
    std::vector<char> scratch(kStreamChunk);
    stream.expires_after(kLingerTime);
    for (std::size_t dropped = 0; dropped < kLingerBytes && !ec;) {
      dropped += co_await stream.async_read_some(asio::buffer(scratch),
                                                 asio::redirect_error(use_awaitable, ec));
    }
  }

  // Reads the body into `req`: through the body sink the factory gives for it, else whole (413
  // past the body limit, from Content-Length before any of it is read). False when the
  // connection is to be closed; when the sink refused the rest of the body, `keep_alive` turns
  // false and `body_left` true.
  awaitable<bool> read_body(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                            RequestParser& parser, const Origin& origin, Request& req,
                            bool& keep_alive, bool& body_left) {
    beast::error_code ec;
    std::shared_ptr<BodySink> sink;
    if (stream_sink_factory) {
      try {
        sink = stream_sink_factory(req);
      } catch (const std::exception& e) {
        core::log::error("body sink factory threw", {{"what", e.what()}});
      }
    }
    if (sink) {
      bool complete = co_await stream_body(stream, buffer, parser, *sink, ec);
      if (!complete) {
        if (ec) {
          core::log::info("streamed body not read to its end",
                          {{"remote", origin.remote}, {"error", ec.message()}});
          stream.socket().shutdown(tcp::socket::shutdown_both, ec);
          co_return false;
        }
        keep_alive = false;  // the sink refused the rest: answer, then close
        body_left = true;
      }
      req.body_sink = std::move(sink);
      co_return true;
    }
    boost::optional<std::uint64_t> length = parser.content_length();
    if (length && *length > options.body_limit) {
      core::log::info("request body too large",
                      {{"remote", origin.remote}, {"content_length", std::to_string(*length)}});
      co_await reject(stream, simple(413, "Request body too large"), parser.get().version());
      co_return false;
    }
    parser.body_limit(options.body_limit);  // a chunked body is counted as it arrives
    stream.expires_after(options.read_timeout);
    co_await bhttp::async_read(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
    if (ec) {
      if (ec == bhttp::error::body_limit) {
        core::log::info("request body too large", {{"remote", origin.remote}});
        co_await reject(stream, simple(413, "Request body too large"), parser.get().version());
        co_return false;
      }
      stream.socket().shutdown(tcp::socket::shutdown_both, ec);
      co_return false;
    }
    req.body = std::move(parser.get().body());
    co_return true;
  }

  // The handler's response; a 500 when it throws.
  Response call_handler(Request& req) {
    Response res;
    ++in_flight;
    try {
      handler(req, res);
    } catch (const std::exception& e) {
      core::log::error("request handler threw", {{"what", e.what()}});
      res = simple(500, "Internal error");
    }
    --in_flight;
    return res;
  }

  // Accepts connections until `from` closes, each on its own strand. At the connection limit a
  // new client takes the slot of the connection idle the longest; with none idle it waits in the
  // listen backlog until a connection ends. Out of descriptors (EMFILE, ENFILE) likewise: the
  // server keeps serving the connections it has, neither spinning nor dying.
  awaitable<void> accept_loop(tcp::acceptor& from, std::string label) {
    asio::steady_timer pause(ioc);
    beast::error_code ec;
    from.non_blocking(true, ec);  // for the batch below; async_accept is unaffected
    for (;;) {
      if (connections.full() && !connections.has_idle()) {
        warn_throttled("connection limit reached, new clients wait", label);
        pause.expires_after(kAcceptPause);
        co_await pause.async_wait(asio::redirect_error(use_awaitable, ec));
        if (stopping.load() || !from.is_open()) co_return;
        continue;
      }
      tcp::socket socket(asio::make_strand(ioc));
      co_await from.async_accept(socket, asio::redirect_error(use_awaitable, ec));
      if (ec == asio::error::operation_aborted || !from.is_open()) co_return;
      if (!ec) admit(std::move(socket), label);
      // Then whatever else waits in the backlog, without a trip through the run queue for each:
      // under load that queue holds a handler per busy connection, and one accept per trip
      // starved new clients (seconds to be accepted while keep-alive clients were served).
      for (int i = 1; !ec && i < kAcceptBatch; ++i) {
        if (connections.full() && !connections.has_idle()) break;
        tcp::socket next(asio::make_strand(ioc));
        from.accept(next, ec);
        if (!ec) admit(std::move(next), label);
      }
      if (!ec || ec == asio::error::would_block || ec == asio::error::try_again) continue;
      if (ec == asio::error::no_descriptors || ec == std::errc::too_many_files_open_in_system ||
          ec == asio::error::no_buffer_space || ec == asio::error::no_memory) {
        warn_throttled("cannot accept: " + ec.message() + ", new clients wait", label);
        connections.evict_oldest_idle();
        pause.expires_after(kAcceptPause);
        co_await pause.async_wait(asio::redirect_error(use_awaitable, ec));
        continue;
      }
      core::log::warn("accept failed", {{"error", ec.message()}, {"listener", label}});
    }
  }

  // Starts the session of an accepted connection, on the socket's strand.
  void admit(tcp::socket socket, const std::string& label) {
    if (connections.full()) connections.evict_oldest_idle();
    ConnectionTable::Id id = connections.add();
    auto strand = socket.get_executor();
    asio::co_spawn(strand, session(std::move(socket), label, id), asio::detached);
  }

  // A warning at most every 10 s: a client flood must not flood the log too.
  void warn_throttled(const std::string& msg, const std::string& listener) {
    int64_t now = std::chrono::steady_clock::now().time_since_epoch().count();
    int64_t last = last_warning.load();
    constexpr int64_t kEvery = std::chrono::steady_clock::duration(std::chrono::seconds(10)).count();
    if (last != 0 && now - last < kEvery) return;
    if (!last_warning.compare_exchange_strong(last, now)) return;
    core::log::warn(msg, {{"listener", listener},
                          {"connections", std::to_string(connections.size())},
                          {"limit", std::to_string(connections.limit())}});
  }

  // Adopted listeners (Server::adopt_listener); each lives until closed or the server stops.
  std::mutex adopted_mu;
  std::map<uint64_t, std::shared_ptr<tcp::acceptor>> adopted;
  uint64_t next_adopted = 1;

  awaitable<void> drain_and_stop() {
    asio::steady_timer timer(ioc);
    for (int i = 0; i < 100 && in_flight.load() > 0; ++i) {
      timer.expires_after(std::chrono::milliseconds(50));
      beast::error_code ec;
      co_await timer.async_wait(asio::redirect_error(use_awaitable, ec));
    }
    ioc.stop();
  }

  void begin_stop() {
    if (stopping.exchange(true)) return;
    beast::error_code ec;
    acceptor.close(ec);
    {
      std::lock_guard lock(adopted_mu);
      for (auto& [id, a] : adopted) a->close(ec);
      adopted.clear();
    }
    signals.cancel(ec);
    asio::co_spawn(ioc, drain_and_stop(), asio::detached);
  }
};

Server::Server(ServerOptions options, RequestHandler handler, BodySinkFactory stream_body)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler),
                                   std::move(stream_body))) {}

Server::~Server() = default;

uint16_t Server::listen() {
  auto& a = impl_->acceptor;
  tcp::endpoint ep(asio::ip::make_address(impl_->options.address), impl_->options.port);
  a.open(ep.protocol());
  a.set_option(asio::socket_base::reuse_address(true));
  a.bind(ep);
  a.listen(asio::socket_base::max_listen_connections);
  // Caught from here on, before the caller announces the port: a SIGTERM that arrives before
  // run() waits for it and shuts down cleanly once run() starts.
  Impl& impl = *impl_;
  impl.signals.add(SIGINT);
  impl.signals.add(SIGTERM);
  impl.signals.async_wait([&impl](const beast::error_code& ec, int sig) {
    if (ec) return;
    core::log::info("signal received, shutting down", {{"signal", std::to_string(sig)}});
    impl.begin_stop();
  });
  return a.local_endpoint().port();
}

void Server::run() {
  Impl& impl = *impl_;
  asio::co_spawn(impl.ioc, impl.accept_loop(impl.acceptor, ""), asio::detached);
  std::vector<std::thread> threads;
  for (int i = 1; i < impl.options.threads; ++i) {
    threads.emplace_back([&impl] { impl.ioc.run(); });
  }
  impl.ioc.run();
  for (auto& t : threads) t.join();
}

uint64_t Server::adopt_listener(int fd, std::string label) {
  Impl& impl = *impl_;
  auto a = std::make_shared<tcp::acceptor>(impl.ioc);
  beast::error_code ec;
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  bool v6 = ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) == 0 && ss.ss_family == AF_INET6;
  a->assign(v6 ? tcp::v6() : tcp::v4(), fd, ec);
  if (ec) {
    ::close(fd);
    throw std::system_error(ec, "adopt listener");
  }
  uint64_t id;
  {
    std::lock_guard lock(impl.adopted_mu);
    id = impl.next_adopted++;
    impl.adopted.emplace(id, a);
  }
  asio::co_spawn(
      impl.ioc,
      [&impl, a, label = std::move(label)]() -> awaitable<void> {
        co_await impl.accept_loop(*a, label);
      },
      asio::detached);
  return id;
}

void Server::close_listener(uint64_t id) {
  std::shared_ptr<tcp::acceptor> a;
  {
    std::lock_guard lock(impl_->adopted_mu);
    auto it = impl_->adopted.find(id);
    if (it == impl_->adopted.end()) return;
    a = it->second;
    impl_->adopted.erase(it);
  }
  asio::post(impl_->ioc, [a] {
    beast::error_code ec;
    a->close(ec);
  });
}

void Server::stop() {
  asio::post(impl_->ioc, [this] { impl_->begin_stop(); });
}

}  // namespace http
