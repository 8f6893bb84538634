#pragma once
// One exchange with a target, for the ALB proxy (alb_proxy.cc): writing the request (its head in
// one write when it has no body, else streamed from the client as it arrives), reading the
// response head past interim responses, adapting that head for the client and streaming the
// response body back. Bodies pass through one reusable chunk per client connection and are never
// buffered whole. Internal to the data plane; everything runs on the calling worker's event loop.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "dataplane/alb_http.h"

namespace dataplane {

inline constexpr size_t kChunk = 16 * 1024;

// Buffers of one client connection, reused by its requests.
struct ConnBuffers {
  std::string head;               // a serialized message head (fast path)
  std::unique_ptr<char[]> chunk;  // body relay (streaming path), allocated on first use
  char* chunk_data() {
    if (!chunk) chunk.reset(new char[kChunk]);
    return chunk.get();
  }
};

// A connection to a target with what was read from it past the current message.
struct Upstream {
  explicit Upstream(boost::asio::ip::tcp::socket s) : stream(std::move(s)) {}
  boost::beast::tcp_stream stream;
  boost::beast::flat_buffer buffer;
};

using RequestParser = boost::beast::http::request_parser<boost::beast::http::buffer_body>;
using ResponseParser = boost::beast::http::response_parser<boost::beast::http::buffer_body>;

// Writes `buffers` whole. It first tries straight away on the (non-blocking) socket: a socket
// almost always takes a small message at once, which then costs no timer. Whatever the kernel did
// not take is written asynchronously within `timeout`.
template <class Buffers>
boost::asio::awaitable<boost::beast::error_code> write_all(boost::beast::tcp_stream& stream,
                                                           const Buffers& buffers,
                                                           std::chrono::milliseconds timeout) {
  namespace asio = boost::asio;
  boost::beast::error_code ec;
  size_t total = asio::buffer_size(buffers);
  size_t n = stream.socket().write_some(buffers, ec);
  if (ec == asio::error::would_block || ec == asio::error::try_again) {
    ec = {};
    n = 0;
  }
  if (ec || n == total) co_return ec;
  boost::beast::buffers_suffix<Buffers> rest(buffers);
  rest.consume(n);
  stream.expires_after(timeout);
  co_await asio::async_write(stream, rest, asio::redirect_error(asio::use_awaitable, ec));
  co_return ec;
}

// How writing a request to a target ended.
enum class SendResult { Sent, ClientGone, TargetFailed };

// Writes the request `parser` read (its head so far) to `up`, with `fwd`'s headers: the head alone
// in one write when the request has no body, else head and body streamed from `client` as it
// arrives (the caller set `fwd` on the message then). `ec` says why the target failed.
boost::asio::awaitable<SendResult> send_request(boost::beast::tcp_stream& client,
                                                boost::beast::flat_buffer& client_buffer,
                                                RequestParser& parser, const ForwardedHeaders& fwd,
                                                Upstream& up, ConnBuffers& bufs,
                                                std::chrono::milliseconds timeout,
                                                boost::beast::error_code& ec);

// Reads the target's response head into `parsed` (a HEAD request's response has no body).
// Interim responses (100 Continue, 103 Early Hints) are dropped: the proxy answered Expect itself,
// and relaying one as final would leave the real response unread on a pooled connection.
boost::asio::awaitable<boost::beast::error_code> read_response_head(
    Upstream& up, std::optional<ResponseParser>& parsed, bool head_request,
    std::chrono::milliseconds timeout);

// How a response head was adapted for the client.
struct ClientFraming {
  bool upstream_keep;  // the target connection may carry another request
  bool client_usable;  // the client connection may carry another request
};

// Sets the client's keep-alive and HTTP version on the response head. A body that the target ends
// by closing (no length, not chunked; busybox httpd's error pages and CGI output) goes chunked
// toward an HTTP/1.1 client and close-delimited toward 1.0.
ClientFraming frame_for_client(ResponseParser& rp, bool client_keep, unsigned version);

// The body length when the whole body (or none: HEAD, 204, 304) is already in `up.buffer`, so that
// head and body go out in one write; nullopt when the body must be streamed.
std::optional<uint64_t> buffered_body_length(ResponseParser& rp, const Upstream& up);

// Streams the response body from `up` to `client` (the head first). An error when either side
// failed; the client connection is then unusable.
boost::asio::awaitable<boost::beast::error_code> relay_response_body(
    Upstream& up, ResponseParser& rp, boost::beast::tcp_stream& client, ConnBuffers& bufs,
    std::chrono::milliseconds timeout);

// WebSocket: passes the target's 101 on to the client unchanged (but for its version), then relays
// bytes until either side closes or nothing moved for `idle`.
boost::asio::awaitable<void> relay_upgrade(boost::beast::tcp_stream& client,
                                           boost::beast::flat_buffer& client_buffer, Upstream& up,
                                           ResponseParser& rp, unsigned version,
                                           std::chrono::milliseconds timeout,
                                           std::chrono::milliseconds idle);

}  // namespace dataplane
