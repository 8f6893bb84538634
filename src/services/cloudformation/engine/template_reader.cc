#include "services/cloudformation/engine/template_reader.h"

#include <boost/json/stream_parser.hpp>
#include <string>

#include "services/cloudformation/engine/errors.h"

namespace services::cloudformation::engine {
namespace {

// 1-based line and column of byte `offset` in `text`.
std::string position(std::string_view text, size_t offset) {
  size_t line = 1;
  size_t column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "(line " + std::to_string(line) + ", column " + std::to_string(column) + ")";
}

boost::json::object read_json_template(std::string_view body) {
  boost::json::stream_parser parser;
  boost::system::error_code ec;
  size_t used = parser.write_some(body.data(), body.size(), ec);
  if (!ec && used < body.size()) {
    ec = boost::json::error::extra_data;  // a second document after the first
  }
  if (!ec) {
    parser.finish(ec);
  }
  if (ec) {
    format_error("JSON not well-formed. " + position(body, used));
  }
  boost::json::value doc = parser.release();
  if (!doc.is_object()) {
    format_error("unsupported structure.");
  }
  return std::move(doc.as_object());
}

}  // namespace

protocol::Result<boost::json::object> read_template(std::string_view body) {
  try {
    size_t first = body.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && body[first] == '{') {
      return read_json_template(body);
    }
    return read_yaml_template(body);
  } catch (const protocol::AwsError& e) {
    return e;
  }
}

}  // namespace services::cloudformation::engine
