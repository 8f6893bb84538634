#include "protocol/rest_scalar.h"

#include <openssl/evp.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>

#include "core/clock.h"
#include "core/time_format.h"
#include "http/message.h"

namespace protocol::rest {
namespace {

namespace json = boost::json;

std::optional<int64_t> parse_int(std::string_view text) {
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
  }
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
    return std::nullopt;
  }
  return v;
}

std::optional<double> parse_double(std::string_view text) {
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "Infinity") return std::numeric_limits<double>::infinity();
  if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
  }
  double v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
    return std::nullopt;
  }
  return v;
}

bool is_integral(ShapeType t) {
  return t == ShapeType::Integer || t == ShapeType::Long || t == ShapeType::BigInteger;
}
bool is_floating(ShapeType t) {
  return t == ShapeType::Float || t == ShapeType::Double || t == ShapeType::BigDecimal;
}

}  // namespace

std::string_view timestamp_format_for(const ServiceModel& model, const MemberDef& member,
                                      std::string_view fallback) {
  if (!member.timestamp_format.empty()) return member.timestamp_format;
  if (member.shape != kNoShape && member.shape < model.shapes.size()) {
    std::string_view f = model.shape(member.shape).timestamp_format;
    if (!f.empty()) return f;
  }
  return fallback;
}

const ShapeDef* shape_of(const ServiceModel& model, const MemberDef& member) {
  if (member.shape == kNoShape || member.shape >= model.shapes.size()) return nullptr;
  return &model.shape(member.shape);
}

bool is_scalar(const ShapeDef& shape) {
  switch (shape.type) {
    case ShapeType::Structure:
    case ShapeType::List:
    case ShapeType::Map:
    case ShapeType::Document:
    case ShapeType::Union:
      return false;
    default:
      return true;
  }
}

std::optional<json::value> scalar_from_text(const ShapeDef& shape, std::string_view text,
                                            bool blob_base64) {
  if (is_integral(shape.type)) {
    std::optional<int64_t> v = parse_int(text);
    if (!v) return std::nullopt;
    return json::value(*v);
  }
  if (is_floating(shape.type)) {
    std::optional<double> v = parse_double(text);
    if (!v) return std::nullopt;
    return json::value(*v);
  }
  switch (shape.type) {
    case ShapeType::Boolean:
      // botocore writes str(bool).lower(); accept any case as AWS front ends do.
      if (http::iequals(text, "true")) return json::value(true);
      if (http::iequals(text, "false")) return json::value(false);
      return std::nullopt;
    case ShapeType::Timestamp: {
      std::optional<core::TimePoint> t = core::parse_timestamp(text);
      if (!t) return std::nullopt;
      return json::value(core::to_epoch_seconds(*t));
    }
    case ShapeType::Blob: {
      if (!blob_base64) return json::value(json::string(text));
      std::optional<std::string> raw = base64_decode(text);
      if (!raw) return std::nullopt;
      return json::value(json::string(*raw));
    }
    default:
      return json::value(json::string(text));
  }
}

std::optional<double> document_epoch_seconds(const json::value& doc) {
  if (doc.is_double()) return doc.get_double();
  if (doc.is_int64()) return static_cast<double>(doc.get_int64());
  if (doc.is_uint64()) return static_cast<double>(doc.get_uint64());
  return std::nullopt;
}

std::string format_timestamp(double epoch_seconds, std::string_view format) {
  if (!std::isfinite(epoch_seconds)) epoch_seconds = 0;
  // Document timestamps are doubles; round to the millisecond AWS keeps so that 0.123 does not
  // print as .122.
  auto ms = static_cast<int64_t>(std::llround(epoch_seconds * 1000.0));
  core::TimePoint t = core::from_epoch_millis(ms);
  if (format == kRfc822) return core::format_http_date(t);
  if (format == kUnixTimestamp) {
    if (ms % 1000 == 0) return std::to_string(ms / 1000);
    return format_double(static_cast<double>(ms) / 1000.0);
  }
  return core::format_iso8601(t);
}

std::string format_double(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, ec == std::errc() ? ptr : buf);
}

std::optional<std::string> scalar_to_text(const ShapeDef& shape, const json::value& doc,
                                          std::string_view timestamp_format, bool blob_base64) {
  if (is_integral(shape.type)) {
    if (doc.is_int64()) return std::to_string(doc.get_int64());
    if (doc.is_uint64()) return std::to_string(doc.get_uint64());
    if (doc.is_double() && std::isfinite(doc.get_double()) &&
        std::trunc(doc.get_double()) == doc.get_double() && std::fabs(doc.get_double()) < 9.2e18) {
      return std::to_string(static_cast<int64_t>(doc.get_double()));
    }
    return std::nullopt;
  }
  if (is_floating(shape.type)) {
    if (doc.is_double()) return format_double(doc.get_double());
    if (doc.is_int64()) return std::to_string(doc.get_int64());
    if (doc.is_uint64()) return std::to_string(doc.get_uint64());
    return std::nullopt;
  }
  switch (shape.type) {
    case ShapeType::Boolean:
      if (!doc.is_bool()) return std::nullopt;
      return std::string(doc.get_bool() ? "true" : "false");
    case ShapeType::Timestamp: {
      std::optional<double> secs = document_epoch_seconds(doc);
      if (!secs) return std::nullopt;
      return format_timestamp(*secs, timestamp_format);
    }
    case ShapeType::Blob:
      if (!doc.is_string()) return std::nullopt;
      if (blob_base64) return base64_encode(doc.get_string());
      return std::string(doc.get_string());
    default:
      if (!doc.is_string()) return std::nullopt;
      return std::string(doc.get_string());
  }
}



}  // namespace protocol::rest
