// Projection: the item reduced to a set of document paths, nested structure kept. Paths are
// merged into a tree first, so "a.b, a.c" yields one map a with b and c, and list elements keep
// their order by index ("l[3], l[1]" gives [l1, l3]) as DynamoDB returns them.

#include <map>

#include "services/dynamodb/core/attribute_value.h"
#include "services/dynamodb/core/expression_ast.h"
#include "services/dynamodb/core/expressions.h"

namespace services::dynamodb {
namespace json = boost::json;

namespace {

struct Node {
  bool whole = false;
  std::map<std::string, Node> names;
  std::map<int, Node> indexes;
};

std::optional<json::value> project_value(const json::value& v, const Node& node) {
  if (node.whole) {
    return v;
  }
  std::string_view type = type_of(v);
  const json::value& m = v.as_object().begin()->value();
  if (type == "M" && !node.names.empty()) {
    json::object out;
    const json::object& map = m.get_object();
    for (const auto& [name, child] : node.names) {
      auto it = map.find(name);
      if (it == map.end()) {
        continue;
      }
      if (std::optional<json::value> p = project_value(it->value(), child)) {
        out[name] = std::move(*p);
      }
    }
    if (out.empty()) {
      return std::nullopt;
    }
    json::object wrapped;
    wrapped["M"] = std::move(out);
    return wrapped;
  }
  if (type == "L" && !node.indexes.empty()) {
    json::array out;
    const json::array& list = m.get_array();
    for (const auto& [index, child] : node.indexes) {
      if (static_cast<std::size_t>(index) >= list.size()) {
        continue;
      }
      if (std::optional<json::value> p =
              project_value(list[static_cast<std::size_t>(index)], child)) {
        out.push_back(std::move(*p));
      }
    }
    if (out.empty()) {
      return std::nullopt;
    }
    json::object wrapped;
    wrapped["L"] = std::move(out);
    return wrapped;
  }
  return std::nullopt;
}

}  // namespace

json::object project(const json::object& item, const std::vector<Path>& paths) {
  std::map<std::string, Node> roots;
  for (const Path& path : paths) {
    Node* node = &roots[path[0].name];
    for (std::size_t i = 1; i < path.size(); ++i) {
      node = path[i].is_index() ? &node->indexes[path[i].index] : &node->names[path[i].name];
    }
    node->whole = true;
  }
  json::object out;
  for (const auto& [name, node] : roots) {
    auto it = item.find(name);
    if (it == item.end()) {
      continue;
    }
    if (std::optional<json::value> p = project_value(it->value(), node)) {
      out[name] = std::move(*p);
    }
  }
  return out;
}

json::object Projection::apply(const json::object& item) const { return project(item, paths_); }

}  // namespace services::dynamodb
