#pragma once
// Plain HTTP request/response values that cross from the Beast connection into the planes.
// Deliberately free of Beast and Asio so that protocol and service code compiles fast.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Receives a request body chunk by chunk as it arrives, for planes that stream large bodies (an
// image layer) instead of buffering them. Created by the plane before the body is read (see
// module::Plane::stream_body), called on one I/O thread at a time, then handed to the plane's
// handle() in Request::body_sink.
class BodySink {
 public:
  virtual ~BodySink() = default;
  // One chunk, in order. Returning false stops reading: handle() still runs and its response is
  // sent, then the connection closes (the rest of the body was never read).
  virtual bool write(std::string_view chunk) = 0;
  // After the last chunk, when the whole body arrived. Not called if write() returned false or
  // the client went away.
  virtual void finish() {}
};

// An open file region sent as a response body without loading it into memory. Owns `fd` and
// closes it on destruction.
struct FileSlice {
  int fd = -1;
  uint64_t offset = 0;
  uint64_t length = 0;
  FileSlice(int f, uint64_t off, uint64_t len) : fd(f), offset(off), length(len) {}
  FileSlice(const FileSlice&) = delete;
  FileSlice& operator=(const FileSlice&) = delete;
  ~FileSlice();
};

bool iequals(std::string_view a, std::string_view b);

struct Request {
  std::string method;   // "GET", "POST", ...
  std::string target;   // raw request-target: path and query, still percent-encoded
  HeaderList headers;   // in arrival order, names as sent
  std::string body;                     // empty when the body went to body_sink
  std::shared_ptr<BodySink> body_sink;  // set when the plane streamed the body
  std::string remote_address;
  std::string local_address;
  uint16_t local_port = 0;
  // The label of the listener that accepted the connection: empty for the main one, as given to
  // Server::adopt_listener() for the others (a VPC namespace's address, say).
  std::string listener;

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
  // When set, sent instead of `body`: Content-Length is body_file->length (for HEAD too). The
  // handler sets 206 and Content-Range itself for a Range request.
  std::shared_ptr<FileSlice> body_file;

  void set_header(std::string name, std::string value);
  std::string_view header(std::string_view name) const;
};

}  // namespace http
