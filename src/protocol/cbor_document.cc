// CBOR decoding is two-phase. check_cbor_body (cbor_scan.h) first walks the body with libcbor's
// streaming decoder without building anything; only a body that passes is handed to cbor_load,
// whose tree is then converted shape by shape. So a hostile body can neither recurse deeply nor
// make cbor_load allocate for elements that are not there (and cbor_decref, which recurses, only
// ever frees shallow trees).
//
// Encoding writes item heads with libcbor's cbor_encode_* functions straight into a string.

#include "protocol/cbor_document.h"

#include <cbor.h>

#include <boost/json.hpp>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "protocol/cbor_scan.h"
#include "protocol/document_convert.h"

namespace protocol {
namespace json = boost::json;
namespace {

struct ItemDeleter {
  void operator()(cbor_item_t* item) const { cbor_decref(&item); }
};
using ItemPtr = std::unique_ptr<cbor_item_t, ItemDeleter>;

// libcbor asserts if a float reaches its ctrl accessors, so check the width first.
bool is_ctrl(const cbor_item_t* item) {
  return cbor_isa_float_ctrl(item) && cbor_float_ctrl_is_ctrl(item);
}
bool is_null(const cbor_item_t* item) {
  return is_ctrl(item) && (cbor_is_null(item) || cbor_is_undef(item));
}
bool is_bool(const cbor_item_t* item) { return is_ctrl(item) && cbor_is_bool(item); }
bool is_float(const cbor_item_t* item) {
  return cbor_isa_float_ctrl(item) && !cbor_float_ctrl_is_ctrl(item);
}

// Definite or indefinite (chunked) text or byte string.
std::string string_bytes(const cbor_item_t* item) {
  std::string out;
  if (cbor_isa_string(item)) {
    if (cbor_string_is_definite(item)) {
      return std::string(reinterpret_cast<const char*>(cbor_string_handle(item)),
                         cbor_string_length(item));
    }
    cbor_item_t** chunks = cbor_string_chunks_handle(item);
    for (std::size_t i = 0; i < cbor_string_chunk_count(item); ++i) {
      out += string_bytes(chunks[i]);
    }
  } else if (cbor_isa_bytestring(item)) {
    if (cbor_bytestring_is_definite(item)) {
      return std::string(reinterpret_cast<const char*>(cbor_bytestring_handle(item)),
                         cbor_bytestring_length(item));
    }
    cbor_item_t** chunks = cbor_bytestring_chunks_handle(item);
    for (std::size_t i = 0; i < cbor_bytestring_chunk_count(item); ++i) {
      out += string_bytes(chunks[i]);
    }
  }
  return out;
}

std::optional<int64_t> item_int64(const cbor_item_t* item) {
  if (cbor_isa_uint(item)) {
    uint64_t v = cbor_get_int(item);
    if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return std::nullopt;
    }
    return static_cast<int64_t>(v);
  }
  if (cbor_isa_negint(item)) {
    uint64_t v = cbor_get_int(item);
    if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return std::nullopt;
    }
    return -1 - static_cast<int64_t>(v);
  }
  if (is_float(item)) {
    double d = cbor_float_get_float(item);
    if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9.2e18) {
      return static_cast<int64_t>(d);
    }
  }
  return std::nullopt;
}

std::optional<double> item_double(const cbor_item_t* item) {
  if (is_float(item)) {
    return cbor_float_get_float(item);
  }
  if (cbor_isa_uint(item)) {
    return static_cast<double>(cbor_get_int(item));
  }
  if (cbor_isa_negint(item)) {
    return -1.0 - static_cast<double>(cbor_get_int(item));
  }
  return std::nullopt;
}

AwsError cbor_type_error(std::string_view expected) {
  return serialization_error("Unexpected CBOR type where " + std::string(expected) +
                             " was expected.");
}

// A CBOR map with text keys as a JSON object, null values left out. `convert(key, value)` gives
// the entry's value (and may rename `key`), or nullopt to leave the entry out.
template <class Convert>
Result<json::value> map_entries(const cbor_item_t* item, Convert convert) {
  json::object out;
  cbor_pair* pairs = cbor_map_handle(item);
  for (std::size_t i = 0; i < cbor_map_size(item); ++i) {
    if (!cbor_isa_string(pairs[i].key)) {
      return cbor_type_error("a text map key");
    }
    if (is_null(pairs[i].value)) {
      continue;
    }
    std::string key = string_bytes(pairs[i].key);
    std::optional<Result<json::value>> v = convert(key, pairs[i].value);
    if (!v) {
      continue;
    }
    if (!*v) {
      return v->error();
    }
    out[key] = std::move(**v);
  }
  return json::value(std::move(out));
}

// Any CBOR item to JSON, for document members and unmodeled shapes.
Result<json::value> generic_to_json(const cbor_item_t* item, int depth) {
  if (depth > kMaxWireDepth) {
    return serialization_error("Maximum nesting depth exceeded.");
  }
  if (cbor_isa_map(item)) {
    return map_entries(item, [&](std::string&, const cbor_item_t* value) {
      return std::optional(generic_to_json(value, depth + 1));
    });
  }
  if (cbor_isa_array(item)) {
    json::array out;
    cbor_item_t** items = cbor_array_handle(item);
    for (std::size_t i = 0; i < cbor_array_size(item); ++i) {
      auto v = generic_to_json(items[i], depth + 1);
      if (!v) {
        return v.error();
      }
      out.push_back(std::move(*v));
    }
    return json::value(std::move(out));
  }
  if (cbor_isa_string(item) || cbor_isa_bytestring(item)) {
    return json::value(json::string(string_bytes(item)));
  }
  if (cbor_isa_tag(item)) {
    ItemPtr inner(cbor_tag_item(item));
    return generic_to_json(inner.get(), depth + 1);
  }
  if (is_bool(item)) {
    return json::value(cbor_get_bool(item));
  }
  if (is_null(item)) {
    return json::value(nullptr);
  }
  if (auto n = item_int64(item); n && !is_float(item)) {
    return json::value(*n);
  }
  if (auto d = item_double(item)) {
    return json::value(*d);
  }
  return cbor_type_error("a value");
}

Result<json::value> to_document(const ServiceModel& model, uint32_t shape_index,
                                const cbor_item_t* item, int depth);

// The body member of structure `shape` whose wire name is `key`; nullptr when none is.
const MemberDef* body_member(const ServiceModel& model, const ShapeDef& shape,
                             std::string_view key) {
  const MemberDef* member = nullptr;
  for (const MemberDef& m : model.members_of(shape)) {
    if (m.location == Location::Body && wire_name(m) == key) {
      member = &m;
    }
  }
  return member;
}

// A CBOR map as a structure, union or map: members by name (unknown ones ignored), null values
// left out.
Result<json::value> map_to_document(const ServiceModel& model, const ShapeDef& shape,
                                    const cbor_item_t* item, int depth) {
  if (!cbor_isa_map(item)) {
    return cbor_type_error("a map");
  }
  if (shape.type == ShapeType::Map) {
    uint32_t value_shape =
        shape.members_count > 1 ? model.members[shape.members_begin + 1].shape : kNoShape;
    return map_entries(item, [&](std::string&, const cbor_item_t* value) {
      return std::optional(to_document(model, value_shape, value, depth + 1));
    });
  }
  return map_entries(item, [&](std::string& key, const cbor_item_t* value) {
    const MemberDef* member = body_member(model, shape, key);
    if (member == nullptr) {
      return std::optional<Result<json::value>>();  // unknown members are ignored
    }
    key = std::string(member->name);
    return std::optional(to_document(model, member->shape, value, depth + 1));
  });
}

// A CBOR array as a list, null items left out.
Result<json::value> list_to_document(const ServiceModel& model, const ShapeDef& shape,
                                     const cbor_item_t* item, int depth) {
  if (!cbor_isa_array(item)) {
    return cbor_type_error("an array");
  }
  uint32_t item_shape =
      shape.members_count > 0 ? model.members[shape.members_begin].shape : kNoShape;
  json::array out;
  cbor_item_t** items = cbor_array_handle(item);
  for (std::size_t i = 0; i < cbor_array_size(item); ++i) {
    if (is_null(items[i])) {
      continue;
    }
    auto v = to_document(model, item_shape, items[i], depth + 1);
    if (!v) {
      return v.error();
    }
    out.push_back(std::move(*v));
  }
  return json::value(std::move(out));
}

// Tag 1 around epoch seconds (integer or float), or the bare number.
Result<json::value> timestamp_to_document(const cbor_item_t* item) {
  ItemPtr inner;
  const cbor_item_t* value = item;
  if (cbor_isa_tag(item)) {
    if (cbor_tag_value(item) != 1) {
      return serialization_error("Unexpected CBOR tag.");
    }
    inner.reset(cbor_tag_item(item));
    value = inner.get();
  }
  if (auto d = item_double(value)) {
    return json::value(*d);
  }
  return cbor_type_error("an epoch-seconds timestamp");
}

// A CBOR item as a scalar shape (string, blob, number, boolean); nullopt for other shapes.
std::optional<Result<json::value>> scalar_to_document(ShapeType type, const cbor_item_t* item) {
  switch (type) {
    case ShapeType::String:
      if (!cbor_isa_string(item)) {
        return cbor_type_error("a text string");
      }
      return json::value(json::string(string_bytes(item)));
    case ShapeType::Blob:
      if (cbor_isa_bytestring(item)) {
        return json::value(json::string(string_bytes(item)));
      }
      if (cbor_isa_string(item)) {
        // Some Smithy clients send blobs as base64 text.
        if (auto bytes = base64_decode(string_bytes(item))) {
          return json::value(json::string(*bytes));
        }
        return serialization_error("Base64 encoded value is malformed.");
      }
      return cbor_type_error("a byte string");
    case ShapeType::Integer:
    case ShapeType::Long:
    case ShapeType::BigInteger:
      if (auto n = item_int64(item)) {
        return json::value(*n);
      }
      return cbor_type_error("an integer");
    case ShapeType::Float:
    case ShapeType::Double:
    case ShapeType::BigDecimal:
      if (auto d = item_double(item)) {
        return json::value(*d);
      }
      return cbor_type_error("a number");
    case ShapeType::Boolean:
      if (is_bool(item)) {
        return json::value(cbor_get_bool(item));
      }
      return cbor_type_error("a boolean");
    default:
      return std::nullopt;
  }
}

Result<json::value> to_document(const ServiceModel& model, uint32_t shape_index,
                                const cbor_item_t* item, int depth) {
  if (depth > kMaxWireDepth) {
    return serialization_error("Maximum nesting depth exceeded.");
  }
  if (shape_index == kNoShape || shape_index >= model.shapes.size()) {
    return generic_to_json(item, depth);
  }
  const ShapeDef& shape = model.shape(shape_index);
  if (shape.document || shape.type == ShapeType::Document) {
    return generic_to_json(item, depth);
  }
  if (cbor_isa_tag(item) && shape.type != ShapeType::Timestamp) {
    return serialization_error("Unexpected CBOR tag.");
  }
  switch (shape.type) {
    case ShapeType::Structure:
    case ShapeType::Union:
    case ShapeType::Map:
      return map_to_document(model, shape, item, depth);
    case ShapeType::List:
      return list_to_document(model, shape, item, depth);
    case ShapeType::Timestamp:
      return timestamp_to_document(item);
    default:
      break;
  }
  if (auto scalar = scalar_to_document(shape.type, item)) {
    return std::move(*scalar);
  }
  return generic_to_json(item, depth);
}

bool integral(double d) { return std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9.2e18; }

}  // namespace

Result<json::object> decode_cbor_body(const ServiceModel& model, uint32_t shape,
                                      std::string_view body) {
  if (body.empty()) {
    return json::object();
  }
  if (std::optional<AwsError> error = check_cbor_body(body)) {
    return *error;
  }
  cbor_load_result loaded{};
  ItemPtr root(cbor_load(reinterpret_cast<cbor_data>(body.data()), body.size(), &loaded));
  if (!root || loaded.error.code != CBOR_ERR_NONE) {
    return serialization_error("Malformed CBOR input.");
  }
  if (!cbor_isa_map(root.get())) {
    return cbor_type_error("a map");
  }
  if (shape == kNoShape) {
    return json::object();
  }
  Result<json::value> input = to_document(model, shape, root.get(), 0);
  if (!input) {
    return input.error();
  }
  if (!input->is_object()) {
    return cbor_type_error("a map");
  }
  return std::move(input->get_object());
}

template <class Encode, class... Args>
void CborWriter::head(Encode encode, Args... args) {
  unsigned char buf[9];  // the longest head: initial byte plus an 8-byte argument
  std::size_t n = encode(args..., buf, sizeof buf);
  out_.append(reinterpret_cast<const char*>(buf), n);
}

void CborWriter::map_start(std::size_t entries) { head(cbor_encode_map_start, entries); }

void CborWriter::text(std::string_view s) {
  head(cbor_encode_string_start, s.size());
  out_.append(s);
}

void CborWriter::bytes(std::string_view s) {
  head(cbor_encode_bytestring_start, s.size());
  out_.append(s);
}

void CborWriter::integer(int64_t v) {
  if (v >= 0) {
    head(cbor_encode_uint, static_cast<uint64_t>(v));
  } else {
    head(cbor_encode_negint, static_cast<uint64_t>(-1 - v));
  }
}

void CborWriter::epoch_seconds(double secs) {
  // Tag 1 (epoch-based date/time) around an integer when the instant is whole seconds, else a
  // double rounded to milliseconds; botocore's parser takes either.
  head(cbor_encode_tag, uint64_t{1});
  double rounded = round_to_millis(secs);
  if (integral(rounded)) {
    integer(static_cast<int64_t>(rounded));
  } else {
    head(cbor_encode_double, rounded);
  }
}

void CborWriter::generic(const json::value& v, int depth) {
  if (depth > 2 * kMaxWireDepth) {
    return head(cbor_encode_null);
  }
  switch (v.kind()) {
    case json::kind::object:
      map_start(v.get_object().size());
      for (const auto& e : v.get_object()) {
        text(e.key());
        generic(e.value(), depth + 1);
      }
      return;
    case json::kind::array:
      head(cbor_encode_array_start, v.get_array().size());
      for (const auto& e : v.get_array()) {
        generic(e, depth + 1);
      }
      return;
    case json::kind::string:
      return text(v.get_string());
    case json::kind::int64:
      return integer(v.get_int64());
    case json::kind::uint64:
      return head(cbor_encode_uint, v.get_uint64());
    case json::kind::double_:
      return head(cbor_encode_double, v.get_double());
    case json::kind::bool_:
      return head(cbor_encode_bool, v.get_bool());
    case json::kind::null:
      return head(cbor_encode_null);
  }
}

bool CborWriter::encodable(uint32_t shape_index, const json::value& doc) const {
  if (doc.is_null()) {
    return false;
  }
  if (shape_index == kNoShape || shape_index >= model_.shapes.size()) {
    return true;
  }
  const ShapeDef& shape = model_.shape(shape_index);
  if (shape.document) {
    return true;
  }
  switch (shape.type) {
    case ShapeType::Structure:
    case ShapeType::Union:
    case ShapeType::Map:
      return doc.is_object();
    case ShapeType::List:
      return doc.is_array();
    case ShapeType::String:
    case ShapeType::Blob:
      return doc.is_string();
    case ShapeType::Integer:
    case ShapeType::Long:
    case ShapeType::BigInteger:
      return doc.is_int64() ||
             (doc.is_uint64() &&
              doc.get_uint64() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) ||
             (doc.is_double() && integral(doc.get_double()));
    case ShapeType::Float:
    case ShapeType::Double:
    case ShapeType::BigDecimal:
      return doc.is_number();
    case ShapeType::Boolean:
      return doc.is_bool();
    case ShapeType::Timestamp: {
      std::optional<double> t = document_timestamp(doc);
      return t && std::isfinite(*t);
    }
    case ShapeType::Document:
      return true;
  }
  return false;
}

void CborWriter::encode(uint32_t shape_index, const json::value& doc, int depth) {
  if (depth > 2 * kMaxWireDepth) {
    return head(cbor_encode_null);
  }
  if (shape_index == kNoShape || shape_index >= model_.shapes.size()) {
    return generic(doc, depth);
  }
  const ShapeDef& shape = model_.shape(shape_index);
  if (shape.document) {
    return generic(doc, depth);
  }
  switch (shape.type) {
    case ShapeType::Structure:
    case ShapeType::Union:
      return encode_structure(shape, doc.get_object(), depth);
    case ShapeType::Map:
      return encode_map(shape, doc.get_object(), depth);
    case ShapeType::List:
      return encode_list(shape, doc.get_array(), depth);
    case ShapeType::String:
      return text(doc.get_string());
    case ShapeType::Blob:
      return bytes(doc.get_string());
    case ShapeType::Integer:
    case ShapeType::Long:
    case ShapeType::BigInteger:
      return integer(doc.is_double() ? static_cast<int64_t>(doc.get_double())
                                     : doc.to_number<int64_t>());
    case ShapeType::Float:
    case ShapeType::Double:
    case ShapeType::BigDecimal:
      return head(cbor_encode_double, doc.to_number<double>());
    case ShapeType::Boolean:
      return head(cbor_encode_bool, doc.get_bool());
    case ShapeType::Timestamp:
      return epoch_seconds(*document_timestamp(doc));
    case ShapeType::Document:
      return generic(doc, depth);
  }
}

void CborWriter::encode_structure(const ShapeDef& shape, const json::object& obj, int depth) {
  std::vector<std::pair<const MemberDef*, const json::value*>> present;
  for (const MemberDef& m : model_.members_of(shape)) {
    const json::value* v = obj.if_contains(m.name);
    if (m.location == Location::Body && v != nullptr && encodable(m.shape, *v)) {
      present.emplace_back(&m, v);
    }
  }
  map_start(present.size());
  for (const auto& [m, v] : present) {
    // botocore's RPC v2 parser looks members up by name, not locationName.
    text(m->name);
    encode(m->shape, *v, depth + 1);
  }
}

void CborWriter::encode_map(const ShapeDef& shape, const json::object& obj, int depth) {
  uint32_t value_shape =
      shape.members_count > 1 ? model_.members[shape.members_begin + 1].shape : kNoShape;
  std::size_t count = 0;
  for (const auto& e : obj) {
    count += encodable(value_shape, e.value()) ? 1 : 0;
  }
  map_start(count);
  for (const auto& e : obj) {
    if (encodable(value_shape, e.value())) {
      text(e.key());
      encode(value_shape, e.value(), depth + 1);
    }
  }
}

void CborWriter::encode_list(const ShapeDef& shape, const json::array& arr, int depth) {
  uint32_t item_shape =
      shape.members_count > 0 ? model_.members[shape.members_begin].shape : kNoShape;
  std::size_t count = 0;
  for (const auto& e : arr) {
    count += encodable(item_shape, e) ? 1 : 0;
  }
  head(cbor_encode_array_start, count);
  for (const auto& e : arr) {
    if (encodable(item_shape, e)) {
      encode(item_shape, e, depth + 1);
    }
  }
}

}  // namespace protocol
