#include "protocol/content_encoding.h"

#include <zlib.h>

#include <cctype>
#include <memory>

namespace protocol {

bool gzip_encoded(std::string_view header) {
  size_t start = 0;
  while (start <= header.size()) {
    size_t comma = header.find(',', start);
    std::string_view token = header.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.front()))) {
      token.remove_prefix(1);
    }
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) {
      token.remove_suffix(1);
    }
    if (token.size() == 4 && std::tolower(static_cast<unsigned char>(token[0])) == 'g' &&
        token.substr(1) == "zip") {
      return true;
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return false;
}

std::optional<std::string> gunzip(std::string_view body, std::size_t max_bytes) {
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {  // 16: expect a gzip header and trailer
    return std::nullopt;
  }
  std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&z, inflateEnd);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  z.avail_in = static_cast<uInt>(body.size());
  std::string out;
  char buf[64 * 1024];
  for (;;) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    int rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      return std::nullopt;
    }
    out.append(buf, sizeof buf - z.avail_out);
    if (out.size() > max_bytes) {
      return std::nullopt;
    }
    if (rc == Z_STREAM_END) {
      return out;
    }
    if (z.avail_in == 0 && z.avail_out != 0) {
      return std::nullopt;  // truncated
    }
  }
}

}  // namespace protocol
