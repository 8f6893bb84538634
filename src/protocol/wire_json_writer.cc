#include "protocol/wire_json_writer.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string_view>

#include "protocol/document_convert.h"

namespace protocol {
namespace {

namespace json = boost::json;

bool append_value(std::string& out, const ServiceModel& model, uint32_t shape_index,
                  const json::value& doc, int depth, std::string_view ts_format);

// A member, map entry (`key`) or list item (no key) and its value, or nothing at all when the
// value converts to null, as to_wire_json leaves such members out.
void append_entry(std::string& out, bool& first, std::optional<std::string_view> key,
                  const ServiceModel& model, uint32_t shape_index, const json::value& doc,
                  int depth, std::string_view ts_format = {}) {
  std::size_t mark = out.size();
  if (!first) {
    out += ',';
  }
  if (key) {
    out += json::serialize(json::string_view(key->data(), key->size()));
    out += ':';
  }
  if (append_value(out, model, shape_index, doc, depth, ts_format)) {
    first = false;
  } else {
    out.resize(mark);
  }
}

void append_members(std::string& out, const ServiceModel& model, const ShapeDef& shape,
                    const json::object& doc, int depth) {
  out += '{';
  bool first = true;
  for (const MemberDef& member : model.members_of(shape)) {
    if (member.location != Location::Body) {
      continue;
    }
    const json::value* v = doc.if_contains(member.name);
    if (v != nullptr && !v->is_null()) {
      append_entry(out, first, wire_name(member), model, member.shape, *v, depth + 1,
                   member.timestamp_format);
    }
  }
  out += '}';
}

void append_list(std::string& out, const ServiceModel& model, const ShapeDef& shape,
                 const json::array& doc, int depth) {
  uint32_t item_shape =
      shape.members_count > 0 ? model.members[shape.members_begin].shape : kNoShape;
  out += '[';
  bool first = true;
  for (const json::value& item : doc) {
    append_entry(out, first, std::nullopt, model, item_shape, item, depth + 1);
  }
  out += ']';
}

void append_map(std::string& out, const ServiceModel& model, const ShapeDef& shape,
                const json::object& doc, int depth) {
  uint32_t value_shape =
      shape.members_count > 1 ? model.members[shape.members_begin + 1].shape : kNoShape;
  out += '{';
  bool first = true;
  for (const auto& entry : doc) {
    append_entry(out, first, entry.key(), model, value_shape, entry.value(), depth + 1);
  }
  out += '}';
}

// True when something was written: false exactly when to_wire_json gives null.
bool append_value(std::string& out, const ServiceModel& model, uint32_t shape_index,
                  const json::value& doc, int depth, std::string_view ts_format) {
  if (depth > 2 * kMaxWireDepth) {
    return false;
  }
  const ShapeDef* shape =
      shape_index == kNoShape || shape_index >= model.shapes.size() ? nullptr
                                                                     : &model.shape(shape_index);
  bool composite = shape != nullptr && !shape->document &&
                   (shape->type == ShapeType::Structure || shape->type == ShapeType::Union ||
                    shape->type == ShapeType::List || shape->type == ShapeType::Map);
  if (shape != nullptr && shape->type == ShapeType::String) {
    if (!doc.is_string()) return false;
    out += json::serialize(doc.get_string());
    return true;
  }
  if (!composite) {
    json::value wire = to_wire_json(model, shape_index, doc, depth, ts_format);
    if (wire.is_null()) {
      return false;
    }
    out += json::serialize(wire);
    return true;
  }
  if (shape->type == ShapeType::List) {
    if (!doc.is_array()) return false;
    append_list(out, model, *shape, doc.get_array(), depth);
    return true;
  }
  if (!doc.is_object()) return false;
  if (shape->type == ShapeType::Map) {
    append_map(out, model, *shape, doc.get_object(), depth);
  } else {
    append_members(out, model, *shape, doc.get_object(), depth);
  }
  return true;
}

}  // namespace

void append_wire_json(std::string& out, const ServiceModel& model, uint32_t structure_shape,
                      const json::object& doc) {
  const ShapeDef& shape = model.shape(structure_shape);
  if (shape.document) {
    out += json::serialize(doc);
    return;
  }
  append_members(out, model, shape, doc, 0);
}

}  // namespace protocol
