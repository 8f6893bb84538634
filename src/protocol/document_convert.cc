#include "protocol/document_convert.h"

#include <openssl/evp.h>

#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <limits>

#include "core/time_format.h"

namespace protocol {
namespace json = boost::json;

namespace {

// Coral (the front end behind AWS JSON services) names the JSON token it found where another was
// expected; these messages follow its wording.
std::string token_name(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string:
      return "STRING_VALUE";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return "NUMBER_VALUE";
    case json::kind::bool_:
      return v.get_bool() ? "TRUE_VALUE" : "FALSE_VALUE";
    case json::kind::null:
      return "NULL_VALUE";
    case json::kind::array:
      return "START_ARRAY";
    case json::kind::object:
      return "START_OBJECT";
  }
  return "VALUE";
}

std::string_view type_label(ShapeType t) {
  switch (t) {
    case ShapeType::String:
      return "a String";
    case ShapeType::Integer:
      return "an Integer";
    case ShapeType::Long:
      return "a Long";
    case ShapeType::Float:
      return "a Float";
    case ShapeType::Double:
      return "a Double";
    case ShapeType::Boolean:
      return "a Boolean";
    case ShapeType::Timestamp:
      return "a Date";
    case ShapeType::Blob:
      return "a ByteBuffer";
    case ShapeType::BigInteger:
      return "a BigInteger";
    case ShapeType::BigDecimal:
      return "a BigDecimal";
    default:
      return "a value";
  }
}

AwsError wrong_type(const json::value& found, ShapeType expected) {
  if (found.is_object()) {
    return serialization_error("Start of structure or map found where not expected.");
  }
  if (found.is_array()) {
    return serialization_error("Start of list found where not expected");
  }
  if (expected == ShapeType::Structure || expected == ShapeType::Map ||
      expected == ShapeType::Union) {
    return serialization_error("Expected start of structure or map, found " + token_name(found));
  }
  if (expected == ShapeType::List) {
    return serialization_error("Expected list or set, found " + token_name(found));
  }
  return serialization_error(token_name(found) + " can not be converted to " +
                             std::string(type_label(expected)));
}

std::optional<int64_t> as_int64(const json::value& v) {
  if (v.is_int64()) {
    return v.get_int64();
  }
  if (v.is_uint64()) {
    if (v.get_uint64() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return std::nullopt;
    }
    return static_cast<int64_t>(v.get_uint64());
  }
  if (v.is_double()) {
    double d = v.get_double();
    // Coral truncates an integral JSON float ("5.0") into an integer member.
    if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9.2e18) {
      return static_cast<int64_t>(d);
    }
  }
  return std::nullopt;
}

std::optional<double> as_double(const json::value& v) {
  if (v.is_number()) {
    return v.to_number<double>();
  }
  if (v.is_string()) {
    // botocore sends non-finite floats as strings.
    std::string_view s = v.get_string();
    if (s == "NaN") {
      return std::numeric_limits<double>::quiet_NaN();
    }
    if (s == "Infinity") {
      return std::numeric_limits<double>::infinity();
    }
    if (s == "-Infinity") {
      return -std::numeric_limits<double>::infinity();
    }
  }
  return std::nullopt;
}

constexpr double kMaxEpochSeconds = 1e13;

core::TimePoint from_epoch_seconds(double secs) {
  return core::from_epoch_millis(std::llround(secs * 1000.0));
}

}  // namespace

AwsError serialization_error(std::string message) {
  return {"SerializationException", std::move(message), 400, true};
}

std::string_view wire_name(const MemberDef& member) {
  return member.location_name.empty() ? member.name : member.location_name;
}

std::string_view timestamp_format(const ServiceModel& model, const MemberDef& member) {
  if (!member.timestamp_format.empty()) {
    return member.timestamp_format;
  }
  if (member.shape == kNoShape) {
    return {};
  }
  return model.shape(member.shape).timestamp_format;
}

namespace {

// from_wire_json for a structure or union: body members by wire name, nulls left out.
Result<json::value> structure_from_wire(const ServiceModel& model, const ShapeDef& shape,
                                        const json::value& wire, int depth) {
  if (!wire.is_object()) {
    return wrong_type(wire, shape.type);
  }
  json::object out;
  for (const MemberDef& member : model.members_of(shape)) {
    if (member.location != Location::Body) {
      continue;
    }
    const json::value* v = wire.get_object().if_contains(wire_name(member));
    if (v == nullptr || v->is_null()) {
      continue;
    }
    auto converted = from_wire_json(model, member.shape, *v, depth + 1);
    if (!converted) {
      return converted.error();
    }
    out.emplace(member.name, std::move(*converted));
  }
  return json::value(std::move(out));
}

// from_wire_json for a list, null items left out.
Result<json::value> list_from_wire(const ServiceModel& model, const ShapeDef& shape,
                                   const json::value& wire, int depth) {
  if (!wire.is_array()) {
    return wrong_type(wire, shape.type);
  }
  uint32_t item_shape =
      shape.members_count > 0 ? model.members[shape.members_begin].shape : kNoShape;
  json::array out;
  out.reserve(wire.get_array().size());
  for (const json::value& item : wire.get_array()) {
    if (item.is_null()) {
      continue;
    }
    auto converted = from_wire_json(model, item_shape, item, depth + 1);
    if (!converted) {
      return converted.error();
    }
    out.push_back(std::move(*converted));
  }
  return json::value(std::move(out));
}

// from_wire_json for a map, null values left out.
Result<json::value> map_from_wire(const ServiceModel& model, const ShapeDef& shape,
                                  const json::value& wire, int depth) {
  if (!wire.is_object()) {
    return wrong_type(wire, shape.type);
  }
  uint32_t value_shape =
      shape.members_count > 1 ? model.members[shape.members_begin + 1].shape : kNoShape;
  json::object out;
  for (const auto& entry : wire.get_object()) {
    if (entry.value().is_null()) {
      continue;
    }
    auto converted = from_wire_json(model, value_shape, entry.value(), depth + 1);
    if (!converted) {
      return converted.error();
    }
    out.emplace(entry.key(), std::move(*converted));
  }
  return json::value(std::move(out));
}

// from_wire_json for an integer shape: an integral JSON number in range.
Result<json::value> integer_from_wire(ShapeType type, const json::value& wire) {
  std::optional<int64_t> n = as_int64(wire);
  if (!n) {
    if (wire.is_number()) {
      return serialization_error("Number out of range for " + std::string(type_label(type)));
    }
    return wrong_type(wire, type);
  }
  return json::value(*n);
}

// from_wire_json for a timestamp: epoch seconds, or a date string in any format AWS accepts.
Result<json::value> timestamp_from_wire(const json::value& wire) {
  if (wire.is_number()) {
    return json::value(wire.to_number<double>());
  }
  if (wire.is_string()) {
    std::optional<core::TimePoint> t = core::parse_timestamp(wire.get_string());
    if (!t) {
      return serialization_error("Unable to parse date: " + std::string(wire.get_string()));
    }
    return json::value(core::to_epoch_seconds(*t));
  }
  return wrong_type(wire, ShapeType::Timestamp);
}

// from_wire_json for a blob: base64 text.
Result<json::value> blob_from_wire(const json::value& wire) {
  if (!wire.is_string()) {
    return wrong_type(wire, ShapeType::Blob);
  }
  std::optional<std::string> bytes = base64_decode(wire.get_string());
  if (!bytes) {
    return serialization_error("Base64 encoded value is malformed.");
  }
  return json::value(json::string(*bytes));
}

}  // namespace

Result<json::value> from_wire_json(const ServiceModel& model, uint32_t shape_index,
                                   const json::value& wire, int depth) {
  if (depth > kMaxWireDepth) {
    return serialization_error("Maximum nesting depth exceeded.");
  }
  if (shape_index == kNoShape || shape_index >= model.shapes.size()) {
    return json::value(wire);
  }
  const ShapeDef& shape = model.shape(shape_index);
  switch (shape.type) {
    case ShapeType::Structure:
    case ShapeType::Union:
      if (shape.document) {
        return json::value(wire);
      }
      return structure_from_wire(model, shape, wire, depth);
    case ShapeType::List:
      return list_from_wire(model, shape, wire, depth);
    case ShapeType::Map:
      return map_from_wire(model, shape, wire, depth);
    case ShapeType::String:
      if (!wire.is_string()) {
        return wrong_type(wire, shape.type);
      }
      return json::value(wire);
    case ShapeType::Integer:
    case ShapeType::Long:
    case ShapeType::BigInteger:
      return integer_from_wire(shape.type, wire);
    case ShapeType::Float:
    case ShapeType::Double:
    case ShapeType::BigDecimal: {
      std::optional<double> d = as_double(wire);
      if (!d) {
        return wrong_type(wire, shape.type);
      }
      return json::value(*d);
    }
    case ShapeType::Boolean:
      if (!wire.is_bool()) {
        return wrong_type(wire, shape.type);
      }
      return json::value(wire.get_bool());
    case ShapeType::Timestamp:
      return timestamp_from_wire(wire);
    case ShapeType::Blob:
      return blob_from_wire(wire);
    case ShapeType::Document:
      return json::value(wire);
  }
  return json::value(wire);
}

namespace {

// to_wire_json for a structure or union: body members under their wire names, those that convert
// to null left out.
json::value structure_to_wire(const ServiceModel& model, const ShapeDef& shape,
                              const json::value& doc, int depth) {
  if (!doc.is_object()) {
    return nullptr;
  }
  json::object out;
  for (const MemberDef& member : model.members_of(shape)) {
    if (member.location != Location::Body) {
      continue;
    }
    const json::value* v = doc.get_object().if_contains(member.name);
    if (v == nullptr || v->is_null()) {
      continue;
    }
    json::value converted =
        to_wire_json(model, member.shape, *v, depth + 1, member.timestamp_format);
    if (!converted.is_null()) {
      out.emplace(wire_name(member), std::move(converted));
    }
  }
  return out;
}

// to_wire_json for a list, items that convert to null left out.
json::value list_to_wire(const ServiceModel& model, const ShapeDef& shape, const json::value& doc,
                         int depth) {
  if (!doc.is_array()) {
    return nullptr;
  }
  uint32_t item_shape =
      shape.members_count > 0 ? model.members[shape.members_begin].shape : kNoShape;
  json::array out;
  out.reserve(doc.get_array().size());
  for (const json::value& item : doc.get_array()) {
    json::value converted = to_wire_json(model, item_shape, item, depth + 1);
    if (!converted.is_null()) {
      out.push_back(std::move(converted));
    }
  }
  return out;
}

// to_wire_json for a map, values that convert to null left out.
json::value map_to_wire(const ServiceModel& model, const ShapeDef& shape, const json::value& doc,
                        int depth) {
  if (!doc.is_object()) {
    return nullptr;
  }
  uint32_t value_shape =
      shape.members_count > 1 ? model.members[shape.members_begin + 1].shape : kNoShape;
  json::object out;
  for (const auto& entry : doc.get_object()) {
    json::value converted = to_wire_json(model, value_shape, entry.value(), depth + 1);
    if (!converted.is_null()) {
      out.emplace(entry.key(), std::move(converted));
    }
  }
  return out;
}

// to_wire_json for a floating-point shape: NaN and the infinities as AWS spells them.
json::value float_to_wire(const json::value& doc) {
  if (!doc.is_number()) {
    return nullptr;
  }
  double d = doc.to_number<double>();
  if (std::isnan(d)) {
    return "NaN";
  }
  if (std::isinf(d)) {
    return d > 0 ? "Infinity" : "-Infinity";
  }
  return doc;
}

// to_wire_json for a timestamp in `format` ("iso8601", "rfc822", else epoch seconds, whole
// seconds as an integer).
json::value timestamp_to_wire(const json::value& doc, std::string_view format) {
  std::optional<double> secs = document_timestamp(doc);
  if (!secs || !std::isfinite(*secs)) {
    return nullptr;
  }
  if (format == "iso8601") {
    return json::string(core::format_iso8601(from_epoch_seconds(*secs)));
  }
  if (format == "rfc822") {
    return json::string(core::format_http_date(from_epoch_seconds(*secs)));
  }
  double rounded = round_to_millis(*secs);
  if (rounded == std::trunc(rounded) && std::fabs(rounded) < 9.2e18) {
    return static_cast<int64_t>(rounded);
  }
  return rounded;
}

}  // namespace

json::value to_wire_json(const ServiceModel& model, uint32_t shape_index, const json::value& doc,
                         int depth, std::string_view ts_format) {
  if (depth > 2 * kMaxWireDepth) {
    return nullptr;
  }
  if (shape_index == kNoShape || shape_index >= model.shapes.size()) {
    return doc;
  }
  const ShapeDef& shape = model.shape(shape_index);
  switch (shape.type) {
    case ShapeType::Structure:
    case ShapeType::Union:
      return shape.document ? doc : structure_to_wire(model, shape, doc, depth);
    case ShapeType::List:
      return list_to_wire(model, shape, doc, depth);
    case ShapeType::Map:
      return map_to_wire(model, shape, doc, depth);
    case ShapeType::String:
      return doc.is_string() ? doc : json::value(nullptr);
    case ShapeType::Integer:
    case ShapeType::Long:
    case ShapeType::BigInteger: {
      std::optional<int64_t> n = as_int64(doc);
      return n ? json::value(*n) : json::value(nullptr);
    }
    case ShapeType::Float:
    case ShapeType::Double:
    case ShapeType::BigDecimal:
      return float_to_wire(doc);
    case ShapeType::Boolean:
      return doc.is_bool() ? doc : json::value(nullptr);
    case ShapeType::Timestamp:
      return timestamp_to_wire(doc, ts_format.empty() ? shape.timestamp_format : ts_format);
    case ShapeType::Blob:
      return doc.is_string() ? json::value(json::string(base64_encode(doc.get_string())))
                             : json::value(nullptr);
    case ShapeType::Document:
      return doc;
  }
  return doc;
}



std::optional<double> document_timestamp(const json::value& doc) {
  std::optional<double> secs;
  if (doc.is_number()) {
    secs = doc.to_number<double>();
  } else if (doc.is_string()) {
    if (std::optional<core::TimePoint> t = core::parse_timestamp(doc.get_string())) {
      secs = core::to_epoch_seconds(*t);
    }
  }
  // Beyond this (some 300,000 years) milliseconds no longer fit the integer arithmetic below.
  if (secs && !(std::fabs(*secs) < kMaxEpochSeconds)) {
    return std::nullopt;
  }
  return secs;
}

double round_to_millis(double epoch_seconds) {
  if (!(std::fabs(epoch_seconds) < kMaxEpochSeconds)) {
    return epoch_seconds;
  }
  return static_cast<double>(std::llround(epoch_seconds * 1000.0)) / 1000.0;
}

const ShapeDef* find_error_shape(const ServiceModel& model, std::string_view code) {
  const ShapeDef* by_code = nullptr;
  for (const ShapeDef& shape : model.shapes) {
    if (!shape.exception) {
      continue;
    }
    if (shape.name == code) {
      return &shape;
    }
    if (by_code == nullptr && shape.error_code == code) {
      by_code = &shape;
    }
  }
  return by_code;
}

std::string query_error_header(const ServiceModel& model, const AwsError& error) {
  const ShapeDef* shape = find_error_shape(model, error.code);
  std::string code =
      shape != nullptr && !shape->error_code.empty() ? std::string(shape->error_code) : error.code;
  return code + (error.sender_fault ? ";Sender" : ";Receiver");
}

}  // namespace protocol
