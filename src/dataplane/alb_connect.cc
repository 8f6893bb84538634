#include "dataplane/alb_connect.h"

#include <unistd.h>

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <utility>

namespace dataplane {

namespace asio = boost::asio;
using Ms = std::chrono::milliseconds;

// The worker waits on a timer that the connect thread cancels (through a post to the worker, so
// that `Pending` is only touched on the worker's thread) when the Connector returned.
asio::awaitable<int> connect_off_loop(asio::thread_pool& pool, asio::io_context& ioc,
                                      const Connector& connector, std::string lb_arn,
                                      std::string ip, uint16_t port, Ms timeout, bool& timed_out) {
  struct Pending {
    asio::steady_timer* timer = nullptr;  // worker thread only; null once the waiter resumed
    int fd = -1;
    bool done = false;
  };
  struct FdGuard {
    int fd;
    explicit FdGuard(int f) : fd(f) {}  // make_shared needs it: clang 14 has no paren aggregate init
    ~FdGuard() {
      if (fd >= 0) ::close(fd);
    }
  };
  auto pending = std::make_shared<Pending>();
  asio::steady_timer timer(ioc, timeout);
  pending->timer = &timer;
  auto started = std::chrono::steady_clock::now();
  asio::post(pool, [&ioc, &connector, pending, lb_arn, ip, port, timeout] {
    int fd = -1;
    try {
      fd = connector(lb_arn, ip, port, timeout);
    } catch (...) {
      fd = -1;  // a Connector that throws counts as refused
    }
    asio::post(ioc, [pending, guard = std::make_shared<FdGuard>(fd)] {
      if (pending->timer == nullptr) return;  // the request gave up already
      pending->fd = std::exchange(guard->fd, -1);
      pending->done = true;
      pending->timer->cancel();
    });
  });
  boost::system::error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  pending->timer = nullptr;
  // A Connector that gives up by itself at the deadline also timed out.
  timed_out = !pending->done ||
              (pending->fd < 0 && std::chrono::steady_clock::now() - started >= timeout - Ms(50));
  co_return pending->done ? pending->fd : -1;
}

}  // namespace dataplane
