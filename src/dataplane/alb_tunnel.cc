#include "dataplane/alb_tunnel.h"

#include <array>
#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>

namespace dataplane {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using SteadyTime = std::chrono::steady_clock::time_point;

// Copies from one socket to the other until a read or write fails (EOF included) or the
// relay is cancelled because the other direction or the idle watchdog finished first.
asio::awaitable<void> pump(tcp::socket& from, tcp::socket& to, SteadyTime& last_activity) {
  std::array<char, 16 * 1024> buf;
  boost::system::error_code ec;
  for (;;) {
    size_t n = co_await from.async_read_some(asio::buffer(buf),
                                             asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    last_activity = std::chrono::steady_clock::now();
    co_await asio::async_write(to, asio::buffer(buf.data(), n),
                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    last_activity = std::chrono::steady_clock::now();
  }
}

// Returns once `idle` has passed since the last byte moved, or when cancelled.
asio::awaitable<void> idle_watchdog(const SteadyTime& last_activity,
                                    std::chrono::milliseconds idle) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    SteadyTime deadline = last_activity + idle;
    if (std::chrono::steady_clock::now() >= deadline) co_return;
    timer.expires_at(deadline);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;  // cancelled: a direction ended first
  }
}

}  // namespace

asio::awaitable<void> relay_tunnel(tcp::socket& client, boost::beast::flat_buffer& client_pending,
                                   tcp::socket& target, boost::beast::flat_buffer& target_pending,
                                   std::chrono::milliseconds idle_timeout) {
  using namespace asio::experimental::awaitable_operators;
  boost::system::error_code ec;
  if (client_pending.size() > 0) {
    co_await asio::async_write(target, client_pending.data(),
                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    client_pending.consume(client_pending.size());
  }
  if (target_pending.size() > 0) {
    co_await asio::async_write(client, target_pending.data(),
                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    target_pending.consume(target_pending.size());
  }
  SteadyTime last_activity = std::chrono::steady_clock::now();
  try {
    co_await (pump(client, target, last_activity) || pump(target, client, last_activity) ||
              idle_watchdog(last_activity, idle_timeout));
  } catch (const boost::system::system_error&) {
    // A cancelled branch may surface its cancellation; the tunnel is over either way.
  }
}

}  // namespace dataplane
