#include "dataplane/http_prober.h"

#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <thread>

#include "dataplane/alb_connect.h"

namespace dataplane {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Ms = std::chrono::milliseconds;

namespace {

// Connects, sends the request and reads the status line, within request.timeout in all. A reply
// that is not HTTP, or a connection closed or reset before the status line, counts as a failed
// check (Target.FailedHealthChecks), as it does on ALB.
asio::awaitable<ProbeResult> probe_once(asio::thread_pool& pool, asio::io_context& ioc,
                                        const Connector& connector, ProbeRequest request) {
  ProbeResult r;
  auto deadline = std::chrono::steady_clock::now() + request.timeout;
  bool timed_out = false;
  int fd = co_await connect_off_loop(pool, ioc, connector, request.load_balancer_arn, request.ip,
                                     request.port,
                                     std::chrono::duration_cast<Ms>(request.timeout), timed_out);
  if (fd < 0) {
    if (timed_out) r.outcome = ProbeResult::Outcome::Timeout;
    co_return r;
  }
  beast::tcp_stream stream(ioc);
  boost::system::error_code ec;
  stream.socket().assign(asio::ip::tcp::v4(), fd, ec);
  if (ec) {
    ::close(fd);
    co_return r;
  }
  stream.expires_at(deadline);
  http::request<http::empty_body> req{http::verb::get, request.path, 11};
  req.set(http::field::host, request.ip + ":" + std::to_string(request.port));
  req.set(http::field::user_agent, "ELB-HealthChecker/2.0");
  req.set(http::field::connection, "close");
  co_await http::async_write(stream, req, asio::redirect_error(asio::use_awaitable, ec));
  if (!ec) {
    beast::flat_buffer buffer;
    http::response_parser<http::empty_body> parser;
    co_await http::async_read_header(stream, buffer, parser,
                                     asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) {
      r.outcome = ProbeResult::Outcome::Response;
      r.status = static_cast<int>(parser.get().result_int());
    }
  }
  if (ec == beast::error::timeout) r.outcome = ProbeResult::Outcome::Timeout;
  co_return r;
}

}  // namespace

struct HttpProber::Impl {
  explicit Impl(Connector c) : connector(std::move(c)) {
    loop = std::thread([this] { ioc.run(); });
  }
  ~Impl() {
    work.reset();
    ioc.stop();
    loop.join();
    connect_pool.join();
  }

  Connector connector;
  asio::io_context ioc{1};
  asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};
  // Connects block (setns, a silent security group): a few threads keep one slow target from
  // delaying the others' connects.
  asio::thread_pool connect_pool{4};
  std::thread loop;
};

HttpProber::HttpProber(Connector connector) : impl_(std::make_unique<Impl>(std::move(connector))) {}

HttpProber::~HttpProber() = default;

Probe HttpProber::probe() {
  return [impl = impl_.get()](ProbeRequest request, ProbeDone done) {
    asio::co_spawn(impl->ioc,
                   probe_once(impl->connect_pool, impl->ioc, impl->connector, std::move(request)),
                   [done = std::move(done)](std::exception_ptr error, ProbeResult r) {
                     done(error ? ProbeResult{} : r);
                   });
  };
}

}  // namespace dataplane
