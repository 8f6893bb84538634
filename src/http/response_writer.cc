#include "http/response_writer.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <cstring>
#include <vector>

#include <unistd.h>

#include "core/log.h"
#include "core/time_format.h"

namespace http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::awaitable;
using asio::use_awaitable;

constexpr std::size_t kStreamChunk = 256 * 1024;

// The handler's headers, and a Date header unless it set one. `skip_length` leaves out a
// Content-Length the caller sets itself.
template <class Body>
void copy_headers(const Response& res, bhttp::response<Body>& out, bool skip_length) {
  bool has_date = false;
  for (const auto& [k, v] : res.headers) {
    if (iequals(k, "Date")) has_date = true;
    if (skip_length && iequals(k, "Content-Length")) continue;
    out.insert(k, v);
  }
  if (!has_date) {
    out.set(bhttp::field::date, core::format_http_date(
                                    std::chrono::time_point_cast<core::Duration>(
                                        std::chrono::system_clock::now())));
  }
}

bhttp::response<bhttp::string_body> to_beast(Response& res, unsigned version, bool keep_alive,
                                              bool head) {
  bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), version};
  copy_headers(res, out, false);
  out.keep_alive(keep_alive);
  std::size_t length = res.body.size();
  if (head) {
    // A HEAD reply carries the length of the body it would have sent, unless the handler said.
    if (res.header("Content-Length").empty()) {
      out.content_length(length);
    }
  } else {
    out.body() = std::move(res.body);
    out.prepare_payload();
  }
  return out;
}

// The header, then the file region in chunks read with pread(): a blob is never held whole.
awaitable<void> write_file(beast::tcp_stream& stream, Response res, unsigned version,
                           bool keep_alive, bool head, std::chrono::seconds chunk_timeout,
                           beast::error_code& ec) {
  std::shared_ptr<FileSlice> file = std::move(res.body_file);
  res.body.clear();
  bhttp::response<bhttp::empty_body> out{static_cast<bhttp::status>(res.status), version};
  copy_headers(res, out, true);
  out.keep_alive(keep_alive);
  out.content_length(file->length);
  bhttp::response_serializer<bhttp::empty_body> sr{out};
  co_await bhttp::async_write_header(stream, sr, asio::redirect_error(use_awaitable, ec));
  if (ec || head) co_return;
  std::vector<char> chunk(kStreamChunk);
  uint64_t sent = 0;
  while (sent < file->length) {
    std::size_t want = static_cast<std::size_t>(std::min<uint64_t>(chunk.size(),
                                                                    file->length - sent));
    ssize_t n = ::pread(file->fd, chunk.data(), want, static_cast<off_t>(file->offset + sent));
    if (n <= 0) {
      // The length was promised in the header; all we can do is cut the connection.
      core::log::error("file body read failed", {{"error", n < 0 ? strerror(errno) : "eof"}});
      ec = asio::error::broken_pipe;
      co_return;
    }
    stream.expires_after(chunk_timeout);
    co_await asio::async_write(stream, asio::buffer(chunk.data(), static_cast<std::size_t>(n)),
                               asio::redirect_error(use_awaitable, ec));
    if (ec) co_return;
    sent += static_cast<uint64_t>(n);
  }
}

}  // namespace

awaitable<void> write_response(beast::tcp_stream& stream, Response res, unsigned version,
                               bool keep_alive, bool head, std::chrono::seconds chunk_timeout,
                               beast::error_code& ec) {
  if (res.body_file) {
    co_await write_file(stream, std::move(res), version, keep_alive, head, chunk_timeout, ec);
    co_return;
  }
  auto out = to_beast(res, version, keep_alive, head);
  if (head) {
    bhttp::response_serializer<bhttp::string_body> sr{out};
    sr.split(true);
    co_await bhttp::async_write_header(stream, sr, asio::redirect_error(use_awaitable, ec));
  } else {
    co_await bhttp::async_write(stream, out, asio::redirect_error(use_awaitable, ec));
  }
}

}  // namespace http
