#include "dataplane/alb_http.h"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/rfc7230.hpp>
#include <cctype>
#include <chrono>
#include <random>

#include "core/hex.h"

namespace dataplane {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;

// The titles of ALB's error pages, where they differ from the standard reason phrases.
std::string page_title(int status) {
  switch (status) {
    case 413:
      return "413 Request Entity Too Large";
    case 503:
      return "503 Service Temporarily Unavailable";
    case 504:
      return "504 Gateway Time-out";
    default:
      return std::to_string(status) + " " +
             std::string(http::obsolete_reason(static_cast<http::status>(status)));
  }
}

bool has_token(std::string_view list, std::string_view token) {
  for (auto part : http::token_list{list}) {
    if (beast::iequals(part, token)) return true;
  }
  return false;
}

void append_version(std::string& out, unsigned version) {
  out += "HTTP/";
  out.push_back(static_cast<char>('0' + version / 10));
  out.push_back('.');
  out.push_back(static_cast<char>('0' + version % 10));
}

void append_fields(const http::fields& fields, std::string& out) {
  for (const auto& f : fields) {
    out += f.name_string();
    out += ": ";
    out += f.value();
    out += "\r\n";
  }
  out += "\r\n";
}

}  // namespace

uint64_t random64() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng();
}

std::string make_trace_id() {
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
  std::string out;
  out.reserve(40);
  out += "Root=1-";
  out += core::hex(static_cast<uint64_t>(secs), 8);
  out.push_back('-');
  out += core::hex(random64(), 8);
  out += core::hex(random64(), 16);
  return out;
}

http::response<http::string_body> alb_page(int status, unsigned version, bool keep_alive) {
  std::string title = page_title(status);
  http::response<http::string_body> res{static_cast<http::status>(status), version};
  res.set(http::field::server, "awselb/2.0");
  res.set(http::field::content_type, "text/html");
  res.body() = "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" +
               title + "</h1></center>\r\n</body>\r\n</html>\r\n";
  res.keep_alive(keep_alive);
  res.prepare_payload();
  return res;
}

bool is_websocket_upgrade(const http::request_header<>& req) {
  return req.version() >= 11 && has_token(req[http::field::connection], "upgrade") &&
         has_token(req[http::field::upgrade], "websocket");
}

void append_head(const http::request_header<>& req, const ForwardedHeaders& fwd, std::string& out) {
  out += req.method_string();
  out.push_back(' ');
  out += req.target();
  out.push_back(' ');
  append_version(out, req.version());
  out += "\r\n";
  for (const auto& f : req) {
    std::string_view name = f.name_string();
    if (!name.empty() && (name[0] == 'X' || name[0] == 'x') &&
        (beast::iequals(name, "X-Forwarded-For") || beast::iequals(name, "X-Forwarded-Proto") ||
         beast::iequals(name, "X-Forwarded-Port"))) {
      continue;
    }
    out += name;
    out += ": ";
    out += f.value();
    out += "\r\n";
  }
  out += "X-Forwarded-For: ";
  out += fwd.for_;
  out += "\r\nX-Forwarded-Proto: ";
  out += fwd.proto;
  out += "\r\nX-Forwarded-Port: ";
  out += fwd.port;
  out += "\r\n";
  if (!fwd.trace.empty()) {
    out += "X-Amzn-Trace-Id: ";
    out += fwd.trace;
    out += "\r\n";
  }
  out += "\r\n";
}

void set_forwarded(http::request_header<>& req, const ForwardedHeaders& fwd) {
  req.set("X-Forwarded-For", fwd.for_);
  req.set("X-Forwarded-Proto", fwd.proto);
  req.set("X-Forwarded-Port", fwd.port);
  if (!fwd.trace.empty()) req.set("X-Amzn-Trace-Id", fwd.trace);
}

void append_head(const http::response_header<>& res, std::string& out) {
  append_version(out, res.version());
  out.push_back(' ');
  out += std::to_string(res.result_int());
  out.push_back(' ');
  out += res.reason();
  out += "\r\n";
  append_fields(res, out);
}

AlbRequest request_view(const http::request_header<>& req, const std::string& client_ip) {
  AlbRequest view;
  view.method = std::string(req.method_string());
  view.host = std::string(req[http::field::host]);
  std::string_view request_target = req.target();
  size_t q = request_target.find('?');
  view.path = std::string(request_target.substr(0, q));
  view.query = q == std::string_view::npos ? "" : std::string(request_target.substr(q + 1));
  view.source_ip = client_ip;
  return view;
}

ForwardedHeaders forwarded_headers(const http::request_header<>& req,
                                   const std::string& client_ip,
                                   std::string_view listener_protocol, uint16_t port) {
  ForwardedHeaders fwd;
  std::string_view prior = req["X-Forwarded-For"];
  fwd.for_ = prior.empty() ? client_ip : std::string(prior) + ", " + client_ip;
  fwd.proto = listener_protocol.empty() ? "http" : std::string(listener_protocol);
  for (char& c : fwd.proto) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  fwd.port = std::to_string(port);
  if (req.find("X-Amzn-Trace-Id") == req.end()) fwd.trace = make_trace_id();
  return fwd;
}

}  // namespace dataplane
