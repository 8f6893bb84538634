#include "services/iam/tags.h"

#include <algorithm>
#include <boost/json.hpp>
#include <string>

#include "core/json.h"
#include "services/iam/iam_names.h"

namespace services::iam {

namespace json = boost::json;

void add_tags(json::object& entity, const json::object& in) {
  json::array& tags =
      entity["Tags"].is_array() ? entity["Tags"].as_array() : entity["Tags"].emplace_array();
  const json::array* add = core::arr(in, "Tags");
  if (!add) return;
  for (const json::value& t : *add) {
    if (!t.is_object()) continue;
    std::string key = core::str(t.as_object(), "Key");
    json::value value = json::string(core::str(t.as_object(), "Value"));
    auto it = std::find_if(tags.begin(), tags.end(), [&](const json::value& e) {
      return core::str(e.as_object(), "Key") == key;
    });
    if (it != tags.end()) {
      it->as_object()["Value"] = value;
    } else {
      tags.push_back(json::object{{"Key", key}, {"Value", value}});
    }
  }
}

void remove_tags(json::object& entity, const json::object& in) {
  if (!entity["Tags"].is_array()) return;
  json::array& tags = entity["Tags"].as_array();
  for (const std::string& key : core::strings(in, "TagKeys")) {
    auto it = std::find_if(tags.begin(), tags.end(), [&](const json::value& e) {
      return core::str(e.as_object(), "Key") == key;
    });
    if (it != tags.end()) tags.erase(it);
  }
}

json::object tags_page(const json::object& entity, const json::object& in) {
  json::object out;
  const json::array* tags = core::arr(entity, "Tags");
  paginate(tags ? *tags : json::array{}, in, out, "Tags");
  return out;
}

}  // namespace services::iam
