#include "protocol/query_naming.h"

#include <cctype>
#include <charconv>
#include <cmath>

namespace protocol::query {

std::string_view location_name(const ServiceModel& model, const MemberDef& m) {
  if (!m.location_name.empty()) {
    return m.location_name;
  }
  return model.shape(m.shape).location_name;
}

bool is_flattened(const ServiceModel& model, const MemberDef& m) {
  return m.flattened || model.shape(m.shape).flattened;
}

std::string_view timestamp_format(const ServiceModel& model, const MemberDef& m) {
  if (!m.timestamp_format.empty()) {
    return m.timestamp_format;
  }
  return model.shape(m.shape).timestamp_format;
}

std::string wire_name(const ServiceModel& model, const MemberDef& m, Dialect dialect,
                      std::string_view default_name) {
  if (dialect == Dialect::Ec2) {
    if (!m.query_name.empty()) {
      return std::string(m.query_name);
    }
    std::string name(location_name(model, m));
    if (!name.empty()) {
      name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
      return name;
    }
    return std::string(default_name);
  }
  std::string_view name = location_name(model, m);
  return std::string(name.empty() ? default_name : name);
}

std::string join(std::string_view prefix, std::string_view name) {
  if (prefix.empty()) {
    return std::string(name);
  }
  std::string out;
  out.reserve(prefix.size() + 1 + name.size());
  out.append(prefix).append(".").append(name);
  return out;
}

std::string list_prefix(const ServiceModel& model, const MemberDef& list_member,
                        const MemberDef& element, std::string_view prefix, Dialect dialect) {
  if (dialect == Dialect::Ec2) {
    return std::string(prefix);
  }
  if (is_flattened(model, list_member)) {
    if (location_name(model, element).empty()) {
      return std::string(prefix);
    }
    // Replace the last segment ('.Original') with the element's name.
    std::string_view parent;
    if (std::size_t dot = prefix.rfind('.'); dot != std::string_view::npos) {
      parent = prefix.substr(0, dot);
    }
    return join(parent, wire_name(model, element, dialect, ""));
  }
  std::string_view name = location_name(model, element);
  return join(prefix, name.empty() ? "member" : name);
}

std::string map_prefix(const ServiceModel& model, const MemberDef& map_member,
                       std::string_view prefix) {
  return is_flattened(model, map_member) ? std::string(prefix) : join(prefix, "entry");
}

// The path AWS names in a validation message: each key segment with a lower-case first letter
// ("Tags.member.1.Key" → "tags.member.1.key").
std::string format_double(double v) {
  if (std::isnan(v)) {
    return "NaN";
  }
  if (std::isinf(v)) {
    return v > 0 ? "Infinity" : "-Infinity";
  }
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

std::optional<double> as_double(const boost::json::value& v) {
  if (v.is_double()) {
    return v.get_double();
  }
  if (v.is_int64()) {
    return static_cast<double>(v.get_int64());
  }
  if (v.is_uint64()) {
    return static_cast<double>(v.get_uint64());
  }
  return std::nullopt;
}

}  // namespace protocol::query
