#include "protocol/rest_body_json.h"

#include <boost/json/parse.hpp>
#include <cmath>
#include <limits>

#include "core/time_format.h"
#include "protocol/rest_scalar.h"

namespace protocol::rest {
namespace {

namespace json = boost::json;

BindError malformed(std::string m) { return {BindError::Kind::Malformed, std::move(m)}; }

BindError wrong_type(const ShapeDef& shape) {
  return malformed("Unexpected JSON value for " + std::string(shape.name));
}

std::optional<int64_t> json_int(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    return static_cast<int64_t>(v.get_uint64());
  }
  if (v.is_double()) {
    double d = v.get_double();
    if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) < 9.2e18) {
      return static_cast<int64_t>(d);
    }
  }
  return std::nullopt;
}

std::optional<double> json_double(const json::value& v) {
  if (v.is_double()) return v.get_double();
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  if (v.is_string()) {
    std::string_view s = v.get_string();
    if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (s == "Infinity") return std::numeric_limits<double>::infinity();
    if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
  }
  return std::nullopt;
}

}  // namespace

BindResult<json::value> parse_json_body(std::string_view body) {
  json::parse_options opts;
  opts.max_depth = kMaxDepth;
  json::error_code ec;
  json::value v = json::parse(body, ec, {}, opts);
  if (ec) return malformed("Malformed JSON body: " + ec.message());
  return v;
}

namespace {

// json_to_document for a structure or union: members by wire name (body members only at the top
// level), nulls left out.
BindResult<json::value> structure_to_document(const ServiceModel& model, const ShapeDef& shape,
                                              const json::value& wire, bool top_level, int depth) {
  if (!wire.is_object()) return wrong_type(shape);
  json::object out;
  for (const MemberDef& m : model.members_of(shape)) {
    if (top_level && m.location != Location::Body) continue;
    const ShapeDef* ms = shape_of(model, m);
    auto it = wire.get_object().find(wire_name(m));
    if (ms == nullptr || it == wire.get_object().end() || it->value().is_null()) continue;
    BindResult<json::value> v = json_to_document(model, *ms, it->value(), false, depth + 1);
    if (!v) return v.error();
    out[m.name] = std::move(*v);
  }
  return json::value(std::move(out));
}

// json_to_document for a list or map, null items left out.
BindResult<json::value> container_to_document(const ServiceModel& model, const ShapeDef& shape,
                                              const json::value& wire, int depth) {
  if (shape.type == ShapeType::List) {
    if (!wire.is_array()) return wrong_type(shape);
    const ShapeDef* item = shape_of(model, model.members_of(shape)[0]);
    json::array out;
    for (const json::value& w : wire.get_array()) {
      if (w.is_null() || item == nullptr) continue;
      BindResult<json::value> v = json_to_document(model, *item, w, false, depth + 1);
      if (!v) return v.error();
      out.push_back(std::move(*v));
    }
    return json::value(std::move(out));
  }
  if (!wire.is_object()) return wrong_type(shape);
  const ShapeDef* value = shape_of(model, model.members_of(shape)[1]);
  json::object out;
  for (const auto& kv : wire.get_object()) {
    if (kv.value().is_null() || value == nullptr) continue;
    BindResult<json::value> v = json_to_document(model, *value, kv.value(), false, depth + 1);
    if (!v) return v.error();
    out[kv.key()] = std::move(*v);
  }
  return json::value(std::move(out));
}

// json_to_document for a timestamp: a date string or epoch seconds.
BindResult<json::value> timestamp_to_document(const ShapeDef& shape, const json::value& wire) {
  if (wire.is_string()) {
    std::optional<core::TimePoint> t = core::parse_timestamp(wire.get_string());
    if (!t) return malformed("Unreadable timestamp for " + std::string(shape.name));
    return json::value(core::to_epoch_seconds(*t));
  }
  std::optional<double> v = json_double(wire);
  if (!v || !std::isfinite(*v)) return wrong_type(shape);
  return json::value(*v);
}

}  // namespace

BindResult<json::value> json_to_document(const ServiceModel& model, const ShapeDef& shape,
                                         const json::value& wire, bool top_level, int depth) {
  if (depth > kMaxDepth) return malformed("JSON body nests too deeply");
  switch (shape.type) {
    case ShapeType::Structure:
    case ShapeType::Union:
      return structure_to_document(model, shape, wire, top_level, depth);
    case ShapeType::List:
    case ShapeType::Map:
      return container_to_document(model, shape, wire, depth);
    case ShapeType::Document:
      return wire;
    case ShapeType::String:
      if (!wire.is_string()) return wrong_type(shape);
      return wire;
    case ShapeType::Boolean:
      if (!wire.is_bool()) return wrong_type(shape);
      return wire;
    case ShapeType::Integer:
    case ShapeType::Long:
    case ShapeType::BigInteger: {
      std::optional<int64_t> v = json_int(wire);
      if (!v) return wrong_type(shape);
      return json::value(*v);
    }
    case ShapeType::Float:
    case ShapeType::Double:
    case ShapeType::BigDecimal: {
      std::optional<double> v = json_double(wire);
      if (!v) return wrong_type(shape);
      return json::value(*v);
    }
    case ShapeType::Timestamp:
      return timestamp_to_document(shape, wire);
    case ShapeType::Blob: {
      if (!wire.is_string()) return wrong_type(shape);
      std::optional<std::string> raw = base64_decode(wire.get_string());
      if (!raw) return malformed("Invalid base64 for " + std::string(shape.name));
      return json::value(json::string(*raw));
    }
  }
  return wrong_type(shape);
}

namespace {

// document_to_json for a structure or union: members under their wire names (body members only at
// the top level), each timestamp in its member's format.
std::optional<json::value> structure_to_json(const ServiceModel& model, const ShapeDef& shape,
                                             const json::value& doc, bool top_level, int depth) {
  if (!doc.is_object()) return std::nullopt;
  json::object out;
  for (const MemberDef& m : model.members_of(shape)) {
    if (top_level && m.location != Location::Body) continue;
    const ShapeDef* ms = shape_of(model, m);
    auto it = doc.get_object().find(m.name);
    if (ms == nullptr || it == doc.get_object().end() || it->value().is_null()) continue;
    std::optional<json::value> v = document_to_json(
        model, *ms, it->value(), false, timestamp_format_for(model, m, kUnixTimestamp), depth + 1);
    if (v) out[wire_name(m)] = std::move(*v);
  }
  return json::value(std::move(out));
}

// document_to_json for a list or map; items that do not convert are left out.
std::optional<json::value> container_to_json(const ServiceModel& model, const ShapeDef& shape,
                                             const json::value& doc, int depth) {
  if (shape.type == ShapeType::List) {
    if (!doc.is_array()) return std::nullopt;
    const MemberDef& item = model.members_of(shape)[0];
    const ShapeDef* is = shape_of(model, item);
    json::array out;
    for (const json::value& d : doc.get_array()) {
      if (is == nullptr) break;
      std::optional<json::value> v = document_to_json(
          model, *is, d, false, timestamp_format_for(model, item, kUnixTimestamp), depth + 1);
      if (v) out.push_back(std::move(*v));
    }
    return json::value(std::move(out));
  }
  if (!doc.is_object()) return std::nullopt;
  const MemberDef& value = model.members_of(shape)[1];
  const ShapeDef* vs = shape_of(model, value);
  json::object out;
  for (const auto& kv : doc.get_object()) {
    if (vs == nullptr) break;
    std::optional<json::value> v =
        document_to_json(model, *vs, kv.value(), false,
                         timestamp_format_for(model, value, kUnixTimestamp), depth + 1);
    if (v) out[kv.key()] = std::move(*v);
  }
  return json::value(std::move(out));
}

// document_to_json for a timestamp in `format`: a date string, else epoch seconds (an integer
// when whole).
std::optional<json::value> timestamp_to_json(const json::value& doc, std::string_view format) {
  std::optional<double> secs = document_epoch_seconds(doc);
  if (!secs) return std::nullopt;
  if (format == kIso8601 || format == kRfc822) {
    return json::value(format_timestamp(*secs, format));
  }
  double ms = std::round(*secs * 1000.0);
  if (std::fmod(ms, 1000.0) == 0) return json::value(static_cast<int64_t>(ms / 1000.0));
  return json::value(ms / 1000.0);
}

}  // namespace

std::optional<json::value> document_to_json(const ServiceModel& model, const ShapeDef& shape,
                                            const json::value& doc, bool top_level,
                                            std::string_view timestamp_format, int depth) {
  if (depth > kMaxDepth) return std::nullopt;
  switch (shape.type) {
    case ShapeType::Structure:
    case ShapeType::Union:
      return structure_to_json(model, shape, doc, top_level, depth);
    case ShapeType::List:
    case ShapeType::Map:
      return container_to_json(model, shape, doc, depth);
    case ShapeType::Document:
      return doc;
    case ShapeType::Float:
    case ShapeType::Double:
    case ShapeType::BigDecimal: {
      std::optional<double> d = json_double(doc);
      if (!d || doc.is_string()) return std::nullopt;
      if (!std::isfinite(*d)) return json::value(format_double(*d));
      return doc;
    }
    case ShapeType::Timestamp:
      return timestamp_to_json(
          doc, timestamp_format.empty() ? shape.timestamp_format : timestamp_format);
    case ShapeType::Blob:
      if (!doc.is_string()) return std::nullopt;
      return json::value(base64_encode(doc.get_string()));
    case ShapeType::Integer:
    case ShapeType::Long:
    case ShapeType::BigInteger: {
      std::optional<int64_t> v = json_int(doc);
      if (!v) return std::nullopt;
      return json::value(*v);
    }
    case ShapeType::Boolean:
      if (!doc.is_bool()) return std::nullopt;
      return doc;
    case ShapeType::String:
      if (!doc.is_string()) return std::nullopt;
      return doc;
  }
  return std::nullopt;
}

}  // namespace protocol::rest
