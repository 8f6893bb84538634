#include "services/cloudformation/engine/rules.h"

#include <boost/json/array.hpp>
#include <set>

#include "services/cloudformation/engine/errors.h"
#include "services/cloudformation/engine/values.h"

namespace services::cloudformation::engine {
namespace {

namespace json = boost::json;

const std::set<std::string, std::less<>> kRuleFunctions = {
    "Fn::And",          "Fn::Or",       "Fn::Not",
    "Fn::Equals",       "Fn::Contains", "Fn::EachMemberEquals",
    "Fn::EachMemberIn", "Fn::RefAll",   "Fn::ValueOf",
    "Fn::ValueOfAll",   "Ref"};
const std::set<std::string, std::less<>> kAccountFunctions = {"Fn::RefAll", "Fn::ValueOf",
                                                              "Fn::ValueOfAll"};

// Function names used, and Ref names that are neither parameters nor pseudo parameters.
void scan(const Template& t, const json::value& v, std::set<std::string>& functions,
          std::set<std::string>& unresolved) {
  if (const json::array* a = v.if_array()) {
    for (const json::value& item : *a) {
      scan(t, item, functions, unresolved);
    }
    return;
  }
  const json::object* o = v.if_object();
  if (!o) {
    return;
  }
  for (const auto& [key, member] : *o) {
    if (key == "Ref" || key.starts_with("Fn::") || key == "Condition") {
      functions.insert(std::string(key));
    }
    if (key == "Ref" && member.is_string() && !is_pseudo_parameter(member.get_string()) &&
        !t.find_parameter(member.get_string())) {
      unresolved.insert(std::string(member.get_string()));
    }
    scan(t, member, functions, unresolved);
  }
}

void check_rules(const Template& t) {
  std::set<std::string> functions, unresolved;
  for (const auto& [name, rule] : t.rules) {
    const json::object* r = rule.if_object();
    const json::value* assertions = r ? r->if_contains("Assertions") : nullptr;
    if (!assertions || !assertions->is_array()) {
      format_error("Rule " + std::string(name) + " must contain an Assertions list");
    }
    scan(t, rule, functions, unresolved);
  }
  std::vector<std::string> unsupported;
  for (const std::string& f : functions) {
    if (!kRuleFunctions.contains(f)) {
      unsupported.push_back(f);
    }
  }
  if (!unsupported.empty()) {
    format_error("Following functions are not supported in the Rules block of the template: " +
                 bracket_list(unsupported));
  }
  for (const std::string& f : functions) {
    if (kAccountFunctions.contains(f)) {
      fail("Template error: " + f +
           " is not supported by Gantry's CloudFormation (it reads the "
           "account's EC2 resources)");
    }
  }
  if (!unresolved.empty()) {
    format_error("Unresolved resource dependencies " +
                 bracket_list({unresolved.begin(), unresolved.end()}) +
                 " in the Rules block of the template");
  }
}

}  // namespace

protocol::Result<void> evaluate_rules(const Evaluator& eval) {
  try {
    const Template& t = eval.tpl();
    check_rules(t);
    for (const auto& [name, rule] : t.rules) {
      const json::object& r = rule.get_object();
      if (const json::value* when = r.if_contains("RuleCondition");
          when && !eval.evaluate_boolean(*when)) {
        continue;
      }
      for (const json::value& a : r.at("Assertions").get_array()) {
        const json::object* assertion = a.if_object();
        if (!assertion || !assertion->contains("Assert")) {
          format_error("Every Assertions member of rule " + std::string(name) +
                       " must contain an Assert");
        }
        if (!eval.evaluate_boolean(assertion->at("Assert"))) {
          const json::value* d = assertion->if_contains("AssertDescription");
          fail(d ? scalar_text(*d).value_or("")
                 : "Template error: Assertion failed for rule " + std::string(name));
        }
      }
    }
    return {};
  } catch (const protocol::AwsError& e) {
    return e;
  }
}

}  // namespace services::cloudformation::engine
