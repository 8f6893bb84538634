#include "services/cloudformation/engine/conditions.h"

#include <map>
#include <set>
#include <vector>

#include "services/cloudformation/engine/errors.h"
#include "services/cloudformation/engine/references.h"
#include "services/cloudformation/engine/values.h"

namespace services::cloudformation::engine {
namespace {

using Needs = std::map<std::string, std::set<std::string>>;

// Each condition's references, checked: parameters and pseudo parameters only, known conditions.
Needs condition_needs(const Template& t) {
  Needs needs;
  std::set<std::string> bad_refs, bad_conditions;
  for (const auto& [name, expr] : t.conditions) {
    References refs;
    collect_references(expr, nullptr, refs);
    for (const std::string& r : refs.refs) {
      if (!is_pseudo_parameter(r) && !t.find_parameter(r)) {
        bad_refs.insert(r);
      }
    }
    bad_refs.insert(refs.get_atts.begin(), refs.get_atts.end());
    for (const std::string& c : refs.conditions) {
      if (!t.conditions.contains(c)) {
        bad_conditions.insert(c);
      }
    }
    needs[std::string(name)] = refs.conditions;
  }
  if (!bad_refs.empty()) {
    format_error("Unresolved dependencies " + bracket_list({bad_refs.begin(), bad_refs.end()}) +
                 ". Cannot reference resources in the Conditions block of the template");
  }
  if (!bad_conditions.empty()) {
    format_error("Unresolved condition dependencies " +
                 bracket_list({bad_conditions.begin(), bad_conditions.end()}) +
                 " in the Conditions block of the template");
  }
  return needs;
}

// Conditions in an order where each comes after those it names.
std::vector<std::string> evaluation_order(Needs needs) {
  std::vector<std::string> order;
  while (!needs.empty()) {
    size_t before = needs.size();
    for (auto it = needs.begin(); it != needs.end();) {
      bool ready = true;
      for (const std::string& n : it->second) {
        ready = ready && !needs.contains(n);
      }
      if (ready) {
        order.push_back(it->first);
        it = needs.erase(it);
      } else {
        ++it;
      }
    }
    if (needs.size() == before) {
      std::vector<std::string> cycle;
      for (const auto& kv : needs) {
        cycle.push_back(kv.first);
      }
      fail("Template error: Found circular condition dependency: " + bracket_list(cycle));
    }
  }
  return order;
}

}  // namespace

protocol::Result<ConditionValues> evaluate_conditions(const Template& t, const StackIdentity& stack,
                                                      const ParameterValues& params) {
  try {
    ConditionValues values;
    Evaluator eval(t, stack, params, values);  // reads `values` as it fills
    for (const std::string& name : evaluation_order(condition_needs(t))) {
      values[name] = eval.evaluate_boolean(t.conditions.at(name));
    }
    return values;
  } catch (const protocol::AwsError& e) {
    return e;
  }
}

}  // namespace services::cloudformation::engine
