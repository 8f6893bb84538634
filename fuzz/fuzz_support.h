#pragma once
// What the fuzz targets share: turning fuzzer bytes into an http::Request the way the server's
// connection hands one to a plane (method, raw target, headers in arrival order, body).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/message.h"

namespace fuzz {

inline std::string_view as_view(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Splits off the next line (without "\r\n" or "\n"); `rest` keeps what follows.
inline std::string_view next_line(std::string_view& rest) {
  size_t nl = rest.find('\n');
  std::string_view line = rest.substr(0, nl);
  rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// A lenient HTTP/1.1 message: "METHOD TARGET [VERSION]", "Name: value" lines, a blank line, then
// the body (everything left, Content-Length is not consulted). Lines without ':' are skipped, as
// Beast would have rejected them before a plane saw the request.
inline http::Request parse_raw_request(std::string_view bytes) {
  http::Request req;
  std::string_view start = next_line(bytes);
  size_t sp = start.find(' ');
  req.method = std::string(start.substr(0, sp));
  if (sp != std::string_view::npos) {
    std::string_view target = start.substr(sp + 1);
    req.target = std::string(target.substr(0, target.find(' ')));
  }
  while (!bytes.empty()) {
    std::string_view line = next_line(bytes);
    if (line.empty()) break;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    req.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  req.body = std::string(bytes);
  req.remote_address = "203.0.113.9";
  return req;
}

}  // namespace fuzz
