#pragma once
// Writes one Response on a connection: whole from Response::body, or from Response::body_file in
// chunks read with pread() (a blob is never held whole). Internal to http/: only server.cc
// includes it, so Beast stays out of the headers other folders include.

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>

#include "http/message.h"

namespace http {

// A HEAD reply gets the header only. `chunk_timeout` is the deadline of each chunk of a file body
// (the caller sets the stream's deadline for the rest). Errors land in `ec`.
boost::asio::awaitable<void> write_response(boost::beast::tcp_stream& stream, Response res,
                                            unsigned version, bool keep_alive, bool head,
                                            std::chrono::seconds chunk_timeout,
                                            boost::beast::error_code& ec);

}  // namespace http
