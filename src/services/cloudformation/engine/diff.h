#pragma once
// Which resources an update touches: two resolved templates compared per logical id. Whether a
// changed property updates in place or replaces the resource is the resource provider's to say
// (ResourceProvider::update_behavior); this only finds what changed.

#include <boost/json/value.hpp>
#include <map>
#include <string>
#include <vector>

namespace services::cloudformation::engine {

struct ResolvedResource {
  std::string type;
  boost::json::value properties;  // intrinsics evaluated (an object, or null)
};
using ResolvedResources = std::map<std::string, ResolvedResource, std::less<>>;

enum class ChangeAction { Add, Remove, Modify };

struct ResourceChange {
  std::string logical_id;
  ChangeAction action;
  std::string type;                             // the new type (the old one for Remove)
  bool type_changed = false;                    // Modify: a new type always means replacement
  std::vector<std::string> changed_properties;  // Modify: top-level names, sorted
};

// The top-level property names whose values differ (present on one side only counts), sorted;
// null or a non-object counts as no properties.
std::vector<std::string> changed_properties(const boost::json::value& before,
                                            const boost::json::value& after);

// Changes in logical-id order; unchanged resources are left out.
std::vector<ResourceChange> diff_resources(const ResolvedResources& before,
                                           const ResolvedResources& after);

}  // namespace services::cloudformation::engine
