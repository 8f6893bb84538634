#pragma once
// Plain HTTP request/response values that cross from the Beast connection into the planes.
// Deliberately free of Beast and Asio so that protocol and service code compiles fast.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

bool iequals(std::string_view a, std::string_view b);

struct Request {
  std::string method;   // "GET", "POST", ...
  std::string target;   // raw request-target: path and query, still percent-encoded
  HeaderList headers;   // in arrival order, names as sent
  std::string body;
  std::string remote_address;
  uint16_t local_port = 0;

  // First header with this name (case-insensitive), or empty.
  std::string_view header(std::string_view name) const;
  bool has_header(std::string_view name) const;
  std::string_view path() const;   // target up to '?'
  std::string_view query() const;  // after '?', without it; empty if none
};

struct Response {
  int status = 200;
  HeaderList headers;
  std::string body;

  void set_header(std::string name, std::string value);
  std::string_view header(std::string_view name) const;
};

}  // namespace http
