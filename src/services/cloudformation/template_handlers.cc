// GetTemplate, GetTemplateSummary, ValidateTemplate (cloudformation_service.h).

#include <boost/json.hpp>
#include <set>

#include "core/json.h"
#include "services/cloudformation/cloudformation_service.h"
#include "services/cloudformation/errors.h"
#include "services/cloudformation/stack_store.h"

namespace services::cloudformation {

namespace json = boost::json;

namespace {

json::array declared_parameters(const engine::Template& t, bool with_type) {
  json::array out;
  for (const engine::ParameterDecl& d : t.parameters) {
    json::object p{{"ParameterKey", d.name}, {"NoEcho", d.no_echo}};
    if (d.default_value) p["DefaultValue"] = *d.default_value;
    if (!d.description.empty()) p["Description"] = d.description;
    if (with_type) {
      p["ParameterType"] = d.type;
      json::object constraints;
      if (!d.allowed_values.empty()) {
        json::array allowed;
        for (const std::string& v : d.allowed_values) allowed.emplace_back(v);
        constraints["AllowedValues"] = std::move(allowed);
      }
      p["ParameterConstraints"] = std::move(constraints);
    }
    out.push_back(std::move(p));
  }
  return out;
}

// The capabilities a template needs and why, as ValidateTemplate and GetTemplateSummary say.
void add_capabilities(const engine::Template& t, json::object& out) {
  NeededCapabilities needed = needed_capabilities(t);
  if (needed.iam.empty()) {
    out["Capabilities"] = json::array{};
    return;
  }
  out["Capabilities"] = json::array{json::value(needed.iam)};
  std::string reason = "The following resource(s) require capabilities: [";
  bool first = true;
  for (const std::string& ty : needed.iam_types) reason += (first ? "" : ", ") + ty, first = false;
  out["CapabilitiesReason"] = reason + "]";
}

json::array transforms(const engine::Template& t) {
  json::array out;
  for (const std::string& x : t.transforms) out.emplace_back(x);
  return out;
}

}  // namespace

Output CloudFormationService::get_template(const Ctx& ctx, const Input& in) {
  store::Transaction tx = db_.read();
  std::string body;
  if (auto cs = core::opt_str(in, "ChangeSetName")) {
    Stack s = find_stack(tx, ctx, core::str(in, "StackName"));
    std::optional<ChangeSet> c = StackStore(tx).find_change_set(*cs, s.stack_id);
    if (!c) return errors::change_set_not_found(*cs);
    body = c->template_body;
  } else {
    body = find_stack(tx, ctx, core::str(in, "StackName")).template_body;
  }
  return json::object{{"TemplateBody", body},
                      {"StagesAvailable", json::array{"Original", "Processed"}}};
}

Output CloudFormationService::get_template_summary(const Ctx& ctx, const Input& in) {
  std::string body;
  if (auto name = core::opt_str(in, "StackName")) {
    store::Transaction tx = db_.read();
    body = find_stack(tx, ctx, *name).template_body;
  } else if (auto b = core::opt_str(in, "TemplateBody")) {
    body = *b;
  } else if (core::opt_str(in, "TemplateURL")) {
    return errors::validation(
        "TemplateURL cannot be read: Gantry has no S3 yet. Pass the template as TemplateBody.");
  } else {
    return errors::validation("Either StackName or TemplateBody or TemplateURL must be specified.");
  }
  auto t = engine::parse_template(body);
  if (!t) return t.error();
  json::object out{{"Parameters", declared_parameters(*t, true)},
                   {"DeclaredTransforms", transforms(*t)}};
  if (!t->description.empty()) out["Description"] = t->description;
  if (!t->format_version.empty()) out["Version"] = t->format_version;
  if (!t->metadata.is_null()) out["Metadata"] = json::serialize(t->metadata);
  std::set<std::string> types;
  json::array summaries;
  std::map<std::string, json::array> ids_by_type;
  for (const engine::ResourceDecl& r : t->resources) {
    types.insert(r.type);
    ids_by_type[r.type].emplace_back(r.logical_id);
  }
  json::array type_list;
  for (const std::string& ty : types) type_list.emplace_back(ty);
  out["ResourceTypes"] = std::move(type_list);
  for (auto& [ty, ids] : ids_by_type) {
    summaries.push_back(json::object{{"ResourceType", ty}, {"LogicalResourceIds", ids}});
  }
  out["ResourceIdentifierSummaries"] = std::move(summaries);
  add_capabilities(*t, out);
  return out;
}

// Checks the template's format, references and resource types, without parameter values.
Output CloudFormationService::validate_template(const Ctx& ctx, const Input& in) {
  (void)ctx;
  std::string body;
  if (auto b = core::opt_str(in, "TemplateBody")) {
    body = *b;
  } else if (core::opt_str(in, "TemplateURL")) {
    return errors::validation(
        "TemplateURL cannot be read: Gantry has no S3 yet. Pass the template as TemplateBody.");
  } else {
    return errors::validation("Either Template URL or Template Body must be specified.");
  }
  auto t = engine::parse_template(body);
  if (!t) return t.error();
  engine::ConditionValues all_true;
  for (const auto& kv : t->conditions) all_true[std::string(kv.key())] = true;
  if (auto g = engine::build_graph(*t, all_true); !g) return g.error();
  // Any type AWS could know passes (a template valid on AWS validates here); CreateStack refuses
  // the types Gantry cannot create yet.
  if (auto types = engine::check_resource_types(*t, [](std::string_view ty) {
        return ty.starts_with("AWS::") || ty.starts_with("Custom::") || ty.starts_with("Alexa::");
      });
      !types) {
    return types.error();
  }
  json::object out{{"Parameters", declared_parameters(*t, false)},
                   {"DeclaredTransforms", transforms(*t)}};
  if (!t->description.empty()) out["Description"] = t->description;
  add_capabilities(*t, out);
  return out;
}

}  // namespace services::cloudformation
