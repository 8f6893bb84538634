// YAML → boost::json with CloudFormation's short forms and scalar typing (template_reader.h).

#include <yaml-cpp/yaml.h>

#include <array>
#include <boost/json/array.hpp>
#include <charconv>
#include <string>

#include "services/cloudformation/engine/errors.h"
#include "services/cloudformation/engine/template_reader.h"

namespace services::cloudformation::engine {
namespace {

namespace json = boost::json;

constexpr std::array<std::string_view, 9> kTrue = {"true", "True", "TRUE", "yes", "Yes",
                                                   "YES",  "on",   "On",   "ON"};
constexpr std::array<std::string_view, 9> kFalse = {"false", "False", "FALSE", "no", "No",
                                                    "NO",    "off",   "Off",   "OFF"};

bool is_canonical_integer(std::string_view s) {
  std::string_view digits = s.starts_with('-') ? s.substr(1) : s;
  if (digits.empty() || digits.size() > 18) {
    return false;  // 18 digits always fit an int64
  }
  if (digits.size() > 1 && digits[0] == '0') {
    return false;  // "010" stays a string
  }
  return digits.find_first_not_of("0123456789") == std::string_view::npos;
}

json::value plain_scalar(const std::string& s) {
  for (std::string_view t : kTrue) {
    if (s == t) {
      return true;
    }
  }
  for (std::string_view f : kFalse) {
    if (s == f) {
      return false;
    }
  }
  if (is_canonical_integer(s)) {
    int64_t v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
  }
  return json::string(s);
}

json::value convert(const YAML::Node& node);
json::value convert_content(const YAML::Node& node);

// `!GetAtt A.B` (scalar) splits at the first dot; the list form passes through.
json::value short_form(const std::string& tag, const YAML::Node& node) {
  std::string name = tag.substr(1);
  json::value arg;
  if (node.IsScalar()) {
    arg = json::string(node.Scalar());  // a tagged scalar is never typed
  } else {
    arg = convert_content(node);  // the tag is this function's; the content may hold others
  }
  if (name == "GetAtt" && arg.is_string()) {
    std::string s(arg.as_string());
    size_t dot = s.find('.');
    json::array parts;
    parts.emplace_back(s.substr(0, dot));
    parts.emplace_back(dot == std::string::npos ? std::string() : s.substr(dot + 1));
    arg = std::move(parts);
  }
  std::string key = (name == "Ref" || name == "Condition") ? name : "Fn::" + name;
  return json::object{{key, std::move(arg)}};
}

json::value convert(const YAML::Node& node) {
  const std::string& tag = node.Tag();
  if (tag.size() > 1 && tag[0] == '!' && tag[1] != '!') {
    return short_form(tag, node);
  }
  return convert_content(node);
}

json::value convert_content(const YAML::Node& node) {
  const std::string& tag = node.Tag();
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Scalar:
      if (tag == "?") {
        return plain_scalar(node.Scalar());
      }
      return json::string(node.Scalar());  // quoted ("!") or !!str
    case YAML::NodeType::Sequence: {
      json::array out;
      for (const YAML::Node& item : node) {
        out.push_back(convert(item));
      }
      return out;
    }
    case YAML::NodeType::Map: {
      json::object out;
      for (const auto& kv : node) {
        out[kv.first.as<std::string>()] = convert(kv.second);
      }
      return out;
    }
  }
  return nullptr;
}

std::string mark_text(const YAML::Mark& mark) {
  return "(line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1) +
         ")";
}

}  // namespace

json::object read_yaml_template(std::string_view body) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(body));
  } catch (const YAML::Exception& e) {
    format_error("YAML not well-formed. " + mark_text(e.mark));
  }
  if (!root.IsMap()) {
    format_error("unsupported structure.");
  }
  json::value doc;
  try {
    doc = convert(root);
  } catch (const YAML::Exception& e) {
    format_error("YAML not well-formed. " + mark_text(e.mark));
  }
  if (!doc.is_object()) {
    format_error("unsupported structure.");  // a tagged root: `!Ref X` alone
  }
  return std::move(doc.as_object());
}

}  // namespace services::cloudformation::engine
