#include "services/dynamodb/wire_values.h"

#include <string_view>

#include "core/base64.h"

namespace services::dynamodb {
namespace {

namespace json = boost::json;

template <class F>
void walk(json::value& v, F&& convert) {
  json::object* av = v.if_object();
  if (!av || av->size() != 1) return;
  auto& [type, inner] = *av->begin();
  if (type == "B") {
    if (json::string* s = inner.if_string()) convert(*s);
  } else if (type == "BS") {
    if (json::array* a = inner.if_array()) {
      for (json::value& m : *a) {
        if (json::string* s = m.if_string()) convert(*s);
      }
    }
  } else if (type == "M") {
    if (json::object* m = inner.if_object()) {
      for (auto& member : *m) walk(member.value(), convert);
    }
  } else if (type == "L") {
    if (json::array* l = inner.if_array()) {
      for (json::value& m : *l) walk(m, convert);
    }
  }
}

void encode(json::string& s) {
  s = core::base64_encode(std::string_view(s.data(), s.size()));
}

void decode(json::string& s) {
  if (auto raw = core::base64_decode(std::string_view(s.data(), s.size()))) {
    s = *raw;
  }
}

void values_to_wire(json::value* v) {
  if (json::object* o = v ? v->if_object() : nullptr) item_to_wire(*o);
}

// {name: {..., member: AttributeValue or [AttributeValue]}} as Expected and the filters have it.
void conditions_to_wire(json::value* v) {
  json::object* o = v ? v->if_object() : nullptr;
  if (!o) return;
  for (auto& entry : *o) {
    json::object* c = entry.value().if_object();
    if (!c) continue;
    if (json::value* value = c->if_contains("Value")) blobs_to_wire(*value);
    if (json::value* list = c->if_contains("AttributeValueList")) {
      if (json::array* a = list->if_array()) {
        for (json::value& m : *a) blobs_to_wire(m);
      }
    }
  }
}

}  // namespace

void blobs_to_wire(json::value& v) { walk(v, encode); }
void blobs_from_wire(json::value& v) { walk(v, decode); }

void item_to_wire(json::object& item) {
  for (auto& member : item) blobs_to_wire(member.value());
}

void item_from_wire(json::object& item) {
  for (auto& member : item) blobs_from_wire(member.value());
}

void request_to_wire(json::object& in) {
  for (std::string_view m : {"Item", "Key", "ExclusiveStartKey", "ExpressionAttributeValues"}) {
    values_to_wire(in.if_contains(m));
  }
  for (std::string_view m : {"Expected", "AttributeUpdates", "KeyConditions", "QueryFilter",
                             "ScanFilter"}) {
    conditions_to_wire(in.if_contains(m));
  }
}

}  // namespace services::dynamodb
