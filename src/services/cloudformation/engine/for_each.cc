#include "services/cloudformation/engine/for_each.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cctype>

#include "services/cloudformation/engine/errors.h"
#include "services/cloudformation/engine/values.h"

namespace services::cloudformation::engine {
namespace {

namespace json = boost::json;

constexpr std::string_view kForEach = "Fn::ForEach::";

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

struct Item {
  std::string id;     // the identifier
  std::string value;  // ${id}
  std::string alnum;  // &{id}
};

std::string substitute(std::string s, const Item& item) {
  replace_all(s, "${" + item.id + "}", item.value);
  replace_all(s, "&{" + item.id + "}", item.alnum);
  return s;
}

json::value stamp(const json::value& v, const Item& item) {
  if (v.is_string()) {
    return json::string(substitute(std::string(v.get_string()), item));
  }
  if (const json::array* a = v.if_array()) {
    json::array out;
    for (const json::value& e : *a) {
      out.push_back(stamp(e, item));
    }
    return out;
  }
  if (const json::object* o = v.if_object()) {
    if (o->size() == 1 && o->contains("Ref") && o->at("Ref") == json::value(item.id)) {
      return json::string(item.value);
    }
    json::object out;
    for (const auto& [key, member] : *o) {
      out[substitute(std::string(key), item)] = stamp(member, item);
    }
    return out;
  }
  return v;
}

std::vector<std::string> collection(const json::value& v, const Evaluator& eval,
                                    const std::string& loop) {
  json::value list = eval.resolve(v).value_or(nullptr);
  if (!list.is_array()) {
    fail("Template error: Fn::ForEach::" + loop + " requires a list as its collection");
  }
  std::vector<std::string> out;
  for (const json::value& item : list.get_array()) {
    out.push_back(scalar_text(item).value_or(""));
  }
  return out;
}

// The members of `section` with every loop replaced by what it stamps out (loops nest).
json::object expand(const json::object& section, const Evaluator& eval) {
  json::object out;
  for (const auto& [key, member] : section) {
    if (!key.starts_with(kForEach)) {
      out[key] = member;
      continue;
    }
    std::string loop(key.substr(kForEach.size()));
    const json::array* args = member.if_array();
    if (!args || args->size() != 3 || !(*args)[0].is_string() || !(*args)[2].is_object()) {
      fail("Template error: Fn::ForEach::" + loop +
           " requires a list of three elements: an identifier, a collection and a fragment");
    }
    std::string id((*args)[0].get_string());
    for (const std::string& value : collection((*args)[1], eval, loop)) {
      std::string alnum;
      for (char c : value) {
        alnum += std::isalnum(static_cast<unsigned char>(c)) ? std::string(1, c) : "";
      }
      json::value stamped = stamp((*args)[2], Item{id, value, alnum});
      for (const auto& [k, v] : expand(stamped.get_object(), eval)) {
        if (out.contains(k)) {
          fail("Template error: Fn::ForEach::" + loop + " makes a duplicate member " +
               std::string(k));
        }
        out[k] = v;
      }
    }
  }
  return out;
}

}  // namespace

protocol::Result<Template> expand_for_each(const Template& t, const StackIdentity& stack,
                                           const ParameterValues& params) {
  if (!t.has_for_each) {
    return t;
  }
  try {
    ConditionValues none;
    Evaluator eval(t, stack, params, none);
    json::object body = t.body;
    for (std::string_view section : {"Resources", "Outputs", "Conditions"}) {
      if (json::value* v = body.if_contains(section); v && v->is_object()) {
        *v = expand(v->get_object(), eval);
      }
    }
    return model_template(std::move(body));
  } catch (const protocol::AwsError& e) {
    return e;
  }
}

}  // namespace services::cloudformation::engine
