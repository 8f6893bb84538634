#include "protocol/xml_writer.h"

#include <chrono>
#include <cmath>

#include "core/time_format.h"
#include "protocol/query_naming.h"
#include "protocol/query_params.h"

namespace protocol::xml {
namespace {

namespace json = boost::json;
using query::as_double;
using query::format_double;
using query::is_flattened;
using query::location_name;

// Documents come from handlers, never from the wire, but recursive shapes make unbounded depth
// possible in principle; deeper content is dropped rather than risk the stack.
constexpr int kMaxDepth = 64;

std::string_view element_name(const ServiceModel& model, const MemberDef& m) {
  std::string_view name = location_name(model, m);
  return name.empty() ? m.name : name;
}

void set_namespace(pugi::xml_node element, const MemberDef& m) {
  if (!m.xml_namespace.empty()) {
    element.append_attribute("xmlns").set_value(std::string(m.xml_namespace).c_str());
  }
}

void write_member_at(pugi::xml_node parent, const ServiceModel& model, const MemberDef& member,
                     const json::value& value, const WriteOptions& opts, int depth);

void write_content_at(pugi::xml_node element, const ServiceModel& model, const MemberDef& member,
                      const json::value& value, const WriteOptions& opts, int depth);

void write_members_at(pugi::xml_node parent, const ServiceModel& model, const ShapeDef& shape,
                      const json::object& doc, const WriteOptions& opts, int depth) {
  if (depth > kMaxDepth) {
    return;
  }
  for (const MemberDef& m : model.members_of(shape)) {
    if (m.location != Location::Body) {
      continue;
    }
    auto it = doc.find(m.name);
    if (it == doc.end()) {
      continue;
    }
    if (m.xml_attribute) {
      if (std::optional<std::string> text = scalar_text(model, m, it->value(), opts)) {
        parent.append_attribute(std::string(element_name(model, m)).c_str())
            .set_value(text->c_str());
      }
      continue;
    }
    write_member_at(parent, model, m, it->value(), opts, depth + 1);
  }
}

void write_list(pugi::xml_node parent, const ServiceModel& model, const MemberDef& member,
                const json::array& items, const WriteOptions& opts, int depth) {
  const ShapeDef& shape = model.shape(member.shape);
  if (shape.members_count != 1) {
    return;
  }
  const MemberDef& element = model.members_of(shape)[0];
  std::string_view element_location = location_name(model, element);
  if (is_flattened(model, member)) {
    // BaseXMLResponseParser._member_key_name: a flattened list is found under its element's
    // locationName when it has one.
    std::string name(element_location.empty() ? element_name(model, member) : element_location);
    for (const json::value& item : items) {
      pugi::xml_node child = parent.append_child(name.c_str());
      write_content_at(child, model, element, item, opts, depth + 1);
    }
    return;
  }
  pugi::xml_node list = parent.append_child(std::string(element_name(model, member)).c_str());
  set_namespace(list, member);
  std::string name(!element_location.empty() ? element_location
                   : opts.ec2                ? std::string_view("item")
                                             : std::string_view("member"));
  for (const json::value& item : items) {
    pugi::xml_node child = list.append_child(name.c_str());
    write_content_at(child, model, element, item, opts, depth + 1);
  }
}

void write_map(pugi::xml_node parent, const ServiceModel& model, const MemberDef& member,
               const json::object& entries, const WriteOptions& opts, int depth) {
  const ShapeDef& shape = model.shape(member.shape);
  if (shape.members_count != 2) {
    return;
  }
  const MemberDef& key_member = model.members_of(shape)[0];
  const MemberDef& value_member = model.members_of(shape)[1];
  std::string key_name(location_name(model, key_member).empty() ? "key"
                                                                : location_name(model, key_member));
  std::string value_name(
      location_name(model, value_member).empty() ? "value" : location_name(model, value_member));
  std::string name(element_name(model, member));
  bool flattened = is_flattened(model, member);
  pugi::xml_node map;
  if (!flattened) {
    map = parent.append_child(name.c_str());
    set_namespace(map, member);
  }
  for (const auto& entry : entries) {
    pugi::xml_node holder =
        flattened ? parent.append_child(name.c_str()) : map.append_child("entry");
    holder.append_child(key_name.c_str())
        .append_child(pugi::node_pcdata)
        .set_value(std::string(entry.key()).c_str());
    pugi::xml_node value = holder.append_child(value_name.c_str());
    write_content_at(value, model, value_member, entry.value(), opts, depth + 1);
  }
}

void write_member_at(pugi::xml_node parent, const ServiceModel& model, const MemberDef& member,
                     const json::value& value, const WriteOptions& opts, int depth) {
  if (depth > kMaxDepth) {
    return;
  }
  const ShapeDef& shape = model.shape(member.shape);
  if (shape.type == ShapeType::List) {
    if (value.is_array()) {
      write_list(parent, model, member, value.get_array(), opts, depth);
    }
    return;
  }
  if (shape.type == ShapeType::Map) {
    if (value.is_object()) {
      write_map(parent, model, member, value.get_object(), opts, depth);
    }
    return;
  }
  if (shape.type == ShapeType::Structure || shape.type == ShapeType::Union) {
    if (!value.is_object()) {
      return;
    }
  } else if (!scalar_text(model, member, value, opts)) {
    return;
  }
  pugi::xml_node element = parent.append_child(std::string(element_name(model, member)).c_str());
  set_namespace(element, member);
  write_content_at(element, model, member, value, opts, depth);
}

void write_content_at(pugi::xml_node element, const ServiceModel& model, const MemberDef& member,
                      const json::value& value, const WriteOptions& opts, int depth) {
  if (depth > kMaxDepth) {
    return;
  }
  const ShapeDef& shape = model.shape(member.shape);
  switch (shape.type) {
    case ShapeType::Structure:
    case ShapeType::Union:
      if (value.is_object()) {
        write_members_at(element, model, shape, value.get_object(), opts, depth);
      }
      return;
    case ShapeType::List:
      if (value.is_array() && shape.members_count == 1) {
        // Content of a list element that is itself a list: its items, never flattened.
        const MemberDef& inner = model.members_of(shape)[0];
        std::string_view inner_location = location_name(model, inner);
        std::string name(!inner_location.empty() ? inner_location
                         : opts.ec2              ? std::string_view("item")
                                                 : std::string_view("member"));
        for (const json::value& item : value.get_array()) {
          write_content_at(element.append_child(name.c_str()), model, inner, item, opts, depth + 1);
        }
      }
      return;
    case ShapeType::Map:
      if (value.is_object() && shape.members_count == 2) {
        const MemberDef& key_member = model.members_of(shape)[0];
        const MemberDef& value_member = model.members_of(shape)[1];
        std::string_view key_location = location_name(model, key_member);
        std::string_view value_location = location_name(model, value_member);
        for (const auto& entry : value.get_object()) {
          pugi::xml_node holder = element.append_child("entry");
          holder.append_child(key_location.empty() ? "key" : std::string(key_location).c_str())
              .append_child(pugi::node_pcdata)
              .set_value(std::string(entry.key()).c_str());
          pugi::xml_node v = holder.append_child(
              value_location.empty() ? "value" : std::string(value_location).c_str());
          write_content_at(v, model, value_member, entry.value(), opts, depth + 1);
        }
      }
      return;
    default:
      if (std::optional<std::string> text = scalar_text(model, member, value, opts)) {
        if (!text->empty()) {
          element.append_child(pugi::node_pcdata).set_value(text->c_str());
        }
      }
      return;
  }
}

struct StringWriter : pugi::xml_writer {
  std::string out;
  void write(const void* data, size_t size) override {
    out.append(static_cast<const char*>(data), size);
  }
};

}  // namespace

void write_members(pugi::xml_node parent, const ServiceModel& model, const ShapeDef& shape,
                   const boost::json::object& doc, const WriteOptions& opts) {
  write_members_at(parent, model, shape, doc, opts, 0);
}

void write_member(pugi::xml_node parent, const ServiceModel& model, const MemberDef& member,
                  const boost::json::value& value, const WriteOptions& opts) {
  write_member_at(parent, model, member, value, opts, 0);
}

void write_content(pugi::xml_node element, const ServiceModel& model, const MemberDef& member,
                   const boost::json::value& value, const WriteOptions& opts) {
  write_content_at(element, model, member, value, opts, 0);
}

std::optional<std::string> scalar_text(const ServiceModel& model, const MemberDef& member,
                                       const boost::json::value& value, const WriteOptions& opts) {
  const ShapeDef& shape = model.shape(member.shape);
  switch (shape.type) {
    case ShapeType::String:
      if (value.is_string()) {
        return std::string(value.get_string());
      }
      return std::nullopt;
    case ShapeType::Integer:
    case ShapeType::Long:
    case ShapeType::BigInteger:
      if (value.is_int64()) {
        return std::to_string(value.get_int64());
      }
      if (value.is_uint64()) {
        return std::to_string(value.get_uint64());
      }
      if (value.is_double() && std::isfinite(value.get_double()) &&
          std::trunc(value.get_double()) == value.get_double() &&
          std::fabs(value.get_double()) < 9.0e18) {
        return std::to_string(static_cast<int64_t>(value.get_double()));
      }
      return std::nullopt;
    case ShapeType::Float:
    case ShapeType::Double:
    case ShapeType::BigDecimal:
      if (std::optional<double> d = as_double(value)) {
        return format_double(*d);
      }
      return std::nullopt;
    case ShapeType::Boolean:
      if (value.is_bool()) {
        return value.get_bool() ? "true" : "false";
      }
      return std::nullopt;
    case ShapeType::Timestamp: {
      std::optional<double> secs = as_double(value);
      if (!secs || !std::isfinite(*secs)) {
        return std::nullopt;
      }
      std::string_view format = !member.timestamp_format.empty()  ? member.timestamp_format
                                : !shape.timestamp_format.empty() ? shape.timestamp_format
                                                                  : opts.default_timestamp_format;
      if (format == "unixTimestamp") {
        return format_double(std::round(*secs * 1000) / 1000);
      }
      core::TimePoint t{std::chrono::milliseconds(std::llround(*secs * 1000))};
      if (format == "rfc822") {
        return core::format_http_date(t);
      }
      return core::format_iso8601(t);
    }
    case ShapeType::Blob:
      if (value.is_string()) {
        return query::base64_encode(value.get_string());
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

std::string to_string(const pugi::xml_document& doc, bool declaration) {
  StringWriter writer;
  if (declaration) {
    writer.out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  }
  doc.save(writer, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
  return std::move(writer.out);
}

}  // namespace protocol::xml
