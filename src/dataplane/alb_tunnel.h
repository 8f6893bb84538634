#pragma once
// The byte relay behind an upgraded HTTP connection (WebSocket): once the target answered 101
// Switching Protocols, ALB stops parsing and copies bytes both ways until either side closes or
// no byte has moved in either direction for the load balancer's idle timeout. Internal to the
// data plane (alb_proxy.cc); runs on the calling worker's event loop.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>

namespace dataplane {

// Sends `client_pending` (bytes the client sent past its request headers) to the target and
// `target_pending` to the client, then relays in both directions. Returns when either side
// closes or fails, or after `idle_timeout` without traffic; the caller closes both sockets.
boost::asio::awaitable<void> relay_tunnel(boost::asio::ip::tcp::socket& client,
                                          boost::beast::flat_buffer& client_pending,
                                          boost::asio::ip::tcp::socket& target,
                                          boost::beast::flat_buffer& target_pending,
                                          std::chrono::milliseconds idle_timeout);

}  // namespace dataplane
