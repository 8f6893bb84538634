// The evaluator's dispatch and the value functions (intrinsics.h). Condition functions are in
// intrinsic_conditions.cc, Fn::Sub in intrinsic_sub.cc, Fn::Cidr in cidr.cc.

#include "services/cloudformation/engine/intrinsics.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "core/base64.h"
#include "services/cloudformation/engine/errors.h"
#include "services/cloudformation/engine/values.h"

namespace services::cloudformation::engine {
namespace {

namespace json = boost::json;

constexpr const char* kJoinError =
    "Template error: every Fn::Join object requires two parameters, (1) a string delimiter and "
    "(2) a list of strings to be joined or a function that returns a list of strings (such as "
    "Fn::GetAZs) to be joined.";
constexpr const char* kSplitError =
    "Template error: every Fn::Split object requires two parameters, (1) a string delimiter and "
    "(2) a string to be split or a function that returns a string to be split.";
constexpr const char* kSelectIndexError =
    "Template error: Fn::Select requires a list argument with a valid index value as its first "
    "element";
constexpr const char* kSelectListError =
    "Template error: Fn::Select requires a list argument with two elements: an integer index and "
    "a list";
constexpr const char* kFindInMapError =
    "Template error: every Fn::FindInMap object requires three parameters, the map name, map key "
    "and the attribute for return value";

const json::array& two_args(const json::value& arg, const char* error) {
  if (!arg.is_array() || arg.get_array().size() != 2) {
    fail(error);
  }
  return arg.get_array();
}

}  // namespace

bool is_pseudo_parameter(std::string_view name) {
  return name == "AWS::Region" || name == "AWS::AccountId" || name == "AWS::StackName" ||
         name == "AWS::StackId" || name == "AWS::Partition" || name == "AWS::URLSuffix" ||
         name == "AWS::NoValue" || name == "AWS::NotificationARNs";
}

Evaluator::Evaluator(const Template& t, StackIdentity stack, const ParameterValues& params,
                     const ConditionValues& conditions, EvalHooks hooks)
    : tpl_(t),
      stack_(std::move(stack)),
      params_(params),
      conditions_(conditions),
      hooks_(std::move(hooks)) {}

const std::map<std::string, Evaluator::Fn, std::less<>>& Evaluator::functions() {
  static const std::map<std::string, Fn, std::less<>> table = {
      {"Ref", &Evaluator::ref},
      {"Condition", &Evaluator::condition_fn},
      {"Fn::GetAtt", &Evaluator::get_att},
      {"Fn::Join", &Evaluator::join},
      {"Fn::Sub", &Evaluator::sub},
      {"Fn::Select", &Evaluator::select},
      {"Fn::Split", &Evaluator::split},
      {"Fn::ImportValue", &Evaluator::import_value},
      {"Fn::GetAZs", &Evaluator::get_azs},
      {"Fn::Cidr", &Evaluator::cidr},
      {"Fn::If", &Evaluator::fn_if},
      {"Fn::Equals", &Evaluator::equals},
      {"Fn::And", &Evaluator::fn_and},
      {"Fn::Or", &Evaluator::fn_or},
      {"Fn::Not", &Evaluator::fn_not},
      {"Fn::Contains", &Evaluator::contains},
      {"Fn::EachMemberEquals", &Evaluator::each_member_equals},
      {"Fn::EachMemberIn", &Evaluator::each_member_in},
      {"Fn::FindInMap", &Evaluator::find_in_map},
      {"Fn::Base64", &Evaluator::base64},
      {"Fn::Length", &Evaluator::length},
      {"Fn::ToJsonString", &Evaluator::to_json_string},
  };
  return table;
}

std::optional<json::value> Evaluator::resolve(const json::value& v) const {
  if (v.is_array()) {
    json::array out;
    for (const json::value& item : v.get_array()) {
      if (std::optional<json::value> r = resolve(item)) {
        out.push_back(std::move(*r));
      }
    }
    return out;
  }
  if (!v.is_object()) {
    return v;
  }
  const json::object& o = v.get_object();
  if (o.size() == 1) {
    const auto& [key, arg] = *o.begin();
    auto fn = functions().find(std::string_view(key));
    // {"Condition": {...}} is data (an IAM statement's condition block), not the function.
    bool data = key == "Condition" && !arg.is_string();
    if (fn != functions().end() && !data) {
      return (this->*(fn->second))(arg);
    }
    if (key.starts_with("Fn::")) {
      fail("Template format error: Encountered unsupported function: " + std::string(key));
    }
  }
  json::object out;
  for (const auto& [key, member] : o) {
    if (std::optional<json::value> r = resolve(member)) {
      out[key] = std::move(*r);
    }
  }
  return out;
}

protocol::Result<json::value> Evaluator::try_resolve(const json::value& v) const {
  try {
    return resolve(v).value_or(nullptr);
  } catch (const protocol::AwsError& e) {
    return e;
  }
}

json::value Evaluator::resolve_required(const json::value& v) const {
  return resolve(v).value_or(nullptr);
}

std::string Evaluator::resolve_string(const json::value& v, const char* error) const {
  std::optional<std::string> s = scalar_text(resolve_required(v));
  if (!s) {
    fail(error);
  }
  return *s;
}

std::optional<json::value> Evaluator::ref(const json::value& arg) const {
  if (!arg.is_string()) {
    fail("Template error: All References must be of type string");
  }
  return ref_name(arg.get_string());
}

std::optional<json::value> Evaluator::ref_name(std::string_view name) const {
  if (name == "AWS::NoValue") {
    return std::nullopt;
  }
  const std::pair<std::string_view, const std::string*> pseudo[] = {
      {"AWS::Region", &stack_.region},        {"AWS::AccountId", &stack_.account},
      {"AWS::StackName", &stack_.stack_name}, {"AWS::StackId", &stack_.stack_id},
      {"AWS::Partition", &stack_.partition},  {"AWS::URLSuffix", &stack_.url_suffix}};
  for (const auto& [pseudo_name, value] : pseudo) {
    if (name == pseudo_name) {
      return json::string(*value);
    }
  }
  if (name == "AWS::NotificationARNs") {
    json::array arns;
    for (const std::string& a : stack_.notification_arns) {
      arns.emplace_back(a);
    }
    return arns;
  }
  if (auto p = params_.find(name); p != params_.end()) {
    return p->second.ref_value;
  }
  if (tpl_.find_resource(name)) {
    const ResourceValues* r = hooks_.resource ? hooks_.resource(name) : nullptr;
    if (r) {
      return json::string(r->physical_id);
    }
    if (unresolved_as) {
      return json::string(*unresolved_as);
    }
    fail("Template error: reference " + std::string(name) + " not ready");
  }
  fail("Template format error: Unresolved resource dependencies [" + std::string(name) +
       "] in the Resources block of the template");
}

std::optional<json::value> Evaluator::get_att(const json::value& arg) const {
  std::string resource, attr;
  if (arg.is_string()) {  // "A.B", as the YAML short form writes it
    std::string s(arg.get_string());
    size_t dot = s.find('.');
    resource = s.substr(0, dot);
    attr = dot == std::string::npos ? "" : s.substr(dot + 1);
  } else if (arg.is_array() && arg.get_array().size() == 2 && arg.get_array()[0].is_string()) {
    resource = std::string(arg.get_array()[0].get_string());
    attr = scalar_text(resolve_required(arg.get_array()[1])).value_or("");
  }
  if (resource.empty() || attr.empty()) {
    fail(
        "Template error: every Fn::GetAtt object requires two non-empty parameters, the resource "
        "name and the resource attribute");
  }
  return attribute(resource, attr);
}

json::value Evaluator::attribute(const std::string& resource, const std::string& attr) const {
  if (!tpl_.find_resource(resource)) {
    fail("Template error: instance of Fn::GetAtt references undefined resource " + resource);
  }
  const ResourceValues* r = hooks_.resource ? hooks_.resource(resource) : nullptr;
  if (!r) {
    if (unresolved_as) {
      return json::string(*unresolved_as);
    }
    fail("Template error: reference " + resource + " not ready");
  }
  const json::value* v = r->attributes.if_contains(attr);
  if (!v) {
    fail("Template error: resource " + resource + " does not support attribute type " + attr +
         " in Fn::GetAtt");
  }
  return *v;
}

std::optional<json::value> Evaluator::join(const json::value& arg) const {
  const json::array& args = two_args(arg, kJoinError);
  std::string delimiter = resolve_string(args[0], kJoinError);
  json::value list = resolve_required(args[1]);
  if (!list.is_array()) {
    fail(kJoinError);
  }
  std::string out;
  bool first = true;
  for (const json::value& item : list.get_array()) {
    std::optional<std::string> s = scalar_text(item);
    if (!s) {
      fail(kJoinError);
    }
    out += (first ? "" : delimiter) + *s;
    first = false;
  }
  return json::string(out);
}

std::optional<json::value> Evaluator::select(const json::value& arg) const {
  if (!arg.is_array() || arg.get_array().empty()) {
    fail(kSelectIndexError);
  }
  const json::array& args = arg.get_array();
  std::string index_text = resolve_string(args[0], kSelectIndexError);
  std::optional<int64_t> index_or = parse_integer(index_text);
  if (!index_or) {
    fail(kSelectIndexError);
  }
  int64_t index = *index_or;
  if (args.size() != 2) {
    fail(kSelectListError);
  }
  json::value list = resolve_required(args[1]);
  if (!list.is_array()) {
    fail(kSelectListError);
  }
  if (index < 0 || index >= static_cast<int64_t>(list.get_array().size())) {
    fail("Template error: Fn::Select cannot select nonexistent value at index " +
         std::to_string(index));
  }
  return list.get_array()[static_cast<size_t>(index)];
}

std::optional<json::value> Evaluator::split(const json::value& arg) const {
  const json::array& args = two_args(arg, kSplitError);
  std::string delimiter = resolve_string(args[0], kSplitError);
  std::string source = resolve_string(args[1], kSplitError);
  if (delimiter.empty()) {
    fail(kSplitError);
  }
  json::array out;
  size_t start = 0;
  while (true) {
    size_t at = source.find(delimiter, start);
    out.emplace_back(source.substr(start, at - start));
    if (at == std::string::npos) {
      return out;
    }
    start = at + delimiter.size();
  }
}

std::optional<json::value> Evaluator::import_value(const json::value& arg) const {
  std::string name = resolve_string(
      arg, "Template error: every Fn::ImportValue object must have a String-typed value.");
  if (!hooks_.import_value) {
    fail("No export named " + name + " found.");
  }
  protocol::Result<std::string> v = hooks_.import_value(name);
  if (!v) {
    throw v.error();
  }
  return json::string(*v);
}

std::optional<json::value> Evaluator::get_azs(const json::value& arg) const {
  std::string region = resolve_string(
      arg, "Template error: every Fn::GetAZs object must have a String-typed value.");
  if (region.empty()) {
    region = stack_.region;
  }
  std::vector<std::string> zones;
  if (hooks_.availability_zones) {
    zones = hooks_.availability_zones(region);
  } else {
    zones = {region + "a", region + "b", region + "c"};
  }
  json::array out;
  for (const std::string& z : zones) {
    out.emplace_back(z);
  }
  return out;
}

std::optional<json::value> Evaluator::find_in_map(const json::value& arg) const {
  const json::array* args = arg.if_array();
  bool with_default = tpl_.language_extensions && args && args->size() == 4 &&
                      (*args)[3].is_object() && (*args)[3].get_object().contains("DefaultValue");
  if (!args || (args->size() != 3 && !with_default)) {
    fail(kFindInMapError);
  }
  std::string map = resolve_string((*args)[0], kFindInMapError);
  std::string key = resolve_string((*args)[1], kFindInMapError);
  std::string attr = resolve_string((*args)[2], kFindInMapError);
  const json::value* mapping = tpl_.mappings.if_contains(map);
  if (!mapping && !with_default) {
    fail("Template error: Mapping named '" + map +
         "' is not present in the 'Mappings' section of template");
  }
  const json::value* top = mapping ? mapping->get_object().if_contains(key) : nullptr;
  const json::value* found = top ? top->get_object().if_contains(attr) : nullptr;
  if (found) {
    return *found;
  }
  if (with_default) {
    return resolve((*args)[3].get_object().at("DefaultValue"));
  }
  fail("Template error: Unable to get mapping for " + map + "::" + key + "::" + attr);
}

std::optional<json::value> Evaluator::base64(const json::value& arg) const {
  std::string s = resolve_string(
      arg, "Template error: every Fn::Base64 object must have a String-typed value.");
  return json::string(core::base64_encode(s));
}

std::optional<json::value> Evaluator::length(const json::value& arg) const {
  if (!tpl_.language_extensions) {
    fail("Template format error: Encountered unsupported function: Fn::Length");
  }
  json::value list = resolve_required(arg);
  if (!list.is_array()) {
    fail("Template error: Fn::Length requires a list argument or a function that returns a list");
  }
  return static_cast<int64_t>(list.get_array().size());
}

std::optional<json::value> Evaluator::to_json_string(const json::value& arg) const {
  if (!tpl_.language_extensions) {
    fail("Template format error: Encountered unsupported function: Fn::ToJsonString");
  }
  json::value v = resolve_required(arg);
  if (!v.is_object() && !v.is_array()) {
    fail("Template error: Fn::ToJsonString requires an object or a list argument");
  }
  return json::string(json::serialize(v));
}

}  // namespace services::cloudformation::engine
