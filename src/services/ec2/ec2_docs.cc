#include "services/ec2/ec2_docs.h"

#include "services/ec2/errors.h"

namespace services::ec2 {

namespace json = boost::json;

std::string str(const Doc& o, std::string_view key, std::string_view fallback) {
  const json::value* v = o.if_contains(key);
  if (v && v->is_string()) {
    return std::string(v->as_string());
  }
  return std::string(fallback);
}

std::optional<std::string> opt_str(const Doc& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v && v->is_string()) {
    return std::string(v->as_string());
  }
  return std::nullopt;
}

std::optional<int64_t> opt_int(const Doc& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v && v->is_int64()) {
    return v->as_int64();
  }
  if (v && v->is_uint64()) {
    return static_cast<int64_t>(v->as_uint64());
  }
  return std::nullopt;
}

std::optional<bool> opt_bool(const Doc& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v && v->is_bool()) {
    return v->as_bool();
  }
  return std::nullopt;
}

bool flag(const Doc& o, std::string_view key) { return opt_bool(o, key).value_or(false); }

const json::array* arr(const Doc& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_array() ? &v->as_array() : nullptr;
}

const Doc* obj(const Doc& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_object() ? &v->as_object() : nullptr;
}

std::vector<std::string> strings(const Doc& o, std::string_view key) {
  std::vector<std::string> out;
  if (const json::array* a = arr(o, key)) {
    for (const json::value& v : *a) {
      if (v.is_string()) {
        out.emplace_back(v.as_string());
      }
    }
  }
  return out;
}

std::string_view tag_member(std::string_view resource_id) {
  return resource_id.starts_with("eni-") ? "TagSet" : "Tags";
}

void merge_tags(Doc& doc, std::string_view member, const json::array& tags) {
  json::value& slot = doc[member];
  if (!slot.is_array()) {
    slot = json::array();
  }
  json::array& current = slot.as_array();
  for (const json::value& t : tags) {
    const Doc& tag = t.as_object();
    std::string key = str(tag, "Key");
    json::object entry{{"Key", key}, {"Value", str(tag, "Value")}};
    bool replaced = false;
    for (json::value& existing : current) {
      if (str(existing.as_object(), "Key") == key) {
        existing = entry;
        replaced = true;
        break;
      }
    }
    if (!replaced) {
      current.push_back(std::move(entry));
    }
  }
}

protocol::Result<void> validate_tags(const json::array& tags) {
  if (tags.size() > 50) {
    return protocol::AwsError{"TagLimitExceeded",
                              "The maximum number of Tags for a resource has been reached."};
  }
  for (const json::value& t : tags) {
    if (!t.is_object()) {
      return errors::invalid_parameter_value("Tag is invalid");
    }
    std::string key = str(t.as_object(), "Key");
    if (key.empty()) {
      return errors::invalid_parameter_value("Tag key cannot be null or empty");
    }
    if (key.starts_with("aws:")) {
      return errors::invalid_parameter_value(
          "Value ( " + key +
          " ) for parameter key is invalid. Tag keys starting with 'aws:' are "
          "reserved for internal use");
    }
  }
  return {};
}

protocol::Result<json::array> tags_from_specifications(const Doc& in,
                                                       std::string_view resource_type) {
  json::array out;
  const json::array* specs = arr(in, "TagSpecifications");
  if (!specs) {
    return out;
  }
  for (const json::value& s : *specs) {
    if (!s.is_object()) {
      continue;
    }
    const Doc& spec = s.as_object();
    std::string type = str(spec, "ResourceType");
    if (type != resource_type) {
      return errors::invalid_parameter_value(
          "'" + type + "' is not a valid taggable resource type for this operation.");
    }
    if (const json::array* tags = arr(spec, "Tags")) {
      if (auto ok = validate_tags(*tags); !ok) {
        return ok.error();
      }
      for (const json::value& t : *tags) {
        out.push_back(t);
      }
    }
  }
  return out;
}

}  // namespace services::ec2
