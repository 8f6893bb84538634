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
#include "dataplane/alb_metrics.h"
#include "dataplane/alb_stickiness.h"
#include "dataplane/alb_target_picker.h"
#include "dataplane/alb_upstream.h"
#include "dataplane/rule_matcher.h"

namespace dataplane {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Ms = std::chrono::milliseconds;

struct Worker {
  asio::io_context ioc{1};
  // Idle keep-alive connections by "lb|ip:port"; touched only on this worker's thread.
  std::map<std::string, std::vector<std::unique_ptr<Upstream>>> pool;
  // The snapshot this worker's new requests use, refreshed when the proxy's generation moves
  // on, so that a request takes no lock.
  std::shared_ptr<const AlbSnapshot> snapshot;
  uint64_t snapshot_generation = ~uint64_t{0};
  AlbCountersCache counters;  // finds this worker's metric counters without a lock
  std::thread thread;
};

// Whether any rule of the listener looks at request headers (then they are copied for it).
bool needs_headers(const SnapshotListener& listener) {
  for (const auto& rule : listener.rules) {
    for (const auto& c : rule.conditions) {
      if (c.field == ConditionField::HttpHeader) return true;
    }
  }
  return false;
}

// Removes "Expect" from the request; whether it asked for 100-continue (the proxy answers it).
bool take_expect_continue(http::request<http::buffer_body>& req) {
  auto it = req.find(http::field::expect);
  if (it == req.end()) return false;
  bool expect_continue = beast::iequals(it->value(), "100-continue");
  req.erase(http::field::expect);
  return expect_continue;
}

// ALB gives a target 10 s to accept a connection.
constexpr Ms kConnectTimeout{10000};

bool is_timeout(const beast::error_code& ec) { return ec == beast::error::timeout; }

// One request on its way to a target, as handle() decided it.
struct ForwardRequest {
  ForwardedHeaders fwd;
  const std::string& lb_arn;
  const std::string& ip;  // the target
  uint16_t port;
  Ms timeout;  // for the target's answer and between body reads
  bool expect_continue;
  bool client_keep;               // the client asked to keep its connection
  unsigned version;               // the client's HTTP version
  std::optional<Ms> tunnel_idle;  // a WebSocket upgrade: the tunnel's idle timeout
  AlbTargetPicker::Cookies sticky;
  AlbRequestOutcome outcome{.target_chosen = true};  // what forward() saw, for the metrics
};

// The status answer() sends for `action`.
int answer_status(const RuleAction* action) {
  if (action != nullptr && action->type == ActionType::FixedResponse) {
    return action->fixed_response.status_code;
  }
  if (action != nullptr && action->type == ActionType::Redirect) {
    return action->redirect.status_code == 302 ? 302 : 301;
  }
  return 503;
}

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

  // Counts one request of `lb` (through `group`, or none) in the metrics, if they are kept.
  void count(Worker* w, const std::shared_ptr<const AlbSnapshot>& snapshot,
             const SnapshotLoadBalancer& lb, const SnapshotTargetGroup* group,
             const AlbRequestOutcome& outcome) {
    if (opts.metrics != nullptr) w->counters.get(*opts.metrics, snapshot, lb, group).record(outcome);
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
      RequestParser parser;
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

  // Routes one request through its listener's rules and answers it or forwards it. Returns
  // whether the client connection may carry another request.
  asio::awaitable<bool> handle(Worker* w, beast::tcp_stream& client, beast::flat_buffer& buffer,
                               ConnBuffers& bufs, RequestParser& parser,
                               const std::string& client_ip,
                               std::shared_ptr<const AlbSnapshot> snapshot) {
    auto& req = parser.get();
    unsigned version = req.version();
    bool keep = req.keep_alive() && parser.is_done();  // an unread body ends the connection
    if (version >= 11 && req.find(http::field::host) == req.end()) {
      auto page = alb_page(400, version, false);
      co_await send(client, page);
      co_return false;
    }
    AlbRequest view = request_view(req, client_ip);
    uint16_t port = listener_port();
    const auto* lb = select_load_balancer(*snapshot, port, view.host);
    const auto* listener = lb == nullptr ? nullptr : find_listener(*lb, port);
    if (listener != nullptr && needs_headers(*listener)) {
      for (const auto& f : req) view.headers.emplace_back(f.name_string(), f.value());
    }
    const auto* action = listener == nullptr ? nullptr : match_action(*listener, view);
    if (action == nullptr || action->type != ActionType::Forward) {
      if (lb != nullptr) count(w, snapshot, *lb, nullptr, {.elb_status = answer_status(action)});
      co_return co_await answer(client, action, view, listener, port, version, keep);
    }
    core::TimePoint now = clock().now();
    AlbTargetPicker::Cookies sticky;
    std::string_view cookies = req[http::field::cookie];
    const auto* group = picker->pick_group(*snapshot, action->forward, cookies, now, sticky);
    auto target =
        group == nullptr ? std::nullopt : picker->pick_target(*group, cookies, now, sticky);
    if (!target) {
      count(w, snapshot, *lb, group, {.elb_status = 503});
      auto page = alb_page(503, version, keep);
      co_return !(co_await send(client, page)) && keep;
    }
    Ms lb_idle(int64_t{lb->idle_timeout_seconds} * 1000);
    bool upgrade = is_websocket_upgrade(req);
    ForwardRequest fr{.fwd = forwarded_headers(req, client_ip, listener->protocol, port),
                      .lb_arn = lb->arn,
                      .ip = target->id,
                      .port = target->port,
                      .timeout = opts.target_timeout.value_or(lb_idle),
                      .expect_continue = take_expect_continue(req),
                      .client_keep = req.keep_alive(),
                      .version = version,
                      .tunnel_idle = std::nullopt,
                      .sticky = std::move(sticky)};
    if (upgrade) {
      fr.tunnel_idle = opts.client_idle_timeout.value_or(lb_idle);
    } else {
      req.keep_alive(true);
    }
    TargetKey key{group->arn, target->id, target->port};
    picker->selector().started(key);
    bool ok = co_await forward(w, client, buffer, bufs, parser, fr);
    count(w, snapshot, *lb, group, fr.outcome);
    if (picker->selector().finished(key) == 0) report_if_drained(w, key);
    co_return (ok && fr.client_keep);
  }

  // Answers a request that no forward action takes: a fixed response, a redirect, or 503 (no
  // rule matched, or an authenticate-* action, which is not supported here).
  asio::awaitable<bool> answer(beast::tcp_stream& client, const RuleAction* action,
                               const AlbRequest& view, const SnapshotListener* listener,
                               uint16_t port, unsigned version, bool keep) {
    if (action != nullptr && action->type == ActionType::FixedResponse) {
      const auto& fr = action->fixed_response;
      http::response<http::string_body> res{static_cast<http::status>(fr.status_code), version};
      res.set(http::field::server, "awselb/2.0");
      if (!fr.content_type.empty()) res.set(http::field::content_type, fr.content_type);
      res.body() = fr.body;
      res.keep_alive(keep);
      res.prepare_payload();
      co_return !(co_await send(client, res)) && keep;
    }
    if (action != nullptr && action->type == ActionType::Redirect) {
      auto res = alb_page(answer_status(action), version, keep);
      res.set(http::field::location,
              redirect_location(action->redirect, view,
                                listener->protocol.empty() ? "HTTP" : listener->protocol, port));
      co_return !(co_await send(client, res)) && keep;
    }
    auto page = alb_page(503, version, keep);
    co_return !(co_await send(client, page)) && keep;
  }

  // Tells on_drained when `key`, which just finished its last request, is draining.
  void report_if_drained(Worker* w, const TargetKey& key) {
    if (!opts.on_drained) return;
    const auto& now = current(w);
    const auto* g = now->target_group(key.target_group_arn);
    if (g == nullptr) return;
    for (const auto& t : g->targets) {
      if (t.id == key.id && t.port == key.port && t.state == TargetState::Draining) {
        opts.on_drained(key);
      }
    }
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

  // Sends the request to the target and relays its response; a pooled connection the target had
  // closed is retried once on a fresh one. Returns whether the client connection is still usable.
  asio::awaitable<bool> forward(Worker* w, beast::tcp_stream& client, beast::flat_buffer& buffer,
                                ConnBuffers& bufs, RequestParser& parser, ForwardRequest& fr) {
    auto& req = parser.get();
    bool head = req.method() == http::verb::head;
    bool bodyless = parser.is_done();
    if (!bodyless) set_forwarded(req, fr.fwd);  // the body streams through Beast's serializer
    for (int attempt = 0; attempt < 2; ++attempt) {
      bool reused = false;
      bool timed_out = false;
      auto up = co_await open_upstream(w, fr.lb_arn, fr.ip, fr.port, fr.timeout, reused, timed_out);
      if (!up) {
        fr.outcome.elb_status = timed_out ? 504 : 502;
        auto page = alb_page(fr.outcome.elb_status, fr.version, false);
        co_await send(client, page);
        co_return false;
      }
      if (fr.expect_continue && !parser.is_done()) {
        fr.expect_continue = false;
        http::response<http::empty_body> cont{http::status::continue_, fr.version};
        if (co_await send(client, cont)) co_return false;
      }
      beast::error_code ec;
      auto sent_at = std::chrono::steady_clock::now();
      SendResult sent =
          co_await send_request(client, buffer, parser, fr.fwd, *up, bufs, fr.timeout, ec);
      if (sent == SendResult::ClientGone) co_return false;
      std::optional<ResponseParser> parsed;
      if (sent == SendResult::Sent) ec = co_await read_response_head(*up, parsed, head, fr.timeout);
      if (ec) {
        if (reused && bodyless && !is_timeout(ec)) continue;
        fr.outcome.elb_status = is_timeout(ec) ? 504 : 502;
        auto page = alb_page(fr.outcome.elb_status, fr.version, false);
        co_await send(client, page);
        co_return false;
      }
      fr.outcome.target_status = parsed->get().result_int();
      fr.outcome.target_time = std::chrono::steady_clock::now() - sent_at;
      if (fr.tunnel_idle && parsed->get().result() == http::status::switching_protocols) {
        co_await relay_upgrade(client, buffer, *up, *parsed, fr.version, fr.timeout,
                               *fr.tunnel_idle);
        co_return false;
      }
      co_return co_await relay_response(w, client, bufs, up, *parsed, fr);
    }
    fr.outcome.elb_status = 502;
    auto page = alb_page(502, fr.version, false);
    co_await send(client, page);
    co_return false;
  }

  // Relays the target's response (its head read into `rp`) to the client: head and body in one
  // write when the body is already buffered, else streamed. Returns the target connection to the
  // pool when it can carry another request, and whether the client connection is still usable.
  asio::awaitable<bool> relay_response(Worker* w, beast::tcp_stream& client, ConnBuffers& bufs,
                                       std::unique_ptr<Upstream>& up, ResponseParser& rp,
                                       const ForwardRequest& fr) {
    add_sticky_cookies(rp.get(), fr.sticky);
    ClientFraming framing = frame_for_client(rp, fr.client_keep, fr.version);
    if (std::optional<uint64_t> length = buffered_body_length(rp, *up)) {
      bufs.head.clear();
      append_head(rp.get(), bufs.head);
      std::array<asio::const_buffer, 2> out{
          asio::buffer(bufs.head),
          asio::buffer(up->buffer.data().data(), static_cast<size_t>(*length))};
      beast::error_code ec = co_await write_all(client, out, fr.timeout);
      up->buffer.consume(static_cast<size_t>(*length));
      if (framing.upstream_keep && up->buffer.size() == 0) {
        release_upstream(w, fr.lb_arn, fr.ip, fr.port, up);
      }
      co_return !ec;
    }
    if (co_await relay_response_body(*up, rp, client, bufs, fr.timeout)) co_return false;
    if (framing.upstream_keep && rp.is_done()) release_upstream(w, fr.lb_arn, fr.ip, fr.port, up);
    co_return framing.client_usable;
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
