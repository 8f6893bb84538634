#include "protocol/rest_body_xml.h"

#include <cstring>
#include <vector>

#include "protocol/rest_body_json.h"
#include "protocol/rest_scalar.h"

namespace protocol::rest {
namespace {

namespace json = boost::json;

constexpr std::string_view kXsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";

BindError malformed(std::string m) { return {BindError::Kind::Malformed, std::move(m)}; }

// The local part of an element name: "s3:Key" → "Key".
std::string_view local_name(const pugi::xml_node& node) {
  std::string_view n = node.name();
  std::size_t colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

// The element name of a member: its locationName, else its shape's, else the member name
// (botocore merges the member reference's traits over the shape's).
std::string_view xml_name(const MemberDef& m, const ShapeDef& shape) {
  if (!m.location_name.empty()) return m.location_name;
  if (!shape.location_name.empty()) return shape.location_name;
  return m.name;
}

// The element name of a list item: the list member's locationName, else its shape's, else
// "member".
std::string_view item_name(const MemberDef& item, const ShapeDef& item_shape) {
  if (!item.location_name.empty()) return item.location_name;
  if (!item_shape.location_name.empty()) return item_shape.location_name;
  return "member";
}

std::string_view key_name(const MemberDef& key) {
  return key.location_name.empty() ? std::string_view("key") : key.location_name;
}
std::string_view value_name(const MemberDef& value) {
  return value.location_name.empty() ? std::string_view("value") : value.location_name;
}

bool flattened(const MemberDef& m, const ShapeDef& shape) { return m.flattened || shape.flattened; }

std::string strip_ws(std::string_view s, bool all) {
  std::string out;
  for (char c : s) {
    bool ws = c == ' ' || c == '\t' || c == '\r' || c == '\n';
    if (!ws || (!all && !out.empty())) out.push_back(c);
  }
  if (!all) {
    while (!out.empty() &&
           (out.back() == ' ' || out.back() == '\t' || out.back() == '\r' || out.back() == '\n')) {
      out.pop_back();
    }
  }
  return out;
}

class Reader {
 public:
  explicit Reader(const ServiceModel& model) : model_(model) {}

  BindResult<json::value> value(const ShapeDef& shape, std::string_view ts_format,
                                const pugi::xml_node& node, int depth) {
    if (depth > kMaxDepth) return malformed("XML body nests too deeply");
    switch (shape.type) {
      case ShapeType::Structure:
      case ShapeType::Union: {
        BindResult<json::object> o = structure(shape, node, false, depth);
        if (!o) return o.error();
        return json::value(std::move(*o));
      }
      case ShapeType::List: {
        const MemberDef& item = model_.members_of(shape)[0];
        const ShapeDef* is = shape_of(model_, item);
        json::array out;
        for (pugi::xml_node c = node.first_child(); c && is; c = c.next_sibling()) {
          if (c.type() != pugi::node_element) continue;
          BindResult<json::value> v = value(*is, ts_of(item), c, depth + 1);
          if (!v) return v.error();
          out.push_back(std::move(*v));
        }
        return json::value(std::move(out));
      }
      case ShapeType::Map: {
        json::object out;
        for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
          if (c.type() != pugi::node_element) continue;
          BindResult<void> r = map_entry(shape, c, out, depth + 1);
          if (!r) return r.error();
        }
        return json::value(std::move(out));
      }
      case ShapeType::Document:
        return json::value(nullptr);
      default:
        break;
    }
    std::string text(node.text().get());
    if (shape.type != ShapeType::String) text = strip_ws(text, shape.type == ShapeType::Blob);
    std::optional<json::value> v = scalar_from_text(shape, text, true);
    if (!v) {
      return malformed("Invalid value '" + text + "' for element " + std::string(node.name()));
    }
    return std::move(*v);
  }

  BindResult<json::object> structure(const ShapeDef& shape, const pugi::xml_node& node,
                                     bool top_level, int depth) {
    if (depth > kMaxDepth) return malformed("XML body nests too deeply");
    json::object out;
    for (const MemberDef& m : model_.members_of(shape)) {
      if (top_level && m.location != Location::Body) continue;
      const ShapeDef* ms = shape_of(model_, m);
      if (ms == nullptr) continue;
      std::string_view name = xml_name(m, *ms);
      if (m.xml_attribute) {
        pugi::xml_attribute a = node.attribute(std::string(wire_name(m)).c_str());
        if (!a || !is_scalar(*ms)) continue;
        std::optional<json::value> v = scalar_from_text(*ms, a.value(), true);
        if (!v) return malformed("Invalid value for attribute " + std::string(wire_name(m)));
        out[m.name] = std::move(*v);
        continue;
      }
      if (ms->type == ShapeType::List && flattened(m, *ms)) {
        // Clients name the repeated items after the member; botocore's parser also accepts the
        // list member's own locationName, so accept both.
        const MemberDef& item = model_.members_of(*ms)[0];
        const ShapeDef* is = shape_of(model_, item);
        if (is == nullptr) continue;
        json::array arr;
        for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
          if (c.type() != pugi::node_element) continue;
          std::string_view n = local_name(c);
          if (n != name && (item.location_name.empty() || n != item.location_name)) continue;
          BindResult<json::value> v = value(*is, ts_of(item), c, depth + 1);
          if (!v) return v.error();
          arr.push_back(std::move(*v));
        }
        if (!arr.empty()) out[m.name] = std::move(arr);
        continue;
      }
      if (ms->type == ShapeType::Map && flattened(m, *ms)) {
        json::object map;
        for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
          if (c.type() != pugi::node_element || local_name(c) != name) continue;
          BindResult<void> r = map_entry(*ms, c, map, depth + 1);
          if (!r) return r.error();
        }
        if (!map.empty()) out[m.name] = std::move(map);
        continue;
      }
      for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
        if (c.type() != pugi::node_element || local_name(c) != name) continue;
        BindResult<json::value> v = value(*ms, ts_of(m), c, depth + 1);
        if (!v) return v.error();
        if (!v->is_null()) out[m.name] = std::move(*v);
        break;
      }
    }
    return out;
  }

 private:
  std::string_view ts_of(const MemberDef& m) { return timestamp_format_for(model_, m, kIso8601); }

  BindResult<void> map_entry(const ShapeDef& map_shape, const pugi::xml_node& entry,
                             json::object& out, int depth) {
    const MemberDef& key = model_.members_of(map_shape)[0];
    const MemberDef& val = model_.members_of(map_shape)[1];
    const ShapeDef* vs = shape_of(model_, val);
    if (vs == nullptr) return {};
    pugi::xml_node k, v;
    for (pugi::xml_node c = entry.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      if (local_name(c) == key_name(key)) k = c;
      if (local_name(c) == value_name(val)) v = c;
    }
    if (!k) return malformed("Map entry without a key in " + std::string(entry.name()));
    if (!v) return {};
    BindResult<json::value> parsed = value(*vs, ts_of(val), v, depth + 1);
    if (!parsed) return parsed.error();
    out[k.text().get()] = std::move(*parsed);
    return {};
  }

  const ServiceModel& model_;
};

class Writer {
 public:
  explicit Writer(const ServiceModel& model) : model_(model) {}

  void structure(pugi::xml_node el, const ShapeDef& shape, const json::object& doc, bool top_level,
                 int depth) {
    if (depth > kMaxDepth) return;
    for (const MemberDef& m : model_.members_of(shape)) {
      if (top_level && m.location != Location::Body) continue;
      const ShapeDef* ms = shape_of(model_, m);
      auto it = doc.find(m.name);
      if (ms == nullptr || it == doc.end() || it->value().is_null()) continue;
      if (m.xml_attribute) {
        std::optional<std::string> text = scalar_to_text(*ms, it->value(), ts_of(m), true);
        if (text) el.append_attribute(std::string(wire_name(m)).c_str()) = text->c_str();
        continue;
      }
      member(el, m, *ms, it->value(), depth + 1);
    }
  }

 private:
  std::string_view ts_of(const MemberDef& m) { return timestamp_format_for(model_, m, kIso8601); }

  static void set_namespace(pugi::xml_node el, const MemberDef& m, const ShapeDef& shape) {
    std::string_view ns = m.xml_namespace.empty() ? shape.xml_namespace : m.xml_namespace;
    if (ns.empty()) return;
    // The generated model keeps only the namespace URI, not its prefix. The one prefixed
    // namespace S3 uses is XML Schema instance's, for <Grantee xsi:type="CanonicalUser">; it must
    // be declared as xmlns:xsi or parsers reject the unbound prefix.
    const char* attr = ns == kXsiNamespace ? "xmlns:xsi" : "xmlns";
    el.append_attribute(attr) = std::string(ns).c_str();
  }

  // Writes the member `m` of shape `ms` holding `v` under `parent`.
  void member(pugi::xml_node parent, const MemberDef& m, const ShapeDef& ms, const json::value& v,
              int depth) {
    if (depth > kMaxDepth) return;
    std::string name(xml_name(m, ms));
    switch (ms.type) {
      case ShapeType::List: {
        if (!v.is_array()) return;
        const MemberDef& item = model_.members_of(ms)[0];
        const ShapeDef* is = shape_of(model_, item);
        if (is == nullptr) return;
        pugi::xml_node holder = parent;
        std::string each;
        if (flattened(m, ms)) {
          // botocore's parser looks a flattened list up by its member's locationName if it has
          // one (parsers.py _member_key_name).
          each = item.location_name.empty() ? name : std::string(item.location_name);
        } else {
          holder = parent.append_child(name.c_str());
          set_namespace(holder, m, ms);
          each = item_name(item, *is);
        }
        for (const json::value& x : v.get_array()) {
          MemberDef renamed = item;
          renamed.location_name = each;
          member(holder, renamed, *is, x, depth + 1);
        }
        return;
      }
      case ShapeType::Map: {
        if (!v.is_object()) return;
        const MemberDef& key = model_.members_of(ms)[0];
        const MemberDef& val = model_.members_of(ms)[1];
        const ShapeDef* vs = shape_of(model_, val);
        if (vs == nullptr) return;
        bool flat = flattened(m, ms);
        pugi::xml_node holder = flat ? parent : parent.append_child(name.c_str());
        if (!flat) set_namespace(holder, m, ms);
        for (const auto& kv : v.get_object()) {
          pugi::xml_node entry = holder.append_child(flat ? name.c_str() : "entry");
          entry.append_child(std::string(key_name(key)).c_str())
              .text()
              .set(std::string(kv.key()).c_str());
          MemberDef renamed = val;
          renamed.location_name = value_name(val);
          member(entry, renamed, *vs, kv.value(), depth + 1);
        }
        return;
      }
      case ShapeType::Structure:
      case ShapeType::Union: {
        if (!v.is_object()) return;
        pugi::xml_node el = parent.append_child(name.c_str());
        set_namespace(el, m, ms);
        structure(el, ms, v.get_object(), false, depth + 1);
        return;
      }
      case ShapeType::Document:
        return;
      default: {
        std::optional<std::string> text = scalar_to_text(ms, v, ts_of(m), true);
        if (!text) return;
        pugi::xml_node el = parent.append_child(name.c_str());
        set_namespace(el, m, ms);
        el.text().set(text->c_str());
        return;
      }
    }
  }

  const ServiceModel& model_;
};

struct StringWriter : pugi::xml_writer {
  std::string out;
  void write(const void* data, size_t size) override {
    out.append(static_cast<const char*>(data), size);
  }
};

}  // namespace

BindResult<json::object> xml_to_document(const ServiceModel& model, const ShapeDef& shape,
                                         std::string_view body, bool top_level) {
  pugi::xml_document doc;
  pugi::xml_parse_result r = doc.load_buffer(
      body.data(), body.size(), pugi::parse_default | pugi::parse_doctype, pugi::encoding_utf8);
  if (!r)
    return malformed(std::string("The XML you provided was not well-formed: ") + r.description());
  pugi::xml_node root;
  for (pugi::xml_node c = doc.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_doctype) {
      return malformed("The XML you provided declares a DOCTYPE, which is not allowed");
    }
    if (c.type() == pugi::node_element) root = c;
  }
  if (!root) return malformed("The XML you provided has no root element");
  return Reader(model).structure(shape, root, top_level, 0);
}

std::string document_to_xml(const ServiceModel& model, const ShapeDef& shape,
                            const json::object& doc, std::string_view root_name,
                            std::string_view xml_namespace, bool top_level) {
  pugi::xml_document xml;
  pugi::xml_node root = xml.append_child(std::string(root_name).c_str());
  if (!xml_namespace.empty()) root.append_attribute("xmlns") = std::string(xml_namespace).c_str();
  Writer(model).structure(root, shape, doc, top_level, 0);
  return save_xml(xml);
}

std::string xml_text_document(std::string_view root_name, std::string_view xml_namespace,
                              std::string_view text) {
  pugi::xml_document xml;
  pugi::xml_node root = xml.append_child(std::string(root_name).c_str());
  if (!xml_namespace.empty()) root.append_attribute("xmlns") = std::string(xml_namespace).c_str();
  if (!text.empty()) root.text().set(std::string(text).c_str());
  return save_xml(xml);
}

std::string save_xml(const pugi::xml_document& doc) {
  StringWriter w;
  w.out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  doc.save(w, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
  return std::move(w.out);
}

}  // namespace protocol::rest
