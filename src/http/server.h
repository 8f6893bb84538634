#pragma once
// The HTTP/1.1 edge: Boost.Beast on Asio C++20 coroutines, one coroutine per connection.
// Keep-alive, chunked request bodies, Expect: 100-continue, a body limit answered with 413 (from
// Content-Length, before any of the body is read), a header limit answered with 431, deadlines for
// idle and slow clients, a connection limit, and TLS ClientHellos closed at once (clients such as
// skopeo then fall back to plain HTTP). Bodies a BodySinkFactory claims are streamed chunk by chunk
// instead; responses with Response::body_file are sent from the file in chunks. Beast and Asio
// stay inside server.cc.
//
// The handler runs on one of the I/O threads and must be thread-safe.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/message.h"

namespace http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 4566;                        // 0 picks a free port
  std::size_t body_limit = 64 * 1024 * 1024;   // larger bodies get 413
  std::size_t header_limit = 64 * 1024;        // larger headers get 431
  std::chrono::seconds idle_timeout{75};       // connection waiting for its next request
  // A request's whole head (request line and headers) must arrive within this from its first
  // byte: a client that trickles its headers (slowloris) is cut off, however often it sends.
  std::chrono::milliseconds header_timeout{20000};
  std::chrono::seconds read_timeout{60};       // a whole body, or a response, within this
  // Open connections at most; 0 picks default_connection_limit() of RLIMIT_NOFILE. At the limit
  // a new client takes the slot of the connection idle the longest, or waits in the listen
  // backlog while every connection is in the middle of a request.
  std::size_t max_connections = 0;
  int threads = 2;
};

using RequestHandler = std::function<void(Request&, Response&)>;
// Called once the headers of a request are read, before its body: a non-null sink makes the
// server stream the body into it (no body limit) instead of buffering it into Request::body.
// `head` has everything but the body. Runs on an I/O thread; must be thread-safe and quick.
using BodySinkFactory = std::function<std::shared_ptr<BodySink>(const Request& head)>;

class Server {
 public:
  Server(ServerOptions options, RequestHandler handler, BodySinkFactory stream_body = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens, and from then on catches SIGINT and SIGTERM (a signal that arrives before
  // run() makes run() shut down at once). Returns the bound port. Throws std::system_error on
  // failure.
  uint16_t listen();
  // Serves connections from a socket that already listens, made elsewhere (inside a network
  // namespace, say); the server owns `fd` from now on. Requests from it carry `label` in
  // Request::listener. Thread-safe; may be called before or while run() runs. Returns an id for
  // close_listener().
  uint64_t adopt_listener(int fd, std::string label);
  // Stops accepting on an adopted listener and closes it; open connections finish.
  void close_listener(uint64_t id);
  // Serves until stop() or SIGTERM/SIGINT; lets requests in flight finish (up to 5 s).
  void run();
  // Thread-safe; makes run() return.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace http
