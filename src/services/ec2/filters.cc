#include "services/ec2/filters.h"

#include <boost/json/array.hpp>

#include "core/glob.h"
#include "services/ec2/ec2_docs.h"
#include "services/ec2/errors.h"

namespace services::ec2 {

namespace json = boost::json;

bool wildcard_match(std::string_view pattern, std::string_view text) {
  return core::glob_match(pattern, text, {.any_char = true});
}

namespace {

void collect(const json::value& v, std::string_view rest, std::vector<std::string>& out) {
  if (v.is_array()) {
    for (const json::value& item : v.as_array()) {
      collect(item, rest, out);
    }
    return;
  }
  if (rest.empty()) {
    if (v.is_string()) {
      out.emplace_back(v.as_string());
    } else if (v.is_bool()) {
      out.emplace_back(v.as_bool() ? "true" : "false");
    } else if (v.is_int64()) {
      out.push_back(std::to_string(v.as_int64()));
    } else if (v.is_uint64()) {
      out.push_back(std::to_string(v.as_uint64()));
    }
    return;
  }
  if (!v.is_object()) {
    return;
  }
  std::size_t dot = rest.find('.');
  std::string_view head = rest.substr(0, dot);
  std::string_view tail = dot == std::string_view::npos ? "" : rest.substr(dot + 1);
  if (const json::value* child = v.as_object().if_contains(head)) {
    collect(*child, tail, out);
  }
}

}  // namespace

std::vector<std::string> values_at(const json::object& doc, std::string_view dotted) {
  std::vector<std::string> out;
  collect(json::value(doc), dotted, out);
  return out;
}

FilterValues path(std::string_view dotted) {
  return [p = std::string(dotted)](const json::object& doc) { return values_at(doc, p); };
}

protocol::Result<std::vector<Filter>> parse_filters(const json::object& in,
                                                    const FilterTable& table,
                                                    std::string_view member) {
  std::vector<Filter> out;
  const json::array* list = arr(in, member);
  if (!list) {
    return out;
  }
  for (const json::value& v : *list) {
    if (!v.is_object()) {
      continue;
    }
    Filter f{str(v.as_object(), "Name"), strings(v.as_object(), "Values")};
    bool tag_filter = !table.tags_member.empty() &&
                      (f.name.starts_with("tag:") || f.name == "tag-key" || f.name == "tag-value");
    if (!tag_filter && !table.names.contains(f.name)) {
      return errors::invalid_filter(f.name);
    }
    out.push_back(std::move(f));
  }
  return out;
}

namespace {

bool any_match(const std::vector<std::string>& patterns, const std::vector<std::string>& values) {
  for (const std::string& v : values) {
    for (const std::string& p : patterns) {
      if (wildcard_match(p, v)) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

bool matches(const json::object& doc, const std::vector<Filter>& filters,
             const FilterTable& table) {
  for (const Filter& f : filters) {
    std::vector<std::string> values;
    if (f.name.starts_with("tag:")) {
      std::string_view key = std::string_view(f.name).substr(4);
      if (const json::array* tags = arr(doc, table.tags_member)) {
        for (const json::value& t : *tags) {
          if (str(t.as_object(), "Key") == key) {
            values.push_back(str(t.as_object(), "Value"));
          }
        }
      }
    } else if (f.name == "tag-key") {
      values = values_at(doc, table.tags_member + ".Key");
    } else if (f.name == "tag-value") {
      values = values_at(doc, table.tags_member + ".Value");
    } else {
      values = table.names.find(f.name)->second(doc);
    }
    if (!any_match(f.values, values)) {
      return false;
    }
  }
  return true;
}

}  // namespace services::ec2
