#pragma once
// HTTP pieces of the ALB proxy (alb_proxy.cc) that do not depend on its connection state: ALB's
// own error pages, X-Amzn-Trace-Id values, WebSocket upgrade detection, and writing message heads
// into one contiguous buffer (one send for head and body on the fast path). Internal to the data
// plane.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "dataplane/rule_matcher.h"

namespace dataplane {

// A fresh X-Amzn-Trace-Id: "Root=1-<8 hex epoch seconds>-<24 hex random>".
std::string make_trace_id();

// A random 64-bit number from a per-thread generator.
uint64_t random64();

// ALB's own page for `status`, with "Server: awselb/2.0" and its HTML body:
// "<html><head><title>502 Bad Gateway</title></head>...".
boost::beast::http::response<boost::beast::http::string_body> alb_page(int status, unsigned version,
                                                                       bool keep_alive);

// "Connection: Upgrade" with "Upgrade: websocket" on HTTP/1.1.
bool is_websocket_upgrade(const boost::beast::http::request_header<>& req);

// The headers ALB adds to a forwarded request.
struct ForwardedHeaders {
  std::string for_;   // X-Forwarded-For: the client's list plus the client address
  std::string proto;  // X-Forwarded-Proto: "http"
  std::string port;   // X-Forwarded-Port: the listener port
  std::string trace;  // X-Amzn-Trace-Id to add; "" when the request carries one already
};

// What the rule matcher sees of a request: method, Host, path, query and source address (headers
// are added by the caller only when a rule needs them).
AlbRequest request_view(const boost::beast::http::request_header<>& req,
                        const std::string& client_ip);

// The headers ALB adds for a request from `client_ip` to a listener of `listener_protocol`
// ("HTTP", "HTTPS"; empty reads as HTTP) on `port`.
ForwardedHeaders forwarded_headers(const boost::beast::http::request_header<>& req,
                                   const std::string& client_ip,
                                   std::string_view listener_protocol, uint16_t port);

// Appends "<method> <target> HTTP/x.y\r\n", every field and the blank line to `out`, exactly as
// Beast's serializer writes them, with the request's own X-Forwarded-For/-Proto/-Port replaced by
// `fwd`'s.
void append_head(const boost::beast::http::request_header<>& req, const ForwardedHeaders& fwd,
                 std::string& out);
// Sets `fwd` on the message instead (for Beast's serializer, when a body streams).
void set_forwarded(boost::beast::http::request_header<>& req, const ForwardedHeaders& fwd);
// Appends "HTTP/x.y <code> <reason>\r\n", every field and the blank line to `out`.
void append_head(const boost::beast::http::response_header<>& res, std::string& out);

}  // namespace dataplane
