#include "dataplane/alb_upstream.h"

#include "dataplane/alb_tunnel.h"

namespace dataplane {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Ms = std::chrono::milliseconds;

// Which side of a body relay failed.
enum class RelayFailure { None, Source, Sink };

// Marks the buffer body of a message as ended (no more data).
void end_body(http::buffer_body::value_type& body) {
  body.data = nullptr;
  body.size = 0;
  body.more = false;
}

// Streams the body of the message `parser` reads from `from` through `sr` to `to`, one chunk of
// `bufs` at a time, until both are done. `ec` says why a side failed.
template <bool isRequest>
asio::awaitable<RelayFailure> relay_body(beast::tcp_stream& from, beast::flat_buffer& from_buffer,
                                         http::parser<isRequest, http::buffer_body>& parser,
                                         beast::tcp_stream& to,
                                         http::serializer<isRequest, http::buffer_body>& sr,
                                         ConnBuffers& bufs, Ms timeout, beast::error_code& ec) {
  auto& body = parser.get().body();
  do {
    if (!parser.is_done()) {
      body.data = bufs.chunk_data();
      body.size = kChunk;
      from.expires_after(timeout);
      co_await http::async_read(from, from_buffer, parser,
                                asio::redirect_error(asio::use_awaitable, ec));
      if (ec == http::error::need_buffer) ec = {};
      if constexpr (!isRequest) {
        if (ec == http::error::end_of_stream && parser.is_done()) ec = {};
      }
      if (ec) co_return RelayFailure::Source;
      body.size = kChunk - body.size;
      body.data = bufs.chunk_data();
      body.more = !parser.is_done();
    } else {
      end_body(body);
    }
    to.expires_after(timeout);
    co_await http::async_write(to, sr, asio::redirect_error(asio::use_awaitable, ec));
    if (ec == http::error::need_buffer) ec = {};
    if (ec) co_return RelayFailure::Sink;
  } while (!parser.is_done() && !sr.is_done());
  if (!sr.is_done()) {
    end_body(body);
    co_await http::async_write(to, sr, asio::redirect_error(asio::use_awaitable, ec));
    if (ec == http::error::need_buffer) ec = {};
    if (ec) co_return RelayFailure::Sink;
  }
  co_return RelayFailure::None;
}

}  // namespace

asio::awaitable<SendResult> send_request(beast::tcp_stream& client,
                                         beast::flat_buffer& client_buffer, RequestParser& parser,
                                         const ForwardedHeaders& fwd, Upstream& up,
                                         ConnBuffers& bufs, Ms timeout, beast::error_code& ec) {
  auto& req = parser.get();
  if (parser.is_done()) {
    // No body: the head in one write.
    bufs.head.clear();
    append_head(req, fwd, bufs.head);
    ec = co_await write_all(up.stream, asio::buffer(bufs.head), timeout);
    co_return ec ? SendResult::TargetFailed : SendResult::Sent;
  }
  http::request_serializer<http::buffer_body> sr{req};
  switch (co_await relay_body(client, client_buffer, parser, up.stream, sr, bufs, timeout, ec)) {
    case RelayFailure::Source:
      co_return SendResult::ClientGone;  // client went away mid-body
    case RelayFailure::Sink:
      co_return SendResult::TargetFailed;
    case RelayFailure::None:
      break;
  }
  co_return SendResult::Sent;
}

asio::awaitable<beast::error_code> read_response_head(Upstream& up,
                                                      std::optional<ResponseParser>& parsed,
                                                      bool head_request, Ms timeout) {
  beast::error_code ec;
  for (int interim = 0;; ++interim) {
    parsed.emplace();
    parsed->body_limit(boost::none);
    parsed->header_limit(64 * 1024);
    if (head_request) parsed->skip(true);
    up.stream.expires_after(timeout);
    co_await http::async_read_header(up.stream, up.buffer, *parsed,
                                     asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return ec;
    int code = parsed->get().result_int();
    if (code < 100 || code >= 200 || code == 101) co_return ec;
    if (interim == 8) {  // a target that only ever sends interim responses
      co_return http::error::bad_status;
    }
  }
}

ClientFraming frame_for_client(ResponseParser& rp, bool client_keep, unsigned version) {
  auto& res = rp.get();
  ClientFraming framing{res.keep_alive(), true};
  res.keep_alive(client_keep);
  res.version(version);
  if (!rp.is_done() && !rp.chunked() && !rp.content_length()) {
    framing.upstream_keep = false;
    if (version >= 11) {
      res.chunked(true);
    } else {
      res.keep_alive(false);
      framing.client_usable = false;
    }
  }
  return framing;
}

std::optional<uint64_t> buffered_body_length(ResponseParser& rp, const Upstream& up) {
  if (rp.is_done()) return 0;  // HEAD, 204, 304
  if (!rp.chunked() && rp.content_length() && *rp.content_length() <= up.buffer.size()) {
    return *rp.content_length();
  }
  return std::nullopt;
}

asio::awaitable<beast::error_code> relay_response_body(Upstream& up, ResponseParser& rp,
                                                       beast::tcp_stream& client, ConnBuffers& bufs,
                                                       Ms timeout) {
  http::response_serializer<http::buffer_body> rs{rp.get()};
  beast::error_code ec;
  // A target failing mid-body leaves nothing better than closing.
  co_await relay_body(up.stream, up.buffer, rp, client, rs, bufs, timeout, ec);
  co_return ec;
}

asio::awaitable<void> relay_upgrade(beast::tcp_stream& client, beast::flat_buffer& client_buffer,
                                    Upstream& up, ResponseParser& rp, unsigned version, Ms timeout,
                                    Ms idle) {
  auto& res = rp.get();
  res.version(version);
  end_body(res.body());
  http::response_serializer<http::buffer_body> rs{res};
  beast::error_code ec;
  client.expires_after(timeout);
  co_await http::async_write(client, rs, asio::redirect_error(asio::use_awaitable, ec));
  if (ec == http::error::need_buffer) ec = {};
  if (ec) co_return;
  client.expires_never();
  up.stream.expires_never();
  co_await relay_tunnel(client.socket(), client_buffer, up.stream.socket(), up.buffer, idle);
}

}  // namespace dataplane
