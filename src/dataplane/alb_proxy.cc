#include "dataplane/alb_proxy.h"

#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "dataplane/alb_connect.h"
#include "dataplane/alb_http.h"
#include "dataplane/alb_stickiness.h"
#include "dataplane/alb_target_picker.h"
#include "dataplane/alb_tunnel.h"
#include "dataplane/rule_matcher.h"

namespace dataplane {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Ms = std::chrono::milliseconds;

constexpr size_t kChunk = 16 * 1024;

struct Upstream {
  explicit Upstream(tcp::socket s) : stream(std::move(s)) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
};

struct Worker {
  asio::io_context ioc{1};
  // Idle keep-alive connections by "lb|ip:port"; touched only on this worker's thread.
  std::map<std::string, std::vector<std::unique_ptr<Upstream>>> pool;
  // The snapshot this worker's new requests use, refreshed when the proxy's generation moves
  // on, so that a request takes no lock.
  std::shared_ptr<const AlbSnapshot> snapshot;
  uint64_t snapshot_generation = ~uint64_t{0};
  std::thread thread;
};

// Buffers of one client connection, reused by its requests.
struct ConnBuffers {
  std::string head;               // a serialized message head (fast path)
  std::unique_ptr<char[]> chunk;  // body relay (streaming path), allocated on first use
  char* chunk_data() {
    if (!chunk) chunk.reset(new char[kChunk]);
    return chunk.get();
  }
};

// Writes `buffers` whole. It first tries straight away on the (non-blocking) socket: a socket
// almost always takes a small message at once, which then costs no timer. Whatever the kernel did
// not take is written asynchronously within `timeout`.
template <class Buffers>
asio::awaitable<beast::error_code> write_all(beast::tcp_stream& stream, const Buffers& buffers,
                                             Ms timeout) {
  beast::error_code ec;
  size_t total = asio::buffer_size(buffers);
  size_t n = stream.socket().write_some(buffers, ec);
  if (ec == asio::error::would_block || ec == asio::error::try_again) {
    ec = {};
    n = 0;
  }
  if (ec || n == total) co_return ec;
  beast::buffers_suffix<Buffers> rest(buffers);
  rest.consume(n);
  stream.expires_after(timeout);
  co_await asio::async_write(stream, rest, asio::redirect_error(asio::use_awaitable, ec));
  co_return ec;
}

// Whether any rule of the listener looks at request headers (then they are copied for it).
bool needs_headers(const SnapshotListener& listener) {
  for (const auto& rule : listener.rules) {
    for (const auto& c : rule.conditions) {
      if (c.field == ConditionField::HttpHeader) return true;
    }
  }
  return false;
}

// ALB gives a target 10 s to accept a connection.
constexpr Ms kConnectTimeout{10000};

bool is_timeout(const beast::error_code& ec) { return ec == beast::error::timeout; }

}  // namespace

struct AlbProxy::Impl {
  Options opts;
  Connector connect;
  mutable std::mutex snap_mu;
  std::shared_ptr<const AlbSnapshot> snap;
  std::vector<std::unique_ptr<Worker>> workers;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<asio::thread_pool> connect_pool;  // runs the blocking Connector
  std::unique_ptr<AlbTargetPicker> picker;          // made once opts.clock is known

  const core::Clock& clock() const {
    static const core::SystemClock system_clock;
    return opts.clock != nullptr ? *opts.clock : system_clock;
  }

  template <class Fields>
  static void add_sticky_cookies(http::response<http::buffer_body, Fields>& res,
                                 const AlbTargetPicker::Cookies& sticky) {
    bool app_set = false;
    if (!sticky.app_cookie_name.empty()) {
      for (const auto& f : res) {
        app_set = app_set || (f.name() == http::field::set_cookie &&
                              sets_cookie(f.value(), sticky.app_cookie_name));
      }
    }
    for (const auto& c : sticky.always) res.insert(http::field::set_cookie, c);
    if (app_set) res.insert(http::field::set_cookie, sticky.on_app_cookie);
  }
  uint16_t bound = 0;
  std::atomic<size_t> next_worker{0};
  std::atomic<uint64_t> snap_generation{0};  // moves on with every update()
  bool running = false;

  std::shared_ptr<const AlbSnapshot> current() const {
    std::lock_guard lock(snap_mu);
    return snap;
  }

  // The current snapshot, as cached by worker `w` (its thread only).
  const std::shared_ptr<const AlbSnapshot>& current(Worker* w) {
    uint64_t g = snap_generation.load(std::memory_order_acquire);
    if (g != w->snapshot_generation) {
      {
        std::lock_guard lock(snap_mu);
        w->snapshot = snap;
        w->snapshot_generation = snap_generation.load(std::memory_order_relaxed);
      }
      prune_pool(w);
    }
    return w->snapshot;
  }

  uint16_t listener_port() const { return opts.listener_port != 0 ? opts.listener_port : bound; }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      size_t i = next_worker++ % workers.size();
      beast::error_code ec;
      tcp::socket s = co_await acceptor->async_accept(
          workers[i]->ioc, asio::redirect_error(asio::use_awaitable, ec));
      if (ec == asio::error::operation_aborted || !acceptor->is_open()) co_return;
      if (ec) continue;
      asio::co_spawn(workers[i]->ioc, serve(workers[i].get(), std::move(s)), asio::detached);
    }
  }

  template <class Message>
  static asio::awaitable<beast::error_code> send(beast::tcp_stream& client, Message& msg) {
    beast::error_code ec;
    client.expires_after(std::chrono::seconds(30));
    co_await http::async_write(client, msg, asio::redirect_error(asio::use_awaitable, ec));
    co_return ec;
  }

  // One client connection: requests in sequence until either side closes.
  asio::awaitable<void> serve(Worker* w, tcp::socket socket) {
    beast::error_code ec;
    std::string client_ip = socket.remote_endpoint(ec).address().to_string();
    socket.set_option(tcp::no_delay(true), ec);  // responses are written whole: no Nagle delay
    socket.non_blocking(true, ec);               // for write_all()'s first attempt
    beast::tcp_stream client(std::move(socket));
    beast::flat_buffer buffer;
    ConnBuffers bufs;
    for (;;) {
      http::request_parser<http::buffer_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(opts.max_header_bytes));
      parser.body_limit(boost::none);
      client.expires_after(opts.client_idle_timeout.value_or(Ms(60'000)));
      co_await http::async_read_header(client, buffer, parser,
                                       asio::redirect_error(asio::use_awaitable, ec));
      if (ec == http::error::header_limit) {
        auto page = alb_page(413, 11, false);
        co_await send(client, page);
        break;
      }
      if (ec && ec.category() == http::make_error_code(http::error::bad_target).category() &&
          ec != http::error::end_of_stream) {
        auto page = alb_page(400, 11, false);
        co_await send(client, page);
        break;
      }
      if (ec) break;
      bool keep = co_await handle(w, client, buffer, bufs, parser, client_ip, current(w));
      if (!keep) break;
    }
    client.socket().shutdown(tcp::socket::shutdown_send, ec);
    client.close();
  }

  // Returns whether the client connection may carry another request.
  asio::awaitable<bool> handle(Worker* w, beast::tcp_stream& client, beast::flat_buffer& buffer,
                               ConnBuffers& bufs, http::request_parser<http::buffer_body>& parser,
                               const std::string& client_ip,
                               std::shared_ptr<const AlbSnapshot> snapshot) {
    auto& req = parser.get();
    unsigned version = req.version();
    bool keep = req.keep_alive() && parser.is_done();  // an unread body ends the connection
    bool keep_if_forwarded = req.keep_alive();

    AlbRequest view;
    view.method = std::string(req.method_string());
    view.host = std::string(req[http::field::host]);
    std::string_view request_target = req.target();
    size_t q = request_target.find('?');
    view.path = std::string(request_target.substr(0, q));
    view.query = q == std::string_view::npos ? "" : std::string(request_target.substr(q + 1));
    view.source_ip = client_ip;

    if (version >= 11 && req.find(http::field::host) == req.end()) {
      auto page = alb_page(400, version, false);
      co_await send(client, page);
      co_return false;
    }
    uint16_t port = listener_port();
    const auto* lb = select_load_balancer(*snapshot, port, view.host);
    const auto* listener = lb == nullptr ? nullptr : find_listener(*lb, port);
    if (listener != nullptr && needs_headers(*listener)) {
      for (const auto& f : req) view.headers.emplace_back(f.name_string(), f.value());
    }
    const auto* action = listener == nullptr ? nullptr : match_action(*listener, view);
    if (action == nullptr) {
      auto page = alb_page(503, version, keep);
      co_return !(co_await send(client, page)) && keep;
    }
    if (action->type == ActionType::FixedResponse) {
      const auto& fr = action->fixed_response;
      http::response<http::string_body> res{static_cast<http::status>(fr.status_code), version};
      res.set(http::field::server, "awselb/2.0");
      if (!fr.content_type.empty()) res.set(http::field::content_type, fr.content_type);
      res.body() = fr.body;
      res.keep_alive(keep);
      res.prepare_payload();
      co_return !(co_await send(client, res)) && keep;
    }
    if (action->type == ActionType::Redirect) {
      auto res = alb_page(action->redirect.status_code == 302 ? 302 : 301, version, keep);
      res.set(http::field::location,
              redirect_location(action->redirect, view,
                                listener->protocol.empty() ? "HTTP" : listener->protocol, port));
      co_return !(co_await send(client, res)) && keep;
    }
    if (action->type != ActionType::Forward) {
      auto page = alb_page(503, version, keep);  // authenticate-* is not supported here
      co_return !(co_await send(client, page)) && keep;
    }

    core::TimePoint now = clock().now();
    AlbTargetPicker::Cookies sticky;
    std::string_view cookies = req[http::field::cookie];
    const auto* group = picker->pick_group(*snapshot, action->forward, cookies, now, sticky);
    auto target =
        group == nullptr ? std::nullopt : picker->pick_target(*group, cookies, now, sticky);
    if (!target) {
      auto page = alb_page(503, version, keep);
      co_return !(co_await send(client, page)) && keep;
    }

    // Headers the target sees, as ALB adds them (forward() writes them).
    ForwardedHeaders fwd;
    std::string_view prior = req["X-Forwarded-For"];
    fwd.for_ = prior.empty() ? client_ip : std::string(prior) + ", " + client_ip;
    fwd.proto = listener->protocol.empty() ? "http" : listener->protocol;
    for (char& c : fwd.proto) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    fwd.port = std::to_string(port);
    if (req.find("X-Amzn-Trace-Id") == req.end()) fwd.trace = make_trace_id();
    bool expect_continue = false;
    if (auto it = req.find(http::field::expect); it != req.end()) {
      expect_continue = beast::iequals(it->value(), "100-continue");
      req.erase(http::field::expect);
    }
    bool upgrade = is_websocket_upgrade(req);
    if (!upgrade) req.keep_alive(true);

    TargetKey key{group->arn, target->id, target->port};
    Ms timeout = opts.target_timeout.value_or(Ms(int64_t{lb->idle_timeout_seconds} * 1000));
    picker->selector().started(key);
    Ms idle = opts.client_idle_timeout.value_or(Ms(int64_t{lb->idle_timeout_seconds} * 1000));
    bool ok = co_await forward(w, client, buffer, bufs, parser, fwd, lb->arn, target->id,
                               target->port, timeout, expect_continue, keep_if_forwarded, version,
                               upgrade ? std::optional<Ms>(idle) : std::nullopt, sticky);
    if (picker->selector().finished(key) == 0 && opts.on_drained) {
      const auto& now = current(w);
      const auto* g = now->target_group(key.target_group_arn);
      if (g != nullptr) {
        for (const auto& t : g->targets) {
          if (t.id == key.id && t.port == key.port && t.state == TargetState::Draining) {
            opts.on_drained(key);
          }
        }
      }
    }
    co_return (ok && keep_if_forwarded);
  }

  // Closes the idle connections to targets that are no longer registered in any group (a task
  // replaced by a deployment): nothing would reuse them, and their fds would stay open.
  static void prune_pool(Worker* w) {
    if (w->pool.empty()) return;
    std::set<std::string> live;
    for (const auto& [arn, group] : w->snapshot->target_groups) {
      for (const auto& t : group.targets) live.insert(t.id + ":" + std::to_string(t.port));
    }
    for (auto it = w->pool.begin(); it != w->pool.end();) {
      const std::string& key = it->first;
      if (live.count(key.substr(key.rfind('|') + 1)) == 0) {
        it = w->pool.erase(it);
      } else {
        ++it;
      }
    }
  }

  static std::string pool_key(const std::string& lb_arn, const std::string& ip, uint16_t port) {
    return lb_arn + "|" + ip + ":" + std::to_string(port);
  }

  // Returns a connection whose response was read whole to the worker's keep-alive pool.
  void release_upstream(Worker* w, const std::string& lb_arn, const std::string& ip, uint16_t port,
                        std::unique_ptr<Upstream>& up) {
    auto& idle = w->pool[pool_key(lb_arn, ip, port)];
    if (idle.size() < opts.max_idle_per_target) {
      up->stream.expires_never();
      idle.push_back(std::move(up));
    }
  }

  // A pooled keep-alive connection to the target, or a new one. nullptr when the target cannot
  // be reached; `timed_out` then tells 504 from 502.
  asio::awaitable<std::unique_ptr<Upstream>> open_upstream(Worker* w, const std::string& lb_arn,
                                                           const std::string& ip, uint16_t port,
                                                           Ms timeout, bool& reused,
                                                           bool& timed_out) {
    timed_out = false;
    auto& idle = w->pool[pool_key(lb_arn, ip, port)];
    if (!idle.empty()) {
      auto up = std::move(idle.back());
      idle.pop_back();
      reused = true;
      co_return up;
    }
    reused = false;
    int fd = co_await connect_off_loop(*connect_pool, w->ioc, connect, lb_arn, ip, port,
                                       std::min(timeout, kConnectTimeout), timed_out);
    if (fd < 0) co_return nullptr;
    beast::error_code ec;
    tcp::socket s(w->ioc);
    s.assign(tcp::v4(), fd, ec);
    if (ec) {
      ::close(fd);
      co_return nullptr;
    }
    s.set_option(tcp::no_delay(true), ec);
    s.non_blocking(true, ec);
    co_return std::make_unique<Upstream>(std::move(s));
  }

  // Sends the request to the target and relays its response. Returns whether the client
  // connection is still usable.
  asio::awaitable<bool> forward(Worker* w, beast::tcp_stream& client, beast::flat_buffer& buffer,
                                ConnBuffers& bufs, http::request_parser<http::buffer_body>& parser,
                                const ForwardedHeaders& fwd, const std::string& lb_arn,
                                const std::string& ip, uint16_t port, Ms timeout,
                                bool expect_continue, bool client_keep, unsigned version,
                                std::optional<Ms> tunnel_idle,
                                const AlbTargetPicker::Cookies& sticky) {
    auto& req = parser.get();
    bool head = req.method() == http::verb::head;
    bool bodyless = parser.is_done();
    if (!bodyless) set_forwarded(req, fwd);  // the body streams through Beast's serializer
    beast::error_code ec;
    for (int attempt = 0; attempt < 2; ++attempt) {
      bool reused = false;
      bool timed_out = false;
      auto up = co_await open_upstream(w, lb_arn, ip, port, timeout, reused, timed_out);
      if (!up) {
        auto page = alb_page(timed_out ? 504 : 502, version, false);
        co_await send(client, page);
        co_return false;
      }
      // Request: header, then the body as it arrives from the client.
      if (expect_continue && !parser.is_done()) {
        expect_continue = false;
        http::response<http::empty_body> cont{http::status::continue_, version};
        if (co_await send(client, cont)) co_return false;
      }
      http::request_serializer<http::buffer_body> sr{req};
      bool upstream_failed = false;
      if (parser.is_done()) {
        // No body: the head in one write.
        bufs.head.clear();
        append_head(req, fwd, bufs.head);
        ec = co_await write_all(up->stream, asio::buffer(bufs.head), timeout);
        upstream_failed = static_cast<bool>(ec);
      } else {
        do {
          if (!parser.is_done()) {
            req.body().data = bufs.chunk_data();
            req.body().size = kChunk;
            client.expires_after(timeout);
            co_await http::async_read(client, buffer, parser,
                                      asio::redirect_error(asio::use_awaitable, ec));
            if (ec == http::error::need_buffer) ec = {};
            if (ec) co_return false;  // client went away mid-body
            req.body().size = kChunk - req.body().size;
            req.body().data = bufs.chunk_data();
            req.body().more = !parser.is_done();
          } else {
            req.body().data = nullptr;
            req.body().size = 0;
            req.body().more = false;
          }
          up->stream.expires_after(timeout);
          co_await http::async_write(up->stream, sr, asio::redirect_error(asio::use_awaitable, ec));
          if (ec == http::error::need_buffer) ec = {};
          if (ec) {
            upstream_failed = true;
            break;
          }
        } while (!parser.is_done() && !sr.is_done());
        if (!upstream_failed && !sr.is_done()) {
          req.body().data = nullptr;
          req.body().size = 0;
          req.body().more = false;
          co_await http::async_write(up->stream, sr, asio::redirect_error(asio::use_awaitable, ec));
          if (ec == http::error::need_buffer) ec = {};
          upstream_failed = static_cast<bool>(ec);
        }
      }
      // Response header. Interim responses (100 Continue, 103 Early Hints) are dropped: the
      // proxy answered Expect itself, and relaying one as final would leave the real response
      // unread on a pooled connection.
      std::optional<http::response_parser<http::buffer_body>> parsed;
      for (int interim = 0; !upstream_failed; ++interim) {
        parsed.emplace();
        parsed->body_limit(boost::none);
        parsed->header_limit(64 * 1024);
        if (head) parsed->skip(true);
        up->stream.expires_after(timeout);
        co_await http::async_read_header(up->stream, up->buffer, *parsed,
                                         asio::redirect_error(asio::use_awaitable, ec));
        upstream_failed = static_cast<bool>(ec);
        int code = upstream_failed ? 0 : parsed->get().result_int();
        if (code < 100 || code >= 200 || code == 101) break;
        if (interim == 8) {  // a target that only ever sends interim responses
          ec = http::error::bad_status;
          upstream_failed = true;
        }
      }
      if (upstream_failed) {
        // A pooled connection the target had closed: try once more on a fresh one.
        if (reused && bodyless && !is_timeout(ec)) continue;
        auto page = alb_page(is_timeout(ec) ? 504 : 502, version, false);
        co_await send(client, page);
        co_return false;
      }
      auto& rp = *parsed;
      auto& res = rp.get();
      if (tunnel_idle && res.result() == http::status::switching_protocols) {
        // WebSocket: pass the 101 on unchanged, then relay bytes until either side closes.
        res.version(version);
        res.body().data = nullptr;
        res.body().size = 0;
        res.body().more = false;
        http::response_serializer<http::buffer_body> rs{res};
        client.expires_after(timeout);
        co_await http::async_write(client, rs, asio::redirect_error(asio::use_awaitable, ec));
        if (ec == http::error::need_buffer) ec = {};
        if (ec) co_return false;
        client.expires_never();
        up->stream.expires_never();
        co_await relay_tunnel(client.socket(), buffer, up->stream.socket(), up->buffer,
                              *tunnel_idle);
        co_return false;
      }
      add_sticky_cookies(res, sticky);
      // Response: header, then the body as it arrives from the target.
      bool upstream_keep = res.keep_alive();
      res.keep_alive(client_keep);
      res.version(version);
      // A body that the target ends by closing (no length, not chunked; busybox httpd's error
      // pages and CGI output): chunked toward an HTTP/1.1 client, close-delimited toward 1.0.
      bool client_usable = true;
      if (!rp.is_done() && !rp.chunked() && !rp.content_length()) {
        upstream_keep = false;
        if (version >= 11) {
          res.chunked(true);
        } else {
          res.keep_alive(false);
          client_usable = false;
        }
      }
      // Fast path: the whole body (or none) is already buffered: head and body in one write.
      std::optional<uint64_t> buffered_length;
      if (rp.is_done()) {
        buffered_length = 0;  // HEAD, 204, 304
      } else if (!rp.chunked() && rp.content_length() &&
                 *rp.content_length() <= up->buffer.size()) {
        buffered_length = *rp.content_length();
      }
      if (buffered_length) {
        bufs.head.clear();
        append_head(res, bufs.head);
        std::array<asio::const_buffer, 2> out{
            asio::buffer(bufs.head),
            asio::buffer(up->buffer.data().data(), static_cast<size_t>(*buffered_length))};
        ec = co_await write_all(client, out, timeout);
        up->buffer.consume(static_cast<size_t>(*buffered_length));
        if (upstream_keep && up->buffer.size() == 0) release_upstream(w, lb_arn, ip, port, up);
        co_return !ec;
      }
      http::response_serializer<http::buffer_body> rs{res};
      do {
        if (!rp.is_done()) {
          res.body().data = bufs.chunk_data();
          res.body().size = kChunk;
          up->stream.expires_after(timeout);
          co_await http::async_read(up->stream, up->buffer, rp,
                                    asio::redirect_error(asio::use_awaitable, ec));
          if (ec == http::error::need_buffer) ec = {};
          if (ec == http::error::end_of_stream && rp.is_done()) ec = {};
          if (ec) co_return false;  // target failed mid-body: nothing better than closing
          res.body().size = kChunk - res.body().size;
          res.body().data = bufs.chunk_data();
          res.body().more = !rp.is_done();
        } else {
          res.body().data = nullptr;
          res.body().size = 0;
          res.body().more = false;
        }
        client.expires_after(timeout);
        co_await http::async_write(client, rs, asio::redirect_error(asio::use_awaitable, ec));
        if (ec == http::error::need_buffer) ec = {};
        if (ec) co_return false;
      } while (!rp.is_done() && !rs.is_done());
      if (!rs.is_done()) {
        res.body().data = nullptr;
        res.body().size = 0;
        res.body().more = false;
        co_await http::async_write(client, rs, asio::redirect_error(asio::use_awaitable, ec));
        if (ec == http::error::need_buffer) ec = {};
        if (ec) co_return false;
      }
      if (upstream_keep && rp.is_done()) release_upstream(w, lb_arn, ip, port, up);
      co_return client_usable;
    }
    auto page = alb_page(502, version, false);
    co_await send(client, page);
    co_return false;
  }
};

AlbProxy::AlbProxy(Options options, Connector connector,
                   std::shared_ptr<const AlbSnapshot> snapshot)
    : impl_(std::make_unique<Impl>()) {
  impl_->opts = std::move(options);
  impl_->connect = std::move(connector);
  impl_->snap = snapshot ? std::move(snapshot) : std::make_shared<const AlbSnapshot>();
  impl_->picker = std::make_unique<AlbTargetPicker>(impl_->clock());
  impl_->picker->observe(*impl_->snap, impl_->clock().now());
}

AlbProxy::~AlbProxy() {
  stop();
  if (impl_->opts.listen_fd >= 0)
    ::close(std::exchange(impl_->opts.listen_fd, -1));  // never started
}

std::error_code AlbProxy::start() {
  if (impl_->running) return {};
  int n = std::max(impl_->opts.threads, 1);
  for (int i = 0; i < n; ++i) impl_->workers.push_back(std::make_unique<Worker>());
  beast::error_code ec;
  auto acc = std::make_unique<tcp::acceptor>(impl_->workers[0]->ioc);
  if (impl_->opts.listen_fd >= 0) {
    int fd = std::exchange(impl_->opts.listen_fd, -1);
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    int listening = 0;
    socklen_t optlen = sizeof listening;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0 ||
        ::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &optlen) != 0) {
      ec = beast::error_code(errno, boost::system::system_category());
    } else if (!listening || (ss.ss_family != AF_INET && ss.ss_family != AF_INET6)) {
      ec = asio::error::invalid_argument;
    }
    if (!ec) acc->assign(ss.ss_family == AF_INET6 ? tcp::v6() : tcp::v4(), fd, ec);
    if (ec) {
      ::close(fd);
      impl_->workers.clear();
      return ec;
    }
  } else {
    auto address = asio::ip::make_address(impl_->opts.address, ec);
    if (ec) {
      impl_->workers.clear();
      return ec;
    }
    tcp::endpoint ep{address, impl_->opts.port};
    acc->open(ep.protocol(), ec);
    if (!ec) acc->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acc->bind(ep, ec);
    if (!ec) acc->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      impl_->workers.clear();
      return ec;
    }
  }
  impl_->bound = acc->local_endpoint().port();
  impl_->connect_pool = std::make_unique<asio::thread_pool>(
      static_cast<size_t>(std::max(impl_->opts.connect_threads, 1)));
  impl_->acceptor = std::move(acc);
  asio::co_spawn(impl_->workers[0]->ioc, impl_->accept_loop(), asio::detached);
  for (auto& w : impl_->workers) {
    Worker* raw = w.get();
    w->thread = std::thread([raw] {
      auto guard = asio::make_work_guard(raw->ioc);
      raw->ioc.run();
    });
  }
  impl_->running = true;
  return {};
}

void AlbProxy::stop() {
  if (!impl_->running) return;
  impl_->running = false;
  for (auto& w : impl_->workers) w->ioc.stop();
  for (auto& w : impl_->workers) {
    if (w->thread.joinable()) w->thread.join();
  }
  // Connects still blocked in the Connector finish (bounded by their timeout); their results
  // are posted to stopped workers and closed when those are destroyed below.
  impl_->connect_pool->stop();
  impl_->connect_pool->join();
  impl_->connect_pool.reset();
  impl_->acceptor.reset();
  for (auto& w : impl_->workers) w->pool.clear();
  impl_->workers.clear();  // destroys suspended connections with their io_context
}

uint16_t AlbProxy::bound_port() const { return impl_->bound; }

void AlbProxy::update(std::shared_ptr<const AlbSnapshot> snapshot) {
  if (!snapshot) return;
  impl_->picker->observe(*snapshot, impl_->clock().now());
  std::lock_guard lock(impl_->snap_mu);
  impl_->snap = std::move(snapshot);
  impl_->snap_generation.fetch_add(1, std::memory_order_release);
}

std::shared_ptr<const AlbSnapshot> AlbProxy::snapshot() const {
  return impl_->current();
}

}  // namespace dataplane
