#include "services/cloudformation/engine/references.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "services/cloudformation/engine/sub_template.h"

namespace services::cloudformation::engine {
namespace {

namespace json = boost::json;

void collect_sub(const json::value& arg, const ConditionValues* conditions, References& out) {
  const json::value* source = &arg;
  const json::object* vars = nullptr;
  if (arg.is_array() && arg.get_array().size() == 2) {
    source = &arg.get_array()[0];
    vars = arg.get_array()[1].if_object();
    if (vars) {
      collect_references(arg.get_array()[1], conditions, out);
    }
  }
  if (!source->is_string()) {
    return;
  }
  for (const SubPart& part : parse_sub(source->get_string())) {
    if (!part.variable || (vars && vars->contains(part.text))) {
      continue;
    }
    size_t dot = part.text.find('.');
    if (dot != std::string::npos && !is_pseudo_parameter(part.text)) {
      out.get_atts.insert(part.text.substr(0, dot));
    } else {
      out.refs.insert(part.text);
    }
  }
}

void collect_get_att(const json::value& arg, const ConditionValues* conditions, References& out) {
  if (arg.is_string()) {
    std::string s(arg.get_string());
    out.get_atts.insert(s.substr(0, s.find('.')));
  } else if (arg.is_array() && !arg.get_array().empty() && arg.get_array()[0].is_string()) {
    out.get_atts.insert(std::string(arg.get_array()[0].get_string()));
    collect_references(arg, conditions, out);  // the attribute name may be a Ref
  }
}

bool collect_function(std::string_view key, const json::value& arg,
                      const ConditionValues* conditions, References& out) {
  if (key == "Ref" && arg.is_string()) {
    out.refs.insert(std::string(arg.get_string()));
  } else if (key == "Condition" && arg.is_string()) {
    out.conditions.insert(std::string(arg.get_string()));
  } else if (key == "Fn::GetAtt") {
    collect_get_att(arg, conditions, out);
  } else if (key == "Fn::Sub") {
    collect_sub(arg, conditions, out);
  } else if (key == "Fn::If" && arg.is_array() && arg.get_array().size() == 3 &&
             arg.get_array()[0].is_string()) {
    std::string name(arg.get_array()[0].get_string());
    out.conditions.insert(name);
    auto known = conditions ? conditions->find(name) : ConditionValues::const_iterator();
    if (conditions && known != conditions->end()) {
      collect_references(arg.get_array()[known->second ? 1 : 2], conditions, out);
    } else {
      collect_references(arg.get_array()[1], conditions, out);
      collect_references(arg.get_array()[2], conditions, out);
    }
  } else {
    return false;
  }
  return true;
}

}  // namespace

void collect_references(const json::value& v, const ConditionValues* conditions, References& out) {
  if (const json::array* a = v.if_array()) {
    for (const json::value& item : *a) {
      collect_references(item, conditions, out);
    }
    return;
  }
  const json::object* o = v.if_object();
  if (!o) {
    return;
  }
  if (o->size() == 1 && collect_function(o->begin()->key(), o->begin()->value(), conditions, out)) {
    return;
  }
  for (const auto& kv : *o) {
    collect_references(kv.value(), conditions, out);
  }
}

}  // namespace services::cloudformation::engine
