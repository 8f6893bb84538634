#include "services/cloudformation/engine/graph.h"

#include <algorithm>

#include "services/cloudformation/engine/errors.h"
#include "services/cloudformation/engine/references.h"
#include "services/cloudformation/engine/values.h"

namespace services::cloudformation::engine {
namespace {

struct Problems {
  std::set<std::string> unresolved;  // Ref / DependsOn
  std::set<std::string> conditions;
  std::string undefined_get_att;
};

void classify(const Template& t, const ConditionValues& conditions, const References& refs,
              std::set<std::string>& edges, Problems& problems) {
  auto present = [&](const std::string& id) {
    const ResourceDecl* r = t.find_resource(id);
    return r && resource_present(*r, conditions);
  };
  for (const std::string& name : refs.refs) {
    if (is_pseudo_parameter(name) || t.find_parameter(name)) {
      continue;
    }
    if (present(name)) {
      edges.insert(name);
    } else {
      problems.unresolved.insert(name);
    }
  }
  for (const std::string& id : refs.get_atts) {
    if (present(id)) {
      edges.insert(id);
    } else if (t.find_resource(id)) {
      problems.unresolved.insert(id);
    } else if (problems.undefined_get_att.empty()) {
      problems.undefined_get_att = id;
    }
  }
  for (const std::string& c : refs.conditions) {
    if (!conditions.contains(c)) {
      problems.conditions.insert(c);
    }
  }
}

void raise(const Problems& p, const std::string& block) {
  if (!p.undefined_get_att.empty()) {
    fail("Template error: instance of Fn::GetAtt references undefined resource " +
         p.undefined_get_att);
  }
  if (!p.unresolved.empty()) {
    format_error("Unresolved resource dependencies " +
                 bracket_list({p.unresolved.begin(), p.unresolved.end()}) + " in the " + block +
                 " block of the template");
  }
  if (!p.conditions.empty()) {
    format_error("Unresolved condition dependencies " +
                 bracket_list({p.conditions.begin(), p.conditions.end()}) + " in the " + block +
                 " block of the template");
  }
}

void check_outputs(const Template& t, const ConditionValues& conditions) {
  Problems problems;
  std::set<std::string> ignored;
  for (const OutputDecl& o : t.outputs) {
    if (o.condition && !conditions.contains(*o.condition)) {
      problems.conditions.insert(*o.condition);
      continue;
    }
    if (o.condition && !conditions.at(*o.condition)) {
      continue;
    }
    References refs;
    collect_references(o.value, &conditions, refs);
    if (o.export_name) {
      collect_references(*o.export_name, &conditions, refs);
    }
    classify(t, conditions, refs, ignored, problems);
  }
  raise(problems, "Outputs");
}

// Kahn's algorithm in levels over `needs`; what is left over is on or behind a cycle.
std::vector<std::vector<std::string>> waves(
    const std::vector<std::string>& order,
    const std::map<std::string, std::set<std::string>, std::less<>>& needs,
    std::vector<std::string>* left_over) {
  std::set<std::string> done;
  std::vector<std::vector<std::string>> out;
  while (done.size() < order.size()) {
    std::vector<std::string> wave;
    for (const std::string& id : order) {
      const std::set<std::string>& n = needs.at(id);
      if (!done.contains(id) &&
          std::all_of(n.begin(), n.end(), [&](const std::string& d) { return done.contains(d); })) {
        wave.push_back(id);
      }
    }
    if (wave.empty()) {
      for (const std::string& id : order) {
        if (!done.contains(id) && left_over) {
          left_over->push_back(id);
        }
      }
      break;
    }
    done.insert(wave.begin(), wave.end());
    out.push_back(std::move(wave));
  }
  return out;
}

}  // namespace

bool resource_present(const ResourceDecl& r, const ConditionValues& conditions) {
  if (!r.condition) {
    return true;
  }
  auto it = conditions.find(*r.condition);
  return it != conditions.end() && it->second;
}

protocol::Result<DependencyGraph> build_graph(const Template& t,
                                              const ConditionValues& conditions) {
  try {
    DependencyGraph g;
    Problems problems;
    for (const ResourceDecl& r : t.resources) {
      if (r.condition && !conditions.contains(*r.condition)) {
        problems.conditions.insert(*r.condition);
      }
      if (!resource_present(r, conditions)) {
        continue;
      }
      References refs;
      for (const boost::json::value* v : {&r.properties, &r.metadata, &r.update_policy}) {
        collect_references(*v, &conditions, refs);
      }
      refs.refs.insert(r.depends_on.begin(), r.depends_on.end());
      std::set<std::string>& edges = g.needs[r.logical_id];
      classify(t, conditions, refs, edges, problems);
      g.resources.push_back(r.logical_id);
    }
    raise(problems, "Resources");
    check_outputs(t, conditions);
    std::vector<std::string> cyclic;
    waves(g.resources, g.needs, &cyclic);
    if (!cyclic.empty()) {
      fail("Circular dependency between resources: " + bracket_list(cyclic));
    }
    return g;
  } catch (const protocol::AwsError& e) {
    return e;
  }
}

std::vector<std::vector<std::string>> DependencyGraph::creation_waves() const {
  return waves(resources, needs, nullptr);
}

std::vector<std::vector<std::string>> DependencyGraph::deletion_waves() const {
  std::map<std::string, std::set<std::string>, std::less<>> needed_by;
  for (const std::string& id : resources) {
    needed_by[id];
  }
  for (const auto& [id, deps] : needs) {
    for (const std::string& d : deps) {
      needed_by[d].insert(id);
    }
  }
  return waves(resources, needed_by, nullptr);
}

std::set<std::string> DependencyGraph::dependents_of(const std::string& id) const {
  std::set<std::string> out;
  std::vector<std::string> todo = {id};
  while (!todo.empty()) {
    std::string cur = todo.back();
    todo.pop_back();
    for (const auto& [other, deps] : needs) {
      if (deps.contains(cur) && out.insert(other).second) {
        todo.push_back(other);
      }
    }
  }
  return out;
}

}  // namespace services::cloudformation::engine
