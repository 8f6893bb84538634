#include "services/cloudformation/engine/diff.h"

#include <algorithm>
#include <boost/json/object.hpp>
#include <set>

namespace services::cloudformation::engine {

std::vector<std::string> changed_properties(const boost::json::value& before,
                                            const boost::json::value& after) {
  static const boost::json::object kEmpty;
  const boost::json::object& a = before.is_object() ? before.get_object() : kEmpty;
  const boost::json::object& b = after.is_object() ? after.get_object() : kEmpty;
  std::set<std::string> names;
  for (const auto& kv : a) {
    names.emplace(kv.key());
  }
  for (const auto& kv : b) {
    names.emplace(kv.key());
  }
  std::vector<std::string> out;
  for (const std::string& n : names) {
    const boost::json::value* x = a.if_contains(n);
    const boost::json::value* y = b.if_contains(n);
    if (!x || !y || *x != *y) {
      out.push_back(n);
    }
  }
  return out;
}

std::vector<ResourceChange> diff_resources(const ResolvedResources& before,
                                           const ResolvedResources& after) {
  std::vector<ResourceChange> out;
  for (const auto& [id, old] : before) {
    auto it = after.find(id);
    if (it == after.end()) {
      out.push_back({id, ChangeAction::Remove, old.type, false, {}});
      continue;
    }
    ResourceChange c{id, ChangeAction::Modify, it->second.type, old.type != it->second.type,
                     changed_properties(old.properties, it->second.properties)};
    if (c.type_changed || !c.changed_properties.empty()) {
      out.push_back(std::move(c));
    }
  }
  for (const auto& [id, added] : after) {
    if (!before.contains(id)) {
      out.push_back({id, ChangeAction::Add, added.type, false, {}});
    }
  }
  std::sort(out.begin(), out.end(), [](const ResourceChange& a, const ResourceChange& b) {
    return a.logical_id < b.logical_id;
  });
  return out;
}

}  // namespace services::cloudformation::engine
