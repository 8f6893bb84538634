// The template's sections checked for shape (template.h). Messages are CloudFormation's.

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <set>

#include "services/cloudformation/engine/errors.h"
#include "services/cloudformation/engine/parameter_types.h"
#include "services/cloudformation/engine/template.h"
#include "services/cloudformation/engine/template_reader.h"
#include "services/cloudformation/engine/values.h"

namespace services::cloudformation::engine {
namespace {

namespace json = boost::json;

const std::set<std::string, std::less<>> kSections = {"AWSTemplateFormatVersion",
                                                      "Description",
                                                      "Metadata",
                                                      "Parameters",
                                                      "Rules",
                                                      "Mappings",
                                                      "Conditions",
                                                      "Transform",
                                                      "Resources",
                                                      "Outputs",
                                                      "Hooks"};
const std::set<std::string, std::less<>> kParameterProperties = {"Type",
                                                                 "Default",
                                                                 "AllowedValues",
                                                                 "AllowedPattern",
                                                                 "MinLength",
                                                                 "MaxLength",
                                                                 "MinValue",
                                                                 "MaxValue",
                                                                 "NoEcho",
                                                                 "Description",
                                                                 "ConstraintDescription"};
const std::set<std::string, std::less<>> kResourceAttributes = {
    "Type",     "Properties",     "DependsOn",    "Condition",           "DeletionPolicy",
    "Metadata", "CreationPolicy", "UpdatePolicy", "UpdateReplacePolicy", "Version"};
const std::set<std::string, std::less<>> kPolicies = {"Delete", "Retain", "Snapshot",
                                                      "RetainExceptOnCreate"};

const json::object* section_object(const json::object& body, std::string_view name) {
  const json::value* v = body.if_contains(name);
  if (!v || v->is_null()) {
    return nullptr;
  }
  if (!v->is_object()) {
    format_error(std::string(name) + " must be a JSON object.");  // "... must be a map" in YAML
  }
  return &v->get_object();
}

std::optional<double> number_member(const json::object& o, std::string_view key,
                                    const std::string& param) {
  const json::value* v = o.if_contains(key);
  if (!v) {
    return std::nullopt;
  }
  if (std::optional<double> d = parse_number(scalar_text(*v).value_or(""))) {
    return d;
  }
  format_error("Parameter '" + param + "' " + std::string(key) + " must be a number.");
}

ParameterDecl model_parameter(const std::string& name, const json::value& v) {
  if (!is_alphanumeric(name)) {
    format_error("Parameter name " + name + " is non alphanumeric.");
  }
  if (!v.is_object()) {
    format_error("Any Parameters member must be a JSON object.");
  }
  const json::object& o = v.get_object();
  for (const auto& kv : o) {
    if (!kParameterProperties.contains(kv.key())) {
      format_error("Invalid template parameter property '" + std::string(kv.key()) + "'");
    }
  }
  ParameterDecl p;
  p.name = name;
  const json::value* type = o.if_contains("Type");
  if (!type || !type->is_string()) {
    format_error("Every Parameters object must contain a Type member.");
  }
  p.type = std::string(type->get_string());
  if (!parse_parameter_type(p.type)) {
    format_error("Unrecognized parameter type: " + p.type);
  }
  if (const json::value* d = o.if_contains("Default")) {
    p.default_value = scalar_text(*d);
    if (!p.default_value && d->is_array()) {  // a YAML list as a CommaDelimitedList default
      std::string joined;
      for (const json::value& item : d->get_array()) {
        joined += (joined.empty() ? "" : ",") + scalar_text(item).value_or("");
      }
      p.default_value = joined;
    }
  }
  if (const json::value* a = o.if_contains("AllowedValues")) {
    if (!a->is_array()) {
      format_error("Every AllowedValues member must be a list.");
    }
    for (const json::value& item : a->get_array()) {
      p.allowed_values.push_back(scalar_text(item).value_or(""));
    }
  }
  if (const json::value* pat = o.if_contains("AllowedPattern")) {
    p.allowed_pattern = scalar_text(*pat);
  }
  p.min_length = number_member(o, "MinLength", name);
  p.max_length = number_member(o, "MaxLength", name);
  p.min_value = number_member(o, "MinValue", name);
  p.max_value = number_member(o, "MaxValue", name);
  if (const json::value* n = o.if_contains("NoEcho")) {
    p.no_echo = scalar_text(*n).value_or("") == "true";
  }
  if (const json::value* d = o.if_contains("Description")) {
    p.description = scalar_text(*d).value_or("");
  }
  if (const json::value* c = o.if_contains("ConstraintDescription")) {
    p.constraint_description = scalar_text(*c).value_or("");
  }
  return p;
}

std::vector<std::string> depends_on(const std::string& id, const json::value& v) {
  std::vector<std::string> out;
  if (v.is_string()) {
    out.emplace_back(v.get_string());
    return out;
  }
  if (!v.is_array()) {
    format_error("DependsOn must be a string or list of strings.");
  }
  for (const json::value& item : v.get_array()) {
    if (!item.is_string()) {
      format_error("Every DependsOn value must be a string.");
    }
    out.emplace_back(item.get_string());
  }
  return out;
}

std::string policy(const json::object& o, std::string_view key, const std::string& id) {
  const json::value* v = o.if_contains(key);
  if (!v) {
    return "Delete";
  }
  std::string p = scalar_text(*v).value_or("");
  if (!kPolicies.contains(p)) {
    format_error("Unrecognized " + std::string(key) + " " + p + " for resource " + id);
  }
  return p;
}

ResourceDecl model_resource(const std::string& id, const json::value& v) {
  if (!is_alphanumeric(id)) {
    format_error("Resource name " + id + " is non alphanumeric.");
  }
  if (!v.is_object()) {
    format_error("[/Resources/" + id + "] Every Resources object must be a JSON object.");
  }
  const json::object& o = v.get_object();
  for (const auto& kv : o) {
    if (!kResourceAttributes.contains(kv.key())) {
      format_error("Invalid template resource property '" + std::string(kv.key()) + "'");
    }
  }
  const json::value* type = o.if_contains("Type");
  if (!type || !type->is_string()) {
    format_error("[/Resources/" + id + "] Every Resources object must contain a Type member.");
  }
  ResourceDecl r;
  r.logical_id = id;
  r.type = std::string(type->get_string());
  if (const json::value* p = o.if_contains("Properties"); p && !p->is_null()) {
    if (!p->is_object()) {
      format_error("[/Resources/" + id + "/Properties] Every Properties member must be an object.");
    }
    r.properties = *p;
  }
  if (const json::value* d = o.if_contains("DependsOn")) {
    r.depends_on = depends_on(id, *d);
  }
  if (const json::value* c = o.if_contains("Condition")) {
    if (!c->is_string()) {
      format_error("Every Condition member must be a string.");
    }
    r.condition = std::string(c->get_string());
  }
  r.deletion_policy = policy(o, "DeletionPolicy", id);
  r.update_replace_policy = policy(o, "UpdateReplacePolicy", id);
  for (auto [key, field] :
       {std::pair{"Metadata", &r.metadata}, std::pair{"CreationPolicy", &r.creation_policy},
        std::pair{"UpdatePolicy", &r.update_policy}}) {
    if (const json::value* m = o.if_contains(key)) {
      *field = *m;
    }
  }
  return r;
}

OutputDecl model_output(const std::string& name, const json::value& v) {
  if (!is_alphanumeric(name)) {
    format_error("Output name " + name + " is non alphanumeric.");
  }
  const json::object* o = v.if_object();
  if (!o || !o->contains("Value")) {
    format_error("Every Outputs member must contain a Value object");
  }
  OutputDecl out;
  out.name = name;
  out.value = o->at("Value");
  if (const json::value* d = o->if_contains("Description")) {
    out.description = scalar_text(*d).value_or("");
  }
  if (const json::value* e = o->if_contains("Export")) {
    const json::object* export_obj = e->if_object();
    if (!export_obj || !export_obj->contains("Name")) {
      format_error("Output " + name + " is malformed. The Export member must contain a Name.");
    }
    out.export_name = export_obj->at("Name");
  }
  if (const json::value* c = o->if_contains("Condition")) {
    out.condition = scalar_text(*c);
  }
  return out;
}

void model_transforms(Template& t) {
  const json::value* v = t.body.if_contains("Transform");
  if (!v) {
    return;
  }
  if (v->is_string()) {
    t.transforms.emplace_back(v->get_string());
  } else if (v->is_array()) {
    for (const json::value& item : v->get_array()) {
      t.transforms.push_back(scalar_text(item).value_or(json::serialize(item)));
    }
  } else {
    format_error("Transform must be a string or a list of strings.");
  }
  for (const std::string& name : t.transforms) {
    if (name == "AWS::LanguageExtensions") {
      t.language_extensions = true;
    } else {
      format_error("Transform " + name +
                   " is not supported: Gantry runs only the AWS::LanguageExtensions transform "
                   "(no SAM, no macros).");
    }
  }
}

void model_top_level(Template& t) {
  std::vector<std::string> unknown;
  for (const auto& kv : t.body) {
    if (!kSections.contains(kv.key())) {
      unknown.emplace_back(kv.key());
    }
  }
  if (!unknown.empty()) {
    format_error("Invalid template property or properties " + bracket_list(unknown));
  }
  if (const json::value* v = t.body.if_contains("AWSTemplateFormatVersion")) {
    t.format_version = scalar_text(*v).value_or("");
    if (t.format_version != "2010-09-09") {
      format_error("unsupported value for AWSTemplateFormatVersion.");
    }
  }
  if (const json::value* v = t.body.if_contains("Description")) {
    t.description = scalar_text(*v).value_or("");
  }
  if (const json::value* v = t.body.if_contains("Metadata")) {
    t.metadata = *v;
  }
}

void model_mappings(Template& t) {
  const json::object* m = section_object(t.body, "Mappings");
  if (!m) {
    return;
  }
  for (const auto& [name, map] : *m) {
    if (!map.is_object()) {
      format_error("Every Mappings member " + std::string(name) + " must be a map");
    }
    for (const auto& [key, attrs] : map.get_object()) {
      if (!attrs.is_object()) {
        format_error("Every Mappings member " + std::string(key) + " must be a map");
      }
    }
  }
  t.mappings = *m;
}

}  // namespace

bool is_alphanumeric(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
}

const ResourceDecl* Template::find_resource(std::string_view logical_id) const {
  for (const ResourceDecl& r : resources) {
    if (r.logical_id == logical_id) {
      return &r;
    }
  }
  return nullptr;
}

const ParameterDecl* Template::find_parameter(std::string_view name) const {
  for (const ParameterDecl& p : parameters) {
    if (p.name == name) {
      return &p;
    }
  }
  return nullptr;
}

protocol::Result<Template> model_template(json::object body) {
  try {
    Template t;
    t.body = std::move(body);
    model_top_level(t);
    model_transforms(t);
    if (const json::object* params = section_object(t.body, "Parameters")) {
      for (const auto& [name, decl] : *params) {
        t.parameters.push_back(model_parameter(std::string(name), decl));
      }
    }
    model_mappings(t);
    if (const json::object* c = section_object(t.body, "Conditions")) {
      t.conditions = *c;
    }
    if (const json::object* r = section_object(t.body, "Rules")) {
      t.rules = *r;
    }
    const json::object* resources = section_object(t.body, "Resources");
    if (!resources || resources->empty()) {  // a lone Fn::ForEach counts: it makes resources
      format_error("At least one Resources member must be defined.");
    }
    for (const auto& [id, decl] : *resources) {
      if (t.language_extensions && id.starts_with("Fn::ForEach::")) {
        t.has_for_each = true;  // expanded once parameters are known (for_each.h)
        continue;
      }
      t.resources.push_back(model_resource(std::string(id), decl));
    }
    if (const json::object* outputs = section_object(t.body, "Outputs")) {
      for (const auto& [name, decl] : *outputs) {
        if (t.language_extensions && name.starts_with("Fn::ForEach::")) {
          t.has_for_each = true;
          continue;
        }
        t.outputs.push_back(model_output(std::string(name), decl));
      }
    }
    return t;
  } catch (const protocol::AwsError& e) {
    return e;
  }
}

protocol::Result<Template> parse_template(std::string_view body) {
  protocol::Result<json::object> doc = read_template(body);
  if (!doc) {
    return doc.error();
  }
  return model_template(std::move(*doc));
}

namespace {

// Why Gantry cannot create `type`, a type AWS has; nullopt for any other type.
std::optional<std::string> why_unavailable(std::string_view type) {
  if (type == "AWS::CloudFormation::Stack") {
    return "nested stacks read their TemplateURL from S3, which Gantry does not have yet";
  }
  if (type == "AWS::CloudFormation::CustomResource" || type.starts_with("Custom::")) {
    return "custom resources are backed by a Lambda function or an SNS topic (ServiceToken), "
           "which Gantry does not have yet";
  }
  return std::nullopt;
}

}  // namespace

protocol::Result<void> check_resource_types(
    const Template& t, const std::function<bool(std::string_view type)>& supported,
    const std::function<bool(std::string_view condition)>& condition_holds) {
  std::set<std::string> unknown;
  for (const ResourceDecl& r : t.resources) {
    if (r.condition && condition_holds && !condition_holds(*r.condition)) {
      continue;
    }
    if (supported(r.type)) {
      continue;
    }
    if (std::optional<std::string> why = why_unavailable(r.type)) {
      return validation_error("Resource " + r.logical_id + " of type " + r.type +
                              " cannot be created: " + *why);
    }
    unknown.insert(r.type);
  }
  if (unknown.empty()) {
    return {};
  }
  return validation_error("Template format error: Unrecognized resource types: " +
                          bracket_list({unknown.begin(), unknown.end()}));
}

}  // namespace services::cloudformation::engine
