// The condition functions of the evaluator (intrinsics.h): Fn::If, Fn::Equals, Fn::And, Fn::Or,
// Fn::Not, Fn::Contains and Condition. Messages as CloudFormation words them.

#include <algorithm>
#include <boost/json/array.hpp>

#include "services/cloudformation/engine/errors.h"
#include "services/cloudformation/engine/intrinsics.h"
#include "services/cloudformation/engine/values.h"

namespace services::cloudformation::engine {

namespace json = boost::json;

bool Evaluator::condition(std::string_view name) const {
  auto it = conditions_.find(name);
  if (it == conditions_.end()) {
    fail("Template error: unresolved condition dependency " + std::string(name) + " in Fn::If");
  }
  return it->second;
}

bool Evaluator::evaluate_boolean(const json::value& v) const {
  json::value r = resolve_required(v);
  if (r.is_bool()) {
    return r.get_bool();
  }
  std::optional<std::string> s = scalar_text(r);
  if (s == "true" || s == "false") {
    return *s == "true";
  }
  fail(
      "Template error: Conditions can only be boolean operations on parameters and other "
      "conditions");
}

std::optional<json::value> Evaluator::fn_if(const json::value& arg) const {
  const json::array* args = arg.if_array();
  if (!args || args->empty() || !(*args)[0].is_string()) {
    fail(
        "Template error: Fn::If requires a list argument with the first element being a "
        "condition");
  }
  if (args->size() != 3) {
    fail("Template error: Fn::If requires a list argument with three elements");
  }
  // Only the chosen branch is evaluated: the other may name a resource the condition removed.
  return resolve(condition((*args)[0].get_string()) ? (*args)[1] : (*args)[2]);
}

std::optional<json::value> Evaluator::equals(const json::value& arg) const {
  const json::array* args = arg.if_array();
  if (!args || args->size() != 2) {
    fail("Template error: Fn::Equals requires a list argument with two elements");
  }
  json::value a = resolve_required((*args)[0]);
  json::value b = resolve_required((*args)[1]);
  std::optional<std::string> sa = scalar_text(a);
  std::optional<std::string> sb = scalar_text(b);
  if (sa && sb) {
    return *sa == *sb;
  }
  return a == b;
}

std::vector<bool> Evaluator::boolean_list(const json::value& arg, const std::string& fn) const {
  const json::array* args = arg.if_array();
  if (!args || args->size() < 2 || args->size() > 10) {
    fail("Template error: every " + fn +
         " object requires a list of at least 2 and at most 10 boolean parameters.");
  }
  std::vector<bool> out;
  for (const json::value& item : *args) {
    out.push_back(evaluate_boolean(item));
  }
  return out;
}

std::optional<json::value> Evaluator::fn_and(const json::value& arg) const {
  for (bool b : boolean_list(arg, "Fn::And")) {
    if (!b) {
      return false;
    }
  }
  return true;
}

std::optional<json::value> Evaluator::fn_or(const json::value& arg) const {
  for (bool b : boolean_list(arg, "Fn::Or")) {
    if (b) {
      return true;
    }
  }
  return false;
}

std::optional<json::value> Evaluator::fn_not(const json::value& arg) const {
  const json::array* args = arg.if_array();
  if (!args || args->size() != 1) {
    fail("Template error: Fn::Not requires a list argument with one element");
  }
  return !evaluate_boolean((*args)[0]);
}

namespace {

const json::array& two_elements(const json::value& arg, const std::string& fn) {
  const json::array* args = arg.if_array();
  if (!args || args->size() != 2) {
    fail("Template error: " + fn + " requires a list argument with two elements");
  }
  return *args;
}

}  // namespace

std::vector<std::string> Evaluator::string_list(const json::value& v, const std::string& fn) const {
  json::value list = resolve_required(v);
  if (!list.is_array()) {
    fail("Template error: " + fn + " requires a list as its first element");
  }
  std::vector<std::string> out;
  for (const json::value& item : list.get_array()) {
    out.push_back(scalar_text(item).value_or(""));
  }
  return out;
}

// Fn::Contains [list, value]: whether the list holds the value (Rules; CDK's bootstrap check).
std::optional<json::value> Evaluator::contains(const json::value& arg) const {
  const json::array& args = two_elements(arg, "Fn::Contains");
  std::vector<std::string> list = string_list(args[0], "Fn::Contains");
  std::string wanted = scalar_text(resolve_required(args[1])).value_or("");
  return std::find(list.begin(), list.end(), wanted) != list.end();
}

// Fn::EachMemberEquals [list, value]: every member equals the value.
std::optional<json::value> Evaluator::each_member_equals(const json::value& arg) const {
  const json::array& args = two_elements(arg, "Fn::EachMemberEquals");
  std::vector<std::string> list = string_list(args[0], "Fn::EachMemberEquals");
  std::string wanted = scalar_text(resolve_required(args[1])).value_or("");
  return std::all_of(list.begin(), list.end(), [&](const std::string& m) { return m == wanted; });
}

// Fn::EachMemberIn [list, allowed]: every member of the first list is in the second.
std::optional<json::value> Evaluator::each_member_in(const json::value& arg) const {
  const json::array& args = two_elements(arg, "Fn::EachMemberIn");
  std::vector<std::string> list = string_list(args[0], "Fn::EachMemberIn");
  std::vector<std::string> allowed = string_list(args[1], "Fn::EachMemberIn");
  return std::all_of(list.begin(), list.end(), [&](const std::string& m) {
    return std::find(allowed.begin(), allowed.end(), m) != allowed.end();
  });
}

std::optional<json::value> Evaluator::condition_fn(const json::value& arg) const {
  if (!arg.is_string()) {
    fail("Template error: All Conditions must be of type string");
  }
  return condition(arg.get_string());
}

}  // namespace services::cloudformation::engine
